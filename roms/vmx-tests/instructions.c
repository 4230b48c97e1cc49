/* instructions.elf: the VMX instructions' failure paths (SDM vol. 3, ch. 31: each instruction's
   Operation section; 31.2 for the flags of VMsucceed / VMfailInvalid / VMfailValid; 31.4 for the
   VM-instruction error numbers). Phase 0 runs with CR4.VMXE = 0, phase 1 in VMX root operation
   on this file's own VMXON and VMCS regions (which hold no guest), phase 2 on the VMX host
   library's VMCS, whose guest (guest.S: a read, then VMCALL) can run. */
#include "check.h"
#include "vmcs.h"

const char bench_name[] = "vmx-tests/instructions";
const uint64_t bench_default_iterations = 1;

#define SECONDARY_CONTROLS_ALLOWED (rdmsr(0x48B) >> 32)

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_a[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_b[4096] __attribute__((aligned(4096)));
static uint8_t ring0_stack[8192] __attribute__((aligned(16)));
static uint8_t user_stack[8192] __attribute__((aligned(16)));
static uint64_t gdt_ext[8] __attribute__((aligned(16)));
static uint64_t scratch, descriptor[2];
static struct guest_regs g;
extern uint64_t gdt[], gdt_pointer[];
extern void guest_read(void);
extern void user_vmxon(void), user_vmxoff(void), user_vmptrst(void), user_vmread(void),
    user_vmcall(void), user_invept(void);
extern void g_vmclear(void), g_vmptrld(void), g_vmptrst(void), g_vmxon(void), g_vmread(void),
    g_vmwrite(void), g_invept(void), g_invvpid(void), g_vmlaunch(void), g_vmresume(void), g_vmxoff(void);
extern void compat_vmxon(void), compat_vmxoff(void), compat_vmptrst(void), compat_vmcall(void),
    compat_vmread(void);

static uint64_t pa(const void *p) { return (uint64_t)(uintptr_t)p; }

static struct outcome vmxon(uint64_t p) { scratch = p; return ATTEMPT("vmxon %[m]", &scratch, 0, 0); }
static struct outcome vmclear(uint64_t p) { scratch = p; return ATTEMPT("vmclear %[m]", &scratch, 0, 0); }
static struct outcome vmptrld(uint64_t p) { scratch = p; return ATTEMPT("vmptrld %[m]", &scratch, 0, 0); }
static struct outcome vmptrst(void) { scratch = 0x5A5A; return ATTEMPT("vmptrst %[m]", &scratch, 0, 0); }
static struct outcome try_vmread(uint64_t field) { return ATTEMPT("vmread %[r], %[out]", &scratch, field, 0); }
static struct outcome try_vmwrite(uint64_t field, uint64_t v) { return ATTEMPT("vmwrite %[out], %[r]", &scratch, field, v); }
static struct outcome vmlaunch(void) { return ATTEMPT("vmlaunch", &scratch, 0, 0); }
static struct outcome vmresume(void) { return ATTEMPT("vmresume", &scratch, 0, 0); }
static struct outcome vmxoff(void) { return ATTEMPT("vmxoff", &scratch, 0, 0); }
static struct outcome vmcall(void) { return ATTEMPT("vmcall", &scratch, 0, 0); }
static struct outcome vmfunc(void) { return ATTEMPT("vmfunc", &scratch, 0, 0); }
static struct outcome invept(uint64_t type, uint64_t eptp) {
    descriptor[0] = eptp; descriptor[1] = 0;
    return ATTEMPT("invept %[m], %[r]", descriptor, type, 0);
}
static struct outcome invvpid(uint64_t type, uint64_t vpid, uint64_t linear) {
    descriptor[0] = vpid; descriptor[1] = linear;
    return ATTEMPT("invvpid %[m], %[r]", descriptor, type, 0);
}
static struct outcome write_cr4_attempt(uint64_t v) { return ATTEMPT("mov %[r], %%cr4", &scratch, v, 0); }
static struct outcome write_cr0_attempt(uint64_t v) { return ATTEMPT("mov %[r], %%cr0", &scratch, v, 0); }

/* Runs code at CPL 3 (selector 0x3B, stack selector 0x33). */
static struct outcome at_cpl3(void (*code)(void)) {
    return ATTEMPT("pushq $0x33\n\tpushq %[r]\n\tpushq $2\n\tpushq $0x3B\n\tpushq %[out]\n\tiretq",
                   &scratch, pa(user_stack + sizeof user_stack - 64), pa(code));
}
/* Runs code in compatibility mode at CPL 0 (selector 0x28). */
static struct outcome in_compatibility_mode(void (*code)(void)) {
    return ATTEMPT("pushq $0x10\n\tpushq %[r]\n\tpushq $2\n\tpushq $0x28\n\tpushq %[out]\n\tiretq",
                   &scratch, pa(user_stack + sizeof user_stack - 64), pa(code));
}

/* A GDT with the boot GDT's entries (0x08 code, 0x10 data, 0x18 TSS) plus 0x28 32-bit code,
   0x30 ring-3 data, 0x38 ring-3 64-bit code; the boot page tables made user-accessible; the TSS
   given a ring-0 stack. */
static void enable_other_modes(void) {
    bench_load_tss();
    for (int i = 0; i < 5; i++) gdt_ext[i] = gdt[i];
    gdt_ext[5] = 0x00CF9A000000FFFFULL;
    gdt_ext[6] = 0x00CFF2000000FFFFULL;
    gdt_ext[7] = 0x00AFFA000000FFFFULL;
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } p = { sizeof gdt_ext - 1, pa(gdt_ext) };
    __asm__ volatile("lgdt %0" : : "m"(p));
    uint64_t tss = (gdt[3] >> 16 & 0xFFFFFF) | (gdt[3] >> 56 & 0xFF) << 24 | gdt[4] << 32;
    *(volatile uint64_t *)(uintptr_t)(tss + 4) = pa(ring0_stack + sizeof ring0_stack);
    uint64_t *pml4 = (uint64_t *)(uintptr_t)(read_cr3() & ~0xFFFULL);
    uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4[0] & ~0xFFFULL);
    uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[0] & ~0xFFFULL);
    pml4[0] |= 4;
    pdpt[0] |= 4;
    for (int i = 0; i < 512; i++) pd[i] |= 4;
    write_cr3(read_cr3());
}

static void restore_boot_gdt(void) {
    __asm__ volatile("lgdt %0" : : "m"(*gdt_pointer));
}

/* Phase 0: CR4.VMXE = 0, outside VMX operation: every VMX instruction is #UD (VMXON because
   CR4.VMXE = 0, the others because the processor is not in VMX operation). */
static void outside_vmx_operation(const char *when, int with_vmxon) {
    char name[96];
    const char *what[] = { "VMXON", "VMXOFF", "VMCLEAR", "VMPTRLD", "VMPTRST", "VMREAD", "VMWRITE",
                           "VMLAUNCH", "VMRESUME", "VMCALL", "INVEPT", "INVVPID", "VMFUNC" };
    for (int i = 0; i < 13; i++) {
        struct outcome o;
        if (i == 0 && !with_vmxon) continue;
        switch (i) {
        case 0: o = vmxon(pa(vmxon_region)); break;
        case 1: o = vmxoff(); break;
        case 2: o = vmclear(pa(vmcs_a)); break;
        case 3: o = vmptrld(pa(vmcs_a)); break;
        case 4: o = vmptrst(); break;
        case 5: o = try_vmread(GUEST_RIP); break;
        case 6: o = try_vmwrite(GUEST_RIP, 0); break;
        case 7: o = vmlaunch(); break;
        case 8: o = vmresume(); break;
        case 9: o = vmcall(); break;
        case 10: o = invept(2, 0); break;
        case 11: o = invvpid(2, 0, 0); break;
        default: o = vmfunc(); break;
        }
        int n = 0;
        for (const char *s = what[i]; *s; s++) name[n++] = *s;
        for (const char *s = when; *s; s++) name[n++] = *s;
        name[n] = 0;
        expect_fault(name, o, 6, 0);
    }
}

uint64_t bench_run(uint64_t iterations) {
    (void)iterations;
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1 << 5))) bench_unsupported("no VMX (CPUID.1:ECX.VMX = 0)");
    uint64_t idt = faults_install();
    enable_other_modes();
    uint64_t basic = rdmsr(0x480), misc = rdmsr(0x485), ept_cap = rdmsr(0x48C);
    uint32_t revision = (uint32_t)basic & 0x7FFFFFFF;
    cpuid(0x80000000, 0, r);
    uint32_t width = 36;
    if (r[0] >= 0x80000008) { cpuid(0x80000008, 0, r); width = r[0] & 0xFF; }
    if (basic & (1ULL << 48)) width = 32;         /* IA32_VMX_BASIC[48]: 32-bit VMX addresses */
    uint64_t beyond = 1ULL << width;

    /* Phase 0. */
    write_cr4(read_cr4() & ~(1ULL << 13));
    outside_vmx_operation(" with CR4.VMXE=0: #UD", 1);

    uint64_t fc = rdmsr(0x3A);
    if (!(fc & 1)) wrmsr(0x3A, fc | 5);
    else if (!(fc & 4)) bench_unsupported("VMX disabled by IA32_FEATURE_CONTROL");
    write_cr0((read_cr0() | rdmsr(0x486)) & rdmsr(0x487));
    write_cr4((read_cr4() | rdmsr(0x488) | (1 << 13)) & rdmsr(0x489));
    outside_vmx_operation(" outside VMX operation: #UD", 0);

    /* VMXON's checks before it enters VMX operation (VMXON, Operation). */
    *(uint32_t *)vmxon_region = revision;
    *(uint32_t *)vmcs_a = revision;
    *(uint32_t *)vmcs_b = revision ^ 1;
    expect_fault("VMXON at CPL 3: #GP(0)", at_cpl3(user_vmxon), 13, 0);
    expect_fault("VMXON in compatibility mode: #UD", in_compatibility_mode(compat_vmxon), 6, 0);
    if (rdmsr(0x486) & (1 << 5)) {                /* CR0.NE fixed to 1 (A.7) */
        write_cr0(read_cr0() & ~(1ULL << 5));
        expect_fault("VMXON with CR0 outside IA32_VMX_CR0_FIXED0: #GP(0)", vmxon(pa(vmxon_region)), 13, 0);
        write_cr0(read_cr0() | 1 << 5);
    }
    expect_fail_invalid("VMXON unaligned pointer: VMfailInvalid", vmxon(pa(vmxon_region) | 0x80));
    expect_fail_invalid("VMXON pointer beyond the physical-address width: VMfailInvalid", vmxon(pa(vmxon_region) | beyond));
    expect_fail_invalid("VMXON wrong revision identifier: VMfailInvalid", vmxon(pa(vmcs_b)));
    expect_success("VMXON: VMsucceed", vmxon(pa(vmxon_region)));

    /* Phase 1: VMX root operation, no current VMCS: VMfail is VMfailInvalid. */
    expect_fail_invalid("VMXON in VMX root operation, no current VMCS: VMfailInvalid", vmxon(pa(vmxon_region)));
    struct outcome o = vmptrst();
    check("VMPTRST without a current VMCS stores FFFFFFFF_FFFFFFFF", o.vector == NO_FAULT && (o.flags & FLAGS_ARITH) == 0 && scratch == ~0ULL, scratch);
    expect_fail_invalid("VMREAD without a current VMCS: VMfailInvalid", try_vmread(GUEST_RIP));
    expect_fail_invalid("VMWRITE without a current VMCS: VMfailInvalid", try_vmwrite(GUEST_RIP, 0));
    expect_fail_invalid("VMLAUNCH without a current VMCS: VMfailInvalid", vmlaunch());
    expect_fail_invalid("VMRESUME without a current VMCS: VMfailInvalid", vmresume());
    expect_fail_invalid("VMCALL in VMX root operation, no current VMCS: VMfailInvalid", vmcall());
    expect_fail_invalid("VMCLEAR VMXON pointer, no current VMCS: VMfailInvalid", vmclear(pa(vmxon_region)));
    expect_fault("VMXOFF at CPL 3: #GP(0)", at_cpl3(user_vmxoff), 13, 0);
    expect_fault("VMPTRST at CPL 3: #GP(0)", at_cpl3(user_vmptrst), 13, 0);
    expect_fault("VMREAD at CPL 3: #GP(0)", at_cpl3(user_vmread), 13, 0);
    expect_fault("VMCALL at CPL 3 in VMX root operation: #GP(0)", at_cpl3(user_vmcall), 13, 0);
    expect_fault("VMXOFF in compatibility mode: #UD", in_compatibility_mode(compat_vmxoff), 6, 0);
    expect_fault("VMPTRST in compatibility mode: #UD", in_compatibility_mode(compat_vmptrst), 6, 0);
    expect_fault("VMREAD in compatibility mode: #UD", in_compatibility_mode(compat_vmread), 6, 0);
    expect_fault("VMCALL in compatibility mode: #UD", in_compatibility_mode(compat_vmcall), 6, 0);
    expect_fault("VMFUNC in VMX root operation: #UD", vmfunc(), 6, 0);
    /* 23.8: CR4.VMXE and the CR0 bits fixed to 1 cannot be cleared in VMX operation. */
    expect_fault("MOV to CR4 clearing VMXE in VMX operation: #GP(0)", write_cr4_attempt(read_cr4() & ~(1ULL << 13)), 13, 0);
    if (rdmsr(0x486) & (1 << 5))
        expect_fault("MOV to CR0 clearing NE in VMX operation: #GP(0)", write_cr0_attempt(read_cr0() & ~(1ULL << 5)), 13, 0);

    /* A current VMCS: VMfail is VMfailValid with an error number (31.4). */
    expect_success("VMCLEAR: VMsucceed", vmclear(pa(vmcs_a)));
    expect_success("VMPTRLD: VMsucceed", vmptrld(pa(vmcs_a)));
    o = vmptrst();
    check("VMPTRST stores the current-VMCS pointer", o.vector == NO_FAULT && (o.flags & FLAGS_ARITH) == 0 && scratch == pa(vmcs_a), scratch);
    expect_fail_valid("VMCLEAR unaligned: VMfailValid(2)", vmclear(pa(vmcs_b) | 8), 2);
    expect_fail_valid("VMCLEAR beyond the physical-address width: VMfailValid(2)", vmclear(pa(vmcs_b) | beyond), 2);
    expect_fail_valid("VMCLEAR VMXON pointer: VMfailValid(3)", vmclear(pa(vmxon_region)), 3);
    expect_fail_valid("VMPTRLD unaligned: VMfailValid(9)", vmptrld(pa(vmcs_b) | 0x800), 9);
    expect_fail_valid("VMPTRLD beyond the physical-address width: VMfailValid(9)", vmptrld(pa(vmcs_b) | beyond), 9);
    expect_fail_valid("VMPTRLD VMXON pointer: VMfailValid(10)", vmptrld(pa(vmxon_region)), 10);
    expect_fail_valid("VMPTRLD wrong revision identifier: VMfailValid(11)", vmptrld(pa(vmcs_b)), 11);
    if (!(SECONDARY_CONTROLS_ALLOWED & (1 << 14))) {
        *(uint32_t *)vmcs_b = revision | 0x80000000u;
        expect_fail_valid("VMPTRLD shadow-VMCS indicator without VMCS shadowing: VMfailValid(11)", vmptrld(pa(vmcs_b)), 11);
    }
    o = vmptrst();
    check("failed VMPTRLDs keep the current VMCS", scratch == pa(vmcs_a), scratch);
    expect_fail_valid("VMXON in VMX root operation: VMfailValid(15)", vmxon(pa(vmxon_region)), 15);
    expect_success("VMWRITE: VMsucceed", try_vmwrite(GUEST_RIP, 0x123456789AULL));
    o = try_vmread(GUEST_RIP);
    check("VMREAD returns what VMWRITE wrote", o.vector == NO_FAULT && (o.flags & FLAGS_ARITH) == 0 && o.out == 0x123456789AULL, o.out);
    expect_fail_valid("VMREAD unsupported component 0x0001 (high access to a 16-bit field): VMfailValid(12)", try_vmread(0x0001), 12);
    expect_fail_valid("VMREAD unsupported component with bits 63:32 set: VMfailValid(12)", try_vmread(1ULL << 32 | 0x681E), 12);
    expect_fail_valid("VMWRITE unsupported component 0x6FFE: VMfailValid(12)", try_vmwrite(0x6FFE, 0), 12);
    if (misc & (1 << 29))
        expect_success("VMWRITE read-only field with IA32_VMX_MISC[29]=1: VMsucceed", try_vmwrite(EXIT_REASON, 0));
    else
        expect_fail_valid("VMWRITE read-only field (exit reason): VMfailValid(13)", try_vmwrite(EXIT_REASON, 0), 13);
    o = try_vmread(VM_INSTRUCTION_ERROR);
    check("VMREAD of a read-only field succeeds", o.vector == NO_FAULT && (o.flags & FLAGS_ARITH) == 0, o.flags);

    /* INVEPT / INVVPID operand checks (INVEPT, INVVPID Operation). */
    uint64_t secondary = SECONDARY_CONTROLS_ALLOWED;
    if ((secondary & 2) && (ept_cap & (1 << 20))) {
        expect_fault("INVEPT at CPL 3: #GP(0)", at_cpl3(user_invept), 13, 0);
        expect_fail_valid("INVEPT type 0: VMfailValid(28)", invept(0, 0), 28);
        expect_fail_valid("INVEPT type 3: VMfailValid(28)", invept(3, 0), 28);
        if (ept_cap & (1 << 25)) {
            uint64_t eptp = pa(vmcs_b) | 3 << 3 | (ept_cap & (1 << 14) ? 6 : 0);
            expect_success("INVEPT single-context: VMsucceed", invept(1, eptp));
            expect_fail_valid("INVEPT single-context, EPTP memory type 1: VMfailValid(28)", invept(1, (eptp & ~7ULL) | 1), 28);
        } else {
            expect_fail_valid("INVEPT single-context not supported: VMfailValid(28)", invept(1, 0), 28);
        }
        if (ept_cap & (1 << 26)) expect_success("INVEPT all-context: VMsucceed", invept(2, 0));
        else expect_fail_valid("INVEPT all-context not supported: VMfailValid(28)", invept(2, 0), 28);
    }
    if ((secondary & (1 << 5)) && (ept_cap & (1ULL << 32))) {
        expect_fail_valid("INVVPID type 4: VMfailValid(28)", invvpid(4, 1, 0), 28);
        if (ept_cap & (1ULL << 42)) {
            expect_success("INVVPID all-context: VMsucceed", invvpid(2, 0, 0));
            expect_fail_valid("INVVPID descriptor bits 63:16 set: VMfailValid(28)", invvpid(2, 1ULL << 16, 0), 28);
        }
        if (ept_cap & (1ULL << 41)) {
            expect_success("INVVPID single-context: VMsucceed", invvpid(1, 1, 0));
            expect_fail_valid("INVVPID single-context VPID 0: VMfailValid(28)", invvpid(1, 0, 0), 28);
        }
        if (ept_cap & (1ULL << 40)) {
            expect_success("INVVPID individual-address: VMsucceed", invvpid(0, 1, 0x1000));
            expect_fail_valid("INVVPID individual-address non-canonical: VMfailValid(28)", invvpid(0, 1, 0x8000000000000000ULL), 28);
            expect_fail_valid("INVVPID individual-address VPID 0: VMfailValid(28)", invvpid(0, 0, 0x1000), 28);
        }
    }

    /* VMCLEAR of the current VMCS makes the pointer invalid (VMCLEAR, Operation). */
    expect_success("VMCLEAR of the current VMCS: VMsucceed", vmclear(pa(vmcs_a)));
    o = vmptrst();
    check("VMCLEAR of the current VMCS invalidates the current-VMCS pointer", scratch == ~0ULL, scratch);
    expect_success("VMXOFF: VMsucceed", vmxoff());
    outside_vmx_operation(" after VMXOFF: #UD", 0);

    /* Phase 2: the host library's VMCS with a guest that runs (launch state, 24.1 and 31.4). */
    restore_boot_gdt();
    vmx_setup(guest_read, 0);
    vmwrite(0x6C0E, idt);                          /* host IDTR base */
    g.rbx = pa(&scratch);
    check("VMLAUNCH of a clear VMCS: VM exit for VMCALL", vmx_enter(&g, 0) == 0 && (vmread(EXIT_REASON) & 0xFFFF) == 18, vmread(EXIT_REASON));
    int failed = vmx_enter(&g, 0);
    check("VMLAUNCH of a launched VMCS: VMfailValid(4)", failed && vmread(VM_INSTRUCTION_ERROR) == 4, failed ? vmread(VM_INSTRUCTION_ERROR) : 0xFFFF);
    vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)guest_read);
    failed = vmx_enter(&g, 1);
    check("VMRESUME of a launched VMCS: VM exit for VMCALL", !failed && (vmread(EXIT_REASON) & 0xFFFF) == 18, failed ? 0xFFFF : vmread(EXIT_REASON));
    o = vmptrst();
    uint64_t current = scratch;
    expect_success("VMCLEAR of the launched VMCS", vmclear(current));
    expect_success("VMPTRLD of the cleared VMCS", vmptrld(current));
    failed = vmx_enter(&g, 1);
    check("VMRESUME of a clear VMCS: VMfailValid(5)", failed && vmread(VM_INSTRUCTION_ERROR) == 5, failed ? vmread(VM_INSTRUCTION_ERROR) : 0xFFFF);
    vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)guest_read);
    failed = vmx_enter(&g, 0);
    check("VMLAUNCH after VMCLEAR: VM exit for VMCALL", !failed && (vmread(EXIT_REASON) & 0xFFFF) == 18, failed ? vmread(VM_INSTRUCTION_ERROR) : vmread(EXIT_REASON));
    check("VMCALL exit: instruction length 3", vmread(EXIT_INSTRUCTION_LENGTH) == 3, vmread(EXIT_INSTRUCTION_LENGTH));

    /* In VMX non-root operation every VMX instruction exits (25.1.2) with its instruction length,
       the displacement as qualification and the instruction information of 27.2.5 (compared on
       the bits defined for each format). RBX (3) is the base, no index, DS (3), 64-bit address;
       register operands RAX (0), RBX (3), RCX (1). */
    const uint64_t mem_bits = 0xFC38780;          /* 9:7, 10, 17:15, 22, 26:23, 27 (scale, index undefined) */
    const uint64_t mem_info = 2 << 7 | 3 << 15 | 1 << 22 | 3 << 23;
    struct { const char *name; void (*code)(void); uint32_t reason, length; uint64_t qual, bits, info; } nonroot[] = {
        { "VMCLEAR in VMX non-root operation: exit 19", g_vmclear, 19, 5, 8, mem_bits, mem_info },
        { "VMLAUNCH in VMX non-root operation: exit 20", g_vmlaunch, 20, 3, 0, 0, 0 },
        { "VMPTRLD in VMX non-root operation: exit 21", g_vmptrld, 21, 4, 8, mem_bits, mem_info },
        { "VMPTRST in VMX non-root operation: exit 22", g_vmptrst, 22, 4, 8, mem_bits, mem_info },
        { "VMREAD in VMX non-root operation: exit 23, register form", g_vmread, 23, 3, 0, 0xF0000478, 3 << 3 | 1 << 10 },
        { "VMRESUME in VMX non-root operation: exit 24", g_vmresume, 24, 3, 0, 0, 0 },
        { "VMWRITE in VMX non-root operation: exit 25, register form", g_vmwrite, 25, 3, 0, 0xF0000478, 3 << 3 | 1 << 10 },
        { "VMXOFF in VMX non-root operation: exit 26", g_vmxoff, 26, 3, 0, 0, 0 },
        { "VMXON in VMX non-root operation: exit 27", g_vmxon, 27, 5, 8, mem_bits, mem_info },
        { "INVEPT in VMX non-root operation: exit 50", g_invept, 50, 5, 0, 0xFFC38780, mem_info | 1 << 28 },
        { "INVVPID in VMX non-root operation: exit 53", g_invvpid, 53, 5, 0, 0xFFC38780, mem_info | 1 << 28 },
    };
    for (unsigned i = 0; i < sizeof nonroot / sizeof nonroot[0]; i++) {
        vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)nonroot[i].code);
        g.rbx = pa(descriptor);
        g.rax = GUEST_RIP;
        g.rcx = 1;
        failed = vmx_enter(&g, 1);
        uint64_t reason = failed ? 0xE000 | vmread(VM_INSTRUCTION_ERROR) : vmread(EXIT_REASON);
        uint64_t length = vmread(EXIT_INSTRUCTION_LENGTH), qual = vmread(EXIT_QUALIFICATION);
        uint64_t info = vmread(0x440E);
        int ok = reason == nonroot[i].reason && length == nonroot[i].length && qual == nonroot[i].qual
                 && (info & nonroot[i].bits) == nonroot[i].info;
        check(nonroot[i].name, ok, reason != nonroot[i].reason ? reason : length != nonroot[i].length ? 0x1000 | length
                                   : qual != nonroot[i].qual ? 0x2000 | qual : info);
    }
    /* Last: Bochs 2.7 stops here ("VMCALL: not implemented yet", its dual-monitor SMM path). */
    expect_fail_valid("VMCALL in VMX root operation: VMfailValid(1)", vmcall(), 1);
    check_summary();
}
