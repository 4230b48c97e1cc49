/* debug.elf: the debug registers (SDM vol. 3, 18.2-18.3): instruction breakpoints (a fault
 * before the instruction; RF from IRET suppresses them for one instruction), data breakpoints
 * (a trap after the access; R/W = 01 writes, 11 reads and writes; LEN 1/2/4/8 over the aligned
 * address), I/O breakpoints (R/W = 10 with CR4.DE), DR6.B0-B3/BD/BS, DR7.GD and the DR4/DR5
 * aliases. Every #DB resumes at the TRY point; DR7 is cleared before the checks run. */
#include "lib.S"

#define EFLAGS_RF   0x10000
#define CR4_DE      0x8
#define L(n)        (1 << (2 * (n)))
#define RW(n, v)    ((v) << (16 + 4 * (n)))
#define LEN(n, v)   ((v) << (18 + 4 * (n)))

/* DRn = addr, DR7 = dr7 */
.macro ARM n, addr, dr7
    mov $\addr, %eax
    mov %eax, %dr\n
    mov $\dr7, %eax
    mov %eax, %dr7
.endm

.macro DISARM
    xor %eax, %eax
    mov %eax, %dr7
.endm

/* clears DR6.B0-B3 and BS, as a debug handler does */
.macro CLEAR_DR6
    xor %eax, %eax
    mov %eax, %dr6
.endm

.macro CHECK_DR6 mask, value, desc
    mov %dr6, %eax
    and $\mask, %eax
    CHECK_EQ %eax, $\value, "\desc"
.endm

    .text
tests:
    /* ---- instruction breakpoints ---- */
    CLEAR_DR6
    ARM 0, bp_insn, L(0)
    TRY 1f
    mov $5, %ecx
bp_insn:
    inc %ecx
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "instruction breakpoint: #DB"
    CHECK_EQ exc_eip, $bp_insn, "instruction breakpoint: a fault (EIP = the instruction)"
    CHECK_EQ %ecx, $5, "the instruction did not run"
    CHECK_DR6 0xf, 1, "DR6.B0"
    mov exc_eflags, %eax
    and $EFLAGS_RF, %eax
    CHECK_EQ %eax, $0, "the #DB frame has RF=0 (instruction breakpoints are excepted)"

    CLEAR_DR6
    ARM 1, bp_insn2, L(1)
    TRY 1f
    mov $5, %ecx
    pushf
    orl $EFLAGS_RF, (%esp)
    push $SEL_CODE32
    push $bp_insn2
    iret                            /* RF = 1 for bp_insn2 */
bp_insn2:
    inc %ecx
bp_insn2_next:
    inc %ecx
    jmp bp_insn2_done
bp_insn2_done:
    mov $bp_insn2, %eax             /* back to the breakpoint with RF now clear */
    jmp *%eax
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "after RF was cleared the breakpoint fires again"
    CHECK_EQ %ecx, $7, "RF=1 from IRET let the instruction run once"
    CHECK_EQ exc_eip, $bp_insn2, "the second #DB is at the breakpoint"
    CHECK_DR6 0xf, 2, "DR6.B1"
    mov exc_eflags, %eax
    and $EFLAGS_RF, %eax
    CHECK_EQ %eax, $0, "RF was cleared after the instruction it suppressed"

    CLEAR_DR6
    ARM 0, bp_insn3, 0x00000002     /* G0 */
    TRY 1f
bp_insn3:
    nop
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "G0 enables a breakpoint too"

    CLEAR_DR6
    ARM 0, bp_insn4, 0              /* not enabled */
    TRY 1f
bp_insn4:
    nop
1:  DISARM
    CHECK_NO_FAULT "a breakpoint without L or G does nothing"

    /* ---- data breakpoints ---- */
    CLEAR_DR6
    ARM 1, watch, L(1) | RW(1, 1) | LEN(1, 3)
    TRY 1f
    movb $0xab, watch+2
data_after:
    nop
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "data write breakpoint: #DB"
    CHECK_EQ exc_eip, $data_after, "data breakpoint: a trap (EIP after the write)"
    movzbl watch+2, %eax
    CHECK_EQ %eax, $0xab, "the write was done"
    CHECK_DR6 0xf, 2, "DR6.B1"

    ARM 1, watch, L(1) | RW(1, 1) | LEN(1, 3)
    TRY 1f
    mov watch, %eax
1:  DISARM
    CHECK_NO_FAULT "R/W=01: reads do not match"
    ARM 1, watch, L(1) | RW(1, 1) | LEN(1, 3)
    TRY 1f
    movb $1, watch+4
1:  DISARM
    CHECK_NO_FAULT "LEN=4: the byte after the range does not match"

    CLEAR_DR6
    ARM 2, watch+6, L(2) | RW(2, 3) | LEN(2, 1)
    TRY 1f
    mov watch+4, %eax               /* bytes 4-7 cover 6-7 */
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "R/W=11: a read matches"
    CHECK_DR6 0xf, 4, "DR6.B2"

    CLEAR_DR6
    ARM 3, watch+3, L(3) | RW(3, 3) | LEN(3, 3)
    TRY 1f
    movb watch, %al                 /* DR3 = watch+3 with LEN 4 covers watch..watch+3 */
1:  DISARM
    /* QEMU TCG matches the unaligned address as given; SDM 18.2.5: the processor uses the LENn
     * bits to mask the low address bits */
    CHECK_FAULT 1, NO_ERROR, "LEN=4 ignores address bits 1:0 # swemu-only"
    CHECK_DR6 0xf, 8, "DR6.B3 # swemu-only"

    CLEAR_DR6
    ARM 0, watch, L(0) | RW(0, 3) | LEN(0, 2)
    TRY 1f
    movb watch+7, %al
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "LEN=8 (10b) covers 8 bytes"

    CLEAR_DR6
    ARM 0, watch, L(0) | RW(0, 1) | LEN(0, 0)
    TRY 1f
    pushf
    orl $EFLAGS_TF, (%esp)
    popf
    movb $2, watch
ss_after:
    nop
1:  DISARM
    andl $~EFLAGS_TF, exc_eflags
    CHECK_FAULT 1, NO_ERROR, "single-step and a data breakpoint in one instruction"
    /* QEMU TCG raises a second #DB for the single-step inside the handler (SDM 18.3: one #DB
     * reports every condition met by the instruction) */
    CHECK_EQ exc_eip, $ss_after, "one #DB after the instruction # swemu-only"
    CHECK_DR6 0x400f, 0x4001, "DR6.BS and DR6.B0 together"

    /* ---- I/O breakpoints ---- */
    CLEAR_DR6
    mov %cr4, %eax
    or $CR4_DE, %eax
    mov %eax, %cr4
    ARM 2, 0x80, L(2) | RW(2, 2) | LEN(2, 0)
    TRY 1f
    out %al, $0x80
io_after:
    nop
1:  DISARM
    CHECK_FAULT 1, NO_ERROR, "I/O breakpoint (CR4.DE=1): #DB"
    CHECK_EQ exc_eip, $io_after, "I/O breakpoint: a trap"
    CHECK_DR6 0xf, 4, "DR6.B2 for the I/O breakpoint"

    /* ---- DR4/DR5 and general detect ---- */
    TRY 1f
    mov %dr4, %eax
1:  CHECK_FAULT 6, NO_ERROR, "MOV from DR4 with CR4.DE=1 is #UD"
    mov %cr4, %eax
    and $~CR4_DE, %eax
    mov %eax, %cr4
    mov $0x0000000f, %eax
    mov %eax, %dr6
    mov %dr4, %eax
    mov %dr6, %ecx
    CHECK_EQ %eax, %ecx, "MOV from DR4 with CR4.DE=0 reads DR6"
    mov $0x3, %eax                  /* L0 G0 */
    mov %eax, %dr5
    mov %dr7, %ecx
    and $0x3, %ecx
    CHECK_EQ %ecx, $3, "MOV to DR5 with CR4.DE=0 writes DR7"
    DISARM

    CLEAR_DR6
    mov $0x2000, %eax               /* GD */
    mov %eax, %dr7
    TRY 1f
gd_insn:
    mov %dr0, %eax
    /* QEMU TCG does not implement general detect (SDM 18.2.4) */
1:  CHECK_FAULT 1, NO_ERROR, "DR7.GD: MOV DR raises #DB # swemu-only"
    CHECK_EQ exc_eip, $gd_insn, "general detect is a fault # swemu-only"
    CHECK_DR6 0x2000, 0x2000, "DR6.BD # swemu-only"
    mov exc_eflags, %eax
    and $EFLAGS_RF, %eax
    CHECK_EQ %eax, $EFLAGS_RF, "the general-detect #DB (a fault) pushes RF=1 # swemu-only"
    mov %dr7, %eax
    and $0x2000, %eax
    CHECK_EQ %eax, $0, "GD is cleared on the #DB # swemu-only"
    DISARM
    ret

    .data
    .balign 8
watch: .quad 0
