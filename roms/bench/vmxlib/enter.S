/* int vmx_enter(struct guest_regs *regs, int launched): loads the guest GPRs and runs the guest
   (VMLAUNCH, or VMRESUME once launched). Returns 0 after a VM exit, with the guest GPRs saved
   in *regs, or 1 if the VM entry instruction failed (VMfailValid / VMfailInvalid). */
    .text
    .globl vmx_enter, vmx_exit_point
vmx_enter:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdi                        /* regs: on top of the host stack at the exit */
    mov $0x6C14, %eax                /* HOST_RSP */
    vmwrite %rsp, %rax
    test %esi, %esi                  /* MOVs below keep the flags */
    mov 0(%rdi), %rax
    mov 8(%rdi), %rbx
    mov 16(%rdi), %rcx
    mov 24(%rdi), %rdx
    mov 32(%rdi), %rsi
    mov 48(%rdi), %rbp
    mov 56(%rdi), %r8
    mov 64(%rdi), %r9
    mov 72(%rdi), %r10
    mov 80(%rdi), %r11
    mov 88(%rdi), %r12
    mov 96(%rdi), %r13
    mov 104(%rdi), %r14
    mov 112(%rdi), %r15
    mov 40(%rdi), %rdi
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  pop %rdi                         /* the entry failed */
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    mov $1, %eax
    ret

vmx_exit_point:                      /* HOST_RIP; RSP = HOST_RSP */
    push %rdi
    mov 8(%rsp), %rdi
    mov %rax, 0(%rdi)
    mov %rbx, 8(%rdi)
    mov %rcx, 16(%rdi)
    mov %rdx, 24(%rdi)
    mov %rsi, 32(%rdi)
    mov %rbp, 48(%rdi)
    mov %r8, 56(%rdi)
    mov %r9, 64(%rdi)
    mov %r10, 72(%rdi)
    mov %r11, 80(%rdi)
    mov %r12, 88(%rdi)
    mov %r13, 96(%rdi)
    mov %r14, 104(%rdi)
    mov %r15, 112(%rdi)
    pop %rax
    mov %rax, 40(%rdi)
    pop %rdi
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    xor %eax, %eax
    ret
