/* npt.elf: nested-page-fault round trips. The nested page tables map the first 1 GiB identically
   by 2 MiB pages, except the 2 MiB at 64 MiB, mapped by 4 KiB pages of which only one is present
   at a time. The guest reads a different page of that region each iteration; each read causes a
   #NPF exit, and the host maps the page, unmaps the previous one, flushes the guest's TLB
   (TLB_CONTROL) and resumes. */
#include "svm.h"

const char bench_name[] = "npt";
const uint64_t bench_default_iterations = 100000;

static uint64_t n_pml4[512] __attribute__((aligned(4096)));
static uint64_t n_pdpt[512] __attribute__((aligned(4096)));
static uint64_t n_pd[512] __attribute__((aligned(4096)));
static uint64_t n_pt[512] __attribute__((aligned(4096)));

#define NPT_PWU 7   /* present, writable, user (nested walks are user accesses) */

uint64_t bench_run(uint64_t iterations) {
    volatile uint64_t *region = (volatile uint64_t *)(uintptr_t)FAULT_REGION;
    for (uint64_t i = 0; i < 512 * 512; i++) region[i] = i * 0x9E3779B97F4A7C15ULL;
    n_pml4[0] = (uint64_t)(uintptr_t)n_pdpt | NPT_PWU;
    n_pdpt[0] = (uint64_t)(uintptr_t)n_pd | NPT_PWU;
    for (uint64_t i = 0; i < 512; i++) n_pd[i] = i << 21 | NPT_PWU | 1 << 7;
    n_pd[FAULT_REGION >> 21] = (uint64_t)(uintptr_t)n_pt | NPT_PWU;

    svm_setup(guest_fault_loop, (uint64_t)(uintptr_t)n_pml4);
    struct guest_regs g = {0};
    g.r12 = iterations + 2;
    uint64_t sum = 0, previous = 512;
    for (uint64_t faults = 1; faults <= iterations; faults++) {
        uint64_t code = svm_run(&g);
        VMCB8(VMCB_TLB_CONTROL) = 0;
        if (code == 0x72) bench_unsupported("no nested-paging faults: the guest read its pages without an exit");
        if (code != 0x400) bench_fail("unexpected #VMEXIT, code", code);
        uint64_t gpa = VMCB64(VMCB_EXIT_INFO2), info = VMCB64(VMCB_EXIT_INFO1);
        uint64_t page = (gpa - FAULT_REGION) >> 12;
        if (page >= 512) bench_fail("#NPF outside the region", gpa);
        sum = (sum << 1 | sum >> 63) + gpa + (info & 3);     /* present, write */
        if (previous < 512) n_pt[previous] = 0;
        n_pt[page] = (FAULT_REGION + page * 4096) | NPT_PWU;
        previous = page;
        VMCB8(VMCB_TLB_CONTROL) = 1;                         /* flush the TLB at the next VMRUN */
    }
    return g.rsi ^ sum;
}
