/* modes.elf: the operating-mode transitions of SDM vol. 3 ch. 10 and 20 and the 64-bit system
 * features of ch. 5, 6 and 4:
 * - 16-bit protected mode (a D=0 code segment), protected -> real mode (CR0.PE=0 and a far JMP,
 *   10.9.2), "unreal" segment caches kept into real mode, the real-mode IVT, real -> protected;
 * - IA-32e mode entered with CR4.PAE, EFER.LME and CR0.PG (10.8.5) with the #GP checks of MOV CR
 *   and WRMSR on the way, compatibility mode, 64-bit mode, IA-32e mode left again (10.8.5.4);
 * - 64-bit mode: SYSCALL/SYSRET (5.8.8), SWAPGS, the IST stack switch, the CPL 3 -> 0 stack
 *   switch to TSS.RSP0 and the 16-byte alignment of the 64-bit interrupt frame (6.14.2-6.14.5),
 *   4-level paging faults, non-canonical addresses, protection keys (4.6.2), CR4.LA57 fixed in
 *   IA-32e mode;
 * - PCIDs (4.10.1, 4.10.4.1, INVPCID in vol. 2): CR4.PCIDE, MOV CR3 with bit 63, INVPCID types
 *   0-3, INVLPG and global pages over a software-tagged TLB. A stale translation may survive a
 *   bit-63 CR3 load or, when global, a CR3 load: swemu keeps both ("as hardware may"); every other
 *   check there is required of any CPU with PCID and INVPCID. The section runs last, only where
 *   CPUID advertises both; QEMU 7.2's TCG advertises neither, so all of it is marked swemu-only;
 * - virtual-8086 mode entered by IRET with EFLAGS.VM=1 and left by interrupts and #GP, its
 *   address translation, the IOPL-sensitive instructions and the I/O permission bitmap (20.2);
 * - virtual-8086 mode extensions (CR4.VME, 20.3): CLI/STI/PUSHF/POPF/IRET on VIF, INT n
 *   redirected through the TSS's interrupt redirection bitmap to the 8086 IVT at linear 0.
 * Not covered: 5-level paging (neither CPU model advertises LA57), CR4.PVI (needs CPL-3
 * protected-mode code with IOPL < 3: the unit tests cover it).
 *
 * The 16-bit code (16-bit protected mode, real mode, virtual-8086 mode) is one position-
 * independent blob copied to BLOB (below 1 MiB); results of the real-mode part are stored at RES
 * and checked in 32-bit code. 64-bit code runs between TO64 and TO32; an event in IA-32e mode
 * goes through idt64 and resumes at the TRY point in compatibility mode. */
#include "lib.S"

#define BLOB        0x8000
#define BLOB_SEG    0x0800
#define IVT         0x7000          /* real-mode interrupt table (IDTR.base in real mode) */
#define RES         0x5000
#define RM_STACK    0x6000
#define R(x)        ((x) - rm_start)
#define SEL_BLOB16  (GDT_FREE*8)     /* 16-bit code, base BLOB, limit 64 KiB */
#define SEL_TSS64   ((GDT_FREE+2)*8) /* 16-byte 64-bit TSS descriptor */
#define SEL_TSSVME  ((GDT_FREE+4)*8) /* 32-bit TSS with an interrupt redirection bitmap */
#define VME_IOBASE  (104 + 32)       /* I/O map base of tss_vme: the bitmap is bytes 104-135 */
#define CR4_VME     0x1
#define EFLAGS_VIF  0x80000
#define V86_ES      0x0123

/* RES slots written by the 16-bit code */
#define RES_PUSH16      (RES+0)     /* bytes a PUSH took in 16-bit protected mode */
#define RES_RM_CS       (RES+2)
#define RES_RM_CR0      (RES+4)
#define RES_UNREAL      (RES+8)
#define RES_SP_IN       (RES+12)    /* SP in the INT 0x30 handler */
#define RES_IP_PUSHED   (RES+14)
#define RES_SP_BEFORE   (RES+16)
#define RES_CS_PUSHED   (RES+18)
#define RES_RM_VECTOR   (RES+20)    /* vector of the last real-mode fault */
#define RES_FL_PUSHED   (RES+22)
#define RES_FL_IN       (RES+24)
#define RES_IVT_DESC    (RES+0x100)

#define MSR_EFER    0xc0000080
#define MSR_STAR    0xc0000081
#define MSR_LSTAR   0xc0000082
#define MSR_FMASK   0xc0000084
#define MSR_GSBASE  0xc0000101
#define MSR_KGSBASE 0xc0000102
#define EFER_SCE    0x1
#define EFER_LME    0x100
#define EFER_LMA    0x400
#define CR4_LA57    0x1000
#define CR4_PKE     0x400000
#define PK_VA       0x40000000      /* PDPT entry 1: a 2 MiB page over physical 0 with key 1 */
#define CR4_PGE     0x80
#define CR4_PCIDE   0x20000
#define PCID_V      0x80000000      /* PDPT entry 2: a 4 KiB page over frame_a or frame_b */
#define PCID_G      0x80001000      /* the same, a global page */
#define VAL_A       0xaaaa0001      /* first dword of frame_a */
#define VAL_B       0xbbbb0002      /* first dword of frame_b */

/* EFER = (EFER & andbits) | orbits */
.macro SET_EFER orbits, andbits=0xffffffff
    mov $MSR_EFER, %ecx
    rdmsr
    and $\andbits, %eax
    or $\orbits, %eax
    wrmsr
.endm

.macro WRMSR32 msr, lo, hi=0
    mov $\msr, %ecx
    mov $\lo, %eax
    mov $\hi, %edx
    wrmsr
.endm

/* table[first..end-1] (entries `size` bytes apart; the low dword written) = index << shift | flags */
.macro IDENTITY_MAP table, size, shift, flags, first, end
.if \first
    mov $\first, %ecx
.else
    xor %ecx, %ecx
.endif
1:  mov %ecx, %eax
    shl $\shift, %eax
    or $\flags, %eax
    mov %eax, \table(,%ecx,\size)
    inc %ecx
    cmp $\end, %ecx
    jne 1b
.endm

/* compatibility mode -> 64-bit mode at `label` */
/* 64-bit code: RFLAGS, CS and SS (through RAX) into prefix_rflags, prefix_cs and prefix_ss */
.macro SAVE_FLAGS64 prefix
    pushfq
    pop %rax
    mov %eax, \prefix\()_rflags(%rip)
    mov %cs, %eax
    mov %eax, \prefix\()_cs(%rip)
    mov %ss, %eax
    mov %eax, \prefix\()_ss(%rip)
.endm

.macro TO64 label
    ljmp $SEL_CODE64, $\label
    .code64
.endm

/* compatibility mode: MOV CR3 (in 64-bit mode) with bit 63 set to pml4 with PCID `pcid` */
.macro CR3_KEEP pcid
    TO64 .Lk64\@
.Lk64\@:
    mov $(pml4 + \pcid), %eax
    bts $63, %rax
    mov %rax, %cr3
    TO32 .Lk32\@
.Lk32\@:
.endm

/* compatibility mode: INVPCID (in 64-bit mode) of type `type` with the descriptor
 * {PCID dword `pcid`, 0, address hi:lo} */
.macro DO_INVPCID type, pcid, lo, hi=0
    movl $\pcid, inv_desc
    movl $0, inv_desc+4
    movl $\lo, inv_desc+8
    movl $\hi, inv_desc+12
    TO64 .Li64\@
.Li64\@:
    mov $\type, %eax
    invpcid inv_desc(%rip), %rax
    TO32 .Li32\@
.Li32\@:
.endm

/* 64-bit mode -> compatibility (or legacy protected) mode at `label` */
.macro TO32 label
    pushq $SEL_CODE32
    lea -8(%rsp), %rsp
    movl $\label, (%rsp)           /* an imm32 push would need a 32S relocation */
    movl $0, 4(%rsp)
    lretq
    .code32
.endm

/* Runs `label` of the blob in virtual-8086 mode (IRET with VM=1 from CPL 0) with IOPL `iopl`,
 * CS = DS = BLOB_SEG, ES = V86_ES, SS:SP = 0:RM_STACK. Ends with the event it raises. */
.macro RUN_V86 label, iopl
    TRY .Lv86\@
    pushl $0                        /* GS */
    pushl $0                        /* FS */
    pushl $BLOB_SEG                 /* DS */
    pushl $V86_ES                   /* ES */
    pushl $0                        /* SS */
    pushl $RM_STACK                 /* ESP */
    pushl $(EFLAGS_VM | (\iopl << 12) | 2)
    pushl $BLOB_SEG
    pushl $R(\label)
    iret
.Lv86\@:
    movl $0, recover_eip
.endm

    .text
tests:
    mov $rm_start, %esi
    mov $BLOB, %edi
    mov $(rm_end - rm_start), %ecx
    rep movsb
    call real_mode_tests
    call long_mode_tests
    call v86_tests
    call pcid_tests
    ret

/* ---- 16-bit protected mode and real mode ------------------------------------------------ */
real_mode_tests:
    mov $GDT_FREE, %edx
    mov $(((BLOB & 0xffff) << 16) | 0xffff), %eax
    mov $0x00009a00, %ecx           /* code, D=0, G=0, base 23:16 = 0 */
    call set_gdt
    /* the real-mode IVT: every vector to rm_other, #GP and INT 0x30 to their handlers */
    xor %ecx, %ecx
1:  movw $R(rm_other), IVT(,%ecx,4)
    movw $BLOB_SEG, IVT+2(,%ecx,4)
    inc %ecx
    cmp $256, %ecx
    jne 1b
    movw $R(rm_gp), IVT+13*4
    movw $R(rm_int30), IVT+0x30*4
    movw $0x3ff, RES_IVT_DESC
    movl $IVT, RES_IVT_DESC+2
    movw $0xffff, RES_RM_VECTOR

    TRY 1f
    ljmp $SEL_BLOB16, $R(pm16_entry)
1:  CHECK_EQ RES_PUSH16, $2, "16-bit code segment (D=0): PUSH AX takes 2 bytes"
    CHECK_FAULT 6, NO_ERROR, "#UD in a 16-bit code segment through a 32-bit interrupt gate"
    CHECK_EQ exc_cs, $SEL_BLOB16, "the saved CS is the 16-bit code segment"
    CHECK_EQ exc_eip, $R(pm16_ud), "the saved EIP is the offset of UD2 in it"

    mov %esp, saved_esp
    ljmp $SEL_BLOB16, $R(pm16_to_real)
real_back:
    mov $SEL_DATA32, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %fs
    mov %eax, %gs
    mov %eax, %ss
    mov saved_esp, %esp
    lidt idt32_desc
    movzwl RES_RM_CS, %eax
    CHECK_EQ %eax, $BLOB_SEG, "real mode after CR0.PE=0 and a far JMP: CS = the JMP's selector"
    mov RES_RM_CR0, %eax
    and $1, %eax
    CHECK_EQ %eax, $0, "CR0.PE reads 0 in real mode"
    CHECK_EQ RES_UNREAL, $0x600dcafe, "unreal mode: FS keeps its 4 GiB limit into real mode (10.9.2)"
    movzwl RES_SP_BEFORE, %eax
    movzwl RES_SP_IN, %ecx
    sub %ecx, %eax
    CHECK_EQ %eax, $6, "real-mode INT pushes FLAGS, CS, IP (6 bytes)"
    movzwl RES_CS_PUSHED, %eax
    CHECK_EQ %eax, $BLOB_SEG, "real-mode INT pushes CS"
    movzwl RES_IP_PUSHED, %eax
    CHECK_EQ %eax, $R(rm_int30_after), "real-mode INT pushes the IP of the next instruction"
    movzwl RES_FL_PUSHED, %eax
    and $EFLAGS_IF, %eax
    CHECK_EQ %eax, $EFLAGS_IF, "real-mode INT pushes FLAGS with IF=1"
    movzwl RES_FL_IN, %eax
    and $EFLAGS_IF, %eax
    CHECK_EQ %eax, $0, "real-mode INT through the IVT at IDTR.base clears IF"
    movzwl RES_RM_VECTOR, %eax
    /* QEMU TCG does not check segment limits (SDM 20.1.3: #GP in real mode past the limit) */
    CHECK_EQ %eax, $13, "real mode: an offset beyond DS's 64 KiB limit is #GP # swemu-only"
    mov %cr0, %eax
    and $1, %eax
    CHECK_EQ %eax, $1, "CR0.PE=1 again after real -> protected"
    mov %cs, %eax
    CHECK_EQ %eax, $SEL_CODE32, "CS = the far JMP's protected-mode selector"
    TRY 1f
    ud2
1:  CHECK_FAULT 6, NO_ERROR, "events go through the 32-bit IDT again"
    ret

/* ---- IA-32e mode ------------------------------------------------------------------------- */
build_idt64:
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $4, %eax
    lea stubs64(%eax), %eax
    mov %ecx, %edx
    shl $4, %edx
    mov %ax, idt64(%edx)
    movw $SEL_CODE64, idt64+2(%edx)
    movw $0x8e00, idt64+4(%edx)
    shr $16, %eax
    mov %ax, idt64+6(%edx)
    movl $0, idt64+8(%edx)
    movl $0, idt64+12(%edx)
    inc %ecx
    cmp $256, %ecx
    jne 1b
    movb $1, idt64+0x41*16+4        /* IST 1 */
    movb $1, idt64+12*16+4          /* #SS and #PF on IST 1: the non-canonical stack check */
    movb $1, idt64+14*16+4
    ret

/* pml4 -> pdpt: [0] = pd (1 GiB identity, 2 MiB user pages), [1] = pd_pk (PK_VA, key 1);
 * pd32: 32-bit paging, 16 MiB identity in 4 MiB pages. */
build_tables:
    movl $pdpt+7, pml4
    movl $pd+7, pdpt
    movl $pd_pk+7, pdpt+8
    IDENTITY_MAP pd, 8, 21, 0x87, 0, 512
    movl $0x87, pd_pk
    movl $(1 << (59 - 32)), pd_pk+4
    /* PDPT entries 128-511 (linear 128-512 GiB) are never used in IA-32e mode; as dwords they are
     * 4 KiB identity PTEs for 1-4 MiB. QEMU TCG takes MOV CR4 clearing PAE in IA-32e mode (the
     * SDM requires #GP(0)); then pml4 is read as a 32-bit page directory whose PDE 0 points at
     * pdpt, so the kernel keeps running there and the check can report. */
    IDENTITY_MAP pdpt, 4, 12, 7, 256, 1024
    IDENTITY_MAP pd32, 4, 22, 0x83, 0, 4
    ret

long_mode_tests:
    call build_idt64
    call build_tables
    movl $ring0_stack_top, tss64+4  /* RSP0 */
    movl $ist1_top, tss64+36        /* IST1 */
    movw $104, tss64+102
    mov $tss64, %eax
    mov $103, %ecx
    mov $(GDT_FREE+2), %edx
    call set_gdt_tss

    mov $pd32, %eax
    mov %eax, %cr3
    SET_CR cr4, CR4_PSE
    TRY 1f
    SET_CR cr0, CR0_PG, ~1
1:  SET_CR cr0, 1, ~CR0_PG          /* undone where the write was taken (QEMU TCG) */
    xor %eax, %eax
    mov %eax, %cr4
    /* QEMU TCG takes this write; the SDM (MOV to CR0) requires #GP(0) */
    CHECK_FAULT 13, 0, "MOV CR0 with PG=1 and PE=0 is #GP(0) # swemu-only"

    mov $pml4, %eax
    mov %eax, %cr3
    SET_EFER EFER_LME
    TRY 1f
    SET_CR cr0, CR0_PG
    /* QEMU TCG ignores this write ("XXX: generate an exception"); SDM MOV to CR0: #GP(0) */
1:  CHECK_FAULT 13, 0, "CR0.PG=1 with EFER.LME=1 and CR4.PAE=0 is #GP(0) # swemu-only"
    SET_EFER 0, ~EFER_LME

    mov $pd32, %eax
    mov %eax, %cr3
    SET_CR cr4, CR4_PSE
    SET_CR cr0, CR0_PG
    TRY 1f
    SET_EFER EFER_LME
    /* QEMU TCG takes this write; SDM 10.8.5 and WRMSR: #GP(0) */
1:  CHECK_FAULT 13, 0, "WRMSR changing EFER.LME while CR0.PG=1 is #GP(0) # swemu-only"
    mov $MSR_EFER, %ecx
    rdmsr
    and $EFER_LME, %eax
    CHECK_EQ %eax, $0, "the faulting WRMSR left EFER.LME clear # swemu-only"
    SET_CR cr0, 0, ~CR0_PG
    SET_EFER 0, ~EFER_LME
    xor %eax, %eax
    mov %eax, %cr4

    /* enter IA-32e mode: PAE, LME, then PG (10.8.5) */
    lidt idt64_desc
    SET_CR cr4, CR4_PAE
    mov $pml4, %eax
    mov %eax, %cr3
    SET_EFER EFER_LME
    mov $MSR_EFER, %ecx
    rdmsr
    and $EFER_LMA, %eax
    CHECK_EQ %eax, $0, "EFER.LMA=0 with LME=1 while CR0.PG=0"
    SET_CR cr0, CR0_PG
    mov $MSR_EFER, %ecx
    rdmsr
    and $(EFER_LME|EFER_LMA), %eax
    CHECK_EQ %eax, $(EFER_LME|EFER_LMA), "CR0.PG=1 with LME and PAE sets EFER.LMA"
    mov $SEL_TSS64, %eax
    ltr %ax

    /* compatibility mode */
    mov $5, %eax
    .byte 0x48                      /* DEC EAX, not REX, outside 64-bit mode */
    CHECK_EQ %eax, $4, "compatibility mode: 0x48 is DEC EAX"
    mov %esp, %ebx
    push %eax
    sub %esp, %ebx
    pop %eax
    CHECK_EQ %ebx, $4, "compatibility mode: PUSH takes 4 bytes"
    TRY 1f
    SET_CR cr4, 0, ~CR4_PAE
1:  SET_CR cr4, CR4_PAE             /* undone where the write was taken (QEMU TCG) */
    CHECK_FAULT 13, 0, "clearing CR4.PAE in IA-32e mode is #GP(0) # swemu-only"
    TRY 1f
    SET_EFER 0, ~EFER_LME
1:  SET_EFER EFER_LME               /* undone where the write was taken (QEMU TCG) */
    /* SDM 10.8.5 and WRMSR: LME cannot change while CR0.PG=1 */
    CHECK_FAULT 13, 0, "WRMSR clearing EFER.LME in IA-32e mode is #GP(0) # swemu-only"
    TRY 1f
    .byte 0x0f, 0x01, 0xf8          /* SWAPGS */
1:  CHECK_FAULT 6, NO_ERROR, "SWAPGS in compatibility mode is #UD"

    /* 64-bit mode */
    TO64 2f
2:  xor %eax, %eax
    .byte 0x48, 0xff, 0xc8          /* REX.W DEC: DEC RAX */
    shr $32, %rax
    mov %eax, r_rex(%rip)
    mov %rsp, %rax
    push %rax
    sub %rsp, %rax
    pop %rcx
    mov %eax, r_push64(%rip)
    TO32 1f
1:  CHECK_EQ r_rex, $0xffffffff, "64-bit mode: 0x48 is REX.W (DEC RAX)"
    CHECK_EQ r_push64, $8, "64-bit mode: PUSH takes 8 bytes"

    TRY 1f
    TO64 2f
