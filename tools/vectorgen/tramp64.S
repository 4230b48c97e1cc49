/* run_native(struct NR *p): load all 16 GPRs + RFLAGS from *p and jump to p->rip.
   Never returns normally: the int3 landing site (or a fault) raises a signal whose
   handler siglongjmp()s back into the C caller, which restores host state. */
	.text
	.globl run_native
	.type run_native,@function
run_native:
	movq 136(%rdi), %rax
	movq %rax, jmp_target(%rip)
	pushq 128(%rdi)
	popfq
	movq 0(%rdi), %rax
	movq 8(%rdi), %rcx
	movq 16(%rdi), %rdx
	movq 24(%rdi), %rbx
	movq 40(%rdi), %rbp
	movq 48(%rdi), %rsi
	movq 64(%rdi), %r8
	movq 72(%rdi), %r9
	movq 80(%rdi), %r10
	movq 88(%rdi), %r11
	movq 96(%rdi), %r12
	movq 104(%rdi), %r13
	movq 112(%rdi), %r14
	movq 120(%rdi), %r15
	movq 32(%rdi), %rsp
	movq 56(%rdi), %rdi
	jmp *jmp_target(%rip)
	.size run_native, .-run_native

/* run_native_fx(struct NR *p, const void *fx): FXRSTOR64 the 16-byte aligned 512-byte image
   at fx (x87, MMX, XMM0-15, MXCSR), then continue as run_native. */
	.globl run_native_fx
	.type run_native_fx,@function
run_native_fx:
	fxrstor64 (%rsi)
	jmp run_native
	.size run_native_fx, .-run_native_fx
	.data
	.p2align 3
jmp_target:
	.quad 0
	.section .note.GNU-stack,"",@progbits
