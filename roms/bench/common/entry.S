/* Shared start-up code of the benchmark workloads: a Multiboot 1 header with the a.out kludge
   (flag 16; the file is ELF64, so QEMU's -kernel, GRUB and swemu all load it by these address
   fields), then a switch to 64-bit mode with the first 1 GiB identity-mapped by 2 MiB pages,
   and a call to bench_main(multiboot_info) in C. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00010002          /* address fields valid (a.out kludge), memory information */

    .section .multiboot, "a"
    .code32
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header                  /* header_addr */
    .long image_start                /* load_addr */
    .long data_end                   /* load_end_addr */
    .long bss_end                    /* bss_end_addr */
    .long _start                     /* entry_addr */

    .text
    .code32
    .globl _start
_start:
    cli
    mov %ebx, %edi                   /* Multiboot information, bench_main's argument */
    /* pml4[0] -> pdpt, pdpt[0] -> boot_pd, boot_pd[i] -> i * 2 MiB (present, writable, large) */
    mov $pdpt + 3, %eax
    mov %eax, pml4
    mov $boot_pd + 3, %eax
    mov %eax, pdpt
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, boot_pd(,%ecx,8)
    movl $0, boot_pd + 4(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jb 1b
    mov %cr4, %eax
    or $0x20, %eax                   /* CR4.PAE */
    mov %eax, %cr4
    mov $pml4, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx            /* IA32_EFER.LME */
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000021, %eax             /* PG, NE, PE */
    mov %eax, %cr0
    lgdt gdt_pointer
    ljmp $0x08, $long_mode

    .code64
long_mode:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    mov $stack_top, %rsp
    mov %edi, %edi
    call bench_main
2:  cli
    hlt
    jmp 2b

    .data
    .align 16
    /* 0x08: 64-bit code, 0x10: data, 0x18: a 64-bit TSS descriptor (16 bytes) that bench.c fills
       in for the VMX and SVM workloads, which need a task register. */
    .globl gdt
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF
    .quad 0x00CF92000000FFFF
    .quad 0, 0
gdt_end:
    .globl gdt_pointer
gdt_pointer:
    .word gdt_end - gdt - 1
    .quad gdt

    .bss
    .align 4096
    .globl pml4, pdpt
pml4:    .space 4096
pdpt:    .space 4096
boot_pd: .space 4096
    .space 65536
stack_top:
