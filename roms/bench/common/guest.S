/* Guest code of the VMX and SVM workloads (64-bit, ring 0, same page tables as the host). */
    .text
    .globl guest_cpuid_loop
guest_cpuid_loop:
1:  mov %esi, %eax
    and $0xf, %eax
    cpuid
    add %rax, %rsi
    xor %rbx, %rsi
    rol $3, %rsi
    add %rcx, %rdi
    add %rdx, %rdi
    jmp 1b

    /* R12 = the number of reads to make at most. Each read should fault (one page is mapped at
       a time); if the reads run out instead, the CPU does not enforce nested paging: the guest
       then runs CPUID, which exits, and the host reports the workload unsupported. */
    .globl guest_fault_loop
guest_fault_loop:
    xor %ecx, %ecx
1:  cmp %r12, %rcx
    jae 2f
    mov %ecx, %eax
    imul $7, %eax, %eax
    and $511, %eax
    shl $12, %rax
    add $0x4000000, %rax
    mov %ecx, %edx
    and $511, %edx
    add (%rax,%rdx,8), %rsi
    rol $1, %rsi
    inc %rcx
    jmp 1b
2:  cpuid
    jmp 2b
