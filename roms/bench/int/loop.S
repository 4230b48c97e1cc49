/* uint64_t int_loop(uint64_t iterations, uint64_t table[512]): 14 instructions per iteration
   on either side of the data-dependent branch (ALU, load, store, rotate, test, branches). */
    .text
    .globl int_loop
int_loop:
    push %rbx
    mov %rsi, %rbx
    mov %rdi, %rcx
    xor %esi, %esi
    xor %r8d, %r8d
    test %rcx, %rcx
    jz 4f
1:  mov %ecx, %eax                   /*  1 */
    and $511, %eax                   /*  2 */
    mov (%rbx,%rax,8), %rdx          /*  3 */
    add %rcx, %rdx                   /*  4 */
    xor %rsi, %rdx                   /*  5 */
    rol $7, %rdx                     /*  6 */
    mov %rdx, (%rbx,%rax,8)          /*  7 */
    add %rdx, %rsi                   /*  8 */
    test $1, %dl                     /*  9 */
    jz 2f                            /* 10 */
    sub $3, %rsi                     /* 11 */
    jmp 3f                           /* 12 */
2:  add $5, %rsi                     /* 11 */
    inc %r8                          /* 12 */
3:  dec %rcx                         /* 13 */
    jnz 1b                           /* 14 */
4:  mov %r8, %rax
    shl $32, %rax
    xor %rsi, %rax
    pop %rbx
    ret
