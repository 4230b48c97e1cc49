/* float-oracle: runs SSE scalar and x87 instructions on the host CPU over operands biased
 * toward special values and writes the results as test vectors (the .txt files of fixtures/float).
 * Deterministic: every operation has its own fixed PRNG seed.
 *
 * SSE line:  op mxcsr a b result flags      (result "x": the instruction raised #XM)
 * x87 line:  op fcw a b r0 r1 fsw           (unused fields "-"; f80 values as 4+16 hex digits,
 *                                            sign/exponent then significand; fsw without TOP)
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "sse.h"
#include "x87.h"

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static void seed(const char *name)
{
    rng = 0x9E3779B97F4A7C15ull;
    for (const char *p = name; *p; p++) rng = (rng ^ (uint8_t)*p) * 0x100000001B3ull;
    if (!rng) rng = 1;
    for (int i = 0; i < 8; i++) rnd();
}
static int chance(int n) { return rnd() % n == 0; }

/* ---- binary32 / binary64 operands ---- */

typedef struct { int ebits, fbits; } format;
static const format F32 = {8, 23}, F64 = {11, 52};

static uint64_t pack(format f, uint64_t s, uint64_t e, uint64_t m)
{
    return s << (f.ebits + f.fbits) | (e & ((1ull << f.ebits) - 1)) << f.fbits |
           (m & ((1ull << f.fbits) - 1));
}
static uint64_t exponent_of(format f, uint64_t v) { return (v >> f.fbits) & ((1ull << f.ebits) - 1); }

/* A fraction biased toward rounding boundaries: few bits, runs of ones, or random. */
static uint64_t fraction(format f)
{
    uint64_t mask = (1ull << f.fbits) - 1, r = rnd();
    switch (rnd() % 8) {
    case 0: return 0;
    case 1: return mask;
    case 2: return (r & mask) >> (rnd() % f.fbits);
    case 3: return mask & ~((1ull << (rnd() % f.fbits)) - 1);
    case 4: return (r & mask) | 1;
    case 5: return ((r & mask) >> (rnd() % 6)) << (rnd() % 6) & mask;
    default: return r & mask;
    }
}

static uint64_t gen_float(format f)
{
    uint64_t emax = (1ull << f.ebits) - 1, bias = emax >> 1, s = rnd() & 1;
    uint64_t quiet = 1ull << (f.fbits - 1);
    switch (rnd() % 16) {
    case 0: return pack(f, s, 0, 0);
    case 1: return pack(f, s, 0, fraction(f) | (chance(4) ? 1 : 0));
    case 2: return pack(f, s, 1 + rnd() % 3, fraction(f));
    case 3: return pack(f, s, emax - 1 - rnd() % 3, fraction(f));
    case 4: return pack(f, s, emax, 0);
    case 5: return pack(f, s, emax, quiet | fraction(f));
    case 6: return pack(f, s, emax, (fraction(f) & (quiet - 1)) | (chance(2) ? 1 : quiet >> 1));
    case 7:
    case 8: return pack(f, s, bias - 2 + rnd() % 5, fraction(f));
    case 9:
    case 10: return pack(f, s, bias - 2 + rnd() % 68, fraction(f));
    case 11: return pack(f, s, rnd() % emax, fraction(f));
    default: return pack(f, s, rnd() % emax, rnd());
    }
}

/* A second operand related to a: nearby exponent (cancellation), exponent difference around
 * the precision (sticky bits), or exponents summing near the underflow/overflow thresholds. */
static uint64_t gen_second(format f, uint64_t a)
{
    uint64_t emax = (1ull << f.ebits) - 1, bias = emax >> 1, ea = exponent_of(f, a);
    uint64_t s = rnd() & 1;
    int64_t e;
    switch (rnd() % 8) {
    case 0: e = (int64_t)ea - 2 + (int64_t)(rnd() % 5); break;
    case 1: e = (int64_t)ea - f.fbits - 3 + (int64_t)(rnd() % 7); break;
    case 2: e = (int64_t)bias * 2 - (int64_t)ea - 2 + (int64_t)(rnd() % 5); break;
    case 3: e = (int64_t)ea - 2 + (int64_t)(rnd() % 5) - (int64_t)f.fbits * (int64_t)(rnd() % 2); break;
    case 4: e = (int64_t)(bias * 2) - (int64_t)ea + (int64_t)(rnd() % 4) - (int64_t)(bias - 1) * (int64_t)(rnd() % 3 == 0); break;
    default: return gen_float(f);
    }
    if (e < 0 || e >= (int64_t)emax) e = (int64_t)(rnd() % emax);
    if (chance(3)) return pack(f, s, (uint64_t)e, (a & ((1ull << f.fbits) - 1)) ^ (rnd() & 7));
    return pack(f, s, (uint64_t)e, fraction(f));
}

static uint64_t gen_int(int bits)
{
    uint64_t v;
    switch (rnd() % 6) {
    case 0: v = (1ull << (rnd() % bits)) + (rnd() % 3) - 1; break;
    case 1: v = 1ull << (bits - 1); break;
    default: v = rnd() >> (rnd() % 64); break;
    }
    if (rnd() & 1) v = -v;
    return bits == 32 ? (uint64_t)(uint32_t)v : v;
}

/* ---- SSE ---- */

static sigjmp_buf trap_jump;
static volatile uint32_t trap_mxcsr;
static volatile uint16_t trap_fsw;

static void on_sigfpe(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    ucontext_t *uc = context;
    trap_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(trap_jump, 1);
}

typedef uint64_t (*sse_fn)(uint64_t, uint64_t, uint32_t, uint32_t *);
enum operands { FLOAT1, FLOAT2, INT32, INT64, ROUND };
typedef struct { const char *name; sse_fn fn; format f; enum operands kind; int resbits; } sse_op;

static uint32_t gen_mxcsr(void)
{
    uint32_t mx = (uint32_t)(rnd() % 4) << 13;
    if (chance(4)) mx |= 1u << 6;
    if (chance(4)) mx |= 1u << 15;
    if (chance(6)) mx |= (uint32_t)(rnd() & 0x3F) << 7;
    else mx |= 0x3Fu << 7;
    return mx;
}

static void run_sse(FILE *out, const sse_op *op, int count)
{
    seed(op->name);
    int abits = op->kind == INT32 ? 32 : op->kind == INT64 ? 64 : 1 + op->f.ebits + op->f.fbits;
    for (int i = 0; i < count; i++) {
        volatile uint64_t a, b = 0;
        uint32_t mx = gen_mxcsr(), after = 0;
        switch (op->kind) {
        case INT32: a = gen_int(32); break;
        case INT64: a = gen_int(64); break;
        case ROUND: a = gen_float(op->f); b = rnd() & 15; break;
        case FLOAT1: a = gen_float(op->f); break;
        default: a = gen_float(op->f); b = gen_second(op->f, a); break;
        }
        volatile int trapped = 0;
        volatile uint64_t r = 0;
        if (sigsetjmp(trap_jump, 1)) {
            trapped = 1;
            after = trap_mxcsr;
        } else {
            r = op->fn(a, op->kind == FLOAT1 ? a : b, mx, &after);
        }
        if (op->resbits < 64) r &= (1ull << op->resbits) - 1;
        fprintf(out, "%s %04x %0*llx %llx ", op->name, mx, abits / 4, (unsigned long long)a,
                (unsigned long long)b);
        if (trapped) fprintf(out, "x");
        else fprintf(out, "%0*llx", op->resbits / 4, (unsigned long long)r);
        fprintf(out, " %02x\n", after & 0x3F);
    }
}

static const sse_op sse_arith[] = {
    {"addss", op_addss, {8, 23}, FLOAT2, 32},    {"addsd", op_addsd, {11, 52}, FLOAT2, 64},
    {"subss", op_subss, {8, 23}, FLOAT2, 32},    {"subsd", op_subsd, {11, 52}, FLOAT2, 64},
    {"mulss", op_mulss, {8, 23}, FLOAT2, 32},    {"mulsd", op_mulsd, {11, 52}, FLOAT2, 64},
    {"divss", op_divss, {8, 23}, FLOAT2, 32},    {"divsd", op_divsd, {11, 52}, FLOAT2, 64},
    {"sqrtss", op_sqrtss, {8, 23}, FLOAT1, 32},  {"sqrtsd", op_sqrtsd, {11, 52}, FLOAT1, 64},
};
static const sse_op sse_compare[] = {
    {"comiss", op_comiss, {8, 23}, FLOAT2, 8},   {"comisd", op_comisd, {11, 52}, FLOAT2, 8},
    {"ucomiss", op_ucomiss, {8, 23}, FLOAT2, 8}, {"ucomisd", op_ucomisd, {11, 52}, FLOAT2, 8},
};
static const sse_op sse_convert[] = {
    {"cvtss2sd", op_cvtss2sd, {8, 23}, FLOAT1, 64},       {"cvtsd2ss", op_cvtsd2ss, {11, 52}, FLOAT1, 32},
    {"cvtsi2ss32", op_cvtsi2ss32, {8, 23}, INT32, 32},    {"cvtsi2ss64", op_cvtsi2ss64, {8, 23}, INT64, 32},
    {"cvtsi2sd32", op_cvtsi2sd32, {11, 52}, INT32, 64},   {"cvtsi2sd64", op_cvtsi2sd64, {11, 52}, INT64, 64},
    {"cvtss2si32", op_cvtss2si32, {8, 23}, FLOAT1, 32},   {"cvtss2si64", op_cvtss2si64, {8, 23}, FLOAT1, 64},
    {"cvttss2si32", op_cvttss2si32, {8, 23}, FLOAT1, 32}, {"cvttss2si64", op_cvttss2si64, {8, 23}, FLOAT1, 64},
    {"cvtsd2si32", op_cvtsd2si32, {11, 52}, FLOAT1, 32},  {"cvtsd2si64", op_cvtsd2si64, {11, 52}, FLOAT1, 64},
    {"cvttsd2si32", op_cvttsd2si32, {11, 52}, FLOAT1, 32}, {"cvttsd2si64", op_cvttsd2si64, {11, 52}, FLOAT1, 64},
};
static const sse_op sse_round[] = {
    {"roundss", op_roundss, {8, 23}, ROUND, 32}, {"roundsd", op_roundsd, {11, 52}, ROUND, 64},
};

/* ---- x87 ---- */

static f80 gen_f80(void)
{
    f80 v;
    uint16_t s = (rnd() & 1) << 15;
    uint64_t top = 1ull << 63, r = rnd();
    uint64_t low = chance(2) ? r : r >> (rnd() % 64) << (rnd() % 16);
    if (chance(5)) low = r | ((1ull << (rnd() % 64)) - 1);
    if (chance(5)) low = r & ~((1ull << (rnd() % 64)) - 1);
    switch (rnd() % 20) {
    case 0: v.se = 0; v.sig = 0; break;
    case 1: v.se = 0; v.sig = low & ~top; break;
    case 2: v.se = 0; v.sig = low | top; break;                       /* pseudo-denormal */
    case 3: v.se = 1 + rnd() % 3; v.sig = low | top; break;
    case 4: v.se = 0x7FFE - rnd() % 3; v.sig = low | top; break;
    case 5: v.se = 0x7FFF; v.sig = top; break;
    case 6: v.se = 0x7FFF; v.sig = top | 1ull << 62 | low; break;     /* QNaN */
    case 7: v.se = 0x7FFF; v.sig = top | ((low & ~(1ull << 62)) | 1); break; /* SNaN */
    case 8: v.se = 0x7FFF; v.sig = low & ~top; break;                 /* pseudo-NaN/-infinity */
    case 9: v.se = 1 + rnd() % 0x7FFE; v.sig = low & ~top; break;     /* unnormal */
    case 10:
    case 11: v.se = 0x3FFF - 2 + rnd() % 5; v.sig = low | top; break;
    case 12:
    case 13: v.se = 0x3FFF - 2 + rnd() % 68; v.sig = low | top; break;
    case 14: v.se = 0x3FFF - 0x3F81 + rnd() % 8; v.sig = low | top; break;  /* binary32 range edge */
    case 15: v.se = 0x3FFF - 0x3C01 + rnd() % 8; v.sig = low | top; break;  /* binary64 range edge */
    case 16: v.se = 0x3FFF + 0x7F - rnd() % 3; v.sig = low | top; break;
    case 17: v.se = 0x3FFF + 0x3FF - rnd() % 3; v.sig = low | top; break;
    default: v.se = 1 + rnd() % 0x7FFE; v.sig = low | top; break;
    }
    v.se |= s;
    return v;
}

static f80 gen_f80_second(f80 a, int scale)
{
    f80 b = gen_f80();
    int ea = a.se & 0x7FFF, e;
    if (scale) {
        if (chance(2)) {
            int n = (int)(rnd() % 40000) - 20000;
            if (chance(2)) n = (int)(rnd() % 140) - 70;
            uint64_t mag = (uint64_t)(n < 0 ? -n : n);
            if (mag == 0) { b.se = (b.se & 0x8000); b.sig = 0; return b; }
            int lz = __builtin_clzll(mag);
            b.sig = (mag << lz) | (chance(2) ? rnd() >> (64 - lz) : 0);
            b.se = (uint16_t)(0x3FFF + 63 - lz) | (n < 0 ? 0x8000 : 0);
        }
        return b;
    }
    switch (rnd() % 6) {
    case 0: e = ea - 2 + (int)(rnd() % 5); break;
    case 1: e = ea - 66 + (int)(rnd() % 6); break;
    case 2: e = 0x7FFE - ea - 2 + (int)(rnd() % 5); break;
    case 3: e = ea - (int)(rnd() % 70); break;
    default: return b;
    }
    if (e < 1 || e > 0x7FFE || (b.se & 0x7FFF) == 0x7FFF || (b.se & 0x7FFF) == 0) return b;
    b.se = (uint16_t)((b.se & 0x8000) | e);
    if (chance(3)) b.sig = a.sig ^ (rnd() & 0xFF);
    return b;
}

static uint16_t gen_fcw(void)
{
    static const uint16_t pcs[] = {0, 1, 2, 3, 3, 3};
    uint16_t cw = 0x0040 | (uint16_t)(pcs[rnd() % 6] << 8) | (uint16_t)((rnd() % 4) << 10);
    if (chance(5)) cw |= rnd() & 0x3F;
    else cw |= 0x3F;
    return cw;
}

typedef void (*x87_fn)(const f80 *, const f80 *, uint16_t, fsave_area *, void *);
enum x87_kind { X2, X2SCALE, X1, XLOAD32, XLOAD64, XLOADINT, XSTORE };
enum x87_result { R_ST0, R_ST01, R_NONE, R_MEM };
typedef struct { const char *name; x87_fn fn; enum x87_kind kind; enum x87_result res; int membits; } x87_op;

static void print_f80(FILE *out, const uint8_t *p)
{
    uint64_t sig;
    uint16_t se;
    memcpy(&sig, p, 8);
    memcpy(&se, p + 8, 2);
    fprintf(out, "%04x%016llx", se, (unsigned long long)sig);
}

static void run_x87(FILE *out, const x87_op *op, int count)
{
    seed(op->name);
    for (int i = 0; i < count; i++) {
        f80 a = gen_f80(), b = {0, 0};
        uint16_t cw = gen_fcw();
        if (op->kind == XLOAD32) a = (f80){gen_float(F32), 0};
        if (op->kind == XLOAD64) a = (f80){gen_float(F64), 0};
        if (op->kind == XLOADINT) a = (f80){gen_int(64), 0};
        if (op->kind == X2) b = gen_f80_second(a, 0);
        if (op->kind == X2SCALE) b = gen_f80_second(a, 1);
        fsave_area s;
        uint64_t mem = 0xA5A5A5A5A5A5A5A5ull;
        memset(&s, 0, sizeof s);
        op->fn(&a, &b, cw, &s, &mem);
        uint16_t fsw;
        memcpy(&fsw, s.b + 4, 2);
        fprintf(out, "%s %04x ", op->name, cw);
        if (op->kind == XLOAD32) fprintf(out, "%08llx", (unsigned long long)a.sig);
        else if (op->kind == XLOAD64 || op->kind == XLOADINT) fprintf(out, "%016llx", (unsigned long long)a.sig);
        else print_f80(out, (const uint8_t *)&a);
        fprintf(out, " ");
        if (op->kind == X2 || op->kind == X2SCALE) print_f80(out, (const uint8_t *)&b);
        else fprintf(out, "-");
        fprintf(out, " ");
        switch (op->res) {
        case R_ST0: print_f80(out, s.b + 28); fprintf(out, " -"); break;
        case R_ST01: print_f80(out, s.b + 28); fprintf(out, " "); print_f80(out, s.b + 38); break;
        case R_NONE: fprintf(out, "- -"); break;
        case R_MEM:
            fprintf(out, "%0*llx -", op->membits / 4,
                    (unsigned long long)(op->membits == 64 ? mem : mem & ((1ull << op->membits) - 1)));
            break;
        }
        fprintf(out, " %04x\n", fsw & 0xC7FF);
    }
}

static const x87_op x87_arith[] = {
    {"fadd", op_fadd, X2, R_ST0, 0}, {"fsub", op_fsub, X2, R_ST0, 0},
    {"fmul", op_fmul, X2, R_ST0, 0}, {"fdiv", op_fdiv, X2, R_ST0, 0},
    {"fsqrt", op_fsqrt, X1, R_ST0, 0},
};
static const x87_op x87_compare[] = {
    {"fcom", op_fcom, X2, R_NONE, 0}, {"fucom", op_fucom, X2, R_NONE, 0},
    {"fxam", op_fxam, X1, R_NONE, 0},
};
static const x87_op x87_convert[] = {
    {"fld32", op_fld32, XLOAD32, R_ST0, 0},   {"fld64", op_fld64, XLOAD64, R_ST0, 0},
    {"fild64", op_fild64, XLOADINT, R_ST0, 0},
    {"fst32", op_fst32, XSTORE, R_MEM, 32},   {"fst64", op_fst64, XSTORE, R_MEM, 64},
    {"fist16", op_fist16, XSTORE, R_MEM, 16}, {"fist32", op_fist32, XSTORE, R_MEM, 32},
    {"fist64", op_fist64, XSTORE, R_MEM, 64}, {"fisttp16", op_fisttp16, XSTORE, R_MEM, 16},
    {"fisttp32", op_fisttp32, XSTORE, R_MEM, 32}, {"fisttp64", op_fisttp64, XSTORE, R_MEM, 64},
    {"frndint", op_frndint, X1, R_ST0, 0},
};
static const x87_op x87_special[] = {
    {"fscale", op_fscale, X2SCALE, R_ST0, 0}, {"fprem", op_fprem, X2, R_ST0, 0},
    {"fprem1", op_fprem1, X2, R_ST0, 0},      {"fxtract", op_fxtract, X1, R_ST01, 0},
};

#define COUNT(t) (int)(sizeof t / sizeof t[0])

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fprintf(f, "# generated by tools/float-oracle on the host CPU; see oracle.c for the format\n");
    return f;
}

static void sse_file(const char *dir, const char *name, const sse_op *ops, int n, int count)
{
    FILE *f = open_out(dir, name);
    for (int i = 0; i < n; i++) run_sse(f, &ops[i], count);
    fclose(f);
}

static void x87_file(const char *dir, const char *name, const x87_op *ops, int n, int count)
{
    FILE *f = open_out(dir, name);
    for (int i = 0; i < n; i++) run_x87(f, &ops[i], count);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: %s OUTDIR\n", argv[0]); return 2; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigfpe;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    const char *dir = argv[1];
    sse_file(dir, "sse-arith", sse_arith, COUNT(sse_arith), 3000);
    sse_file(dir, "sse-compare", sse_compare, COUNT(sse_compare), 1000);
    sse_file(dir, "sse-convert", sse_convert, COUNT(sse_convert), 1500);
    sse_file(dir, "sse-round", sse_round, COUNT(sse_round), 2000);
    x87_file(dir, "x87-arith", x87_arith, COUNT(x87_arith), 3000);
    x87_file(dir, "x87-compare", x87_compare, COUNT(x87_compare), 1000);
    x87_file(dir, "x87-convert", x87_convert, COUNT(x87_convert), 1000);
    x87_file(dir, "x87-special", x87_special, COUNT(x87_special), 2000);
    return 0;
}
