/* Deterministic floating-point work that gcc compiles into SSE/SSE2 scalar and packed code
   (-O3 auto-vectorises the array loops) and x87 code (long double). Every result is reported as
   one line "NAME HEX" holding its exact bit pattern; the host CPU's lines are the oracle
   (expected.txt). No libc: the hex printer is here. Built with -fno-math-errno so that
   __builtin_sqrt and friends become instructions. */
#include <stdint.h>
#include "compute.h"

static void (*out)(const char *line);

static void line(const char *name, const uint64_t *words, int count) {
    char buf[160];
    int n = 0;
    while (*name && n < 40) buf[n++] = *name++;
    for (int w = 0; w < count; w++) {
        buf[n++] = ' ';
        for (int shift = 60; shift >= 0; shift -= 4) buf[n++] = "0123456789abcdef"[(words[w] >> shift) & 0xf];
    }
    buf[n] = 0;
    out(buf);
}

static void put64(const char *name, uint64_t v) { line(name, &v, 1); }
static void putd(const char *name, double d) { uint64_t v; __builtin_memcpy(&v, &d, 8); put64(name, v); }
static void putf(const char *name, float f) { uint32_t v; __builtin_memcpy(&v, &f, 4); put64(name, v); }
static void putld(const char *name, long double x) {
    uint64_t w[2] = {0, 0};
    __builtin_memcpy(&w[1], &x, 8);
    uint16_t se;
    __builtin_memcpy(&se, (const char *)&x + 8, 2);
    w[0] = se;
    line(name, w, 2);
}

/* Folds an array's bit patterns into one value (order-sensitive). */
static uint64_t fold(const void *p, int bytes) {
    uint64_t h = 0xcbf29ce484222325ull;
    const unsigned char *b = p;
    for (int i = 0; i < bytes; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* Inputs read through volatile so that gcc cannot fold the work at compile time. */
static volatile double vd[8] = {1.0, 3.0, -2.5, 1e300, 1e-300, 0.1, 7.0, -0.0};
static volatile float vf[4] = {1.0f, 3.0f, 0.1f, 16777217.0f};
static volatile int64_t vi[4] = {123456789012345ll, -7, 1ll << 53 | 1, -2147483649ll};

#define N 64
static float fa[N], fb[N], fc[N];
static double da[N], db[N], dc[N];
static int32_t ia[N], ib[N];

static void scalar_double(void) {
    double a = vd[0], b = vd[1], c = vd[2], big = vd[3], tiny = vd[4], tenth = vd[5];
    putd("d.add", a + tenth);
    putd("d.sub", c - tenth);
    putd("d.mul", tenth * b);
    putd("d.div", a / b);
    putd("d.sqrt", __builtin_sqrt(b));
    putd("d.sqrt-neg", __builtin_sqrt(c));
    putd("d.overflow", big * big);
    putd("d.underflow", tiny * tiny);
    putd("d.denormal", tiny * 1e-10);
    putd("d.inf-inf", (big * big) - (big * big));
    putd("d.div0", a / vd[7]);
    putd("d.min", c < tenth ? c : tenth);
    putd("d.max", c > tenth ? c : tenth);
    double s = 0;
    for (int i = 1; i <= 1000; i++) s += 1.0 / (i * vd[0]);
    putd("d.harmonic", s);
    double p = 1;
    for (int i = 1; i <= 30; i++) p *= (i + tenth);
    putd("d.product", p);
    put64("d.lt", (c < a) | (a < c) << 1 | (a == a) << 2 | ((big * big - big * big) == 0) << 3);
}

static void scalar_float(void) {
    float a = vf[0], b = vf[1], t = vf[2], odd = vf[3];
    putf("f.add", a + t);
    putf("f.div", a / b);
    putf("f.sqrt", __builtin_sqrtf(b));
    putf("f.odd", odd);
    float s = 0;
    for (int i = 0; i < 1000; i++) s += t;
    putf("f.sum", s);
    putd("f.to-d", (double)(a / b));
    putf("d.to-f", (float)(vd[0] / vd[1]));
    putf("d.to-f-big", (float)vd[3]);
}

static void conversions(void) {
    double x = vd[2] * vd[1];          /* -7.5 */
    put64("cvt.d-to-i", (uint64_t)(int64_t)x);
    put64("cvt.d-to-i32", (uint64_t)(int32_t)(x * 1000.3));
    put64("cvt.big-to-i", (uint64_t)(int64_t)vd[3]);
    put64("cvt.f-to-i", (uint64_t)(int64_t)(vf[3] * 3.5f));
    putd("cvt.i-to-d", (double)vi[0]);
    putd("cvt.i-to-d-round", (double)vi[2]);
    putf("cvt.i-to-f", (float)vi[0]);
    putf("cvt.i32-to-f", (float)(int32_t)vi[3]);
    putd("cvt.u-to-d", (double)(uint64_t)vi[1]);
    put64("cvt.d-to-u", (uint64_t)(vd[3] < 1e19 ? vd[3] : 1.8e19));
    put64("cvt.lrint", (uint64_t)__builtin_lrint(x));
}

static void matrix(void) {
    double m[4][4], n[4][4], r[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            m[i][j] = (i + 1) * vd[5] + j * vd[1];
            n[i][j] = (i - j) / vd[6];
        }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double acc = 0;
            for (int k = 0; k < 4; k++) acc += m[i][k] * n[k][j];
            r[i][j] = acc;
        }
    putd("mat.r00", r[0][0]);
    putd("mat.r13", r[1][3]);
    putd("mat.r32", r[3][2]);
    put64("mat.fold", fold(r, sizeof r));
}

static void newton(void) {
    double x = vd[1];
    double g = x;
    for (int i = 0; i < 8; i++) g = 0.5 * (g + x / g);
    putd("newton.sqrt3", g);
    float y = vf[2];
    float r = 10.0f;
    for (int i = 0; i < 6; i++) r = r * (2.0f - y * r);
    putf("newton.recip", r);
}

static void mandelbrot(void) {
    uint64_t total = 0;
    for (int px = 0; px < 64; px++) {
        double cr = -2.0 + px * (2.5 / 64) * vd[0], ci = 0.6 * vd[0];
        double zr = 0, zi = 0;
        int it = 0;
        while (it < 200 && zr * zr + zi * zi <= 4.0) {
            double t = zr * zr - zi * zi + cr;
            zi = 2 * zr * zi + ci;
            zr = t;
            it++;
        }
        total = total * 31 + it;
    }
    put64("mandel.row", total);
}

static void extended(void) {
    long double a = vd[0], b = vd[1], t = vd[5];
    putld("x87.div", a / b);
    putld("x87.sqrt", __builtin_sqrtl(b));
    putld("x87.add", a + t);
    long double s = 0;
    for (int i = 1; i <= 1000; i++) s += 1.0L / i;
    putld("x87.harmonic", s);
    long double p = 1;
    for (int i = 1; i <= 25; i++) p *= i;
    putld("x87.fact25", p);
    putld("x87.huge", (long double)vd[3] * vd[3]);
    putld("x87.from-i", (long double)vi[0] / 3);
    put64("x87.to-i", (uint64_t)(int64_t)(a / b * 1e18L));
    putd("x87.to-d", (double)(a / b));
    putf("x87.to-f", (float)(a / b));
    put64("x87.cmp", (a < b) | (b < a) << 1 | (a / b == 1 / b) << 2);
    long double g = b;
    for (int i = 0; i < 8; i++) g = 0.5L * (g + b / g);
    putld("x87.newton", g);
}

static void vectors(void) {
    for (int i = 0; i < N; i++) {
        fa[i] = i * vf[2] + vf[0];
        fb[i] = (N - i) / vf[1];
        da[i] = i * vd[5] - vd[2];
        db[i] = vd[6] / (i + 1);
        ia[i] = (int32_t)(i * 2654435761u);
    }
    for (int i = 0; i < N; i++) fc[i] = fa[i] * fb[i] + fa[i] / fb[i];
    put64("vec.f-muladd", fold(fc, sizeof fc));
    for (int i = 0; i < N; i++) fc[i] = __builtin_sqrtf(fa[i]) - fb[i];
    put64("vec.f-sqrt", fold(fc, sizeof fc));
    for (int i = 0; i < N; i++) dc[i] = da[i] * db[i] - da[i] / db[i];
    put64("vec.d-muldiv", fold(dc, sizeof dc));
    for (int i = 0; i < N; i++) dc[i] = __builtin_sqrt(da[i] * da[i] + db[i]);
    put64("vec.d-sqrt", fold(dc, sizeof dc));
    for (int i = 0; i < N; i++) fc[i] = fa[i] > fb[i] ? fa[i] : fb[i];
    put64("vec.f-max", fold(fc, sizeof fc));
    for (int i = 0; i < N; i++) fc[i] = (float)ia[i] * 0.5f;
    put64("vec.i-to-f", fold(fc, sizeof fc));
    for (int i = 0; i < N; i++) ib[i] = (int32_t)(fa[i] * 1000.0f);
    put64("vec.f-to-i", fold(ib, sizeof ib));
    for (int i = 0; i < N; i++) dc[i] = (double)fa[i] + (double)ia[i];
    put64("vec.f-to-d", fold(dc, sizeof dc));
    for (int i = 0; i < N; i++) fc[i] = (float)(da[i] * 3.0);
    put64("vec.d-to-f", fold(fc, sizeof fc));
    for (int i = 0; i < N; i++) ib[i] = ia[i] < ib[i] ? ia[i] : ib[i];
    put64("vec.i-min", fold(ib, sizeof ib));
    for (int i = 0; i < N; i++) fc[i] = __builtin_fabsf(fa[i] - fb[i]);
    put64("vec.f-abs", fold(fc, sizeof fc));
    double dot = 0;
    for (int i = 0; i < N; i++) dot += da[i] * db[i];
    putd("vec.dot", dot);
}

/* MXCSR rounding control (bits 14:13): the same division and conversion in each mode. The
   "+x" operands tie the work between the two LDMXCSRs. */
static void rounding(void) {
    static const char *names[4][2] = {{"rc.near.div", "rc.near.cvt"}, {"rc.down.div", "rc.down.cvt"},
                                      {"rc.up.div", "rc.up.cvt"}, {"rc.zero.div", "rc.zero.cvt"}};
    uint32_t saved;
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    for (uint32_t rc = 0; rc < 4; rc++) {
        uint32_t mx = (saved & ~0x6000u) | rc << 13;
        double a = vd[0], b = -vd[1];
        __asm__ volatile("ldmxcsr %2" : "+x"(a), "+x"(b) : "m"(mx));
        double q = a / b;
        long long r = __builtin_llrint(q * 1e6);
        __asm__ volatile("ldmxcsr %2" : "+x"(q), "+r"(r) : "m"(saved));
        putd(names[rc][0], q);
        put64(names[rc][1], (uint64_t)r);
    }
    uint32_t status;
    __asm__ volatile("stmxcsr %0" : "=m"(status));
    put64("mxcsr", status & ~0x3fu);
}

/* Special values: NaN payloads through non-commutative operations (the first operand's NaN is
   kept, SDM vol. 1, 4.8.3.5), signalling NaNs quietened, signed zeros, FTZ and DAZ. */
static void special(void) {
    static volatile uint64_t bits[4] = {0x7ff8000000000123ull, 0x7ff0000000000456ull, 0xfff8000000000789ull, 0x0000000000000001ull};
    double qnan, snan, nqnan, denorm;
    __builtin_memcpy(&qnan, (const void *)&bits[0], 8);
    __builtin_memcpy(&snan, (const void *)&bits[1], 8);
    __builtin_memcpy(&nqnan, (const void *)&bits[2], 8);
    __builtin_memcpy(&denorm, (const void *)&bits[3], 8);
    putd("nan.sub-qq", qnan - nqnan);
    putd("nan.sub-qq-rev", nqnan - qnan);
    putd("nan.div-sq", snan / qnan);
    putd("nan.quiet", snan * vd[0]);
    putd("nan.one", vd[0] - nqnan);
    putf("nan.to-f", (float)snan);
    putd("nan.f-to-d", (double)(float)qnan);
    put64("nan.cmp", (qnan < vd[0]) | (qnan == qnan) << 1 | (qnan != qnan) << 2 | (vd[0] >= qnan) << 3);
    put64("nan.to-i", (uint64_t)(int64_t)qnan);
    putd("zero.min", vd[7] < 0.0 ? vd[7] : 0.0);
    putd("zero.neg-sum", vd[7] + vd[7]);
    putd("zero.sub", vd[0] - vd[0]);
    putd("denorm.mul", denorm * vd[6]);
    putd("denorm.div", denorm / vd[1]);
    putd("denorm.sqrt", __builtin_sqrt(denorm));
    putd("denorm.to-f", (double)(float)(denorm * 1e300));
    uint32_t saved;
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    uint32_t ftz = saved | 0x8000, daz = saved | 0x40;
    double a = denorm, b = vd[6], c = vd[4];
    __asm__ volatile("ldmxcsr %3" : "+x"(a), "+x"(b), "+x"(c) : "m"(ftz));
    double r1 = a * b, r2 = c * c * 1e10;
    __asm__ volatile("ldmxcsr %3" : "+x"(r1), "+x"(r2), "+x"(a) : "m"(daz));
    double r3 = a * b, r4 = a + a;
    __asm__ volatile("ldmxcsr %2" : "+x"(r3), "+x"(r4) : "m"(saved));
    putd("ftz.denorm", r1);
    putd("ftz.underflow", r2);
    putd("daz.mul", r3);
    putd("daz.add", r4);
}

/* The x87 control word: rounding control (bits 11:10) and precision control (bits 9:8) on a
   long double division and FISTP; special values in extended precision. */
static void x87_control(void) {
    static const char *names[4] = {"x87.rc.near", "x87.rc.down", "x87.rc.up", "x87.rc.zero"};
    static const char *pcnames[3] = {"x87.pc24", "x87.pc53", "x87.pc64"};
    static const uint16_t pcs[3] = {0x0000, 0x0200, 0x0300};
    uint16_t saved;
    __asm__ volatile("fnstcw %0" : "=m"(saved));
    for (uint16_t rc = 0; rc < 4; rc++) {
        uint16_t cw = (saved & ~0x0c00) | rc << 10;
        long double a = -vd[0], b = vd[1];
        __asm__ volatile("fldcw %1" : "+t"(a) : "m"(cw));
        long double q = a / b;
        long long r = __builtin_llrintl(q * 1e6L);
        __asm__ volatile("fldcw %1" : "+t"(q) : "m"(saved));
        uint64_t w[3] = {0, 0, (uint64_t)r};
        __builtin_memcpy(&w[1], &q, 8);
        uint16_t se;
        __builtin_memcpy(&se, (const char *)&q + 8, 2);
        w[0] = se;
        line(names[rc], w, 3);
    }
    for (int i = 0; i < 3; i++) {
        uint16_t cw = (saved & ~0x0300) | pcs[i];
        long double a = vd[0], b = vd[6];
        __asm__ volatile("fldcw %1" : "+t"(a) : "m"(cw));
        long double q = a / b + a;
        __asm__ volatile("fldcw %1" : "+t"(q) : "m"(saved));
        putld(pcnames[i], q);
    }
    long double m = vd[2];
    putld("x87.sqrt-neg", __builtin_sqrtl(m));
    putld("x87.inf", (long double)vd[3] / (long double)vd[7]);
    putld("x87.denorm", (long double)vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * vd[4] * 1e-140L);
    put64("x87.to-i-big", (uint64_t)(int64_t)((long double)vd[3]));
    put64("x87.to-i32", (uint64_t)(int32_t)((long double)vi[0] / 1e6L));
    putd("x87.to-d-round", (double)((long double)vi[2] + 0.5L));
    putd("x87.to-d-denorm", (double)((long double)vd[4] * 1e-15L));
    putd("x87.to-d-over", (double)((long double)vd[3] * 1e10L));
    putf("x87.to-f-under", (float)((long double)vd[4]));
}

/* floor, ceil, trunc and rint: SSE2 sequences at -O2, ROUNDSD/ROUNDPS at -O3 -msse4.1, FRNDINT
   (with FLDCW for floorl) on the x87. */
static void integral(void) {
    static const char *names[6] = {"int.2.5", "int.-2.5", "int.-0.3", "int.big", "int.3.5", "int.-1e-300"};
    double x[6] = {vd[2] * -1, vd[2], -vd[5] * 3, vd[3] / 1e285 + 0.5, vd[6] / 2, -vd[4]};
    for (int i = 0; i < 6; i++) {
        double d = x[i];
        uint64_t w[5];
        double r[4] = {__builtin_floor(d), __builtin_ceil(d), __builtin_trunc(d), __builtin_rint(d)};
        __builtin_memcpy(w, r, sizeof r);
        long double l = __builtin_rintl((long double)d) + __builtin_floorl((long double)d * 3);
        __builtin_memcpy(&w[4], &l, 8);
        line(names[i], w, 5);
    }
    for (int i = 0; i < N; i++) fc[i] = __builtin_floorf(fa[i] * 7.0f - 9.0f) + __builtin_ceilf(fb[i]);
    put64("vec.floor-ceil", fold(fc, sizeof fc));
    for (int i = 0; i < N; i++) dc[i] = __builtin_trunc(da[i] * -3.0) - __builtin_rint(db[i] * 5.0);
    put64("vec.trunc-rint", fold(dc, sizeof dc));
}

void COMPUTE(void (*emit)(const char *line)) {
    out = emit;
    scalar_double();
    scalar_float();
    conversions();
    matrix();
    newton();
    mandelbrot();
    extended();
    vectors();
    rounding();
    special();
    x87_control();
    integral();
}
