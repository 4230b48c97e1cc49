/* vmx.elf: VM-exit round trips. A 64-bit VMX guest runs CPUID in a loop; each CPUID exits
   (unconditionally, SDM 25.1.2) and the host answers it and resumes: one exit per iteration. */
#include "vmx.h"

const char bench_name[] = "vmx";
const uint64_t bench_default_iterations = 100000;

uint64_t bench_run(uint64_t iterations) {
    vmx_setup(guest_cpuid_loop, 0);
    struct guest_regs g = {0};
    for (uint64_t exits = 1; exits <= iterations; exits++) {
        uint32_t reason = vmx_run(&g);
        if (reason != 10) bench_fail("unexpected VM exit, reason", reason);
        fake_cpuid(&g, exits);
        vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_INSTRUCTION_LENGTH));
    }
    return g.rsi ^ g.rdi << 1;
}
