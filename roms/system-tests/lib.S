/* Shared frame of swemu's system-test kernels (blink test/asm style): a Multiboot 1 entry, a flat
 * GDT, an IDT whose every vector records the event and resumes at the current TRY point, one
 * macro per check and one line per check on COM1 ("ok N - what" / "not ok N - what"), then a
 * summary and the exit through isa-debug-exit (port 0xf4) with the number of failures.
 *
 * A kernel defines `tests` (32-bit code, CPL 0, flat segments, paging off) and includes this file.
 * Checks that only hold on swemu (where QEMU TCG departs from the SDM) print "ok N - ... # swemu-only"
 * and roms/system-tests/compare-qemu ignores those lines. */

#define SEL_CODE32  0x08
#define SEL_DATA32  0x10
#define SEL_CODE16  0x18
#define SEL_DATA16  0x20
#define SEL_CODE64  0x28
#define SEL_UCODE32 0x33
#define SEL_UDATA   0x3b
#define SEL_TSS     0x40
#define SEL_UCODE64 0x53
#define GDT_FREE    11          /* first GDT index a kernel may fill with set_gdt */
#define GDT_ENTRIES 32

#define EFLAGS_TF   0x100
#define EFLAGS_IF   0x200
#define EFLAGS_NT   0x4000
#define EFLAGS_VM   0x20000
#define EFLAGS_AC   0x40000
#define NO_ERROR    0xffffffff  /* exc_error when the event pushed no error code */
#define NO_EVENT    0xfffffffe  /* exc_vector when nothing was delivered */
#define CR0_WP      0x10000
#define CR0_PG      0x80000000
#define CR4_PSE     0x10
#define CR4_PAE     0x20

    .section .multiboot, "a"
    .align 4
    .long 0x1BADB002, 0, -0x1BADB002

/* ---- check macros ---------------------------------------------------------------------- */

/* Reports the flags of the preceding comparison: pass if condition `cc` holds. */
.macro OK cc, desc
    j\cc .Lpass\@
    push $0
    jmp .Lrep\@
.Lpass\@:
    push $1
.Lrep\@:
    push $.Ldesc\@
    call report
    add $8, %esp
    .section .rodata
.Ldesc\@: .asciz "\desc"
    .text
.endm

.macro CHECK_EQ actual, expected, desc
    cmpl \expected, \actual
    OK e, "\desc"
.endm

/* Arms the recovery point: a delivered event resumes at `label` with this ESP. */
.macro TRY label
    movl $\label, recover_eip
    movl %esp, recover_esp
    movl $NO_EVENT, exc_vector
    movl $NO_ERROR, exc_error
.endm

/* The last TRY ended with an event of this vector and error code (NO_ERROR = none pushed). */
.macro CHECK_FAULT vec, err, desc
    movl $0, recover_eip
    push $\err
    push $\vec
    push $.Ldesc\@
    call report_fault
    add $12, %esp
    .section .rodata
.Ldesc\@: .asciz "\desc"
    .text
.endm

/* The last TRY ended without an event (fell through to its label). */
.macro CHECK_NO_FAULT desc
    CHECK_FAULT NO_EVENT, NO_ERROR, "\desc"
.endm

/* CRn = (CRn & andbits) | orbits (through EAX) */
.macro SET_CR reg, orbits, andbits=0xffffffff
    mov %\reg, %eax
    and $\andbits, %eax
    or $\orbits, %eax
    mov %eax, %\reg
.endm

/* Runs `label` at CPL 3 (32-bit, flat user segments) with interrupts off; the user code ends
 * with `int $0x80` (or faults). Afterwards exc_vector is 0x80 if it ran through. DS and ES
 * hold the user data segment while it runs. */
.macro RUN_USER label
    TRY .Luser\@
    mov $SEL_UDATA, %eax               /* IRET to CPL 3 would null DPL-0 data segments */
    mov %eax, %ds
    mov %eax, %es
    push $SEL_UDATA
    push $user_stack_top
    push $0x2
    push $SEL_UCODE32
    push $\label
    iret
.Luser\@:
    movl $0, recover_eip
.endm

/* 256 stubs of 16 bytes, one a vector: push -1 where the CPU pushes no error code, push the
 * vector (with `push`), jump to `common` */
.macro EXC_STUBS push, common
.set vec, 0
.rept 256
    .balign 16
    .if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    \push $-1
    .endif
    \push $vec
    jmp \common
.set vec, vec + 1
.endr
.endm

/* ---- entry ---------------------------------------------------------------------------- */
    .text
    .code32
    .globl _start
_start:
    mov $stack_top, %esp
    lgdt gdt_desc
    ljmp $SEL_CODE32, $1f
1:  mov $SEL_DATA32, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %fs
    mov %eax, %gs
    mov %eax, %ss
    /* mask both 8259s: QEMU's BIOS leaves the PIT's IRQ 0 enabled at vector 8 */
    mov $0xff, %al
    out %al, $0x21
    out %al, $0xa1
    call serial_init
    call build_idt32
    lidt idt32_desc
    /* the 32-bit TSS: ring-0 stack for events from CPL 3 or virtual-8086 mode */
    movl $ring0_stack_top, tss32+4
    movl $SEL_DATA32, tss32+8
    movw $104, tss32+102
    call load_tss32
    call tests
    jmp finish

/* load_tss32: makes SEL_TSS an available descriptor of tss32 again and loads TR with it */
load_tss32:
    mov $tss32, %eax
    mov $103, %ecx
    mov $(SEL_TSS >> 3), %edx
    call set_gdt_tss
    mov $SEL_TSS, %eax
    ltr %ax
    ret

/* set_gdt_tss: EAX = base, ECX = limit, EDX = GDT index: an available 32-bit TSS descriptor */
set_gdt_tss:
    push %ebx
    lea gdt(,%edx,8), %ebx
    mov %cx, (%ebx)
    mov %ax, 2(%ebx)
    shr $16, %eax
    mov %al, 4(%ebx)
    movb $0x89, 5(%ebx)
    movb $0, 6(%ebx)
    mov %ah, 7(%ebx)
    pop %ebx
    ret

/* set_gdt: EDX = index, EAX = low dword, ECX = high dword */
    .globl set_gdt
set_gdt:
    mov %eax, gdt(,%edx,8)
    mov %ecx, gdt+4(,%edx,8)
    ret

finish:
    mov $.Lsum1, %esi
    call puts
    mov checks, %eax
    call putdec
    mov $.Lsum2, %esi
    call puts
    mov failures, %eax
    call putdec
    mov $.Lsum3, %esi
    call puts
    mov failures, %eax
exit_with:
    mov %eax, %ebx
    mov $0x3fd, %dx
1:  in %dx, %al
    test $0x40, %al
    jz 1b
    mov %ebx, %eax
    mov $0xf4, %dx
    out %eax, %dx
2:  cli
    hlt
    jmp 2b
    .section .rodata
.Lsum1: .asciz "# "
.Lsum2: .asciz " checks, "
.Lsum3: .asciz " failed\n"
    .text

/* ---- output --------------------------------------------------------------------------- */
serial_init:
    mov $0x3f9, %dx; mov $0x00, %al; out %al, %dx
    mov $0x3fb, %dx; mov $0x80, %al; out %al, %dx
    mov $0x3f8, %dx; mov $0x01, %al; out %al, %dx
    mov $0x3f9, %dx; mov $0x00, %al; out %al, %dx
    mov $0x3fb, %dx; mov $0x03, %al; out %al, %dx
    mov $0x3fa, %dx; mov $0xc7, %al; out %al, %dx
    mov $0x3fc, %dx; mov $0x03, %al; out %al, %dx
    ret

/* putc (AL), puts (ESI), puthex (EAX), putdec (EAX): every register but EFLAGS kept. The same
 * bodies are assembled for 64-bit mode (suffix 64). */
.macro OUTPUT_FUNCS R, S
putc\S:
    push %\R\()dx
    push %\R\()ax
    mov $0x3fd, %dx
1:  in %dx, %al
    test $0x20, %al
    jz 1b
    pop %\R\()ax
    mov $0x3f8, %dx
    out %al, %dx
    pop %\R\()dx
    ret
puts\S:
    push %\R\()si
    push %\R\()ax
1:  lodsb
    test %al, %al
    jz 2f
    call putc\S
    jmp 1b
2:  pop %\R\()ax
    pop %\R\()si
    ret
puthex\S:
    push %\R\()ax
    push %\R\()bx
    push %\R\()cx
    mov %eax, %ebx
    mov $'0', %al
    call putc\S
    mov $'x', %al
    call putc\S
    mov $8, %ecx
1:  rol $4, %ebx
    mov %ebx, %eax
    and $15, %eax
    movb hexdigits(%eax), %al
    call putc\S
    dec %ecx
    jnz 1b
    pop %\R\()cx
    pop %\R\()bx
    pop %\R\()ax
    ret
putdec\S:
    push %\R\()ax
    push %\R\()bx
    push %\R\()cx
    push %\R\()dx
    xor %ecx, %ecx
    mov $10, %ebx
1:  xor %edx, %edx
    div %ebx
    push %\R\()dx
    inc %ecx
    test %eax, %eax
    jnz 1b
2:  pop %\R\()ax
    add $'0', %al
    call putc\S
    dec %ecx
    jnz 2b
    pop %\R\()dx
    pop %\R\()cx
    pop %\R\()bx
    pop %\R\()ax
    ret
/* report_line: EAX = pass (0/1), ESI = description */
report_line\S:
    push %\R\()si
    push %\R\()ax
    incl checks
    test %eax, %eax
    jnz 1f
    incl failures
    mov $.Lnot, %esi
    call puts\S
1:  mov $.Lok, %esi
    call puts\S
    mov checks, %eax
    call putdec\S
    mov $.Ldash, %esi
    call puts\S
    pop %\R\()ax
    pop %\R\()si
    call puts\S
    push %\R\()ax
    mov $'\n', %al
    call putc\S
    pop %\R\()ax
    ret
.endm

    OUTPUT_FUNCS e,
    .section .rodata