2:  mov %cr0, %rax
    btr $31, %rax
    mov %rax, %cr0
    /* QEMU TCG takes this write and leaves IA-32e mode: the next bytes run as 32-bit code */
    .code32
    jmp 1f
1:  SET_CR cr0, CR0_PG              /* IA-32e mode again where the write was taken */
    CHECK_FAULT 13, 0, "CR0.PG=0 in 64-bit mode is #GP(0) (10.8.5.4) # swemu-only"
    CHECK_EQ exc_cs, $SEL_CODE64, "the #GP came from 64-bit code # swemu-only"
    TRY 1f
    TO64 2f
2:  mov %cr4, %rax
    btr $5, %rax
    mov %rax, %cr4
    TO32 1f
1:  SET_CR cr4, CR4_PAE
    CHECK_FAULT 13, 0, "CR4.PAE=0 in 64-bit mode is #GP(0) # swemu-only"

    mov $7, %eax
    xor %ecx, %ecx
    cpuid
    mov %ecx, r_cpuid7
    TRY 1f
    SET_CR cr4, CR4_LA57
1:  SET_CR cr4, 0, ~CR4_LA57         /* undone where the write was taken (QEMU TCG) */
    /* SDM MOV to CR4: #GP(0) for a change of LA57 while IA-32e mode is active */
    CHECK_FAULT 13, 0, "CR4.LA57 cannot change in IA-32e mode: #GP(0) # swemu-only"
    TRY 1f
    TO64 2f
2:  movabs 0x0000800000000000, %eax
    TO32 1f
1:  CHECK_FAULT 13, 0, "a non-canonical data address is #GP(0) (3.3.7.1)"
    TRY 1f
    TO64 2f
2:  movabs $0x0000800000000000, %rsp  /* a non-canonical stack: #SS(0), delivered on IST1 */
    pop %rax
    TO32 1f
    /* QEMU TCG walks the page tables instead (#PF); SDM 6.15 (#SS), 3.3.7.1 */
1:  CHECK_FAULT 12, 0, "a non-canonical stack address is #SS(0) # swemu-only"
    TRY 1f
    TO64 2f
2:  mov 0x40200000, %rax
    TO32 1f
1:  CHECK_FAULT 14, 0, "4-level paging: #PF(0) for a not-present PDE"
    CHECK_EQ exc_cr2, $0x40200000, "CR2 = the faulting address"

    /* interrupt frames (6.14.2, 6.14.5) */
    TRY 1f
    TO64 2f
2:  mov %rsp, r_rsp(%rip)
    int $0x41
    TO32 1f
1:  CHECK_FAULT 0x41, NO_ERROR, "INT through a 64-bit interrupt gate with IST=1"
    CHECK_EQ exc_frame, $ist1_top-40, "IST=1: RIP of the frame at TSS.IST1 - 40"
    mov r_rsp, %eax
    CHECK_EQ exc_rsp64, %eax, "the frame holds the interrupted RSP"
    CHECK_EQ exc_ss, $SEL_DATA32, "the frame holds the interrupted SS (no privilege change)"
    CHECK_EQ exc_cs, $SEL_CODE64, "the frame holds CS"
    TRY 1f
    TO64 2f
2:  and $~15, %rsp
    sub $8, %rsp
    mov %rsp, r_rsp(%rip)
    int $0x42
    TO32 1f
1:  mov r_rsp, %eax
    sub $48, %eax
    CHECK_EQ exc_frame, %eax, "64-bit delivery aligns RSP to 16 bytes before the frame"
    mov r_rsp, %eax
    CHECK_EQ exc_rsp64, %eax, "the frame holds the unaligned RSP"

    /* SYSCALL / SYSRET (5.8.8) */
    TRY 1f
    TO64 2f
2:  syscall
    TO32 1f
1:  CHECK_FAULT 6, NO_ERROR, "SYSCALL with EFER.SCE=0 is #UD"
    SET_EFER EFER_SCE
    WRMSR32 MSR_STAR, 0, 0x00400028 /* SYSCALL CS 0x28; SYSRET base 0x40 */
    WRMSR32 MSR_LSTAR, syscall_entry
    WRMSR32 MSR_FMASK, 0x400        /* DF */
    TRY 1f
    TO64 2f
2:  mov %rsp, kernel_rsp(%rip)
    mov $user_stack_top, %esp
    mov $user64, %ecx
    mov $0xc7, %r11d                /* CF PF ZF SF and bit 1 */
    sysretq
user64:
    SAVE_FLAGS64 u
    std
    syscall
user64_next:
    ud2
syscall_entry:
    mov %rcx, sc_rcx(%rip)
    mov %r11, sc_r11(%rip)
    SAVE_FLAGS64 sc
    cld
    mov kernel_rsp(%rip), %rsp
    TO32 1f
1:  mov $SEL_DATA32, %eax
    mov %eax, %ss
    movl $0, recover_eip
    CHECK_EQ u_cs, $0x53, "SYSRET to 64-bit: CS = STAR[63:48] + 16, RPL 3"
    CHECK_EQ u_ss, $0x4b, "SYSRET: SS = STAR[63:48] + 8, RPL 3"
    CHECK_EQ u_rflags, $0xc7, "SYSRET: RFLAGS = R11"
    CHECK_EQ sc_rcx, $user64_next, "SYSCALL: RCX = the next RIP"
    CHECK_EQ sc_rcx+4, $0, "SYSCALL: RCX bits 63:32"
    CHECK_EQ sc_r11, $0x4c7, "SYSCALL: R11 = RFLAGS"
    mov sc_rflags, %eax
    and $0x400, %eax
    CHECK_EQ %eax, $0, "SYSCALL: RFLAGS &= ~IA32_FMASK clears DF"
    /* QEMU TCG also clears CF, PF, ZF, SF here (its lazy flags are dropped) */
    CHECK_EQ sc_rflags, $0xc7, "SYSCALL keeps the RFLAGS bits not in IA32_FMASK # swemu-only"
    CHECK_EQ sc_cs, $0x28, "SYSCALL: CS = STAR[47:32]"
    CHECK_EQ sc_ss, $0x30, "SYSCALL: SS = STAR[47:32] + 8"

    /* a privilege change in 64-bit mode (6.14.4): INT n from CPL 3 through a DPL 0 gate is
     * #GP(vector*8+2), delivered on TSS.RSP0 with the user SS:RSP in the frame */
    TRY 1f
    TO64 2f
2:  mov $user_stack_top, %esp
    mov $user64_int, %ecx
    mov $0x2, %r11d
    sysretq
user64_int:
    int $0x43
    ud2
    .code32
    /* QEMU TCG reports vector*16+2 in IA-32e mode; SDM 6.13: the error code's index field is
     * the vector (IDT bit set) whatever the gate size */
1:  CHECK_FAULT 13, 0x43*8+2, "64-bit INT n from CPL 3 through a DPL 0 gate: #GP(vector*8+2) # swemu-only"
    CHECK_EQ exc_vector, $13, "64-bit INT n from CPL 3 through a DPL 0 gate: #GP"
    CHECK_EQ exc_frame, $ring0_stack_top-40, "CPL 3 -> 0: the frame is on TSS.RSP0"
    CHECK_EQ exc_cs, $0x53, "the frame holds the user CS"
    CHECK_EQ exc_ss, $0x4b, "the frame holds the user SS"
    CHECK_EQ exc_rsp64, $user_stack_top, "the frame holds the user RSP"
    SET_EFER 0, ~EFER_SCE

    /* SWAPGS */
    WRMSR32 MSR_GSBASE, swap_a
    WRMSR32 MSR_KGSBASE, swap_b
    TO64 2f
2:  swapgs
    mov %gs:0, %eax
    mov %eax, r_gsword(%rip)
    mov $MSR_GSBASE, %ecx
    rdmsr
    mov %eax, r_gsbase(%rip)
    mov $MSR_KGSBASE, %ecx
    rdmsr
    mov %eax, r_kgsbase(%rip)
    swapgs
    TO32 1f
1:  CHECK_EQ r_gsbase, $swap_b, "SWAPGS: GS.base = the old IA32_KERNEL_GS_BASE"
    CHECK_EQ r_kgsbase, $swap_a, "SWAPGS: IA32_KERNEL_GS_BASE = the old GS.base"
    CHECK_EQ r_gsword, $0xb0b0b0b0, "GS-relative access uses the swapped base"

    /* protection keys (4.6.2): supervisor data accesses to a user page with key 1 */
    testl $(1 << 3), r_cpuid7
    jz 3f
    TRY 1f
    .byte 0x0f, 0x01, 0xee          /* RDPKRU */
1:  CHECK_FAULT 6, NO_ERROR, "RDPKRU with CR4.PKE=0 is #UD"
    SET_CR cr4, CR4_PKE
    mov $7, %eax
    xor %ecx, %ecx
    cpuid
    and $(1 << 4), %ecx
    CHECK_EQ %ecx, $(1 << 4), "CPUID.7:ECX.OSPKE follows CR4.PKE"
    mov $4, %eax                    /* AD for key 1 */
    xor %ecx, %ecx
    xor %edx, %edx
    .byte 0x0f, 0x01, 0xef          /* WRPKRU */
    xor %eax, %eax
    .byte 0x0f, 0x01, 0xee
    CHECK_EQ %eax, $4, "RDPKRU returns what WRPKRU wrote"
    TRY 1f
    mov PK_VA, %eax
1:  CHECK_FAULT 14, 0x21, "read of a key with PKRU.AD=1: #PF(P|PK)"
    CHECK_EQ exc_cr2, $PK_VA, "CR2 = the address"
    SET_CR cr0, CR0_WP
    mov $8, %eax                    /* WD for key 1 */
    xor %ecx, %ecx
    xor %edx, %edx
    .byte 0x0f, 0x01, 0xef
    TRY 1f
    mov PK_VA+RES_IVT_DESC, %eax
1:  CHECK_NO_FAULT "read of a key with only PKRU.WD=1"
    TRY 1f
    movl $0, PK_VA+RES+0x200
1:  CHECK_FAULT 14, 0x23, "supervisor write, PKRU.WD=1, CR0.WP=1: #PF(P|W|PK)"
    SET_CR cr0, 0, ~CR0_WP
    TRY 1f
    movl $0, PK_VA+RES+0x200
1:  CHECK_NO_FAULT "supervisor write, PKRU.WD=1, CR0.WP=0: no fault"
    TRY 1f
    xor %eax, %eax
    mov $1, %ecx
    xor %edx, %edx
    .byte 0x0f, 0x01, 0xef
1:  CHECK_FAULT 13, 0, "WRPKRU with ECX != 0 is #GP(0)"
    xor %eax, %eax
    xor %ecx, %ecx
    xor %edx, %edx
    .byte 0x0f, 0x01, 0xef
    SET_CR cr4, 0, ~CR4_PKE
3:
    /* leave IA-32e mode from compatibility mode (10.8.5.4) */
    SET_CR cr0, 0, ~CR0_PG
    mov $MSR_EFER, %ecx
    rdmsr
    and $EFER_LMA, %eax
    CHECK_EQ %eax, $0, "CR0.PG=0 in compatibility mode clears EFER.LMA"
    SET_EFER 0, ~EFER_LME
    xor %eax, %eax
    mov %eax, %cr4
    lidt idt32_desc
    call load_tss32
    TRY 1f
    ud2
1:  CHECK_FAULT 6, NO_ERROR, "legacy protected mode again: events through the 32-bit IDT"
    ret

/* ---- PCIDs and INVPCID (IA-32e mode entered again; last, so that a CPU without them, as QEMU
 * 7.2's TCG, numbers every other check the same) ------------------------------------------ */
pcid_tests:
    /* CPUID.1:ECX.PCID and CPUID.7:EBX.INVPCID (QEMU 7.2's TCG and swemu's AMD model: neither) */
    mov $1, %eax
    cpuid
    shr $17, %ecx
    and $1, %ecx
    mov %ecx, %esi
    mov $7, %eax
    xor %ecx, %ecx
    cpuid
    shr $10, %ebx
    and %esi, %ebx
    test $1, %ebx
    jz 9f
    /* IA-32e mode again (10.8.5), in compatibility mode; V and G under PDPT entry 2 */
    lidt idt64_desc
    mov $CR4_PAE, %eax
    mov %eax, %cr4
    mov $pml4, %eax
    mov %eax, %cr3
    SET_EFER EFER_LME
    SET_CR cr0, CR0_PG
    mov $tss64, %eax
    mov $103, %ecx
    mov $(GDT_FREE+2), %edx
    call set_gdt_tss
    mov $SEL_TSS64, %eax
    ltr %ax
    movl $pd_pcid+3, pdpt+16
    movl $pt_pcid+3, pd_pcid
    movl $VAL_A, frame_a
    movl $VAL_B, frame_b
    movl $frame_a+3, pt_pcid
    movl $frame_a+0x103, pt_pcid+8  /* G */

    /* MOV to CR4: #GP(0) for PCIDE 0 -> 1 while CR3[11:0] != 0 */
    mov $pml4+1, %eax
    mov %eax, %cr3
    TRY 1f
    SET_CR cr4, CR4_PCIDE
1:  mov %cr4, %ebx
    SET_CR cr4, 0, ~CR4_PCIDE       /* undone where the write was taken */
    CHECK_FAULT 13, 0, "CR4.PCIDE 0 -> 1 with CR3[11:0] != 0 is #GP(0) # swemu-only"
    and $CR4_PCIDE, %ebx
    CHECK_EQ %ebx, $0, "the faulting write left CR4.PCIDE clear # swemu-only"
    mov $pml4, %eax
    mov %eax, %cr3
    TRY 1f
    SET_CR cr4, CR4_PCIDE|CR4_PGE
1:  CHECK_NO_FAULT "CR4.PCIDE 0 -> 1 with CR3[11:0] = 0, and CR4.PGE # swemu-only"

    /* a stale translation under PCID 1, then INVPCID type 0 */
    mov $pml4+1, %eax
    mov %eax, %cr3
    CHECK_EQ PCID_V, $VAL_A, "PCID 1: V maps frame A # swemu-only"
    movl $frame_b+3, pt_pcid        /* no invalidation */
    TRY 1f
    TO64 2f
2:  mov $pml4+2, %eax
    bts $63, %rax
    mov %rax, %cr3
    mov %cr3, %rax
    mov %rax, r_cr3(%rip)
    TO32 1f
1:  CHECK_NO_FAULT "MOV CR3 with bit 63 set and CR4.PCIDE=1 (to PCID 2) # swemu-only"
    CHECK_EQ r_cr3, $pml4+2, "CR3 reads back with PCID 2 # swemu-only"
    CHECK_EQ r_cr3+4, $0, "CR3 bit 63 is not stored # swemu-only"
    CR3_KEEP 1
    CHECK_EQ PCID_V, $VAL_A, "back to PCID 1 with bit 63: V keeps the stale frame A (as hardware may) # swemu-only"
    DO_INVPCID 0, 1, PCID_V
    CHECK_EQ PCID_V, $VAL_B, "INVPCID type 0 (PCID 1, V): V reads frame B # swemu-only"

    /* MOV CR3 without bit 63 invalidates the new PCID's translations */
    movl $frame_a+3, pt_pcid
    CR3_KEEP 2
    CR3_KEEP 1
    CHECK_EQ PCID_V, $VAL_B, "PCID 2 -> 1 with bit 63: V keeps the stale frame B (as hardware may) # swemu-only"
    CR3_KEEP 2
    mov $pml4+1, %eax
    mov %eax, %cr3
    CHECK_EQ PCID_V, $VAL_A, "PCID 2 -> 1 without bit 63: V reads frame A # swemu-only"

    /* INVPCID type 1 of PCID 1 from PCID 2 */
    movl $frame_b+3, pt_pcid
    CR3_KEEP 2
    CR3_KEEP 1
    CHECK_EQ PCID_V, $VAL_A, "PCID 2 -> 1 with bit 63: V keeps the stale frame A (as hardware may) # swemu-only"
    CR3_KEEP 2
    DO_INVPCID 1, 1, 0
    CR3_KEEP 1
    CHECK_EQ PCID_V, $VAL_B, "INVPCID type 1 (PCID 1) from PCID 2: V reads frame B under PCID 1 # swemu-only"

    /* global pages: shared by the PCIDs, kept by CR3 loads, not by INVPCID type 2 */
    CHECK_EQ PCID_G, $VAL_A, "PCID 1: the global page G maps frame A # swemu-only"
    movl $frame_b+0x103, pt_pcid+8
    mov $pml4+2, %eax
    mov %eax, %cr3
    CHECK_EQ PCID_G, $VAL_A, "MOV CR3 to PCID 2 without bit 63: G keeps frame A (as hardware may) # swemu-only"
    DO_INVPCID 2, 0, 0
    CHECK_EQ PCID_G, $VAL_B, "INVPCID type 2: G reads frame B # swemu-only"

    /* INVPCID type 3: every PCID's translations but the global ones */
    CHECK_EQ PCID_V, $VAL_B, "PCID 2: V maps frame B # swemu-only"
    movl $frame_a+3, pt_pcid
    movl $frame_a+0x103, pt_pcid+8
    DO_INVPCID 3, 0, 0
    CHECK_EQ PCID_V, $VAL_A, "INVPCID type 3: V reads frame A # swemu-only"
    CHECK_EQ PCID_G, $VAL_B, "INVPCID type 3 keeps G (as hardware may) # swemu-only"
    DO_INVPCID 2, 0, 0
    CHECK_EQ PCID_G, $VAL_A, "INVPCID type 2: G reads frame A # swemu-only"

    /* INVLPG: the current PCID's translation and the global one */
    movl $frame_b+3, pt_pcid
    movl $frame_b+0x103, pt_pcid+8
    invlpg PCID_V
    invlpg PCID_G
    CHECK_EQ PCID_V, $VAL_B, "INVLPG V under PCID 2: V reads frame B # swemu-only"
    CHECK_EQ PCID_G, $VAL_B, "INVLPG G: G reads frame B # swemu-only"

    /* INVPCID #GP(0) */
    TRY 1f
    DO_INVPCID 4, 0, 0
1:  CHECK_FAULT 13, 0, "INVPCID type 4 is #GP(0) # swemu-only"
    TRY 1f
    DO_INVPCID 0, 1, 0, 0x8000
1:  CHECK_FAULT 13, 0, "INVPCID type 0 with a non-canonical address is #GP(0) # swemu-only"
    TRY 1f
    DO_INVPCID 1, 0x1001, 0
1:  CHECK_FAULT 13, 0, "INVPCID with descriptor bits 63:12 set is #GP(0) # swemu-only"

    mov $pml4, %eax
    mov %eax, %cr3
    SET_CR cr4, 0, ~(CR4_PCIDE|CR4_PGE)
    TRY 1f
    DO_INVPCID 0, 1, PCID_V
1:  CHECK_FAULT 13, 0, "CR4.PCIDE=0: INVPCID type 0 with PCID 1 is #GP(0) # swemu-only"
    TRY 1f
    DO_INVPCID 1, 1, 0
1:  CHECK_FAULT 13, 0, "CR4.PCIDE=0: INVPCID type 1 with PCID 1 is #GP(0) # swemu-only"
    TRY 1f
    DO_INVPCID 0, 0, PCID_V
1:  CHECK_NO_FAULT "CR4.PCIDE=0: INVPCID type 0 with PCID 0 # swemu-only"
    movl $0, pdpt+16
    SET_CR cr0, 0, ~CR0_PG
    SET_EFER 0, ~EFER_LME
    xor %eax, %eax
    mov %eax, %cr4
    lidt idt32_desc
    call load_tss32
9:  ret

/* ---- virtual-8086 mode ------------------------------------------------------------------- */
v86_tests:
    RUN_V86 v86_cli, 0
    CHECK_FAULT 13, 0, "CLI in virtual-8086 mode with IOPL 0 is #GP(0)"
    CHECK_EQ exc_eip, $R(v86_cli_insn), "#GP saved EIP: the CLI's offset"
    CHECK_EQ exc_cs, $BLOB_SEG, "#GP saved CS: the real-mode style segment"
    mov exc_eflags, %eax
    and $(EFLAGS_VM|0x3000), %eax
    CHECK_EQ %eax, $EFLAGS_VM, "saved EFLAGS has VM=1, IOPL 0"
    movzwl %bx, %ebx
    CHECK_EQ %ebx, $0x1234, "the code before it ran in virtual-8086 mode"
    mov exc_esp, %eax
    CHECK_EQ 8(%eax), $V86_ES, "the frame from virtual-8086 mode holds ES"
    CHECK_EQ 12(%eax), $BLOB_SEG, "the frame holds DS"
    CHECK_EQ (%eax), $RM_STACK, "the frame holds the virtual-8086 ESP"
    RUN_V86 v86_pushf, 0
    CHECK_FAULT 13, 0, "PUSHF in virtual-8086 mode with IOPL 0 is #GP(0)"
    RUN_V86 v86_popf, 0
    CHECK_FAULT 13, 0, "POPF in virtual-8086 mode with IOPL 0 is #GP(0)"
    RUN_V86 v86_int, 0
    CHECK_FAULT 13, 0, "INT n in virtual-8086 mode with IOPL 0 is #GP(0) (CR4.VME=0)"
    RUN_V86 v86_iret_iopl0, 0
    CHECK_FAULT 13, 0, "IRET in virtual-8086 mode with IOPL 0 is #GP(0)"
    RUN_V86 v86_in, 3
    CHECK_FAULT 13, 0, "IN with IOPL 3 and no I/O bitmap in the TSS is #GP(0) (20.2.8.1)"
    RUN_V86 v86_read, 3
    CHECK_FAULT 0x80, NO_ERROR, "INT n with IOPL 3 leaves virtual-8086 mode through the IDT"
    movzwl %bx, %ebx
    CHECK_EQ %ebx, $0xbeef, "virtual-8086 address = DS * 16 + offset"
    mov exc_eflags, %eax
    and $EFLAGS_VM, %eax
    CHECK_EQ %eax, $EFLAGS_VM, "saved EFLAGS has VM=1"
    RUN_V86 v86_flags, 3
    CHECK_FAULT 0x80, NO_ERROR, "CLI, STI, PUSHF, POPF run with IOPL 3"
    and $0x3000, %ebx
    CHECK_EQ %ebx, $0x3000, "PUSHF in virtual-8086 mode shows IOPL 3"
    and $0x3000, %ecx
    CHECK_EQ %ecx, $0x3000, "POPF in virtual-8086 mode does not change IOPL"
    RUN_V86 v86_iret, 3
    CHECK_FAULT 0x80, NO_ERROR, "16-bit IRET within virtual-8086 mode with IOPL 3"
    movzwl %dx, %edx
    CHECK_EQ %edx, $0x5a5a, "IRET reached its target"

    /* CR4.VME (20.3): tss_vme sends every INT n to the 8086 IVT except 0x81. QEMU TCG does not
     * advertise or implement VME (its CR4.VME leaves every IOPL-sensitive instruction #GP). */
    mov $1, %eax
    cpuid
    and $2, %edx
    CHECK_EQ %edx, $2, "CPUID.1:EDX.VME # swemu-only"
    movl $ring0_stack_top, tss_vme+4
    movl $SEL_DATA32, tss_vme+8
    movw $VME_IOBASE, tss_vme+102
    orb $(1 << (0x81 & 7)), tss_vme+104+(0x81 >> 3)
    mov $tss_vme, %eax
    mov $VME_IOBASE, %ecx
    mov $(GDT_FREE+4), %edx
    call set_gdt_tss
    mov $SEL_TSSVME, %eax
    ltr %ax
    movw $R(v86_int22), 0x22*4
    movw $BLOB_SEG, 0x22*4+2
    SET_CR cr4, CR4_VME
    RUN_V86 v86_vme_flags, 0
    CHECK_FAULT 13, 0, "VME: INT 0x81 with its redirection bit set and IOPL 0 is #GP(0) # swemu-only"
    movzwl %bx, %ebx
    CHECK_EQ %ebx, $0x3002, "VME: CLI clears VIF; PUSHF shows VIF as IF and IOPL 3 # swemu-only"
    movzwl %cx, %ecx
    CHECK_EQ %ecx, $0x3202, "VME: STI sets VIF # swemu-only"
    mov exc_eflags, %eax
    and $(EFLAGS_VIF|EFLAGS_IF), %eax
    CHECK_EQ %eax, $EFLAGS_VIF, "VME: EFLAGS.VIF=1, IF unchanged (0) # swemu-only"
    RUN_V86 v86_vme_int, 0
    CHECK_FAULT 13, 0, "VME: INT 0x22 runs the 8086 handler from the IVT at linear 0 # swemu-only"
    movzwl %ax, %eax
    CHECK_EQ %eax, $R(v86_vme_int_after), "VME INT: IP pushed # swemu-only"
    movzwl %bx, %ebx
    CHECK_EQ %ebx, $BLOB_SEG, "VME INT: CS pushed # swemu-only"
    movzwl %cx, %ecx
    CHECK_EQ %ecx, $0x3202, "VME INT: FLAGS pushed with IF = VIF and IOPL 3 # swemu-only"
    mov exc_eflags, %eax
    and $EFLAGS_VIF, %eax
    CHECK_EQ %eax, $0, "VME INT: VIF cleared in the handler # swemu-only"
    RUN_V86 v86_vme_popf, 0
    CHECK_FAULT 13, 0, "VME: POPF then IRET ran # swemu-only"
    movzwl %bx, %ebx
    CHECK_EQ %ebx, $0x3202, "VME: POPF with IF=1 sets VIF # swemu-only"
    movzwl %dx, %edx
    CHECK_EQ %edx, $0x3002, "VME: IRET with IF=0 in FLAGS clears VIF # swemu-only"
    RUN_V86 v86_vme_popf_tf, 0
    CHECK_FAULT 13, 0, "VME: POPF with TF=1 is #GP(0) # swemu-only"
    CHECK_EQ exc_eip, $R(v86_vme_popf_tf_insn), "VME: the #GP points at the POPF # swemu-only"
    RUN_V86 v86_vme_pushfd, 0
    CHECK_FAULT 13, 0, "VME: PUSHFD is #GP(0) # swemu-only"
    CHECK_EQ exc_eip, $R(v86_vme_pushfd), "VME: the #GP points at the PUSHFD # swemu-only"
    SET_CR cr4, 0, ~CR4_VME
    call load_tss32
    ret

/* ---- the 16-bit blob (copied to BLOB) ---------------------------------------------------- */
    .code16
rm_start:
pm16_entry:
    mov %esp, %ebx
    push %ax
    sub %esp, %ebx
    pop %ax
    mov %bx, RES_PUSH16
pm16_ud:
    ud2

pm16_to_real:
    mov $SEL_DATA16, %ax            /* base 0, limit 64 KiB */
    mov %ax, %ss
    mov $RM_STACK, %esp
    mov %ax, %ds
    mov %ax, %es
    mov $SEL_DATA32, %ax            /* 4 GiB limit, kept into real mode */
    mov %ax, %fs
    mov %ax, %gs
    lidt RES_IVT_DESC
    mov %cr0, %eax
    and $~1, %eax
    mov %eax, %cr0
    ljmp $BLOB_SEG, $R(rm_entry)
rm_entry:
    xor %ax, %ax
    mov %ax, %ss
    mov %ax, %ds
    mov %ax, %es
    mov %cs, %ax
    mov %ax, RES_RM_CS
    mov %cr0, %eax
    mov %eax, RES_RM_CR0
    mov $unreal_magic, %ebx
    mov %fs:(%ebx), %eax
    mov %eax, RES_UNREAL
    sti
    mov %sp, RES_SP_BEFORE
    int $0x30
rm_int30_after:
    cli
    mov $0x10000, %ebx
    mov (%ebx), %al                 /* beyond DS's limit: #GP */
rm_after_gp:
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $SEL_CODE32, $real_back

rm_int30:
    mov %sp, RES_SP_IN
    mov %sp, %bp
    mov (%bp), %ax
    mov %ax, RES_IP_PUSHED
    mov 2(%bp), %ax
    mov %ax, RES_CS_PUSHED
    mov 4(%bp), %ax
    mov %ax, RES_FL_PUSHED
    pushf
    pop %ax
    mov %ax, RES_FL_IN
    iret
rm_gp:
    movw $13, RES_RM_VECTOR
    add $6, %sp
    jmp rm_after_gp
rm_other:
    movw $0xee, RES_RM_VECTOR
    add $6, %sp
    jmp rm_after_gp

v86_cli:
    mov $0x1234, %bx
v86_cli_insn:
    cli
v86_pushf:
    pushf
v86_popf:
    popf
v86_int:
    int $0x80
v86_iret_iopl0:
    iret
v86_in:
    in $0x80, %al
v86_read:
    mov R(v86_word), %bx
    int $0x80
v86_flags:
    cli
    sti
    cli
    pushf
    pop %bx
    push $0
    popf
    pushf
    pop %cx
    int $0x80
v86_iret:
    pushf
    push %cs
    push $R(v86_iret_to)
    iret
v86_iret_to:
    mov $0x5a5a, %dx
    int $0x80
v86_vme_flags:
    cli
    pushf
    pop %bx
    sti
    pushf
    pop %cx
    int $0x81
v86_vme_int:
    sti
    int $0x22
v86_vme_int_after:
v86_int22:
    pop %ax
    pop %bx
    pop %cx
    int $0x81
v86_vme_popf:
    push $0x0200
    popf
    pushf
    pop %bx
    push $0
    push %cs
    push $R(v86_vme_iret_to)
    iret
v86_vme_iret_to:
    pushf
    pop %dx
    int $0x81
v86_vme_popf_tf:
    push $0x0100
v86_vme_popf_tf_insn:
    popf
v86_vme_pushfd:
    pushfl
v86_word:
    .word 0xbeef
rm_end:
    .code32

/* ---- 64-bit IDT stubs: 16 bytes each ----------------------------------------------------- */
    .code64
    .balign 16
stubs64:
    EXC_STUBS pushq, exc_common64

/* Records the event like exc_common32 (plus the frame address, RSP and SS) and resumes at the
 * TRY point in 32-bit code (compatibility or legacy mode) with IRETQ. */
exc_common64:
    pop %rax
    mov %eax, exc_vector(%rip)
    pop %rax
    mov %eax, exc_error(%rip)
    mov %esp, exc_frame(%rip)
    mov (%rsp), %rax
    mov %eax, exc_eip(%rip)
    mov 8(%rsp), %rax
    mov %eax, exc_cs(%rip)
    mov 16(%rsp), %rax
    mov %eax, exc_eflags(%rip)
    mov 24(%rsp), %rax
    mov %eax, exc_rsp64(%rip)
    mov 32(%rsp), %rax
    mov %eax, exc_ss(%rip)
    mov %cr2, %rax
    mov %eax, exc_cr2(%rip)
    incl exc_count(%rip)
    cmpl $0, recover_eip(%rip)
    je 1f
    mov recover_esp(%rip), %eax
    pushq $SEL_DATA32
    push %rax
    pushq $2
    pushq $SEL_CODE32
    mov recover_eip(%rip), %eax
    push %rax
    iretq
1:  TO32 unexpected
    .code32

/* ---- data -------------------------------------------------------------------------------- */
    .data
    .balign 4
unreal_magic: .long 0x600dcafe
saved_esp: .long 0
exc_frame: .long 0
exc_rsp64: .long 0
exc_ss: .long 0
r_rex: .long 0
r_push64: .long 0
r_cpuid7: .long 0
r_gsword: .long 0
r_gsbase: .long 0
r_kgsbase: .long 0
u_rflags: .long 0
u_cs: .long 0
u_ss: .long 0
sc_rflags: .long 0
sc_cs: .long 0
sc_ss: .long 0
swap_a: .long 0xa0a0a0a0
swap_b: .long 0xb0b0b0b0
    .balign 8
r_rsp: .quad 0
r_cr3: .quad 0
    .balign 16
inv_desc: .space 16
kernel_rsp: .quad 0
sc_rcx: .quad 0
sc_r11: .quad 0
    .balign 4
    .word 0
idt64_desc:
    .word 256 * 16 - 1
    .long idt64

    .bss
    .balign 4096
pml4: .space 4096
pdpt: .space 4096
pd: .space 4096
pd_pk: .space 4096
pd32: .space 4096
pd_pcid: .space 4096
pt_pcid: .space 4096
frame_a: .space 4096
frame_b: .space 4096
idt64: .space 4096
tss64: .space 104
tss_vme: .space VME_IOBASE + 1
    .balign 16
    .space 4096
ist1_top:
