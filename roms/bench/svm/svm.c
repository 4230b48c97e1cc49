/* svm.elf: #VMEXIT round trips. A 64-bit SVM guest runs CPUID in a loop; the host intercepts
   CPUID, answers it and resumes: one #VMEXIT per iteration (the same guest as vmx.elf). */
#include "svm.h"

const char bench_name[] = "svm";
const uint64_t bench_default_iterations = 100000;

uint64_t bench_run(uint64_t iterations) {
    svm_setup(guest_cpuid_loop, 0);
    struct guest_regs g = {0};
    for (uint64_t exits = 1; exits <= iterations; exits++) {
        uint64_t code = svm_run(&g);
        if (code != 0x72) bench_fail("unexpected #VMEXIT, code", code);
        fake_cpuid(&g, exits);
        VMCB64(VMCB_RIP) += 2;                           /* CPUID is 2 bytes */
    }
    return g.rsi ^ g.rdi << 1;
}