hexdigits: .ascii "0123456789abcdef"
.Lnot: .asciz "not "
.Lok: .asciz "ok "
.Ldash: .asciz " - "
.Lgot: .asciz "# got vector "
.Lerr: .asciz " error "
.Leip: .asciz " eip "
.Lbail: .asciz "Bail out! unexpected event: vector "
    .text

/* report(desc, pass) (cdecl) */
    .globl report
report:
    pusha
    mov 36(%esp), %esi
    mov 40(%esp), %eax
    call report_line
    popa
    ret

/* report_fault(desc, vector, error) (cdecl): compares with exc_vector/exc_error */
report_fault:
    pusha
    mov 36(%esp), %esi
    xor %eax, %eax
    mov 40(%esp), %ebx
    cmp exc_vector, %ebx
    jne 1f
    mov 44(%esp), %ebx
    cmp exc_error, %ebx
    jne 1f
    inc %eax
1:  call report_line
    test %eax, %eax
    jnz 2f
    call print_event
2:  popa
    ret

/* "# got vector V error E eip X" */
print_event:
    mov $.Lgot, %esi
    call puts
    mov exc_vector, %eax
    call puthex
    mov $.Lerr, %esi
    call puts
    mov exc_error, %eax
    call puthex
    mov $.Leip, %esi
    call puts
    mov exc_eip, %eax
    call puthex
    mov $'\n', %al
    call putc
    ret

/* ---- 32-bit IDT: 256 stubs of 16 bytes ------------------------------------------------ */
    .balign 16
stubs32:
    EXC_STUBS push, exc_common32

exc_common32:
    push %eax
    pushf
    mov $SEL_DATA32, %eax
    mov %eax, %ds
    mov %eax, %es
    popl exc_handler_eflags
    pop %eax
    popl exc_vector
    popl exc_error
    popl exc_eip
    popl exc_cs
    popl exc_eflags
    mov %esp, exc_esp
    push %eax
    mov %cr2, %eax
    mov %eax, exc_cr2
    pop %eax
    incl exc_count
    cmpl $0, recover_eip
    je unexpected
    mov $SEL_DATA32, %esp
    mov %esp, %ss
    mov %esp, %fs
    mov %esp, %gs
    mov recover_esp, %esp
    jmp *recover_eip

unexpected:
    mov $SEL_DATA32, %eax
    mov %eax, %ss
    mov $stack_top, %esp
    mov $.Lbail, %esi
    call puts
    call print_event
    mov $0xfe, %eax
    jmp exit_with

build_idt32:
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $4, %eax
    add $stubs32, %eax
    mov %ax, idt32(,%ecx,8)
    movw $SEL_CODE32, idt32+2(,%ecx,8)
    movw $0x8e00, idt32+4(,%ecx,8)
    shr $16, %eax
    mov %ax, idt32+6(,%ecx,8)
    inc %ecx
    cmp $256, %ecx
    jne 1b
    /* INT3, INTO, INT 0x80 may come from CPL 3 */
    movb $0xee, idt32+3*8+5
    movb $0xee, idt32+4*8+5
    movb $0xee, idt32+0x80*8+5
    ret

/* set_gate32: ECX = vector, AL = type/attribute byte (P DPL 0 type) */
    .globl set_gate32
set_gate32:
    mov %al, idt32+5(,%ecx,8)
    ret

/* ---- data ----------------------------------------------------------------------------- */
    .data
    .balign 8
    .globl gdt
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff    /* 0x08 code32 */
    .quad 0x00cf92000000ffff    /* 0x10 data32 */
    .quad 0x00009a000000ffff    /* 0x18 code16, limit 64K */
    .quad 0x000092000000ffff    /* 0x20 data16, limit 64K */
    .quad 0x00af9a000000ffff    /* 0x28 code64 */
    .quad 0x00cffa000000ffff    /* 0x33 user code32 */
    .quad 0x00cff2000000ffff    /* 0x3b user data */
    .quad 0                     /* 0x40 TSS (low) */
    .quad 0                     /* 0x48 TSS (high, 64-bit) */
    .quad 0x00affa000000ffff    /* 0x53 user code64 */
    .fill GDT_ENTRIES - GDT_FREE, 8, 0
gdt_end:
    .balign 4
    .word 0
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
    .word 0
idt32_desc:
    .word 256 * 8 - 1
    .long idt32

    .globl exc_vector, exc_error, exc_eip, exc_cs, exc_eflags, exc_cr2, exc_count, recover_eip, recover_esp
    .balign 4
exc_vector: .long 0
exc_error: .long 0
exc_eip: .long 0
exc_cs: .long 0
exc_eflags: .long 0
exc_cr2: .long 0
exc_esp: .long 0
exc_handler_eflags: .long 0
exc_count: .long 0
recover_eip: .long 0
recover_esp: .long 0
checks: .long 0
failures: .long 0

    .bss
    .balign 4096
idt32: .space 256 * 8
tss32: .space 104
    .balign 16
    .space 8192
stack_top:
    .space 8192
ring0_stack_top:
    .balign 4096
user_stack: .space 4096
user_stack_top:
