/* Multiboot 1 entry of vmx-hello.elf and the VM-exit entry point (the VMCS host RIP). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    mov $stack_top, %esp
    call kmain
1:  cli
    hlt
    jmp 1b

/* Every VM exit lands here on the exit stack (host RSP): save the guest's general registers
   (the VMCS holds RSP, RIP and RFLAGS), let the C handler emulate the exit, then resume. */
    .globl vmexit_entry
vmexit_entry:
    pusha
    push %esp
    call vmexit_handler
    add $4, %esp
    popa
    vmresume
    call vmresume_failed

    .bss
    .align 16
    .space 16384
stack_top:
    .globl exit_stack_top
    .space 8192
exit_stack_top:
    .globl guest_stack_top
    .space 4096
guest_stack_top:
