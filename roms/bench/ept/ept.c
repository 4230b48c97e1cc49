/* ept.elf: EPT-violation round trips. EPT maps the first 1 GiB identically by 2 MiB pages, except
   the 2 MiB at 64 MiB, mapped by 4 KiB pages of which only one is present at a time. The guest
   reads a different page of that region each iteration; each read causes an EPT violation, and
   the host maps the page, unmaps the previous one, runs INVEPT and resumes. */
#include "vmx.h"

const char bench_name[] = "ept";
const uint64_t bench_default_iterations = 100000;

static uint64_t ept_pml4[512] __attribute__((aligned(4096)));
static uint64_t ept_pdpt[512] __attribute__((aligned(4096)));
static uint64_t ept_pd[512] __attribute__((aligned(4096)));
static uint64_t ept_pt[512] __attribute__((aligned(4096)));

#define EPT_RWX 7
#define EPT_WB (6 << 3)

uint64_t bench_run(uint64_t iterations) {
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1 << 5))) bench_unsupported("no VMX (CPUID.1:ECX.VMX = 0)");
    uint64_t cap = rdmsr(0x48C);                /* IA32_VMX_EPT_VPID_CAP */
    if (!(cap & (1 << 6)) || !(cap & (1 << 14)) || !(cap & (1 << 20)) || !(cap & (3 << 25)))
        bench_unsupported("EPT without 4-level walks, write-back or INVEPT");
    uint64_t invept_type = cap & (1 << 25) ? 1 : 2;

    volatile uint64_t *region = (volatile uint64_t *)(uintptr_t)FAULT_REGION;
    for (uint64_t i = 0; i < 512 * 512; i++) region[i] = i * 0x9E3779B97F4A7C15ULL;
    ept_pml4[0] = (uint64_t)(uintptr_t)ept_pdpt | EPT_RWX;
    ept_pdpt[0] = (uint64_t)(uintptr_t)ept_pd | EPT_RWX;
    for (uint64_t i = 0; i < 512; i++) ept_pd[i] = i << 21 | EPT_RWX | EPT_WB | 1 << 7;
    ept_pd[FAULT_REGION >> 21] = (uint64_t)(uintptr_t)ept_pt | EPT_RWX;
    uint64_t eptp = (uint64_t)(uintptr_t)ept_pml4 | 3 << 3 | 6;
    struct { uint64_t eptp, zero; } descriptor = { eptp, 0 };

    vmx_setup(guest_fault_loop, eptp);
    struct guest_regs g = {0};
    g.r12 = iterations + 2;
    uint64_t sum = 0, previous = 512;
    for (uint64_t faults = 1; faults <= iterations; faults++) {
        uint32_t reason = vmx_run(&g);
        if (reason == 10) bench_unsupported("no nested-paging faults: the guest read its pages without an exit");
        if (reason != 48) bench_fail("unexpected VM exit, reason", reason);
        uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS), q = vmread(EXIT_QUALIFICATION);
        uint64_t page = (gpa - FAULT_REGION) >> 12;
        if (page >= 512) bench_fail("EPT violation outside the region", gpa);
        sum = (sum << 1 | sum >> 63) + gpa + (q & 0x187);   /* read/write/fetch, linear-address bits */
        if (previous < 512) ept_pt[previous] = 0;
        ept_pt[page] = (FAULT_REGION + page * 4096) | EPT_RWX | EPT_WB;
        previous = page;
        __asm__ volatile("invept %0, %1" : : "m"(descriptor), "r"(invept_type) : "cc", "memory");
    }
    return g.rsi ^ sum;
}
