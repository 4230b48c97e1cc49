/* The register file that the VMX and SVM entry stubs load into the guest and save after an exit
   (RSP and RIP live in the VMCS / VMCB; for SVM, RAX too). Offsets are used by the stubs. */
#ifndef GUEST_H
#define GUEST_H
#include <stdint.h>

struct guest_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

/* What the host makes a guest's CPUID return: deterministic values (real CPUID results differ
   between emulators and would change the checksum). */
static inline void fake_cpuid(struct guest_regs *g, uint64_t exits) {
    uint32_t leaf = (uint32_t)g->rax;
    g->rax = (uint32_t)(leaf * 2654435761u);
    g->rbx = (uint32_t)exits;
    g->rcx = leaf ^ 0x1234u;
    g->rdx = (uint32_t)(exits >> 3);
}

/* The guest code the CPUID workloads run: CPUID in a loop, folding the results into RSI/RDI. */
void guest_cpuid_loop(void);
/* The guest code of the EPT/NPT workloads: reads one qword on page (i * 7) mod 512 of the 2 MiB
   at 64 MiB, folding it into RSI; one page is mapped at a time, so each read faults. After R12
   reads it runs CPUID instead (nested paging not enforced: see guest.S). */
void guest_fault_loop(void);
#define FAULT_REGION 0x4000000ULL

#endif
