/* xsave.elf: state management (SDM vol. 1, 10.5 and chapter 13; vol. 2, FXSAVE, FXRSTOR,
 * LDMXCSR, STMXCSR, XSAVE, XSAVEOPT, XSAVEC, XSAVES, XRSTOR, XRSTORS, XGETBV, XSETBV): the
 * kernel enables FXSR and the XSAVE feature set (CR4.OSFXSR, CR4.OSXSAVE, XCR0 = x87 | SSE),
 * loads crafted images with FXRSTOR / XRSTOR and checks the FXSAVE / XSAVE / XSAVEC images
 * field by field against the layouts of table 10-2 / 13-1 and the header rules of 13.4.2,
 * then the faults (#GP for alignment, reserved MXCSR bits and header bits, #NM with CR0.TS,
 * #UD without CR4.OSXSAVE). Only state-management instructions touch x87 and SSE state, so
 * the kernel needs no x87 or SSE arithmetic.
 *
 * swemu-only checks, where a peer departs from the SDM or enumerates other features. QEMU 7.2's
 * TCG: stores FOP, FIP/FDP and FCS/FDS as 0 (SDM: the last x87 instruction's); takes no #GP for
 * reserved MXCSR bits (LDMXCSR, FXRSTOR, XRSTOR) nor #NM for XSAVE with CR0.TS; reports every
 * component in use (XINUSE all ones, which the SDM allows, so XSAVEOPT stores initial
 * components); enumerates AVX in leaf 0Dh and has neither XSAVEC nor XSAVES (those sections
 * run only where CPUID.(0DH,1) enumerates them). Bochs 2.7 (corei7_skylake_x) passes every
 * check but these: leaf 0Dh (AVX and more), FCS/FDS stored as 0 (its CPUID.(7,0):EBX[13]
 * deprecates them), XINUSE tracking (allowed), and the compacted XRSTOR with XSTATE_BV[1] = 0,
 * which loads MXCSR from the image where 13.8.2 initializes it to 1F80H. */
#include "lib.S"

#define CR0_MP      0x2
#define CR0_EM      0x4
#define CR0_TS      0x8
#define CR4_OSFXSR  0x200
#define CR4_OSXMMEXCPT 0x400
#define CR4_OSXSAVE 0x40000

/* the 16-bit field at buf+off */
.macro CHECK_W buf, off, val, desc
    movzwl \buf+\off, %eax
    CHECK_EQ %eax, $\val, "\desc"
.endm

.macro CHECK_B buf, off, val, desc
    movzbl \buf+\off, %eax
    CHECK_EQ %eax, $\val, "\desc"
.endm

.macro CHECK_D buf, off, val, desc
    CHECK_EQ \buf+\off, $\val, "\desc"
.endm

/* fills the 1 KiB at buf with the byte 0xAA */
.macro FILL buf
    mov $\buf, %edi
    mov $0xaaaaaaaa, %eax
    mov $256, %ecx
    rep stosl
.endm

/* copies the 576 bytes at src to dst */
.macro COPY src, dst
    mov $\src, %esi
    mov $\dst, %edi
    mov $144, %ecx
    rep movsl
.endm

/* zeroes bytes 63:16 of the header of xarea (FILL left them AAH) */
.macro CLEAR_HEADER_RESERVED
    mov $xarea + 528, %edi
    xor %eax, %eax
    mov $12, %ecx
    rep stosl
.endm

/* EDX:EAX = 0:mask */
.macro MASK m
    mov $\m, %eax
    xor %edx, %edx
.endm

    .text
tests:
    mov %cr0, %eax
    and $~(CR0_EM | CR0_TS), %eax
    or $CR0_MP, %eax
    mov %eax, %cr0

    /* ---- enumeration and enabling ---- */
    mov $1, %eax
    cpuid
    mov %edx, %eax
    and $(1 << 24 | 1 << 25), %eax
    CHECK_EQ %eax, $(1 << 24 | 1 << 25), "CPUID.1:EDX FXSR and SSE"
    mov %ecx, %eax
    and $(1 << 26 | 1 << 27), %eax
    CHECK_EQ %eax, $(1 << 26), "CPUID.1:ECX XSAVE, OSXSAVE clear while CR4.OSXSAVE is clear"
    TRY 1f
    xgetbv
1:  CHECK_FAULT 6, NO_ERROR, "XGETBV with CR4.OSXSAVE clear is #UD"
    TRY 1f
    MASK 3
    mov $xarea, %ecx
    xsave (%ecx)
1:  CHECK_FAULT 6, NO_ERROR, "XSAVE with CR4.OSXSAVE clear is #UD"

    SET_CR cr4, (CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE)
    mov $1, %eax
    cpuid
    and $(1 << 27), %ecx
    CHECK_EQ %ecx, $(1 << 27), "CPUID.1:ECX.OSXSAVE follows CR4.OSXSAVE"
    mov $0xd, %eax
    xor %ecx, %ecx
    cpuid
    and $3, %eax
    CHECK_EQ %eax, $3, "CPUID.(0DH,0):EAX enumerates x87 and SSE state"
    mov $0xd, %eax
    xor %ecx, %ecx
    cpuid
    CHECK_EQ %eax, $3, "CPUID.(0DH,0):EAX = 3 # swemu-only"
    CHECK_EQ %ecx, $576, "CPUID.(0DH,0):ECX = 576 bytes # swemu-only"
    mov $0xd, %eax
    mov $1, %ecx
    cpuid
    mov %eax, cpuid_d1
    and $5, %eax
    CHECK_EQ %eax, $5, "CPUID.(0DH,1):EAX XSAVEOPT, XGETBV1"
    mov cpuid_d1, %eax
    and $0xf, %eax
    CHECK_EQ %eax, $0xf, "CPUID.(0DH,1):EAX XSAVEC, XSAVES too # swemu-only"

    xor %ecx, %ecx
    MASK 3
    xsetbv
    xor %ecx, %ecx
    xgetbv
    CHECK_EQ %eax, $3, "XSETBV / XGETBV: XCR0 = x87 | SSE"
    TRY 1f
    xor %ecx, %ecx
    MASK 2
    xsetbv
1:  CHECK_FAULT 13, 0, "XSETBV with XCR0[0] = 0 is #GP(0)"
    TRY 1f
    mov $2, %ecx
    MASK 3
    xsetbv
1:  CHECK_FAULT 13, 0, "XSETBV with ECX = 2 is #GP(0)"

    /* ---- LDMXCSR / STMXCSR ---- */
    movl $0xffff, scratch
    ldmxcsr scratch
    movl $0, scratch
    stmxcsr scratch
    CHECK_D scratch, 0, 0xffff, "LDMXCSR / STMXCSR: all 16 MXCSR bits, DAZ included"
    TRY 1f
    movl $0x10000, scratch
    ldmxcsr scratch
1:  CHECK_FAULT 13, 0, "LDMXCSR with bit 16 set is #GP(0) # swemu-only"
    movl $0x1f80, scratch
    ldmxcsr scratch

    /* ---- FXRSTOR / FXSAVE (32-bit format) ---- */
    fxrstor fx_image
    FILL fxbuf
    fxsave fxbuf
    CHECK_W fxbuf, 0, 0x027f, "FXSAVE: FCW"
    CHECK_W fxbuf, 2, 0x3800, "FXSAVE: FSW (TOP = 7)"
    CHECK_B fxbuf, 4, 0x81, "FXSAVE: abridged FTW (R0, R7 in use)"
    CHECK_B fxbuf, 5, 0, "FXSAVE: byte 5 reserved, 0"
    CHECK_W fxbuf, 6, 0x01dd, "FXSAVE: FOP # swemu-only"
    CHECK_D fxbuf, 8, 0x12345678, "FXSAVE: FIP # swemu-only"
    CHECK_W fxbuf, 12, 0x001b, "FXSAVE: FCS # swemu-only"
    CHECK_D fxbuf, 16, 0x9abcdef0, "FXSAVE: FDP # swemu-only"
    CHECK_W fxbuf, 20, 0x0023, "FXSAVE: FDS # swemu-only"
    CHECK_D fxbuf, 24, 0x7f80, "FXSAVE: MXCSR"
    CHECK_D fxbuf, 28, 0xffff, "FXSAVE: MXCSR_MASK = 0000FFFFH"
    CHECK_D fxbuf, 32, 0x00000001, "FXSAVE: ST0 significand bits 31:0"
    CHECK_D fxbuf, 36, 0x80000000, "FXSAVE: ST0 significand bits 63:32"
    CHECK_W fxbuf, 40, 0x3fff, "FXSAVE: ST0 sign and exponent"
    CHECK_D fxbuf, 52, 0xc0000000, "FXSAVE: ST1 = R0 (stack order)"
    CHECK_W fxbuf, 56, 0xc000, "FXSAVE: ST1 sign and exponent"
    CHECK_D fxbuf, 160, 0x11111111, "FXSAVE: XMM0 bits 31:0"
    CHECK_D fxbuf, 172, 0x44444444, "FXSAVE: XMM0 bits 127:96"
    CHECK_D fxbuf, 272 + 12, 0x77777777, "FXSAVE: XMM7 bits 127:96"
    CHECK_D fxbuf, 464, 0xaaaaaaaa, "FXSAVE leaves bytes 511:464 alone"

    TRY 1f
    fxsave fxbuf + 8
1:  CHECK_FAULT 13, 0, "FXSAVE to an area not 16-byte aligned is #GP(0)"
    TRY 1f
    fxrstor fx_bad_mxcsr
1:  CHECK_FAULT 13, 0, "FXRSTOR of an MXCSR with bit 16 set is #GP(0) # swemu-only"
    stmxcsr scratch
    CHECK_D scratch, 0, 0x7f80, "the faulting FXRSTOR changed nothing # swemu-only"
    SET_CR cr0, CR0_TS
    TRY 1f
    fxsave fxbuf
1:  CHECK_FAULT 7, NO_ERROR, "FXSAVE with CR0.TS is #NM"
    TRY 1f
    MASK 3
    xsave xarea
1:  CHECK_FAULT 7, NO_ERROR, "XSAVE with CR0.TS is #NM # swemu-only"
    TRY 1f
    ldmxcsr scratch
1:  CHECK_FAULT 7, NO_ERROR, "LDMXCSR with CR0.TS is #NM"
    SET_CR cr0, CR0_EM, ~CR0_TS
    TRY 1f
    fxsave fxbuf
1:  CHECK_FAULT 7, NO_ERROR, "FXSAVE with CR0.EM is #NM"
    TRY 1f
    ldmxcsr scratch
1:  CHECK_FAULT 6, NO_ERROR, "LDMXCSR with CR0.EM is #UD"
    TRY 1f
    MASK 3
    xsave xarea
1:  CHECK_NO_FAULT "XSAVE ignores CR0.EM"
    SET_CR cr0, 0, ~CR0_EM

    /* ---- XSAVE (standard format) ---- */
    MASK 3
    xrstor xs_image
    FILL xarea
    movl $0x4, xarea + 512                  /* an XSTATE_BV bit outside RFBM is kept */
    movl $0, xarea + 516
    MASK 3
    xsave xarea
    CHECK_W xarea, 0, 0x027f, "XSAVE: FCW"
    CHECK_B xarea, 4, 0x81, "XSAVE: abridged FTW"
    CHECK_D xarea, 24, 0x7f80, "XSAVE: MXCSR"
    CHECK_D xarea, 28, 0xffff, "XSAVE: MXCSR_MASK"
    CHECK_D xarea, 36, 0x80000000, "XSAVE: ST0"
    CHECK_D xarea, 172, 0x44444444, "XSAVE: XMM0"
    CHECK_D xarea, 512, 7, "XSAVE: XSTATE_BV = (old AND NOT RFBM) OR XINUSE"
    CHECK_D xarea, 520, 0xaaaaaaaa, "XSAVE writes only XSTATE_BV of the header"
    FILL xarea
    MASK 1
    xsave xarea
    CHECK_D xarea, 24, 0xaaaaaaaa, "XSAVE with RFBM = 1 does not store MXCSR"
    CHECK_D xarea, 160, 0xaaaaaaaa, "XSAVE with RFBM = 1 does not store XMM0"

    /* ---- XRSTOR initializing components (XSTATE_BV = 0) ---- */
    MASK 3
    xrstor xs_init
    FILL fxbuf
    fxsave fxbuf
    CHECK_W fxbuf, 0, 0x037f, "XRSTOR init: FCW = 037FH"
    CHECK_W fxbuf, 2, 0, "XRSTOR init: FSW = 0"
    CHECK_B fxbuf, 4, 0, "XRSTOR init: every register empty"
    CHECK_D fxbuf, 36, 0, "XRSTOR init: ST0 = 0"
    CHECK_D fxbuf, 160, 0, "XRSTOR init: XMM0 = 0"
    CHECK_D fxbuf, 24, 0x3f80, "XRSTOR standard form loads MXCSR even when XSTATE_BV[1] = 0"
    mov $1, %ecx
    xgetbv
    CHECK_EQ %eax, $0, "XGETBV(1): XINUSE = 0 after XRSTOR init # swemu-only"
    FILL xarea
    movl $0, xarea + 512
    movl $0, xarea + 516
    MASK 3
    xsaveopt xarea
    CHECK_D xarea, 512, 0, "XSAVEOPT: XSTATE_BV = 0 for initial components # swemu-only"
    CHECK_D xarea, 0, 0xaaaaaaaa, "XSAVEOPT does not store x87 state in its initial configuration # swemu-only"
    CHECK_D xarea, 24, 0x3f80, "XSAVEOPT stores MXCSR with RFBM[1]"

    /* ---- XRSTOR faults ---- */
    COPY xs_image, xarea
    movl $4, xarea + 512
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR: XSTATE_BV bit not in XCR0 is #GP(0)"
    COPY xs_image, xarea
    movl $1, xarea + 520
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR standard form: XCOMP_BV nonzero is #GP(0)"
    COPY xs_image, xarea
    movl $1, xarea + 528
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR standard form: header bytes 23:16 nonzero is #GP(0)"
    COPY xs_image, xarea
    movl $0x10000, xarea + 24
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR: reserved MXCSR bit is #GP(0) # swemu-only"
    TRY 1f
    MASK 1
    xrstor xarea
