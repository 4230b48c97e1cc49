/* Multiboot 1 entry of hello.elf: an ELF32 kernel loaded by its program headers. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003          /* page-align modules, memory information */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    mov $stack_top, %esp             /* ESP is undefined at entry */
    push %ebx                        /* Multiboot information */
    push %eax                        /* magic */
    call kmain
1:  cli
    hlt
    jmp 1b

    .bss
    .align 16
    .space 16384
stack_top:
