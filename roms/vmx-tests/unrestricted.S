/* Guest code of unrestricted.elf: one blob that the host copies to guest-physical 0xF8000 and
   runs from CS 0xF000 (base 0xF0000), so OFF(x) is a label's offset in that segment and LIN(x)
   its linear address. It starts in real mode and switches itself to protected mode, back, to
   protected mode with paging and back; every exit the host checks is at a labelled instruction.
   Scratch data (DS = 0): 0x500 INT 30h count, 0x502/0x504 injected-interrupt count / return IP,
   0x506/0x508 #UD count / IP, 0x50A/0x50C injected-#GP count / IP. */
#define OFF(x) ((x) - unr_blob + 0x8000)
#define LIN(x) (OFF(x) + 0xF0000)

/* From real mode (CR0.PE = 0) to 32-bit protected mode at label pm32 with the flat data segment
   in DS, ES and SS; the GDT is loaded already. */
.macro to_protected_mode pm32
    mov %cr0, %eax
    or $1, %al
    mov %eax, %cr0
    ljmpl $0x08, $LIN(\pm32)
    .code32
\pm32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
.endm

/* From 32-bit protected mode without paging back to real mode: through the 16-bit code segment
   (label pm16) with 64 KiB data segments, clear CR0.PE, then CS = 0xF000 at label real and
   DS = ES = SS = 0. */
.macro to_real_mode pm16, real
    ljmp $0x18, $OFF(\pm16)
    .code16
\pm16:
    mov $0x20, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr0, %eax
    and $0xFFFFFFFE, %eax
    mov %eax, %cr0
    ljmp $0xF000, $OFF(\real)
\real:
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
.endm
    .text
    .globl unr_blob, unr_blob_end
    .globl unr_out80, unr_in, unr_out81, unr_cpuid, unr_out82, unr_pm_cpuid, unr_real_cpuid
    .globl unr_pg_cpuid, unr_pg_write, unr_inj_cpuid, unr_after_inj, unr_out83, unr_ud, unr_out84
    .globl unr_gp_cpuid, unr_after_gp, unr_out85, unr_vf_cpuid1, unr_vf_cpuid0, unr_vf_index
    .globl unr_vf_invalid, unr_vf_function, unr_hlt
    .code16
unr_blob:
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    movw $OFF(int30), 0x30 * 4
    movw $0xF000, 0x30 * 4 + 2
    movw $OFF(int20), 0x20 * 4
    movw $0xF000, 0x20 * 4 + 2
    movw $OFF(ud_handler), 6 * 4
    movw $0xF000, 6 * 4 + 2
    movw $OFF(gp_handler), 13 * 4
    movw $0xF000, 13 * 4 + 2
    int $0x30                        /* through the IVT, no exit */
    mov 0x500, %ax
unr_out80:
    out %ax, $0x80                   /* I/O exit: AX = 1 */
    mov $0x1234, %dx
unr_in:
    in %dx, %ax                      /* I/O exit: the host supplies AX */
unr_out81:
    out %al, $0x81                   /* I/O exit: AL as supplied */
    xor %eax, %eax
unr_cpuid:
    cpuid
    mov %cr0, %eax                   /* through the read shadow */
unr_out82:
    out %eax, $0x82

    /* Protected mode, 32-bit code, no paging. */
    lgdtl %cs:OFF(gdt_descriptor)
    to_protected_mode pm32
    xor %eax, %eax
unr_pm_cpuid:
    cpuid

    /* Back to real mode through a 16-bit code segment. */
    to_real_mode pm16, real2
    xor %eax, %eax
    pushl $0x403                     /* CF, DF */
    popfl
unr_real_cpuid:
    cpuid
    cld

    /* Protected mode with paging: the host built page directory 0x10000 (linear 4 MiB -> 0x20000). */
    to_protected_mode pg32
    mov $0x10000, %eax
    mov %eax, %cr3
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0                   /* PG outside the CR0 mask: no exit */
    mov 0x400000, %esi
    xor %eax, %eax
unr_pg_cpuid:
    cpuid                            /* the host now puts PG in the mask, shadow PG = 1 */
    mov %cr0, %eax
    and $0x7FFFFFFF, %eax
unr_pg_write:
    mov %eax, %cr0                   /* PG differs from the shadow: CR-access exit */
    to_real_mode pm16b, real3

    /* An external interrupt injected at the next entry, delivered through the IVT. */
    sti
    nop
    xor %eax, %eax
unr_inj_cpuid:
    cpuid
unr_after_inj:
    cli
    mov 0x502, %ax
    mov 0x504, %bx
unr_out83:
    out %ax, $0x83
unr_ud:
    ud2                              /* #UD through the IVT, no exit */
    mov 0x506, %ax
    mov 0x508, %bx
unr_out84:
    out %ax, $0x84
    xor %eax, %eax
unr_gp_cpuid:
    cpuid                            /* the host injects #GP */
unr_after_gp:
    mov 0x50A, %ax
    mov 0x50C, %bx
unr_out85:
    out %ax, $0x85

    /* VMFUNC 0 (EPTP switching): guest-physical 0x50000 differs between the two EPTs. */
    mov $0x5000, %ax
    mov %ax, %es
    mov %es:0, %si
    xor %eax, %eax
    mov $1, %ecx
    vmfunc
    mov %es:0, %di
    xor %eax, %eax
unr_vf_cpuid1:
    cpuid
    xor %eax, %eax
    xor %ecx, %ecx
    vmfunc
    mov %es:0, %si
    xor %eax, %eax
unr_vf_cpuid0:
    cpuid
    xor %eax, %eax
    mov $512, %ecx
unr_vf_index:
    vmfunc                           /* index out of range: exit */
    xor %eax, %eax
    mov $2, %ecx
unr_vf_invalid:
    vmfunc                           /* list entry 2 is not a valid EPTP: exit */
    mov $1, %eax
    xor %ecx, %ecx
unr_vf_function:
    vmfunc                           /* function 1 not enabled: exit */
unr_hlt:
    hlt

int30:
    incw 0x500
    iret
int20:
    push %bp
    push %ax
    mov %sp, %bp
    mov 4(%bp), %ax
    mov %ax, 0x504
    incw 0x502
    pop %ax
    pop %bp
    iret
ud_handler:
    push %bp
    push %ax
    mov %sp, %bp
    mov 4(%bp), %ax
    mov %ax, 0x508
    incw 0x506
    addw $2, 4(%bp)                  /* past the UD2 */
    pop %ax
    pop %bp
    iret
gp_handler:
    push %bp
    push %ax
    mov %sp, %bp
    mov 4(%bp), %ax
    mov %ax, 0x50C
    incw 0x50A
    pop %ax
    pop %bp
    iret

    .balign 8
gdt:
    .quad 0
    .quad 0x00CF9B000000FFFF         /* 0x08: 32-bit code, base 0, 4 GiB, accessed */
    .quad 0x00CF93000000FFFF         /* 0x10: 32-bit data */
    .quad 0x00009B0F0000FFFF         /* 0x18: 16-bit code, base 0xF0000, 64 KiB */
    .quad 0x000093000000FFFF         /* 0x20: 16-bit data, base 0, 64 KiB */
gdt_descriptor:
    .word 39
    .long LIN(gdt)
unr_blob_end:
