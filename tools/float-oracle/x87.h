/* x87 instructions run on the host with a given FCW. Every runner starts from FNINIT, loads
 * FCW, pushes the operands with FLD m80 (which neither converts nor raises exceptions), runs
 * one instruction and ends with FNSAVE, which stores FSW and the stack without waiting, so
 * unmasked exceptions stay pending instead of trapping. Operand a is ST(0), b is ST(1). */

typedef struct { uint64_t sig; uint16_t se; } __attribute__((packed)) f80;
typedef struct { uint8_t b[108]; } fsave_area;

#define X87_BINARY(name, insn)                                                          \
    static void name(const f80 *a, const f80 *b, uint16_t cw, fsave_area *s, void *m)   \
    {                                                                                   \
        (void)m;                                                                        \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t" insn     \
                         "\n\tfnsave %[s]"                                              \
                         : [s] "=m"(*s)                                                 \
                         : [a] "m"(*a), [b] "m"(*b), [cw] "m"(cw));                     \
    }

X87_BINARY(op_fadd, "fadd %%st(1), %%st")
X87_BINARY(op_fsub, "fsub %%st(1), %%st")
X87_BINARY(op_fmul, "fmul %%st(1), %%st")
X87_BINARY(op_fdiv, "fdiv %%st(1), %%st")
X87_BINARY(op_fcom, "fcom %%st(1)")
X87_BINARY(op_fucom, "fucom %%st(1)")
X87_BINARY(op_fscale, "fscale")
X87_BINARY(op_fprem, "fprem")
X87_BINARY(op_fprem1, "fprem1")

#define X87_UNARY(name, insn)                                                           \
    static void name(const f80 *a, const f80 *b, uint16_t cw, fsave_area *s, void *m)   \
    {                                                                                   \
        (void)b;                                                                        \
        (void)m;                                                                        \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn "\n\tfnsave %[s]" \
                         : [s] "=m"(*s)                                                 \
                         : [a] "m"(*a), [cw] "m"(cw));                                  \
    }

X87_UNARY(op_fsqrt, "fsqrt")
X87_UNARY(op_frndint, "frndint")
X87_UNARY(op_fxtract, "fxtract")
X87_UNARY(op_fxam, "fxam")

/* FLD m32/m64: the operand is the low bits of a.sig. */
static void op_fld32(const f80 *a, const f80 *b, uint16_t cw, fsave_area *s, void *m)
{
    (void)b;
    (void)m;
    uint32_t v = (uint32_t)a->sig;
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tflds %[v]\n\tfnsave %[s]"
                     : [s] "=m"(*s) : [v] "m"(v), [cw] "m"(cw));
}

static void op_fld64(const f80 *a, const f80 *b, uint16_t cw, fsave_area *s, void *m)
{
    (void)b;
    (void)m;
    uint64_t v = a->sig;
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldl %[v]\n\tfnsave %[s]"
                     : [s] "=m"(*s) : [v] "m"(v), [cw] "m"(cw));
}

/* FILD m64: the operand is a.sig. */
static void op_fild64(const f80 *a, const f80 *b, uint16_t cw, fsave_area *s, void *m)
{
    (void)b;
    (void)m;
    uint64_t v = a->sig;
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfildll %[v]\n\tfnsave %[s]"
                     : [s] "=m"(*s) : [v] "m"(v), [cw] "m"(cw));
}

/* Stores to memory: m receives the stored value (or keeps its sentinel when not written). */
#define X87_STORE(name, insn, type)                                                     \
    static void name(const f80 *a, const f80 *b, uint16_t cw, fsave_area *s, void *m)   \
    {                                                                                   \
        (void)b;                                                                        \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn " %[m]\n\t"      \
                         "fnsave %[s]"                                                  \
                         : [s] "=m"(*s), [m] "+m"(*(type *)m)                           \
                         : [a] "m"(*a), [cw] "m"(cw));                                  \
    }

X87_STORE(op_fst32, "fsts", uint32_t)
X87_STORE(op_fst64, "fstl", uint64_t)
X87_STORE(op_fist16, "fists", uint16_t)
X87_STORE(op_fist32, "fistl", uint32_t)
X87_STORE(op_fist64, "fistpll", uint64_t)
X87_STORE(op_fisttp16, "fisttps", uint16_t)
X87_STORE(op_fisttp32, "fisttpl", uint32_t)
X87_STORE(op_fisttp64, "fisttpll", uint64_t)