1:  CHECK_NO_FAULT "XRSTOR with RFBM[1] = 0 does not load MXCSR"
    TRY 1f
    MASK 3
    xrstor xarea + 16
1:  CHECK_FAULT 13, 0, "XRSTOR from an area not 64-byte aligned is #GP(0)"

    /* ---- XSAVEC and the compacted form of XRSTOR (when enumerated; QEMU 7.2's TCG has
     * neither, so these checks are swemu-only) ---- */
    testl $2, cpuid_d1
    jz 2f
    MASK 3
    xrstor xs_image
    FILL xarea
    MASK 0xff
    xsavec xarea
    CHECK_D xarea, 512, 3, "XSAVEC: XSTATE_BV = RFBM AND XINUSE # swemu-only"
    CHECK_D xarea, 520, 3, "XSAVEC: XCOMP_BV[62:0] = RFBM # swemu-only"
    CHECK_D xarea, 524, 0x80000000, "XSAVEC: XCOMP_BV[63] = 1 # swemu-only"
    CHECK_D xarea, 528, 0xaaaaaaaa, "XSAVEC leaves header bytes 63:16 alone # swemu-only"
    CHECK_D xarea, 28, 0xffff, "XSAVEC: MXCSR_MASK # swemu-only"
    CHECK_D xarea, 272 + 12, 0x77777777, "XSAVEC: XMM7 # swemu-only"
    /* the compacted image restores what it saved, once the reserved header bytes are 0 */
    CLEAR_HEADER_RESERVED
    MASK 3
    xrstor xs_init                          /* back to the initial configuration */
    MASK 3
    xrstor xarea
    FILL fxbuf
    fxsave fxbuf
    CHECK_W fxbuf, 0, 0x027f, "XRSTOR (compacted): FCW # swemu-only"
    CHECK_D fxbuf, 24, 0x7f80, "XRSTOR (compacted): MXCSR # swemu-only"
    CHECK_D fxbuf, 160, 0x11111111, "XRSTOR (compacted): XMM0 # swemu-only"

    MASK 3
    xrstor xs_init
    FILL xarea
    MASK 3
    xsavec xarea
    CHECK_D xarea, 512, 2, "XSAVEC saves SSE state when MXCSR is not 1F80H # swemu-only"
    CHECK_D xarea, 0, 0xaaaaaaaa, "XSAVEC does not store x87 state in its initial configuration # swemu-only"
    MASK 3
    xrstor xs_compacted_init
    stmxcsr scratch
    CHECK_D scratch, 0, 0x1f80, "XRSTOR compacted form with XSTATE_BV[1] = 0: MXCSR = 1F80H # swemu-only"

    COPY xs_compacted_init, xarea
    movl $1, xarea + 512 + 60
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR compacted form: header bytes 63:16 nonzero is #GP(0) # swemu-only"
    COPY xs_compacted_init, xarea
    movl $2, xarea + 512
    movl $1, xarea + 520
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR compacted form: XSTATE_BV not within XCOMP_BV is #GP(0) # swemu-only"
    COPY xs_compacted_init, xarea
    movl $7, xarea + 520
    TRY 1f
    MASK 3
    xrstor xarea
1:  CHECK_FAULT 13, 0, "XRSTOR compacted form: XCOMP_BV bit not in XCR0 is #GP(0) # swemu-only"
2:

    /* ---- XSAVES / XRSTORS, IA32_XSS (when enumerated) ---- */
    testl $8, cpuid_d1
    jz 2f
    mov $0xda0, %ecx
    rdmsr
    CHECK_EQ %eax, $0, "IA32_XSS = 0 # swemu-only"
    TRY 1f
    mov $0xda0, %ecx
    mov $0x100, %eax
    xor %edx, %edx
    wrmsr
1:  CHECK_FAULT 13, 0, "WRMSR IA32_XSS with an unsupported component (PT) is #GP(0) # swemu-only"
    MASK 3
    xrstor xs_image
    FILL xarea
    MASK 3
    xsaves xarea
    CHECK_D xarea, 524, 0x80000000, "XSAVES: compacted format # swemu-only"
    CHECK_D xarea, 512, 3, "XSAVES: XSTATE_BV # swemu-only"
    CLEAR_HEADER_RESERVED
    MASK 3
    xrstor xs_init
    MASK 3
    xrstors xarea
    stmxcsr scratch
    CHECK_D scratch, 0, 0x7f80, "XRSTORS restores MXCSR # swemu-only"
    TRY 1f
    MASK 3
    xrstors xs_image
1:  CHECK_FAULT 13, 0, "XRSTORS of a standard-format area is #GP(0) # swemu-only"
    RUN_USER user_xsaves
    CHECK_FAULT 13, 0, "XSAVES at CPL 3 is #GP(0) # swemu-only"
2:  ret

    .code32
user_xsaves:
    mov $3, %eax
    xor %edx, %edx
    mov $xarea, %ecx
    xsaves (%ecx)
    int $0x80

    .data
    .balign 64
/* FCW 027FH, FSW 3800H (TOP = 7), abridged FTW 81H (R0, R7), FOP 1DDH, FIP 12345678H, FCS 1BH,
 * FDP 9ABCDEF0H, FDS 23H, MXCSR 7F80H; ST0 = R7 = 1.0 + 2^-63, ST1 = R0 = -3.0, ST2-ST7 = 0;
 * XMM0 and XMM7 as the dwords below, the others 0. */
fx_image:
    .word 0x027f, 0x3800
    .byte 0x81, 0
    .word 0x01dd
    .long 0x12345678
    .word 0x001b, 0
    .long 0x9abcdef0
    .word 0x0023, 0
    .long 0x7f80, 0xffff
    .quad 0x8000000000000001
    .word 0x3fff, 0, 0, 0
    .quad 0xc000000000000000
    .word 0xc000, 0, 0, 0
    .fill 6 * 16, 1, 0
    .long 0x11111111, 0x22222222, 0x33333333, 0x44444444
    .fill 6 * 16, 1, 0
    .long 0x55555555, 0x66666666, 0x77777777, 0x77777777
    .fill 512 - 288, 1, 0
    .fill 64, 1, 0
    .balign 64
/* the same legacy region as an XSAVE area: XSTATE_BV = 3, standard format */
xs_image:
    .word 0x027f, 0x3800
    .byte 0x81, 0
    .word 0x01dd
    .long 0x12345678
    .word 0x001b, 0
    .long 0x9abcdef0
    .word 0x0023, 0
    .long 0x7f80, 0xffff
    .quad 0x8000000000000001
    .word 0x3fff, 0, 0, 0
    .quad 0xc000000000000000
    .word 0xc000, 0, 0, 0
    .fill 6 * 16, 1, 0
    .long 0x11111111, 0x22222222, 0x33333333, 0x44444444
    .fill 6 * 16, 1, 0
    .long 0x55555555, 0x66666666, 0x77777777, 0x77777777
    .fill 512 - 288, 1, 0
    .quad 3, 0
    .fill 48, 1, 0
    .balign 64
/* XSTATE_BV = 0, standard format, MXCSR 3F80H */
xs_init:
    .fill 24, 1, 0
    .long 0x3f80, 0xffff
    .fill 512 - 32, 1, 0
    .fill 64, 1, 0
    .balign 64
/* XSTATE_BV = 0, compacted format for x87 | SSE, MXCSR 3F80H (not loaded) */
xs_compacted_init:
    .fill 24, 1, 0
    .long 0x3f80, 0xffff
    .fill 512 - 32, 1, 0
    .quad 0, 0x8000000000000003
    .fill 48, 1, 0
    .balign 16
fx_bad_mxcsr:
    .fill 24, 1, 0
    .long 0x10000, 0xffff
    .fill 512 - 32, 1, 0
cpuid_d1: .long 0
scratch: .long 0

    .bss
    .balign 64
fxbuf: .space 1024
xarea: .space 1024
