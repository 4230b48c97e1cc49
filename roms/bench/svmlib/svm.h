/* A minimal SVM host (AMD APM vol. 2 ch. 15): one VMCB whose guest is a copy of the host's
   64-bit ring-0 state running guest code on its own stack. */
#ifndef SVM_H
#define SVM_H
#include "bench.h"
#include "guest.h"

#define VMCB_TLB_CONTROL 0x05C
#define VMCB_EXIT_CODE 0x070
#define VMCB_EXIT_INFO1 0x078
#define VMCB_EXIT_INFO2 0x080
#define VMCB_RIP 0x578
#define VMCB_RAX 0x5F8

extern uint8_t vmcb[4096];
#define VMCB64(offset) (*(volatile uint64_t *)(vmcb + (offset)))
#define VMCB32(offset) (*(volatile uint32_t *)(vmcb + (offset)))
#define VMCB16(offset) (*(volatile uint16_t *)(vmcb + (offset)))
#define VMCB8(offset) (*(volatile uint8_t *)(vmcb + (offset)))

/* Enables SVM and fills the VMCB; intercepts CPUID; ncr3 != 0 enables nested paging. */
void svm_setup(void (*guest)(void), uint64_t ncr3);
/* Runs the guest until its next #VMEXIT and returns the exit code (guest RAX in g->rax). */
uint64_t svm_run(struct guest_regs *g);
void svm_enter(struct guest_regs *regs, uint64_t vmcb);
#endif
