/* Multiboot 2 entry of mb2-hello.elf: an ELF32 kernel loaded by its program headers. */
#define MB2_MAGIC 0xE85250D6
#define MB2_ARCH 0                    /* i386 protected mode */

    .section .multiboot, "a"
    .align 8
header:
    .long MB2_MAGIC
    .long MB2_ARCH
    .long header_end - header
    .long -(MB2_MAGIC + MB2_ARCH + (header_end - header))
    .align 8
    .short 1, 0                       /* information request: command line, memory map */
    .long 16
    .long 1, 6
    .align 8
    .short 0, 0                       /* end */
    .long 8
header_end:

    .text
    .globl _start
_start:
    mov $stack_top, %esp
    push %ebx                        /* boot information */
    push %eax                        /* magic */
    call kmain
1:  cli
    hlt
    jmp 1b

    .bss
    .align 16
    .space 16384
stack_top:
