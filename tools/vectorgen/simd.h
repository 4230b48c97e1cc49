/* simd.h - SIMD and x87 state for vectors: input loaded by FXRSTOR64 (run_native_fx), output
 * read from the signal frame's FXSAVE image. Included by vectorgen.c in the 64-bit build. */

#include <cpuid.h>

extern void run_native_fx(struct NR *, const void *fx);

/* "an AMD host (family 19h model 01h)": the CPU the SIMD vectors come from */
static const char *host_cpu(void) {
    static char buf[96];
    unsigned a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(0, &a, &b, &c, &d);
    char vendor[13];
    memcpy(vendor, &b, 4); memcpy(vendor + 4, &d, 4); memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned family = (a >> 8 & 15) + (a >> 20 & 255), model = (a >> 4 & 15) | (a >> 12 & 0xf0);
    snprintf(buf, sizeof buf, "an %s host, family %xh model %02xh", vendor, family, model);
    return buf;
}

typedef struct { u64 lo, hi; } X128;
typedef struct { u64 sig; u16 se; } F80;
typedef struct {
    X128 x[16];
    u32 mxcsr;
    F80 r[8];       /* physical x87 registers R0-R7 (MM0-MM7 are their significands) */
    u16 fcw, fsw;
    u8 ftw;         /* abridged tag word as FXSAVE stores it: bit i set = Ri not empty */
} SState;
typedef struct { In g; SState s; } SIn;

/* how the form's x87 registers are printed: 0 as ST(i) (stack order), 1 as MMi (physical) */
static int s_mmview;

static void sinit(SIn *in) {
    init(&in->g);
    memset(&in->s, 0, sizeof in->s);
    in->s.mxcsr = 0x1f80;
    in->s.fcw = 0x37f;
}

static void fx_build(u8 *fx, const SState *s) {
    memset(fx, 0, 512);
    memcpy(fx + 0, &s->fcw, 2);
    memcpy(fx + 2, &s->fsw, 2);
    fx[4] = s->ftw;
    memcpy(fx + 24, &s->mxcsr, 4);
    int top = s->fsw >> 11 & 7;
    for (int i = 0; i < 8; i++) {
        const F80 *r = &s->r[(top + i) & 7];
        memcpy(fx + 32 + 16 * i, &r->sig, 8);
        memcpy(fx + 40 + 16 * i, &r->se, 2);
    }
    for (int i = 0; i < 16; i++) {
        memcpy(fx + 160 + 16 * i, &s->x[i].lo, 8);
        memcpy(fx + 168 + 16 * i, &s->x[i].hi, 8);
    }
}
static void fx_parse(const u8 *fx, SState *s) {
    memcpy(&s->fcw, fx + 0, 2);
    memcpy(&s->fsw, fx + 2, 2);
    s->ftw = fx[4];
    memcpy(&s->mxcsr, fx + 24, 4);
    int top = s->fsw >> 11 & 7;
    for (int i = 0; i < 8; i++) {
        F80 *r = &s->r[(top + i) & 7];
        memcpy(&r->sig, fx + 32 + 16 * i, 8);
        memcpy(&r->se, fx + 40 + 16 * i, 2);
    }
    for (int i = 0; i < 16; i++) {
        memcpy(&s->x[i].lo, fx + 160 + 16 * i, 8);
        memcpy(&s->x[i].hi, fx + 168 + 16 * i, 8);
    }
}

static void put_x(int i, X128 v) { fprintf(fo, " x%d=%016llx%016llx", i, (unsigned long long)v.hi, (unsigned long long)v.lo); }
static void put_r(const SState *s, int p) {
    const F80 *r = &s->r[p];
    if (s_mmview) fprintf(fo, " mm%d=%04x%016llx", p, r->se, (unsigned long long)r->sig);
    else fprintf(fo, " st%d=%04x%016llx", (p - (s->fsw >> 11 & 7)) & 7, r->se, (unsigned long long)r->sig);
}
static int f80eq(F80 a, F80 b) { return a.sig == b.sig && a.se == b.se; }
static int x128eq(X128 a, X128 b) { return a.lo == b.lo && a.hi == b.hi; }

/* input tokens: everything that differs from the reset state (XMM 0, MXCSR 1f80, FCW 37f, FSW 0,
   FTW 0, registers 0), plus every register tagged valid */
static void put_sin(const SState *s) {
    for (int i = 0; i < 16; i++)
        if (s->x[i].lo || s->x[i].hi) put_x(i, s->x[i]);
    if (s->mxcsr != 0x1f80) fprintf(fo, " mxcsr=%x", s->mxcsr);
    if (s->fcw != 0x37f) fprintf(fo, " fcw=%x", s->fcw);
    if (s->fsw) fprintf(fo, " fsw=%x", s->fsw);
    if (s->ftw) fprintf(fo, " ftw=%x", s->ftw);
    for (int i = 0; i < 8; i++) {
        int p = s_mmview ? i : ((s->fsw >> 11) + i) & 7;
        if (s->r[p].sig || s->r[p].se || (s->ftw >> p & 1)) put_r(s, p);
    }
}
/* output tokens: what differs from the input (registers printed relative to the output TOP) */
static void put_sout(const SState *a, const SState *b) {
    for (int i = 0; i < 16; i++)
        if (!x128eq(a->x[i], b->x[i])) put_x(i, b->x[i]);
    if (a->mxcsr != b->mxcsr) fprintf(fo, " mxcsr=%x", b->mxcsr);
    if (a->fcw != b->fcw) fprintf(fo, " fcw=%x", b->fcw);
    if (a->fsw != b->fsw) fprintf(fo, " fsw=%x", b->fsw);
    if (a->ftw != b->ftw) fprintf(fo, " ftw=%x", b->ftw);
    for (int i = 0; i < 8; i++) {
        int p = s_mmview ? i : ((b->fsw >> 11) + i) & 7;
        if (!f80eq(a->r[p], b->r[p])) put_r(b, p);
    }
}

static void svec(SIn *sin) {
    In *in = &sin->g;
    struct NR nr;
    static u8 fx[512] __attribute__((aligned(64)));
    memcpy(data, in->mem, DSZ);
    for (int i = 0; i < NREG; i++) nr.r[i] = (ureg)in->r[i];
    nr.fl = (ureg)in->fl;
    nr.rip = (ureg)faddr;
    if (in->fl & 0x40100) { fprintf(stderr, "%s: TF/AC in input flags\n", fname_cur); exit(1); }
    if (memcmp(codep + (faddr - CBASE), fcode, flen)) { fprintf(stderr, "%s: code modified\n", fname_cur); exit(1); }
    fx_build(fx, &sin->s);
    if (sigsetjmp(jb, 1) == 0) {
        run_native_fx(&nr, fx);
        abort();
    }
    /* the handler ran with a fresh FPU state; make sure the C code has the default one */
    __asm__ volatile("fninit");
    u32 mx = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(mx));
    int exc = -1;
    u64 rip = cap.rip;
    if (cap.sig == SIGTRAP && cap.trapno == 3) rip -= 1;
    else exc = (int)cap.trapno;
    last_exc = exc;
    if (exc == 1) { fprintf(stderr, "%s: unexpected single-step trap\n", fname_cur); exit(1); }
    SState out;
    fx_parse(cap.fx, &out);

    fputc('V', fo);
    for (int i = 0; i < NREG; i++) {
        u64 def = i == RSP ? RSP0 : 0;
        if (in->r[i] != def) fprintf(fo, " %s=%llx", rn[i], (unsigned long long)in->r[i]);
    }
    fprintf(fo, " fl=%llx", (unsigned long long)in->fl);
    put_sin(&sin->s);
    putruns(in->set, in->mem);
    fputs(" >", fo);
    static u8 chg[DSZ];
    int anychg = 0;
    for (int i = 0; i < DSZ; i++) { chg[i] = data[i] != in->mem[i]; anychg |= chg[i]; }
    if (exc >= 0) {
        int regchg = 0;
        for (int i = 0; i < NREG; i++) regchg |= cap.r[i] != in->r[i];
        if (regchg || anychg) {
            fprintf(stderr, "warning: %s: state changed on fault exc=%d\n", fname_cur, exc);
            nwarn++;
        }
        fprintf(fo, " fl=%llx rip=%llx", (unsigned long long)cap.fl, (unsigned long long)rip);
        put_sout(&sin->s, &out);
        fprintf(fo, " exc=%x\n", exc);
    } else {
        for (int i = 0; i < NREG; i++)
            if (cap.r[i] != in->r[i]) fprintf(fo, " %s=%llx", rn[i], (unsigned long long)cap.r[i]);
        fprintf(fo, " fl=%llx rip=%llx", (unsigned long long)cap.fl, (unsigned long long)rip);
        put_sout(&sin->s, &out);
        putruns(chg, data);
        fputc('\n', fo);
    }
    fvecs++;
}

/* ------------------------------------------------------------------ values */
enum { VT_B, VT_W, VT_D, VT_Q, VT_PS, VT_PD, VT_RAW, VT_CNT, VT_I32F, VT_I64F };

static const u32 f32sp[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x007fffff, 0x00400000, 0x80000010, 0x00800000, 0x80800000,
    0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0xff812345, 0x7fc12345,
    0x7f800001, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0xbfc00000, 0x40200000, 0xc0200000, 0x40000000,
    0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, 0x5f000000, 0xdf000000, 0x5effffff, 0x3f7fffff, 0x3effffff,
    0x34000000, 0x3f400000, 0x46fffe00, 0xc7000100, 0x477fff00, 0x4b000001, 0x0c000000, 0x72000000};
static const u64 f64sp[] = {
    0, 0x8000000000000000ULL, 1, 0x800fffffffffffffULL, 0x000fffffffffffffULL, 0x0008000000000000ULL,
    0x8000000000000010ULL, 0x0010000000000000ULL, 0x8010000000000000ULL, 0x7fefffffffffffffULL,
    0xffefffffffffffffULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL,
    0xfff8000000000000ULL, 0x7ff4000000000000ULL, 0xfff0000000012345ULL, 0x7ff8000000012345ULL,
    0x7ff0000000000001ULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0x3fe0000000000000ULL,
    0x3ff8000000000000ULL, 0xbff8000000000000ULL, 0x4004000000000000ULL, 0xc004000000000000ULL,
    0x41e0000000000000ULL, 0xc1e0000000000000ULL, 0x41dfffffffffffffULL, 0xc1e0000000200000ULL,
    0x41dfffffffc00000ULL, 0xc1e00000001fffffULL, 0x43e0000000000000ULL, 0xc3e0000000000000ULL,
    0x43dfffffffffffffULL, 0x3fefffffffffffffULL, 0x3fdfffffffffffffULL, 0x3cb0000000000000ULL,
    0x47efffffe0000000ULL, 0x47f0000000000000ULL, 0x380fffffe0000000ULL, 0x36a0000000000000ULL,
    0x3e70000000000000ULL, 0x4330000000000001ULL, 0x0180000000000000ULL, 0x7e40000000000000ULL};
#define NF32 ((int)(sizeof f32sp / sizeof *f32sp))
#define NF64 ((int)(sizeof f64sp / sizeof *f64sp))

static u32 rf32(void) {
    switch (rndn(10)) {
    case 0: case 1: case 2: case 3: return f32sp[rndn(NF32)];
    case 4: return (u32)rnd();
    case 5: return (u32)(rnd() & 0x807fffff) | (u32)(1 + rndn(24)) << 23;          /* tiny: results underflow */
    case 6: return (u32)(rnd() & 0x807fffff) | (u32)(230 + rndn(24)) << 23;        /* huge: results overflow */
    case 7: return (u32)(rnd() & 0x807fffff) | (u32)(127 + rndn(32)) << 23;        /* integer-ish range */
    default: return (u32)(rnd() & 0x807fffff) | (u32)(112 + rndn(32)) << 23;
    }
}
static u64 rf64(void) {
    switch (rndn(10)) {
    case 0: case 1: case 2: case 3: return f64sp[rndn(NF64)];
    case 4: return rnd();
    case 5: return (rnd() & 0x800fffffffffffffULL) | (u64)(1 + rndn(53)) << 52;
    case 6: return (rnd() & 0x800fffffffffffffULL) | (u64)(1990 + rndn(56)) << 52;
    case 7: return (rnd() & 0x800fffffffffffffULL) | (u64)(1023 + rndn(64)) << 52;
    default: return (rnd() & 0x800fffffffffffffULL) | (u64)(1000 + rndn(48)) << 52;
    }
}
/* integer lane of width w bytes: edges or random */
static u64 rint_lane(int w) {
    u64 m = szm(w), smax = m >> 1;
    static const int ne = 9;
    if (rnd() & 1) {
        switch (rndn(ne)) {
        case 0: return 0;
        case 1: return 1;
        case 2: return m;
        case 3: return smax;
        case 4: return smax + 1;
        case 5: return m - 1;
        case 6: return smax - 1;
        case 7: return 0x80 & m;
        default: return 0x7f & m;
        }
    }
    return rv(w);
}
static X128 rval(int vt) {
    X128 x = {0, 0};
    u64 q[2] = {0, 0};
    switch (vt) {
    case VT_B: case VT_W: case VT_D: case VT_Q: {
        int w = vt == VT_B ? 1 : vt == VT_W ? 2 : vt == VT_D ? 4 : 8;
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 8 / w; i++) q[h] |= rint_lane(w) << (8 * w * i);
        break;
    }
    case VT_PS: for (int h = 0; h < 2; h++) q[h] = rf32() | (u64)rf32() << 32; break;
    case VT_PD: q[0] = rf64(); q[1] = rf64(); break;
    case VT_CNT: { /* shift count in the low qword */
        static const u64 c[] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 0x100000000ULL,
                                0x8000000000000000ULL, 0xffffffffffffffffULL};
        q[0] = rndn(3) ? rndn(66) : c[rndn(sizeof c / 8)];
        q[1] = rnd();
        break;
    }
    case VT_I32F: q[0] = rint_lane(4) | rint_lane(4) << 32; q[1] = rnd(); break;
    case VT_I64F: q[0] = rndn(2) ? rint_lane(8) : (u64)((i64)rnd() >> rndn(64)); q[1] = rnd(); break;
    default: q[0] = rnd(); q[1] = rnd(); break;
    }
    x.lo = q[0]; x.hi = q[1];
    return x;
}

/* MXCSR for the k-th vector of an FP form: each rounding mode, DAZ/FTZ, unmasked exceptions */
static u32 mx_for(int k) {
    u32 m = 0x1f80;
    switch (k % 10) {
    case 0: case 1: case 2: case 3: m |= (u32)(k % 4) << 13; break;
    case 4: m |= 0x8040 | (u32)rndn(4) << 13; break;                 /* FTZ + DAZ */
    case 5: m |= 0x0040; break;                                      /* DAZ */
    case 6: m |= 0x8000 | (u32)rndn(4) << 13; break;                 /* FTZ */
    case 7: m &= ~(u32)(rnd() & 0x1f80); m |= (u32)rndn(4) << 13; break; /* some unmasked */
    case 8: m = 0x0000 | (u32)rndn(4) << 13 | (u32)(rnd() & 0x8040); break; /* all unmasked */
    default: m |= (u32)(rnd() & 0x3f); break;                        /* sticky flags already set */
    }
    return m;
}

/* ------------------------------------------------------------------ SIMD operands */
enum { S_X, S_MM, S_G, S_M };
typedef struct { int k, reg, size; RM m; u64 ea; } SOp;
static SOp SX(int r) { SOp o; memset(&o, 0, sizeof o); o.k = S_X; o.reg = r; o.size = 16; return o; }
static SOp SMM(int r) { SOp o; memset(&o, 0, sizeof o); o.k = S_MM; o.reg = r; o.size = 8; return o; }
static SOp SG(int r, int size) { SOp o; memset(&o, 0, sizeof o); o.k = S_G; o.reg = r; o.size = size; return o; }
static SOp SM(RM m, u64 ea, int size) {
    SOp o; memset(&o, 0, sizeof o); o.k = S_M; o.m = m; o.ea = ea; o.size = size;
    if (m.mk == MK_RIP || m.mk == MK_ABS) o.m.target = ea;
    return o;
}
static RM srm(const SOp *o) { return o->k == S_M ? o->m : R(o->reg); }

static void sput(SIn *in, const SOp *o, X128 v) {
    switch (o->k) {
    case S_X: in->s.x[o->reg] = v; break;
    case S_MM: {
        in->s.r[o->reg].sig = v.lo;
        in->s.r[o->reg].se = (v.hi & 7) ? 0xffff : (u16)v.hi >> 3; /* mostly as MMX writes it */
        in->s.ftw |= (u8)(1 << o->reg);
        break;
    }
    case S_G: {
        Op g = OREG(o->reg, o->size);
        put(&in->g, &g, v.lo);
        break;
    }
    case S_M:
        setup_rm(&in->g, &o->m, o->ea);
        setmem(&in->g, o->ea, v.lo, o->size < 8 ? o->size : 8);
        if (o->size > 8) setmem(&in->g, o->ea + 8, v.hi, o->size - 8);
        break;
    }
}

/* an aligned (to `align`) or deliberately misaligned effective address for a memory operand */
static u64 sea(int align, int misalign) {
    u64 ea = DBASE + 0x100 + rndn(0xc00);
    if (align > 1) ea &= ~(u64)(align - 1);
    if (misalign) ea += 1 + rndn(align - 1);
    return ea;
}

/* MMX register state for MMX forms: a valid-looking x87 stack, TOP random */
static void mmx_background(SIn *in) {
    in->s.fsw = (u16)(rndn(8) << 11);
    for (int i = 0; i < 8; i++) {
        if (rndn(3)) continue;
        in->s.r[i].sig = rnd();
        in->s.r[i].se = rndn(2) ? 0xffff : (u16)rnd();
        in->s.ftw |= (u8)(1 << i);
    }
}


/* SSE encoding: optional mandatory prefix (0x66/0xf3/0xf2), REX.W if w, opcode bytes, imm8 if imm >= 0 */
static Code SE(u8 pfx, int w, const u8 *opc, int no, int reg, RM m, int imm) {
    u8 p[1] = {pfx};
    return E(w ? 8 : 4, 0, pfx ? p : NULL, pfx ? 1 : 0, opc, no, reg, m, (u64)(imm < 0 ? 0 : imm), imm < 0 ? 0 : 1);
}
