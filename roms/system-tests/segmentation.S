/* segmentation.elf: descriptor loads and their faults (#GP/#NP/#SS/#TS with selector error
 * codes), the LDT, conforming and non-conforming code, a call gate with a privilege change and
 * stack switch, far RET to an outer level, IRET across levels, a task switch through a task gate
 * and back by IRET, LAR/LSL/VERR/VERW/ARPL, SYSENTER/SYSEXIT, the access rights checked on every
 * data access (writes to code or read-only data, null selectors). SYSCALL/SYSRET and SWAPGS are
 * in modes.elf. */
#include "lib.S"

#define SEL_LDT     (GDT_FREE*8)          /* LDT descriptor */
#define SEL_CONF    (GDT_FREE*8+8)        /* conforming code, DPL 0 */
#define SEL_GATE    (GDT_FREE*8+16)       /* call gate DPL 3 -> SEL_CODE32 */
#define SEL_NPCODE  (GDT_FREE*8+24)       /* not-present code */
#define SEL_TSS2    (GDT_FREE*8+32)       /* second task */
#define SEL_XCODE   (GDT_FREE*8+40)       /* execute-only code, DPL 0 */
#define SEL_RODATA  (GDT_FREE*8+48)       /* read-only data, DPL 0 */
#define SEL_LDATA   0x04                  /* LDT entry 0: data with base 0x1000 */

    .text
tests:
    /* GDT entries */
    mov $GDT_FREE, %edx
    mov $ldt, %eax
    shl $16, %eax
    or $15, %eax
    mov $0x00008200, %ecx                 /* LDT, present; base 23:16 = 0 (ldt below 16 MiB) */
    mov $ldt, %ebx
    shr $16, %ebx
    and $0xff, %ebx
    or %ebx, %ecx
    call set_gdt
    inc %edx; mov $0x0000ffff, %eax; mov $0x00cf9e00, %ecx; call set_gdt   /* conforming, readable */
    inc %edx                              /* call gate: offset gate_target, SEL_CODE32, DPL 3 */
    mov $gate_target, %eax
    and $0xffff, %eax
    or $(SEL_CODE32 << 16), %eax
    mov $gate_target, %ecx
    and $0xffff0000, %ecx
    or $0xec00, %ecx
    call set_gdt
    inc %edx; mov $0x0000ffff, %eax; mov $0x00cf1a00, %ecx; call set_gdt   /* code, P=0 */
    inc %edx                              /* TSS2 */
    push %edx
    mov $tss2, %eax
    mov $103, %ecx
    call set_tss_desc
    pop %edx
    inc %edx; mov $0x0000ffff, %eax; mov $0x00cf9800, %ecx; call set_gdt   /* execute-only code */
    /* LDT entry 0: data, base 0x1000 */
    movl $0x1000ffff, ldt
    movl $0x00cf9200, ldt+4

    /* ---- loads and their faults ---- */
    mov $SEL_LDT, %ax
    lldt %ax
    movl $0x5a5a1234, 0x1010
    mov $SEL_LDATA, %eax
    mov %eax, %fs
    CHECK_EQ %fs:0x10, $0x5a5a1234, "LDT data segment: base applies (FS:0x10 = 0x1010)"
    sldt %eax
    CHECK_EQ %eax, $SEL_LDT, "SLDT returns the LDTR selector"
    TRY 1f
    mov $0x0c, %eax                       /* LDT index 1, beyond the LDT limit */
    mov %eax, %ds
1:  CHECK_FAULT 13, 0x0c, "#GP(selector) for an LDT selector beyond the LDT limit"
    TRY 1f
    xor %eax, %eax
    mov %eax, %ss
1:  CHECK_FAULT 13, 0, "#GP(0) for a null SS"
    TRY 1f
    mov $SEL_XCODE, %eax
    mov %eax, %ds
1:  CHECK_FAULT 13, SEL_XCODE, "#GP(selector) loading DS with execute-only code"
    TRY 1f
    mov $SEL_CODE32, %eax
    mov %eax, %ss
1:  CHECK_FAULT 13, SEL_CODE32, "#GP(selector) loading SS with a code segment"
    TRY 1f
    mov $(SEL_DATA32|3), %eax
    mov %eax, %ss
1:  CHECK_FAULT 13, SEL_DATA32, "#GP(selector) loading SS with RPL != CPL"
    TRY 1f
    mov $SEL_CONF, %eax
    mov %eax, %ds
    mov seg_scratch, %ebx
1:  mov $SEL_DATA32, %eax
    mov %eax, %ds
    CHECK_NO_FAULT "DS may hold a readable conforming code segment and read through it"

    /* ---- access rights on every access (SDM 5.5, 5.6; QEMU TCG checks none of them) ---- */
    TRY 1f
    mov $SEL_CONF, %eax
    mov %eax, %ds
    movl $1, seg_scratch
1:  mov $SEL_DATA32, %eax
    mov %eax, %ds
    CHECK_FAULT 13, 0, "#GP(0) for a write through DS holding a code segment # swemu-only"
    mov $SEL_RODATA>>3, %edx
    mov $0x0000ffff, %eax
    mov $0x00cf9000, %ecx                 /* read-only data */
    call set_gdt
    TRY 1f
    mov $SEL_RODATA, %eax
    mov %eax, %es
    mov %es:seg_scratch, %ebx
1:  CHECK_NO_FAULT "reads through a read-only data segment"
    TRY 1f
    mov $SEL_RODATA, %eax
    mov %eax, %es
    movl $1, %es:seg_scratch
1:  CHECK_FAULT 13, 0, "#GP(0) for a write to a read-only data segment # swemu-only"
    TRY 1f
    xor %eax, %eax
    mov %eax, %es
1:  CHECK_NO_FAULT "ES may be loaded with a null selector"
    TRY 1f
    mov %es:seg_scratch, %ebx
1:  CHECK_FAULT 13, 0, "#GP(0) for a read through a null ES # swemu-only"
    TRY 1f
    xor %eax, %eax
    mov %eax, %es                         /* the #GP handler reloaded ES */
    cld
    mov $seg_scratch, %edi
    stosl
1:  CHECK_FAULT 13, 0, "#GP(0) for STOS through a null ES # swemu-only"
    mov $SEL_DATA32, %eax
    mov %eax, %es
    TRY 1f
    ljmp $SEL_DATA32, $0
1:  CHECK_FAULT 13, SEL_DATA32, "#GP(selector) for a far JMP to a data segment"
    TRY 1f
    ljmp $SEL_NPCODE, $0
1:  CHECK_FAULT 11, SEL_NPCODE, "#NP(selector) for a far JMP to a not-present code segment"
    TRY 1f
    lcall $SEL_CONF, $conf_target
1:  CHECK_NO_FAULT "far CALL to a conforming segment at CPL 0"
    CHECK_EQ conf_cs, $SEL_CONF, "CS = the conforming selector"

    /* ---- privilege levels ---- */
    RUN_USER user_far_call_conforming
    CHECK_FAULT 0x80, NO_ERROR, "far CALL from CPL 3 to a DPL 0 conforming segment"
    CHECK_EQ exc_cs, $SEL_CONF|3, "conforming code keeps CPL 3 (CS.RPL = 3)"
    RUN_USER user_far_call_nonconforming
    CHECK_FAULT 13, SEL_CODE32, "#GP(selector) for a far CALL from CPL 3 to DPL 0 code"
    RUN_USER user_call_gate
    CHECK_FAULT 0x80, NO_ERROR, "call gate to CPL 0 and far RET back to CPL 3"
    CHECK_EQ exc_cs, $SEL_UCODE32, "back at CPL 3 after the far RET"
    CHECK_EQ gate_cs, $SEL_CODE32, "call gate: CS = the gate's selector"
    CHECK_EQ gate_ss, $SEL_DATA32, "call gate: SS from TSS.SS0"
    CHECK_EQ gate_frame+4, $SEL_UCODE32, "call gate: the caller's CS pushed on the inner stack"
    CHECK_EQ gate_frame+8, $user_stack_top, "call gate: the caller's ESP pushed"
    CHECK_EQ gate_frame+12, $SEL_UDATA, "call gate: the caller's SS pushed"
    mov $ring0_stack_top-16, %eax
    CHECK_EQ gate_esp, %eax, "call gate: ESP = TSS.ESP0 less the 4 pushes"
    CHECK_EQ user_ds_after_ret, $0, "far RET to CPL 3 nulls DS holding a DPL 0 segment"

    /* ---- task switch through a task gate ---- */
    mov %cr3, %eax
    mov %eax, tss2+28
    movl $task2, tss2+32                  /* EIP */
    movl $0x2, tss2+36                    /* EFLAGS */
    movl $task2_stack_top, tss2+56        /* ESP */
    movl $SEL_DATA32, tss2+72             /* ES */
    movl $SEL_CODE32, tss2+76             /* CS */
    movl $SEL_DATA32, tss2+80             /* SS */
    movl $SEL_DATA32, tss2+84             /* DS */
    movl $SEL_DATA32, tss2+88
    movl $SEL_DATA32, tss2+92
    movl $SEL_LDT, tss2+96
    movl $(SEL_TSS2 << 16), %eax          /* task gate: TSS selector, P, DPL 0, type 5 */
    mov %eax, idt32+0x50*8
    movl $0x8500, idt32+0x50*8+4
    movw $0, tss32                        /* back link cleared */
    mov $0x1111, %ebx
    int $0x50
    CHECK_EQ task2_ran, $1, "INT through a task gate runs the new task"
    CHECK_EQ task2_link, $SEL_TSS, "the new task's TSS back link = the old TSS"
    CHECK_EQ task2_nt, $EFLAGS_NT, "the new task runs with EFLAGS.NT = 1"
    CHECK_EQ task2_tr, $SEL_TSS2, "TR = the new TSS selector in the new task"
    CHECK_EQ %ebx, $0x1111, "IRET back restores the old task's registers"
    str %eax
    CHECK_EQ %eax, $SEL_TSS, "IRET returns to the old task (TR)"
    movzbl gdt+SEL_TSS2+5, %eax
    CHECK_EQ %eax, $0x89, "IRET marks the nested task's TSS available"
    CHECK_EQ tss2+32, $task2_resume, "the nested task's EIP was saved in its TSS"

    /* ---- LAR/LSL/VERR/VERW/ARPL ---- */
    mov %cs, %ecx
    lar %ecx, %eax
    OK z, "LAR of CS sets ZF"
    mov %eax, %ecx
    and $0x00f0feff, %eax                 /* bits 19:16 undefined (SDM: mask 00FxFF00H) */
    CHECK_EQ %eax, $0x00c09a00, "LAR of CS returns the access rights"
    /* QEMU TCG does not set the accessed bit when a far JMP loads CS (SDM 3.4.5.1: it does) */
    and $0x100, %ecx
    CHECK_EQ %ecx, $0x100, "the far JMP that loaded CS set its accessed bit # swemu-only"
    mov %ds, %ecx
    lsl %ecx, %eax
    CHECK_EQ %eax, $0xffffffff, "LSL of a page-granular 4 GiB segment"
    mov $SEL_LDT, %ecx
    lsl %ecx, %eax
    CHECK_EQ %eax, $15, "LSL of the LDT descriptor"
    xor %ecx, %ecx
    mov $0x1234, %eax
    lar %ecx, %eax
    OK nz, "LAR of the null selector clears ZF"
    mov $SEL_GATE, %ecx
    lsl %ecx, %eax
    OK nz, "LSL of a call gate clears ZF"
    mov $SEL_CODE32, %ecx
    verr %cx
    OK z, "VERR of readable code sets ZF"
    verw %cx
    OK nz, "VERW of code clears ZF"
    mov $SEL_XCODE, %ecx
    verr %cx
    OK nz, "VERR of execute-only code clears ZF"
    mov $SEL_DATA32, %ecx
    verw %cx
    OK z, "VERW of writable data sets ZF"
    mov $(SEL_DATA32|3), %ecx
    verw %cx
    OK nz, "VERW with RPL 3 of a DPL 0 segment clears ZF"
    mov $SEL_DATA32, %eax
    mov $3, %ecx
    arpl %cx, %ax
    OK z, "ARPL raising the RPL sets ZF"
    CHECK_EQ %eax, $SEL_DATA32|3, "ARPL result"

    /* ---- SYSENTER/SYSEXIT ---- */
    mov $0x174, %ecx
    mov $SEL_CODE32, %eax
    xor %edx, %edx
    wrmsr
    mov $0x175, %ecx
    mov $ring0_stack_top, %eax
    wrmsr
    mov $0x176, %ecx
    mov $sysenter_target, %eax
    wrmsr
    mov %esp, saved_esp
    mov $user_sysexit, %edx
    mov $user_stack_top, %ecx
    sysexit
sysenter_back:
    CHECK_EQ sysexit_cs, $SEL_CODE16|3, "SYSEXIT: CS = IA32_SYSENTER_CS + 16, RPL 3"
    CHECK_EQ sysexit_ss, $SEL_DATA16|3, "SYSEXIT: SS = IA32_SYSENTER_CS + 24, RPL 3"
    CHECK_EQ sysexit_esp, $user_stack_top, "SYSEXIT: ESP = ECX"
    CHECK_EQ sysenter_cs, $SEL_CODE32, "SYSENTER: CS = IA32_SYSENTER_CS"
    CHECK_EQ sysenter_ss, $SEL_DATA32, "SYSENTER: SS = IA32_SYSENTER_CS + 8"
    CHECK_EQ sysenter_esp, $ring0_stack_top, "SYSENTER: ESP = IA32_SYSENTER_ESP"
    ret

/* set_tss_desc: EAX base, ECX limit, EDX index */
set_tss_desc:
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

conf_target:
    mov %cs, %eax
    mov %eax, conf_cs
    lret

gate_target:
    mov %cs, %eax
    mov %eax, gate_cs
    mov %ss, %eax
    mov %eax, gate_ss
    mov %esp, gate_esp
    mov $SEL_DATA32, %eax                 /* DS holds the DPL 0 data segment on the way back */
    mov %eax, %ds
    mov (%esp), %eax
    mov %eax, gate_frame
    mov 4(%esp), %eax
    mov %eax, gate_frame+4
    mov 8(%esp), %eax
    mov %eax, gate_frame+8
    mov 12(%esp), %eax
    mov %eax, gate_frame+12
    lret

task2:
    movl $1, task2_ran
    movzwl tss2, %eax
    mov %eax, task2_link
    pushf
    pop %eax
    and $EFLAGS_NT, %eax
    mov %eax, task2_nt
    str %eax
    mov %eax, task2_tr
    mov $0x2222, %ebx
    iret
task2_resume:
    jmp task2

sysenter_target:
    mov %cs, %eax
    mov %eax, sysenter_cs
    mov %ss, %eax
    mov %eax, sysenter_ss
    mov %esp, sysenter_esp
    mov %ebx, sysexit_cs
    mov %esi, sysexit_ss
    mov %edi, sysexit_esp
    mov saved_esp, %esp
    jmp sysenter_back

    .section .user, "ax"
user_far_call_conforming:
    lcall $SEL_CONF|3, $user_in_conforming
    int $0x80
user_in_conforming:
    int $0x80
user_far_call_nonconforming:
    lcall $SEL_CODE32|3, $user_in_conforming
    int $0x80
user_call_gate:
    lcall $SEL_GATE|3, $0
    mov %ds, %eax
    mov %eax, %ss:user_ds_after_ret
    int $0x80
user_sysexit:
    mov %cs, %ebx
    mov %ss, %esi
    mov %esp, %edi
    sysenter

    .data
    .balign 4
seg_scratch: .long 0
    .balign 8
ldt: .quad 0, 0
conf_cs: .long 0
gate_cs: .long 0
gate_ss: .long 0
gate_esp: .long 0
gate_frame: .long 0, 0, 0, 0
user_ds_after_ret: .long 0xffff
task2_ran: .long 0
task2_link: .long 0
task2_nt: .long 0
task2_tr: .long 0
saved_esp: .long 0
sysenter_cs: .long 0
sysenter_ss: .long 0
sysenter_esp: .long 0
sysexit_cs: .long 0
sysexit_ss: .long 0
sysexit_esp: .long 0
    .bss
    .balign 16
tss2: .space 104
    .space 4096
task2_stack_top:
