#include "svm.h"

uint8_t vmcb[4096] __attribute__((aligned(4096)));
static uint8_t host_save[4096] __attribute__((aligned(4096)));
static uint8_t guest_stack[16384] __attribute__((aligned(16)));
extern uint64_t gdt[];

static void segment(uint32_t at, uint16_t selector, uint16_t attrib, uint32_t limit, uint64_t base) {
    VMCB16(at) = selector;
    VMCB16(at + 2) = attrib;
    VMCB32(at + 4) = limit;
    VMCB64(at + 8) = base;
}

void svm_setup(void (*guest)(void), uint64_t ncr3) {
    uint32_t r[4];
    cpuid(0x80000000, 0, r);
    if (r[0] < 0x8000000A) bench_unsupported("no SVM (no CPUID leaf 8000_000Ah)");
    cpuid(0x80000001, 0, r);
    if (!(r[2] & (1 << 2))) bench_unsupported("no SVM (CPUID.8000_0001h:ECX.SVM = 0)");
    if (rdmsr(0xC0010114) & (1 << 4)) bench_unsupported("SVM disabled by VM_CR.SVMDIS");
    cpuid(0x8000000A, 0, r);
    if (ncr3 && !(r[3] & 1)) bench_unsupported("no nested paging (CPUID.8000_000Ah:EDX.NP = 0)");
    wrmsr(0xC0000080, rdmsr(0xC0000080) | 1 << 12);      /* EFER.SVME */
    wrmsr(0xC0010117, (uint64_t)(uintptr_t)host_save);   /* VM_HSAVE_PA */
    bench_load_tss();

    VMCB32(0x00C) = 1u << 18;                            /* intercept CPUID */
    VMCB32(0x010) = 1u << 0;                             /* intercept VMRUN (required) */
    VMCB32(0x058) = 1;                                   /* guest ASID */
    if (ncr3) {
        VMCB64(0x090) = 1;                               /* nested paging */
        VMCB64(0x0B0) = ncr3;
    }
    uint64_t gdt_base = (uint64_t)(uintptr_t)gdt;
    uint64_t tss_base = (gdt[3] >> 16 & 0xFFFFFF) | (gdt[3] >> 56 & 0xFF) << 24 | gdt[4] << 32;
    segment(0x400, 0x10, 0xC93, 0xFFFFFFFF, 0);          /* ES */
    segment(0x410, 0x08, 0xA9B, 0xFFFFFFFF, 0);          /* CS: 64-bit */
    segment(0x420, 0x10, 0xC93, 0xFFFFFFFF, 0);          /* SS */
    segment(0x430, 0x10, 0xC93, 0xFFFFFFFF, 0);          /* DS */
    segment(0x440, 0x10, 0xC93, 0xFFFFFFFF, 0);          /* FS */
    segment(0x450, 0x10, 0xC93, 0xFFFFFFFF, 0);          /* GS */
    segment(0x460, 0, 0, 39, gdt_base);                  /* GDTR */
    segment(0x470, 0, 0, 0, 0);                          /* LDTR */
    segment(0x480, 0, 0, 0, 0);                          /* IDTR */
    segment(0x490, 0x18, 0x08B, 103, tss_base);          /* TR */
    VMCB8(0x4CB) = 0;                                    /* CPL */
    VMCB64(0x4D0) = rdmsr(0xC0000080);                   /* EFER (LME, LMA, SVME) */
    VMCB64(0x548) = read_cr4();
    VMCB64(0x550) = read_cr3();
    VMCB64(0x558) = read_cr0();
    VMCB64(0x560) = 0x400;                               /* DR7 */
    VMCB64(0x568) = 0xFFFF0FF0;                          /* DR6 */
    VMCB64(0x570) = 2;                                   /* RFLAGS */
    VMCB64(VMCB_RIP) = (uint64_t)(uintptr_t)guest;
    VMCB64(0x5D8) = (uint64_t)(uintptr_t)(guest_stack + sizeof guest_stack);
    VMCB64(VMCB_RAX) = 0;
    VMCB64(0x668) = 0x0007040600070406ULL;               /* guest PAT */
}

uint64_t svm_run(struct guest_regs *g) {
    VMCB64(VMCB_RAX) = g->rax;
    svm_enter(g, (uint64_t)(uintptr_t)vmcb);
    g->rax = VMCB64(VMCB_RAX);
    uint64_t code = VMCB64(VMCB_EXIT_CODE);
    if (code == (uint64_t)-1) bench_fail("VMRUN failed (VMEXIT_INVALID)", code);
    return code;
}
