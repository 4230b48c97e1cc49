/* roms/float's start-up code (from bench/common/entry.S): a Multiboot 1 header with the a.out
   kludge (flag 16; the file is ELF64, so QEMU's -kernel, GRUB and swemu all load it by these
   address fields), a switch to 64-bit mode with the first 1 GiB identity-mapped by 2 MiB pages,
   the x87 FPU and SSE enabled, and a call to float_main() in C. */
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
    /* SDM vol. 3, 13.1.3: CR4.OSFXSR (bit 9) and OSXMMEXCPT (bit 10) enable SSE; CR0.EM (bit 2)
       clear, MP (bit 1) and NE (bit 5) set for the x87 FPU (9.2.1); FNINIT for its default state. */
    mov %cr4, %rax
    or $0x600, %rax
    mov %rax, %cr4
    mov %cr0, %rax
    and $~0x4, %rax
    or $0x22, %rax
    mov %rax, %cr0
    fninit
    call float_main
2:  cli
    hlt
    jmp 2b

    .data
    .align 16
    /* 0x08: 64-bit code, 0x10: data */
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF
    .quad 0x00CF92000000FFFF
gdt_end:
gdt_pointer:
    .word gdt_end - gdt - 1
    .quad gdt

    .bss
    .align 4096
pml4:    .space 4096
pdpt:    .space 4096
boot_pd: .space 4096
    .space 65536
stack_top:
