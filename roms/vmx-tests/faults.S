/* Exception handlers of check.h's fault catcher: each records its vector and error code in
   fault_vector / fault_error and resumes in 64-bit ring 0 at fixup_rip with RSP = fixup_rsp
   (whatever mode or privilege level faulted), reloading DS and ES (an IRET to ring 3 nulls
   them). With no fix-up set, fault_unexpected reports the fault and ends the image. */
    .text
    .code64
.macro stub vector, has_error
stub_\vector:
    .if \has_error == 0
    pushq $0
    .endif
    pushq $\vector
    jmp fault_common
.endm

    stub 0, 0
    stub 1, 0
    stub 2, 0
    stub 3, 0
    stub 4, 0
    stub 5, 0
    stub 6, 0
    stub 7, 0
    stub 8, 1
    stub 9, 0
    stub 10, 1
    stub 11, 1
    stub 12, 1
    stub 13, 1
    stub 14, 1
    stub 15, 0
    stub 16, 0
    stub 17, 1
    stub 18, 0
    stub 19, 0
    stub 20, 0
    stub 21, 1
    stub 22, 0
    stub 23, 0
    stub 24, 0
    stub 25, 0
    stub 26, 0
    stub 27, 0
    stub 28, 0
    stub 29, 1
    stub 30, 1
    stub 31, 0

fault_common:                        /* vector, error, RIP, CS, RFLAGS, RSP, SS */
    popq fault_vector(%rip)
    popq fault_error(%rip)
    cmpq $0, fixup_rip(%rip)
    je 1f
    mov fixup_rip(%rip), %r11
    mov %r11, 0(%rsp)
    movq $0x08, 8(%rsp)
    mov fixup_rsp(%rip), %r11
    mov %r11, 24(%rsp)
    movq $0x10, 32(%rsp)
    movq $0, fixup_rip(%rip)
    mov $0x10, %r11d
    mov %r11d, %ds
    mov %r11d, %es
    iretq
1:  mov fault_vector(%rip), %rdi
    mov fault_error(%rip), %rsi
    mov 0(%rsp), %rdx
    and $-16, %rsp
    call fault_unexpected

    .data
    .align 8
    .globl fault_stubs, fault_vector, fault_error, fixup_rip, fixup_rsp
fault_stubs:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad stub_\v
    .endr
fault_vector: .quad 0
fault_error:  .quad 0
fixup_rip:    .quad 0
fixup_rsp:    .quad 0
