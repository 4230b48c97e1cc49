/* triple.elf: an exception with an empty IDT (limit 0): #GP for the missing gate while
 * delivering #UD, #DF for the missing #GP gate, then shutdown (SDM vol. 3, 6.15). swemu ends
 * with status 4, QEMU -no-reboot with status 0; nothing is printed after the first line. */
    .section .multiboot, "a"
    .align 4
    .long 0x1BADB002, 0, -0x1BADB002
    .text
    .code32
    .globl _start
_start:
    mov $0x3f8, %dx
    mov $'T', %al
    out %al, %dx
    mov $'\n', %al
    out %al, %dx
    lidt idt_desc
    ud2
    mov $0xf4, %dx
    out %al, %dx
    .data
    .balign 4
    .word 0
idt_desc: .word 0
    .long 0
