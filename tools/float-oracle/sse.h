/* SSE scalar instructions run on the host with a given MXCSR. Each runner loads MXCSR, the
 * operands into XMM0/XMM1 (or a general register), executes one instruction (unary ones read XMM1, which then holds a) and stores the
 * result and MXCSR. With an exception unmasked the instruction may raise #XM (SIGFPE); the
 * handler in oracle.c records MXCSR from the signal frame and jumps back. */

#define SSE_BINARY(name, insn)                                                          \
    static uint64_t name(uint64_t a, uint64_t b, uint32_t mx, uint32_t *out)            \
    {                                                                                   \
        uint64_t r;                                                                     \
        __asm__ volatile("ldmxcsr %[m]\n\tmovq %[a], %%xmm0\n\tmovq %[b], %%xmm1\n\t"   \
                         insn " %%xmm1, %%xmm0\n\tmovq %%xmm0, %[r]\n\tstmxcsr %[o]"    \
                         : [r] "=&r"(r), [o] "=m"(*out)                                 \
                         : [a] "r"(a), [b] "r"(b), [m] "m"(mx)                          \
                         : "xmm0", "xmm1");                                             \
        return r;                                                                       \
    }

SSE_BINARY(op_addss, "addss")
SSE_BINARY(op_addsd, "addsd")
SSE_BINARY(op_subss, "subss")
SSE_BINARY(op_subsd, "subsd")
SSE_BINARY(op_mulss, "mulss")
SSE_BINARY(op_mulsd, "mulsd")
SSE_BINARY(op_divss, "divss")
SSE_BINARY(op_divsd, "divsd")
SSE_BINARY(op_sqrtss, "sqrtss")
SSE_BINARY(op_sqrtsd, "sqrtsd")
SSE_BINARY(op_cvtss2sd, "cvtss2sd")
SSE_BINARY(op_cvtsd2ss, "cvtsd2ss")

/* COMISS/UCOMISS: the result is RFLAGS.ZF|PF|CF. */
#define SSE_COMPARE(name, insn)                                                         \
    static uint64_t name(uint64_t a, uint64_t b, uint32_t mx, uint32_t *out)            \
    {                                                                                   \
        uint64_t r;                                                                     \
        __asm__ volatile("ldmxcsr %[m]\n\tmovq %[a], %%xmm0\n\tmovq %[b], %%xmm1\n\t"   \
                         insn " %%xmm1, %%xmm0\n\tpushfq\n\tpopq %[r]\n\tstmxcsr %[o]"  \
                         : [r] "=&r"(r), [o] "=m"(*out)                                 \
                         : [a] "r"(a), [b] "r"(b), [m] "m"(mx)                          \
                         : "xmm0", "xmm1", "cc");                                       \
        return r & 0x45;                                                                \
    }

SSE_COMPARE(op_comiss, "comiss")
SSE_COMPARE(op_comisd, "comisd")
SSE_COMPARE(op_ucomiss, "ucomiss")
SSE_COMPARE(op_ucomisd, "ucomisd")

/* Integer source: CVTSI2SS/SD with a 32-bit (l) or 64-bit (q) register. */
#define SSE_FROM_INT(name, insn, reg, type)                                             \
    static uint64_t name(uint64_t a, uint64_t b, uint32_t mx, uint32_t *out)            \
    {                                                                                   \
        uint64_t r;                                                                     \
        (void)b;                                                                        \
        type v = (type)a;                                                               \
        __asm__ volatile("ldmxcsr %[m]\n\tpxor %%xmm0, %%xmm0\n\t"                      \
                         insn " %[a], %%xmm0\n\tmovq %%xmm0, %[r]\n\tstmxcsr %[o]"      \
                         : [r] "=&r"(r), [o] "=m"(*out)                                 \
                         : [a] reg(v), [m] "m"(mx)                                      \
                         : "xmm0");                                                     \
        return r;                                                                       \
    }

SSE_FROM_INT(op_cvtsi2ss32, "cvtsi2ssl", "r", uint32_t)
SSE_FROM_INT(op_cvtsi2ss64, "cvtsi2ssq", "r", uint64_t)
SSE_FROM_INT(op_cvtsi2sd32, "cvtsi2sdl", "r", uint32_t)
SSE_FROM_INT(op_cvtsi2sd64, "cvtsi2sdq", "r", uint64_t)

/* Integer destination: CVT(T)SS2SI / CVT(T)SD2SI into a 32- or 64-bit register. */
#define SSE_TO_INT(name, insn, type)                                                    \
    static uint64_t name(uint64_t a, uint64_t b, uint32_t mx, uint32_t *out)            \
    {                                                                                   \
        type r;                                                                         \
        (void)b;                                                                        \
        __asm__ volatile("ldmxcsr %[m]\n\tmovq %[a], %%xmm0\n\t"                        \
                         insn " %%xmm0, %[r]\n\tstmxcsr %[o]"                           \
                         : [r] "=&r"(r), [o] "=m"(*out)                                 \
                         : [a] "r"(a), [m] "m"(mx)                                      \
                         : "xmm0");                                                     \
        return (uint64_t)r;                                                             \
    }

SSE_TO_INT(op_cvtss2si32, "cvtss2si", uint32_t)
SSE_TO_INT(op_cvtss2si64, "cvtss2si", uint64_t)
SSE_TO_INT(op_cvttss2si32, "cvttss2si", uint32_t)
SSE_TO_INT(op_cvttss2si64, "cvttss2si", uint64_t)
SSE_TO_INT(op_cvtsd2si32, "cvtsd2si", uint32_t)
SSE_TO_INT(op_cvtsd2si64, "cvtsd2si", uint64_t)
SSE_TO_INT(op_cvttsd2si32, "cvttsd2si", uint32_t)
SSE_TO_INT(op_cvttsd2si64, "cvttsd2si", uint64_t)

/* ROUNDSS/ROUNDSD with each of the 16 immediates (b selects the immediate). */
#define ROUND_CASE(insn, imm)                                                           \
    case imm:                                                                           \
        __asm__ volatile("ldmxcsr %[m]\n\tmovq %[a], %%xmm0\n\t"                        \
                         insn " $" #imm ", %%xmm0, %%xmm0\n\tmovq %%xmm0, %[r]\n\t"     \
                         "stmxcsr %[o]"                                                 \
                         : [r] "=&r"(r), [o] "=m"(*out)                                 \
                         : [a] "r"(a), [m] "m"(mx)                                      \
                         : "xmm0");                                                     \
        break;

#define SSE_ROUND(name, insn)                                                           \
    static uint64_t name(uint64_t a, uint64_t b, uint32_t mx, uint32_t *out)            \
    {                                                                                   \
        uint64_t r = 0;                                                                 \
        switch (b & 15) {                                                               \
            ROUND_CASE(insn, 0) ROUND_CASE(insn, 1) ROUND_CASE(insn, 2)                 \
            ROUND_CASE(insn, 3) ROUND_CASE(insn, 4) ROUND_CASE(insn, 5)                 \
            ROUND_CASE(insn, 6) ROUND_CASE(insn, 7) ROUND_CASE(insn, 8)                 \
            ROUND_CASE(insn, 9) ROUND_CASE(insn, 10) ROUND_CASE(insn, 11)               \
            ROUND_CASE(insn, 12) ROUND_CASE(insn, 13) ROUND_CASE(insn, 14)              \
            ROUND_CASE(insn, 15)                                                        \
        }                                                                               \
        return r;                                                                       \
    }

SSE_ROUND(op_roundss, "roundss")
SSE_ROUND(op_roundsd, "roundsd")
