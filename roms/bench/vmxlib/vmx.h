/* A minimal VMX host: VMXON, one VMCS whose guest is a copy of the host's 64-bit ring-0 state
   running guest code on its own stack. */
#ifndef VMX_H
#define VMX_H
#include "bench.h"
#include "guest.h"

#define EXIT_REASON 0x4402
#define EXIT_QUALIFICATION 0x6400
#define GUEST_PHYSICAL_ADDRESS 0x2400
#define EXIT_INSTRUCTION_LENGTH 0x440C
#define GUEST_RIP 0x681E
#define VM_INSTRUCTION_ERROR 0x4400

uint64_t vmread(uint64_t field);
void vmwrite(uint64_t field, uint64_t value);
/* Enters VMX operation and sets up the VMCS; eptp != 0 enables EPT with that pointer. */
void vmx_setup(void (*guest)(void), uint64_t eptp);
/* Runs the guest until its next VM exit; returns the basic exit reason (fails the benchmark on a
   failed VM entry). */
uint32_t vmx_run(struct guest_regs *g);
uint64_t vmx_capability(uint32_t msr);
int vmx_enter(struct guest_regs *regs, int launched);
#endif
