/* Shared entry of the roms/devices kernels: Multiboot 1 header, own GDT (code 0x08, data 0x10),
   a stack, and interrupt stubs for vectors 0-47 that call isr_dispatch(vector, error code). */
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
    mov %eax, %esi
    mov %ebx, %edi
    lgdt gdt_descriptor
    ljmp $0x08, $1f
1:  mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov %ax, %ss
    push %edi
    push %esi
    call kmain
2:  cli
    hlt
    jmp 2b

/* Vectors with a CPU-pushed error code: 8, 10-14, 17. */
.macro stub n
    .globl isr_stub_\n
isr_stub_\n:
    .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
    .else
    push $0
    .endif
    push $\n
    jmp isr_common
.endm

.altmacro
.set i, 0
.rept 48
    stub %i
    .set i, i+1
.endr

isr_common:
    pusha
    push 36(%esp)            /* error code */
    push 36(%esp)            /* vector (36 again: the first push moved it) */
    call isr_dispatch
    add $8, %esp
    popa
    add $8, %esp
    iret

    .section .rodata
    .globl isr_stub_table
    .align 4
.macro stubaddr n
    .long isr_stub_\n
.endm
isr_stub_table:
.set i, 0
.rept 48
    stubaddr %i
    .set i, i+1
.endr

    .data
    .align 8
gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF     /* 0x08: flat 32-bit code */
    .quad 0x00CF92000000FFFF     /* 0x10: flat 32-bit data */
gdt_descriptor:
    .word gdt_descriptor - gdt - 1
    .long gdt

    .bss
    .align 16
    .space 16384
stack_top:
