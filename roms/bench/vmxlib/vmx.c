/* VMXON, VMCS set-up (SDM vol. 3 ch. 24-26) and the run loop's VM entry. */
#include "vmx.h"

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs[4096] __attribute__((aligned(4096)));
static uint8_t guest_stack[16384] __attribute__((aligned(16)));
extern uint64_t gdt[];
extern void vmx_exit_point(void);
static int launched;

uint64_t vmread(uint64_t field) {
    uint64_t v;
    uint8_t bad;
    __asm__ volatile("vmread %2, %0; setna %1" : "=r"(v), "=qm"(bad) : "r"(field) : "cc");
    if (bad) bench_fail("VMREAD failed, field", field);
    return v;
}

void vmwrite(uint64_t field, uint64_t value) {
    uint8_t bad;
    __asm__ volatile("vmwrite %1, %2; setna %0" : "=qm"(bad) : "r"(value), "r"(field) : "cc");
    if (bad) bench_fail("VMWRITE failed, field", field);
}

uint64_t vmx_capability(uint32_t msr) { return rdmsr(msr); }

/* A control value: the bits we want, with the allowed-0 settings forced on and the allowed-1
   settings masked (SDM A.3-A.5). */
static uint32_t adjust(uint32_t msr, uint32_t want) {
    uint64_t cap = rdmsr(msr);
    uint32_t result = (want | (uint32_t)cap) & (uint32_t)(cap >> 32);
    if ((result & want) != want) bench_unsupported("a needed VMX control is not allowed");
    return result;
}

void vmx_setup(void (*guest)(void), uint64_t eptp) {
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1 << 5))) bench_unsupported("no VMX (CPUID.1:ECX.VMX = 0)");
    uint64_t fc = rdmsr(0x3A);
    if (!(fc & 1)) wrmsr(0x3A, fc | 5);          /* lock, VMX outside SMX */
    else if (!(fc & 4)) bench_unsupported("VMX disabled by IA32_FEATURE_CONTROL");
    write_cr0((read_cr0() | rdmsr(0x486)) & rdmsr(0x487));
    write_cr4((read_cr4() | rdmsr(0x488) | (1 << 13)) & rdmsr(0x489));
    uint64_t basic = rdmsr(0x480);
    *(uint32_t *)vmxon_region = (uint32_t)basic & 0x7FFFFFFF;
    *(uint32_t *)vmcs = (uint32_t)basic & 0x7FFFFFFF;
    uint64_t pa = (uint64_t)(uintptr_t)vmxon_region;
    uint8_t bad;
    __asm__ volatile("vmxon %1; setna %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
    if (bad) bench_fail("VMXON failed", pa);
    pa = (uint64_t)(uintptr_t)vmcs;
    __asm__ volatile("vmclear %1; setna %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
    if (bad) bench_fail("VMCLEAR failed", pa);
    __asm__ volatile("vmptrld %1; setna %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
    if (bad) bench_fail("VMPTRLD failed", pa);
    bench_load_tss();

    int true_ctls = (basic >> 55) & 1;
    vmwrite(0x4000, adjust(true_ctls ? 0x48D : 0x481, 0));                          /* pin-based */
    vmwrite(0x4002, adjust(true_ctls ? 0x48E : 0x482, eptp ? 1u << 31 : 0));      /* processor-based */
    if (eptp) {
        vmwrite(0x401E, adjust(0x48B, 1 << 1));                                    /* secondary: EPT */
        vmwrite(0x201A, eptp);
    }
    vmwrite(0x400C, adjust(true_ctls ? 0x48F : 0x483, 1 << 9));                   /* exit: 64-bit host */
    vmwrite(0x4012, adjust(true_ctls ? 0x490 : 0x484, 1 << 9));                   /* entry: IA-32e guest */
    vmwrite(0x4004, 0);                                                            /* exception bitmap */
    vmwrite(0x400A, 0);                                                            /* CR3-target count */
    vmwrite(0x400E, 0); vmwrite(0x4010, 0); vmwrite(0x4014, 0); vmwrite(0x4016, 0);
    vmwrite(0x6000, 0); vmwrite(0x6002, 0); vmwrite(0x6004, 0); vmwrite(0x6006, 0);  /* CR masks, shadows */

    uint64_t cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();
    uint64_t gdt_base = (uint64_t)(uintptr_t)gdt;
    uint64_t tss_base = (gdt[3] >> 16 & 0xFFFFFF) | (gdt[3] >> 56 & 0xFF) << 24 | gdt[4] << 32;
    /* host state */
    vmwrite(0x6C00, cr0); vmwrite(0x6C02, cr3); vmwrite(0x6C04, cr4);
    vmwrite(0x0C00, 0x10); vmwrite(0x0C02, 0x08); vmwrite(0x0C04, 0x10); vmwrite(0x0C06, 0x10);
    vmwrite(0x0C08, 0x10); vmwrite(0x0C0A, 0x10); vmwrite(0x0C0C, 0x18);
    vmwrite(0x6C06, 0); vmwrite(0x6C08, 0); vmwrite(0x6C0A, tss_base); vmwrite(0x6C0C, gdt_base);
    vmwrite(0x6C0E, 0); vmwrite(0x6C10, 0); vmwrite(0x6C12, 0); vmwrite(0x4C00, 0);
    vmwrite(0x6C16, (uint64_t)(uintptr_t)vmx_exit_point);
    /* guest state: the host's, with its own RIP and RSP */
    vmwrite(0x6800, cr0); vmwrite(0x6802, cr3); vmwrite(0x6804, cr4);
    vmwrite(0x681A, 0x400); vmwrite(0x6820, 2);
    vmwrite(0x681C, (uint64_t)(uintptr_t)(guest_stack + sizeof guest_stack));
    vmwrite(0x681E, (uint64_t)(uintptr_t)guest);
    for (int i = 0; i < 6; i++) {                         /* ES, CS, SS, DS, FS, GS */
        int code = i == 1;
        vmwrite(0x0800 + 2 * i, code ? 0x08 : 0x10);
        vmwrite(0x4800 + 2 * i, 0xFFFFFFFF);
        vmwrite(0x4814 + 2 * i, code ? 0xA09B : 0xC093);
        vmwrite(0x6806 + 2 * i, 0);
    }
    vmwrite(0x080C, 0); vmwrite(0x480C, 0); vmwrite(0x4820, 0x10000); vmwrite(0x6812, 0);   /* LDTR unusable */
    vmwrite(0x080E, 0x18); vmwrite(0x480E, 103); vmwrite(0x4822, 0x8B); vmwrite(0x6814, tss_base);
    vmwrite(0x4810, 39); vmwrite(0x6816, gdt_base);      /* GDTR */
    vmwrite(0x4812, 0); vmwrite(0x6818, 0);              /* IDTR */
    vmwrite(0x4824, 0); vmwrite(0x4826, 0); vmwrite(0x482A, 0); vmwrite(0x6822, 0);
    vmwrite(0x6824, 0); vmwrite(0x6826, 0);
    vmwrite(0x2800, ~0ULL);                              /* VMCS link pointer */
    vmwrite(0x2802, 0);                                  /* guest IA32_DEBUGCTL ("load debug controls") */
    vmwrite(0x4006, 0); vmwrite(0x4008, 0);              /* page-fault error-code mask, match */
}

uint32_t vmx_run(struct guest_regs *g) {
    if (vmx_enter(g, launched)) bench_fail("VM entry instruction failed, VM-instruction error", vmread(VM_INSTRUCTION_ERROR));
    launched = 1;
    uint32_t reason = (uint32_t)vmread(EXIT_REASON);
    if (reason & 0x80000000) bench_fail("VM entry failed, exit reason", reason);
    return reason & 0xFFFF;
}
