/* exceptions.elf: each exception vector raised by its cause, with its error code and the saved
 * EIP (a fault points at the instruction, a trap after it), interrupt vs trap gates, #DF.
 * Not covered: #NM (no x87: WAIT with CR0.TS=CR0.MP=1 is checked instead), NMI (no source),
 * #MF/#XM (no x87/SSE exceptions),
 * the STI/MOV SS interrupt shadow (needs the timer), triple fault (triple.elf). */
#include "lib.S"

    .text
tests:
    /* #DE: fault, EIP at the DIV */
    TRY 1f
    xor %edx, %edx
    mov $1, %eax
    xor %ecx, %ecx
de_insn:
    div %ecx
1:  CHECK_FAULT 0, NO_ERROR, "#DE from DIV by zero, no error code"
    CHECK_EQ exc_eip, $de_insn, "#DE saved EIP points at the DIV (fault)"

    TRY 1f
    mov $0x80000000, %eax
    mov $0xffffffff, %edx
    mov $-1, %ecx
    idiv %ecx
1:  CHECK_FAULT 0, NO_ERROR, "#DE from IDIV overflow"

    /* #DB by single-step: TF set by POPF traps after the next instruction */
    TRY 1f
    pushf
    orl $EFLAGS_TF, (%esp)
    popf
    nop
db_after:
    nop
1:  andl $~EFLAGS_TF, exc_eflags
    CHECK_FAULT 1, NO_ERROR, "#DB single-step trap after TF=1"
    CHECK_EQ exc_eip, $db_after, "#DB single-step saved EIP is the next instruction (trap)"
    mov %dr6, %eax
    and $0x4000, %eax
    CHECK_EQ %eax, $0x4000, "DR6.BS set by single-step"
    mov exc_handler_eflags, %eax
    and $(EFLAGS_TF|EFLAGS_IF), %eax
    CHECK_EQ %eax, $0, "interrupt gate clears TF and IF in the handler"

    TRY 1f
    .byte 0xf1                     /* QEMU 7.2 TCG raises #UD for INT1; the SDM says #DB */
int1_after:
1:  CHECK_FAULT 1, NO_ERROR, "INT1 (ICEBP) delivers vector 1 # swemu-only"
    CHECK_EQ exc_eip, $int1_after, "INT1 saved EIP follows it # swemu-only"

    TRY 1f
    int3
int3_after:
1:  CHECK_FAULT 3, NO_ERROR, "#BP from INT3"
    CHECK_EQ exc_eip, $int3_after, "#BP saved EIP follows INT3 (trap)"

    TRY 1f
    int $3
1:  CHECK_FAULT 3, NO_ERROR, "INT 3 (CD 03) delivers vector 3"

    /* #OF: INTO with OF=1 traps; with OF=0 nothing happens */
    TRY 1f
    mov $0x7fffffff, %eax
    add $1, %eax
    into
into_after:
1:  CHECK_FAULT 4, NO_ERROR, "#OF from INTO with OF=1"
    CHECK_EQ exc_eip, $into_after, "#OF saved EIP follows INTO (trap)"
    TRY 1f
    xor %eax, %eax
    into
1:  CHECK_NO_FAULT "INTO with OF=0 does nothing"

    /* #BR: BOUND with the index outside [lower, upper] */
    TRY 1f
    mov $20, %eax
bound_insn:
    bound %eax, bounds
1:  CHECK_FAULT 5, NO_ERROR, "#BR from BOUND out of range"
    CHECK_EQ exc_eip, $bound_insn, "#BR saved EIP points at BOUND (fault)"
    TRY 1f
    mov $10, %eax
    bound %eax, bounds
1:  CHECK_NO_FAULT "BOUND within range does nothing"

    TRY 1f
ud_insn:
    ud2
1:  CHECK_FAULT 6, NO_ERROR, "#UD from UD2"
    CHECK_EQ exc_eip, $ud_insn, "#UD saved EIP points at UD2"
    TRY 1f
    .byte 0x0f, 0xff
1:  CHECK_FAULT 6, NO_ERROR, "#UD from UD0"
    TRY 1f
    .byte 0xf0, 0x90
1:  CHECK_FAULT 6, NO_ERROR, "#UD from LOCK on a non-lockable instruction"

    /* #NM: WAIT with CR0.MP=1 and CR0.TS=1 */
    mov %cr0, %eax
    or $0xa, %eax
    mov %eax, %cr0
    TRY 1f
wait_insn:
    wait
1:  clts
    mov %cr0, %eax
    and $~2, %eax
    mov %eax, %cr0
    CHECK_FAULT 7, NO_ERROR, "#NM from WAIT with CR0.MP=1 and CR0.TS=1"
    CHECK_EQ exc_eip, $wait_insn, "#NM saved EIP points at WAIT"

    /* #GP with selector error codes */
    TRY 1f
    mov $0x1230, %eax
    mov %eax, %ds
1:  CHECK_FAULT 13, 0x1230, "#GP(selector) loading DS beyond the GDT limit"
    TRY 1f
gp_insn:
    mov %eax, %cr1
1:  CHECK_FAULT 6, NO_ERROR, "#UD from MOV to CR1"
    TRY 1f
gp_wrmsr:
    mov $0xdeadbeef, %ecx
    rdmsr
    /* QEMU TCG returns 0 for unknown MSRs; the SDM (RDMSR) requires #GP(0) */
1:  CHECK_FAULT 13, 0, "#GP(0) from RDMSR of an unknown MSR # swemu-only"
    CHECK_EQ exc_eip, $gp_wrmsr+5, "#GP saved EIP points at RDMSR # swemu-only"
    TRY 1f
    int $0x80
    jmp 1f
1:  CHECK_FAULT 0x80, NO_ERROR, "INT 0x80 through a DPL 3 gate at CPL 0"
    RUN_USER user_int_dpl0
    CHECK_FAULT 13, 0x40*8+2, "#GP(vector*8+2) for INT n through a DPL 0 gate at CPL 3"
    RUN_USER user_int3
    CHECK_FAULT 3, NO_ERROR, "INT3 from CPL 3 through a DPL 3 gate"
    RUN_USER user_cli
    CHECK_FAULT 13, 0, "#GP(0) from CLI at CPL 3 with IOPL 0"
    RUN_USER user_hlt
    CHECK_FAULT 13, 0, "#GP(0) from HLT at CPL 3"

    /* #AC (6.15): CR0.AM, EFLAGS.AC and CPL 3; QEMU TCG does not check alignment */
    mov %cr0, %eax
    or $0x40000, %eax
    mov %eax, %cr0
    RUN_USER user_ac
    CHECK_FAULT 17, 0, "#AC(0) for a misaligned doubleword at CPL 3 with AM and AC # swemu-only"
    CHECK_EQ exc_eip, $user_ac_insn, "#AC saved EIP points at the access (fault) # swemu-only"
    RUN_USER user_ac_byte
    CHECK_FAULT 0x80, NO_ERROR, "byte accesses are never misaligned"
    mov %cr0, %eax
    and $~0x40000, %eax
    mov %eax, %cr0

    /* #NP: loading a not-present data segment; #SS: a not-present stack segment */
    mov $GDT_FREE, %edx
    mov $0x0000ffff, %eax
    mov $0x00cf1200, %ecx          /* data, writable, P=0 */
    call set_gdt
    TRY 1f
    mov $(GDT_FREE*8), %eax
    mov %eax, %ds
1:  CHECK_FAULT 11, GDT_FREE*8, "#NP(selector) loading DS with a not-present segment"
    TRY 1f
    mov $(GDT_FREE*8), %eax
    mov %eax, %ss
1:  CHECK_FAULT 12, GDT_FREE*8, "#SS(selector) loading SS with a not-present segment"
    /* #SS(0): a stack access beyond SS's limit */
    mov $GDT_FREE+1, %edx
    mov $0x00007fff, %eax          /* limit 0x7fff, byte granular */
    mov $0x00409200, %ecx
    call set_gdt
    TRY 1f
    mov $(GDT_FREE*8+8), %eax
    mov %eax, %ss
    mov $0x7000, %esp              /* the #SS frame still fits below the limit */
    mov 0x2000(%esp), %eax
    /* QEMU TCG does not check data segment limits (SDM 5.3 requires #SS(0)) */
1:  mov $SEL_DATA32, %eax
    mov %eax, %ss
    mov recover_esp, %esp
    CHECK_FAULT 12, 0, "#SS(0) for an SS access beyond SS's limit # swemu-only"

    /* #TS: IRET with NT=1 whose back link is not a TSS */
    movw $SEL_DATA32, tss32
    TRY 1f
    pushf
    orl $EFLAGS_NT, (%esp)
    popf
    iret
1:  CHECK_FAULT 10, SEL_DATA32, "#TS(back link) for IRET with NT=1 to a non-TSS"

    /* #PF: paging on with only the first 4 MiB identity-mapped by a 4 MiB page */
    movl $0x00000083, pd_4m         /* P W PS */
    mov $pd_4m, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x10, %eax                  /* PSE */
    mov %eax, %cr4
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    TRY 1f
    movl $1, 0x00c00010
1:  CHECK_FAULT 14, 0x2, "#PF(W) for a write to a not-present page"
    CHECK_EQ exc_cr2, $0x00c00010, "CR2 holds the faulting address"
    mov %cr0, %eax
    and $0x7fffffff, %eax
    mov %eax, %cr0

    /* #DF: #NP while delivering #GP (gate 13 not present) */
    mov $13, %ecx
    mov $0x0e, %al
    call set_gate32
    TRY 1f
    mov $0x1230, %eax
    mov %eax, %ds
1:  mov $13, %ecx
    mov $0x8e, %al
    call set_gate32
    CHECK_FAULT 8, 0, "#DF(0) for #NP while delivering #GP"
    /* #PF then #GP during delivery is not a double fault: #GP alone is delivered (table 6-5) */
    mov $6, %ecx
    mov $0x0e, %al
    call set_gate32
    TRY 1f
    ud2
1:  mov $6, %ecx
    mov $0x8e, %al
    call set_gate32
    /* QEMU TCG never sets EXT (SDM 6.13: an exception is an external event for its faults) */
    CHECK_FAULT 11, 6*8+2+1, "#UD through a not-present gate: #NP(vector*8+2+EXT), not #DF # swemu-only"

    /* interrupt gate vs trap gate: IF in the handler */
    mov $0x41, %ecx
    mov $0x8f, %al
    call set_gate32
    TRY 1f
    sti
    int $0x41
1:  cli
    mov exc_handler_eflags, %eax
    and $EFLAGS_IF, %eax
    CHECK_EQ %eax, $EFLAGS_IF, "trap gate keeps IF"
    mov exc_eflags, %eax
    and $EFLAGS_IF, %eax
    CHECK_EQ %eax, $EFLAGS_IF, "saved EFLAGS has IF=1"
    TRY 1f
    sti
    int $0x42
1:  cli
    mov exc_handler_eflags, %eax
    and $EFLAGS_IF, %eax
    CHECK_EQ %eax, $0, "interrupt gate clears IF"
    ret

    .section .user, "ax"
user_int_dpl0:
    int $0x40
    int $0x80
user_int3:
    int3
    int $0x80
user_cli:
    cli
    int $0x80
user_hlt:
    hlt
    int $0x80
user_ac:
    pushf
    orl $EFLAGS_AC, (%esp)
    popf
user_ac_insn:
    mov 0x2001, %eax
    int $0x80
user_ac_byte:
    pushf
    orl $EFLAGS_AC, (%esp)
    popf
    movb 0x2001, %al
    int $0x80

    .data
    .balign 8
bounds: .long 0, 15

    .bss
    .balign 4096
pd_4m: .space 4096
