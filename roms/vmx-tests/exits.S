/* Guest code of exits.elf: each routine runs the instruction under test, then VMCALL (exit 18),
   so an instruction that does not exit shows up as reason 18. Operands come in RBX and RDX.
   guest_vectors: 256 IDT handlers, 16 bytes apart, each reporting its vector in RAX, the top
   two stack slots in RBX and RCX (the error code if any, then RIP), then VMCALL. */
    .text
    .code64
    .globl g_cpuid, g_hlt, g_invlpg, g_rdtsc, g_to_cr3, g_from_cr3, g_to_cr0, g_to_cr4, g_clts
    .globl g_lmsw, g_to_cr8, g_from_cr8, g_to_dr7, g_from_dr0, g_out_imm, g_in_dx, g_in_dx_word
    .globl g_rep_outsb, g_rdmsr, g_wrmsr, g_ud2, g_read, g_nops, guest_vectors
    .globl g_rdrand_flags, g_rdrand, g_rdseed_cx, g_rdrand_r9d, g_pause_loop, g_pause_loop_pause
    .globl g_pause_spaced, g_pause_spaced_pause, g_xsaves, g_xrstors
g_cpuid:     cpuid
             vmcall
g_hlt:       hlt
             vmcall
g_invlpg:    invlpg (%rbx)
             vmcall
g_rdtsc:     rdtsc
             shl $32, %rdx
             or %rdx, %rax
             vmcall
g_to_cr3:    mov %rbx, %cr3
             vmcall
g_from_cr3:  mov %cr3, %rbx
             vmcall
g_to_cr0:    mov %rbx, %cr0
             vmcall
g_to_cr4:    mov %rbx, %cr4
             vmcall
g_clts:      clts
             vmcall
g_lmsw:      lmsw %bx
             vmcall
g_to_cr8:    mov %rbx, %cr8
             vmcall
g_from_cr8:  mov %cr8, %rbx
             vmcall
g_to_dr7:    mov %rbx, %dr7
             vmcall
g_from_dr0:  mov %dr0, %rbx
             vmcall
g_out_imm:   out %al, $0x80
             vmcall
g_in_dx:     in (%dx), %al
             vmcall
g_in_dx_word: in (%dx), %ax
             vmcall
g_rep_outsb: mov %rbx, %rsi
             mov $2, %ecx
             rep outsb
             vmcall
g_rdmsr:     mov %ebx, %ecx
             rdmsr
             vmcall
g_wrmsr:     mov %ebx, %ecx
             wrmsr
             vmcall
g_ud2:       ud2
             vmcall
g_read:      mov (%rbx), %rax
             vmcall
g_nops:      nop
             nop
             vmcall
/* All six status flags set, RDRAND RBX, RAX <- RFLAGS. */
g_rdrand_flags: pushq $0x8D7
             popfq
g_rdrand:    rdrand %rbx
             pushfq
             popq %rax
             vmcall
g_rdseed_cx: rdseed %cx
             vmcall
g_rdrand_r9d: rdrand %r9d
             vmcall
/* RBX PAUSEs back to back (RCX counts down), then VMCALL. */
g_pause_loop: mov %rbx, %rcx
g_pause_loop_pause:
             pause
             dec %rcx
             jnz g_pause_loop_pause
             vmcall
/* RBX PAUSEs, each followed by a delay loop of RDX iterations, then VMCALL. */
g_pause_spaced: mov %rbx, %rcx
g_pause_spaced_pause:
             pause
             mov %edx, %esi
1:           dec %esi
             jnz 1b
             dec %rcx
             jnz g_pause_spaced_pause
             vmcall

    .align 16
guest_vectors:
    .set vector, 0
    .rept 256
    .align 16
    pushq $vector
    jmp vector_common
    .set vector, vector + 1
    .endr
vector_common:
    pop %rax
    mov (%rsp), %rbx
    mov 8(%rsp), %rcx
    vmcall
/* XSAVES / XRSTORS at RBX with EDX:EAX all ones; RAX stays FFFFFFFFH unless an exception
   handler reports its vector there. */
g_xsaves:    mov $-1, %eax
             mov $-1, %edx
             xsaves (%rbx)
             vmcall
g_xrstors:   mov $-1, %eax
             mov $-1, %edx
             xrstors (%rbx)
             vmcall
