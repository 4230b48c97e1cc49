/* Multiboot 1 entry of vmx-hello.elf (its VM-exit entry point is in roms/include/vmx32.h). */
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

    .bss
    .align 16
    .space 16384
stack_top:
