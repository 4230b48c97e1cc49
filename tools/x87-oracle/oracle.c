/* x87 oracle: runs x87 instructions natively on an x86-64 host and prints, for each case, the
 * instruction bytes, the control word, the two stack operands and what the host produced:
 * ST(0), ST(1), FSW, the tag word and EFLAGS. Used by Tests/EmuTests/X87/X87HostTests.swift
 * through fixtures/x87/host.txt (regenerate with ./run). All exceptions stay masked.
 *
 * Line format (hex): name bytes fcw x y r0 r1 fsw ftw eflags, where 80-bit values are written
 * as sign+exponent (4 digits) followed by the significand (16 digits). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint64_t significand; uint16_t se; } __attribute__((packed)) f80;

typedef void (*runner)(const uint16_t *, const f80 *, const f80 *, f80 *, f80 *, uint16_t *,
                       uint8_t *, uint64_t *);

/* One function per instruction: fninit; fldcw; load y then x; the instruction; fnstsw;
 * pushfq/popq; fnstenv (for the tag word); fldcw again (fnstenv masked everything); pop two. */
#define OP(name, b0, b1)                                                                        \
    static void run_##name(const uint16_t *cw, const f80 *x, const f80 *y, f80 *r0, f80 *r1,   \
                           uint16_t *sw, uint8_t *env, uint64_t *fl) {                          \
        __asm__ volatile("fninit\n\tfldcw (%0)\n\tfldt (%2)\n\tfldt (%1)\n\t"                \
                         ".byte " #b0 ", " #b1 "\n\t"                                          \
                         "fnstsw (%5)\n\tpushfq\n\tpopq (%7)\n\tfnstenv (%6)\n\tfldcw (%0)\n\t"  \
                         "fstpt (%3)\n\tfstpt (%4)\n\tfninit"                                  \
                         : : "r"(cw), "r"(x), "r"(y), "r"(r0), "r"(r1), "r"(sw), "r"(env), "r"(fl) \
                         : "memory", "cc");                                                      \
    }

#define OPS(X)                                                                                  \
    X(fsin, 0xd9, 0xfe, TRIG) X(fcos, 0xd9, 0xff, TRIG) X(fsincos, 0xd9, 0xfb, TRIG)            \
    X(fptan, 0xd9, 0xf2, TRIG) X(f2xm1, 0xd9, 0xf0, UNIT) X(fpatan, 0xd9, 0xf3, ANY)            \
    X(fyl2x, 0xd9, 0xf1, POSITIVE) X(fyl2xp1, 0xd9, 0xf9, SMALL) X(fsqrt, 0xd9, 0xfa, POSITIVE) \
    X(frndint, 0xd9, 0xfc, ANY) X(fxtract, 0xd9, 0xf4, ANY) X(fscale, 0xd9, 0xfd, ARGS)         \
    X(fprem, 0xd9, 0xf8, ANY) X(fprem1, 0xd9, 0xf5, ANY) X(fchs, 0xd9, 0xe0, ANY)               \
    X(fabs, 0xd9, 0xe1, ANY) X(fxam, 0xd9, 0xe5, ANY) X(ftst, 0xd9, 0xe4, ANY)                  \
    X(fadd, 0xd8, 0xc1, ANY) X(fsub, 0xd8, 0xe1, ANY) X(fsubr, 0xd8, 0xe9, ANY)                 \
    X(fmul, 0xd8, 0xc9, ANY) X(fdiv, 0xd8, 0xf1, ANY) X(fdivr, 0xd8, 0xf9, ANY)                 \
    X(faddp, 0xde, 0xc1, ANY) X(fsubp, 0xde, 0xe9, ANY) X(fsubrp, 0xde, 0xe1, ANY)              \
    X(fdivp, 0xde, 0xf9, ANY) X(fdivrp, 0xde, 0xf1, ANY) X(fcom, 0xd8, 0xd1, ANY)               \
    X(fcompp, 0xde, 0xd9, ANY) X(fucom, 0xdd, 0xe1, ANY) X(fucompp, 0xda, 0xe9, ANY)            \
    X(fcomi, 0xdb, 0xf1, ANY) X(fucomip, 0xdf, 0xe9, ANY) X(fxch, 0xd9, 0xc9, ANY)              \
    X(fld1, 0xd9, 0xe8, ONCE) X(fldl2t, 0xd9, 0xe9, ONCE) X(fldl2e, 0xd9, 0xea, ONCE)           \
    X(fldpi, 0xd9, 0xeb, ONCE) X(fldlg2, 0xd9, 0xec, ONCE) X(fldln2, 0xd9, 0xed, ONCE)          \
    X(fldz, 0xd9, 0xee, ONCE) X(fstp1, 0xdd, 0xd9, ANY)

enum { ANY, UNIT, SMALL, TRIG, POSITIVE, ARGS, ONCE };

#define DEFINE(name, b0, b1, dom) OP(name, b0, b1)
OPS(DEFINE)

typedef struct {
    const char *name;
    uint8_t b0, b1;
    int domain;
    runner fn;
} op;

#define ENTRY(name, b0, b1, dom) {#name, b0, b1, dom, run_##name},
static const op ops[] = { OPS(ENTRY) };

static const uint16_t controls[] = {0x037f, 0x077f, 0x0b7f, 0x0f7f, 0x027f, 0x007f};

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return state;
}

/* A normal value with an exponent in [lo, hi] and a random sign unless positive. */
static f80 value(int lo, int hi, int positive) {
    f80 v;
    int e = lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
    v.significand = rnd() | 0x8000000000000000ull;
    v.se = (uint16_t)(16383 + e) | ((!positive && (rnd() & 1)) ? 0x8000 : 0);
    return v;
}

static f80 special(int k) {
    static const f80 s[] = {
        {0, 0}, {0, 0x8000}, {0x8000000000000000ull, 0x7fff}, {0x8000000000000000ull, 0xffff},
        {0xC000000000000000ull, 0x7fff}, {0x8000000000000000ull, 0x3fff}, {0x8000000000000000ull, 0xbfff},
        {0x0000000000001234ull, 0x0000}, {0xA000000000000000ull, 0x7fff},
    };
    return s[k % 9];
}

static void pick(int domain, int k, f80 *x, f80 *y) {
    *y = value(-8, 8, 0);
    switch (domain) {
    case UNIT: *x = value(-30, -1, 0); break;
    case SMALL: *x = value(-40, -3, 0); break;
    case TRIG: *x = value(-10, 62, 0); break;
    case POSITIVE: *x = value(-80, 80, 1); break;
    case ARGS: *x = value(-20, 20, 0); *y = value(0, 6, 0); break;
    default: *x = value(-40, 40, 0); *y = value(-40, 40, 0); break;
    }
    if (k % 7 == 6) *x = special(k / 7);
}

static void print80(f80 v) { printf(" %04x%016llx", v.se, (unsigned long long)v.significand); }

int main(void) {
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const op *o = &ops[i];
        int cases = o->domain == ONCE ? 1 : 70;
        for (size_t c = 0; c < sizeof controls / sizeof controls[0]; c++) {
            for (int k = 0; k < cases; k++) {
                f80 x, y, r0, r1;
                uint16_t sw = 0, cw = controls[c];
                uint8_t env[28];
                uint64_t fl = 0;
                pick(o->domain, k, &x, &y);
                o->fn(&cw, &x, &y, &r0, &r1, &sw, env, &fl);
                uint16_t tw = (uint16_t)(env[8] | env[9] << 8);
                printf("%s %02x%02x %04x", o->name, o->b0, o->b1, cw);
                print80(x); print80(y); print80(r0); print80(r1);
                printf(" %04x %04x %04llx\n", sw, tw, (unsigned long long)(fl & 0x8d5));
            }
        }
    }
    return 0;
}
