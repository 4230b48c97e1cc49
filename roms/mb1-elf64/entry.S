/* mb1-elf64.elf: an ELF64 file that Multiboot 1 loaders boot through the a.out kludge (header
   flag 16), as 64-bit kernels are loaded: the loader ignores the ELF headers and uses the
   addresses below. The code runs in 32-bit protected mode: it prints on COM1 and exits through
   isa-debug-exit with 0x2a (status 85). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00010002          /* address fields valid (a.out kludge), memory information */
#define COM1 0x3f8

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
    mov $stack_top, %esp
    cmp $0x2BADB002, %eax
    jne fail
    mov $greeting, %esi
    call puts
    /* The bss must have been zero-filled up to bss_end_addr (the stack is above this area). */
    mov $zero_area, %edi
    mov $zero_area_end - zero_area, %ecx
    xor %eax, %eax
    repe scasb
    jne fail
    mov $bss_ok, %esi
    call puts
    mov $0x2a, %eax
    jmp exit
fail:
    mov $failed, %esi
    call puts
    mov $0x7f, %eax
exit:
    mov %eax, %ebx
1:  mov $COM1 + 5, %dx                /* wait for LSR.TEMT */
    in %dx, %al
    test $0x40, %al
    jz 1b
    mov %ebx, %eax
    mov $0xf4, %dx
    out %eax, %dx
2:  cli
    hlt
    jmp 2b

/* Prints the NUL-terminated string at ESI on COM1, polling LSR.THRE. */
puts:
    lodsb
    test %al, %al
    jz 3f
    mov %al, %ah
4:  mov $COM1 + 5, %dx
    in %dx, %al
    test $0x20, %al
    jz 4b
    mov %ah, %al
    mov $COM1, %dx
    out %al, %dx
    jmp puts
3:  ret

    .section .rodata
greeting: .asciz "Hello from a Multiboot1 ELF64 image (a.out kludge, 32-bit code)\n"
bss_ok:   .asciz "bss zero-filled: ok\n"
failed:   .asciz "FAILED\n"

    .bss
    .align 16
zero_area:
    .space 8192
zero_area_end:
    .space 4096
stack_top:
