/* What the vmx-tests hypervisors share beyond the VMX host library: one "PASS name" /
   "FAIL name: detail" line per check, the closing summary, and a fault catcher (an IDT whose
   handlers resume at a fix-up address) so that an instruction's #UD / #GP is a checkable outcome. */
#ifndef CHECK_H
#define CHECK_H
#include "vmx.h"

void check(const char *name, int ok, uint64_t detail);
/* Prints "# N checks, F failed" and exits with 0 when nothing failed, 1 otherwise. */
__attribute__((noreturn)) void check_summary(void);

#define NO_FAULT 0xFFu
/* Written by the fault handlers (faults.S). */
extern volatile uint64_t fault_vector, fault_error, fixup_rip, fixup_rsp;
/* Loads an IDT whose 32 exception handlers record the vector and error code and resume at
   fixup_rip (CS 0x08, SS 0x10, RSP fixup_rsp); a fault without a fix-up fails the image.
   Returns the IDT's base (the VMCS host IDTR base). */
uint64_t faults_install(void);

/* The outcome of one attempted instruction: the fault (NO_FAULT if none), the arithmetic flags
   afterwards (all six were set before it), and the register operand's final value. */
struct outcome { uint64_t vector, error, flags, out; };

#define FLAGS_ARITH 0x8D5u             /* CF PF AF ZF SF OF */
#define FLAG_CF 0x1u
#define FLAG_ZF 0x40u

/* ATTEMPT(insn, mem, arg, reg): runs the instruction text insn, which may name %[m] (the
   uint64_t *mem as a memory operand), %[r] (the input arg) and %[out] (reg, in and out). */
#define ATTEMPT(insn, mem, arg, reg) ({                                                        \
    struct outcome _o;                                                                         \
    uint64_t _reg = (reg);                                                                     \
    fault_vector = NO_FAULT;                                                                   \
    __asm__ volatile("lea 1f(%%rip), %%r11\n\tmov %%r11, fixup_rip(%%rip)\n\t"                 \
                     "mov %%rsp, fixup_rsp(%%rip)\n\tpushq $0x8D7\n\tpopfq\n\t"                \
                     insn "\n1:\tpushfq\n\tpopq %[fl]\n\tmovq $0, fixup_rip(%%rip)"            \
                     : [fl] "=&r"(_o.flags), [out] "+r"(_reg)                                  \
                     : [m] "m"(*(mem)), [r] "r"((uint64_t)(arg))                               \
                     : "r11", "cc", "memory");                                                 \
    _o.vector = fault_vector;                                                                  \
    _o.error = fault_error;                                                                    \
    _o.out = _reg;                                                                             \
    _o; })

/* The checks on an outcome (SDM vol. 3, 31.2: VMsucceed, VMfailInvalid, VMfailValid). */
void expect_fault(const char *name, struct outcome o, uint64_t vector, uint64_t error);
void expect_success(const char *name, struct outcome o);
void expect_fail_invalid(const char *name, struct outcome o);
/* VMfailValid: ZF alone, and the VM-instruction error field of the current VMCS. */
void expect_fail_valid(const char *name, struct outcome o, uint64_t error);

#endif
