/* i386 variant of run_native (see tramp64.S). struct NR: r[8], fl, rip (32-bit each). */
	.text
	.globl run_native
	.type run_native,@function
run_native:
	movl 4(%esp), %eax
	movl 36(%eax), %ecx
	movl %ecx, jmp_target
	pushl 32(%eax)
	popfl
	movl 4(%eax), %ecx
	movl 8(%eax), %edx
	movl 12(%eax), %ebx
	movl 20(%eax), %ebp
	movl 24(%eax), %esi
	movl 28(%eax), %edi
	movl 16(%eax), %esp
	movl 0(%eax), %eax
	jmp *jmp_target
	.size run_native, .-run_native
	.data
	.p2align 2
jmp_target:
	.long 0
	.section .note.GNU-stack,"",@progbits
