/* groups-x87.h - x87 FPU groups (fixtures/vectors-simd/x87-*.txt). Transcendental instructions
 * (F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN FCOS FSINCOS) are left out: their results are
 * implementation specific in the last bits. */

static F80 f80(u16 se, u64 sig) { F80 f = {sig, se}; return f; }

static F80 rf80(void) {
    static const F80 sp[] = {
        {0, 0}, {0, 0x8000}, {0x8000000000000000ULL, 0x7fff}, {0x8000000000000000ULL, 0xffff},
        {0xc000000000000000ULL, 0x7fff}, {0xc000000000000000ULL, 0xffff}, {0xc000000000012345ULL, 0x7fff},
        {0xa000000000000000ULL, 0x7fff}, {0x8000000000000001ULL, 0xffff}, {1, 0}, {0x7fffffffffffffffULL, 0x8000},
        {0x8000000000000000ULL, 0}, {0x8000000000000123ULL, 0x8000}, {0x4000000000000000ULL, 0x3fff},
        {0x0000000000000001ULL, 0x7fff}, {0xffffffffffffffffULL, 0x7ffe}, {0xffffffffffffffffULL, 0xfffe},
        {0x8000000000000000ULL, 0x0001}, {0x8000000000000000ULL, 0x3fff}, {0x8000000000000000ULL, 0xbfff},
        {0x8000000000000000ULL, 0x3ffe}, {0xc000000000000000ULL, 0x3fff}, {0xa000000000000000ULL, 0x4000},
        {0xa000000000000000ULL, 0xc000}, {0xc000000000000000ULL, 0xbfff}, {0xc90fdaa22168c235ULL, 0x4000},
        {0x8000000000000000ULL, 0x400e}, {0xfffe000000000000ULL, 0x400d}, {0xffff000000000000ULL, 0x400e},
        {0x8001000000000000ULL, 0xc00e}, {0x8000000000000000ULL, 0x401e}, {0xfffffffe00000000ULL, 0x401d},
        {0xffffffff00000000ULL, 0x401e}, {0x8000000100000000ULL, 0xc01e}, {0x8000000000000000ULL, 0x403e},
        {0xffffffffffffffffULL, 0x403d}, {0xffffffffffffffffULL, 0x403e}, {0x8000000000000001ULL, 0xc03e},
        {0xde0b6b3a763ffff0ULL, 0x4037}, {0xde0b6b3a76400000ULL, 0x4037}, {0x8000000000000000ULL, 0x407f},
        {0xffffff8000000000ULL, 0x407e}, {0x8000000000000000ULL, 0x3f81}, {0x8000000000000000ULL, 0x3f6a},
        {0x8000000000000000ULL, 0x43ff}, {0xfffffffffffff800ULL, 0x43fe}, {0x8000000000000000ULL, 0x3c01},
        {0x8000000000000000ULL, 0x3bcd}, {0xffffffffffffffffULL, 0x3ffe}};
    u64 s = (rnd() & 1) << 15;
    switch (rndn(12)) {
    case 0: case 1: case 2: case 3: return sp[rndn(sizeof sp / sizeof *sp)];
    case 4: return f80((u16)rnd(), rnd());                                             /* anything, also unnormals */
    case 5: return f80((u16)(s | (1 + rndn(80))), rnd() | 1ULL << 63);                  /* tiny */
    case 6: return f80((u16)(s | (0x7ffe - rndn(80))), rnd() | 1ULL << 63);             /* huge */
    case 7: return f80((u16)(s | (0x3fff + rndn(66))), rnd() | 1ULL << 63);             /* integer range */
    case 8: return f80((u16)(s | (0x3fff - 130 + rndn(260))), (rnd() | 1ULL << 63) & ~0x7ffULL); /* double-ish */
    case 9: return f80((u16)(s | (0x3c01 - 60 + rndn(120))), rnd() | 1ULL << 63);      /* near double's range ends */
    default: return f80((u16)(s | (0x3fff - 20 + rndn(40))), rnd() | 1ULL << 63);
    }
}

enum { MV_NONE, MV_F32, MV_F64, MV_F80, MV_I16, MV_I32, MV_I64, MV_BCD, MV_RAW, MV_CW };

static void put_f80mem(SIn *in, u64 ea, F80 f) { setmem(&in->g, ea, f.sig, 8); setmem(&in->g, ea + 8, f.se, 2); }

static void mval(SIn *in, u64 ea, int mv, int size) {
    switch (mv) {
    case MV_F32: setmem(&in->g, ea, rf32(), 4); break;
    case MV_F64: setmem(&in->g, ea, rf64(), 8); break;
    case MV_F80: put_f80mem(in, ea, rf80()); break;
    case MV_I16: setmem(&in->g, ea, rint_lane(2), 2); break;
    case MV_I32: setmem(&in->g, ea, rint_lane(4), 4); break;
    case MV_I64: setmem(&in->g, ea, rndn(2) ? rint_lane(8) : (u64)((i64)rnd() >> rndn(64)), 8); break;
    case MV_BCD: {
        u8 b[10];
        int nd = (int)rndn(19);
        for (int i = 0; i < 9; i++) {
            int lo = 2 * i < nd ? (int)rndn(10) : 0, hi = 2 * i + 1 < nd ? (int)rndn(10) : 0;
            b[i] = (u8)(hi << 4 | lo);
        }
        if (rndn(10) == 0) b[rndn(9)] |= 0xa0;         /* an invalid digit */
        if (rndn(10) == 0) for (int i = 0; i < 9; i++) b[i] = 0x99;
        b[9] = rndn(2) ? 0x80 : 0;
        if (rndn(12) == 0) b[9] |= (u8)rnd() & 0x7f;    /* ignored bits */
        setbytes(&in->g, ea, b, 10);
        break;
    }
    case MV_CW: { /* a control word; sometimes unmasking a flag that is set: ES becomes set */
        u16 cw = (u16)(rnd() & 0x1f3f) | 0x40;
        if (rndn(2)) cw |= 0x3f;
        setmem(&in->g, ea, cw, 2);
        break;
    }
    default: setrand(&in->g, ea, size); break;
    }
}

/* FCW for the k-th vector: each precision and rounding control, sometimes unmasked exceptions */
static u16 fcw_for(int k) {
    static const u16 pc[3] = {3, 2, 0};
    u16 c = (u16)(0x40 | pc[k % 3] << 8 | ((k / 3) % 4) << 10 | 0x3f);
    if (k % 7 == 6) c &= (u16)~(rnd() & 0x3f);
    if (k % 11 == 10) c &= (u16)~0x3f;
    return c;
}

/* x87 stack with `depth` valid registers from ST(0); C0-C3 random, masked sticky flags sometimes */
static void x87_state(SIn *in, int depth, int k) {
    int top = (int)rndn(8);
    in->s.fcw = fcw_for(k);
    in->s.fsw = (u16)(top << 11 | (rnd() & 0x4700));
    if (k % 5 == 4) in->s.fsw |= (u16)(rnd() & 0x3f & in->s.fcw);
    for (int i = 0; i < 8; i++) {
        int p = (top + i) & 7;
        if (i < depth) { in->s.r[p] = rf80(); in->s.ftw |= (u8)(1 << p); }
        else if (rndn(4) == 0) in->s.r[p] = rf80();   /* stale contents of an empty register */
    }
}

typedef struct {
    const char *n;
    u8 op; int digit;  /* memory form: opcode byte and ModRM.reg */
    int modrm;         /* register form: the second byte (memory form when 0) */
    int ms, mv;        /* memory operand size and value kind */
    int depth;         /* ST registers read */
    int push;          /* pushes a value */
    int scale;         /* ST(1) is usually a small integer (FSCALE) */
    int nv;
} XF;

static void X(XF f) {
    int nv = f.nv ? f.nv : 120;
    s_mmview = 0;
    SOp mo;
    memset(&mo, 0, sizeof mo);
    if (f.modrm) form(f.n, RAWB(OPB(f.op, (u8)f.modrm)), 0x8d5);
    else {
        mo = SM(memrm(s_mk++), sea(1, 0), f.ms);
        form(f.n, E(4, 0, NOP_, OPB(f.op), f.digit, mo.m, 0, 0), 0x8d5);
    }
    for (int k = 0; k < nv; k++) {
        SIn in; sinit(&in);
        int depth = f.depth + (int)rndn(9 - f.depth);
        if (f.push) depth = k % 9 == 8 ? 8 : (int)rndn(8);
        else if (k % 13 == 12 && f.depth > 0) depth = f.depth - 1;
        x87_state(&in, depth, k);
        if (f.scale && rndn(3)) {
            int p = ((in.s.fsw >> 11) + 1) & 7;
            i64 v = (i64)rndn(140) - 70;
            if (rndn(4) == 0) v = (i64)rndn(40000) - 20000;
            u64 a = (u64)(v < 0 ? -v : v);
            if (a == 0) in.s.r[p] = f80(v < 0 ? 0x8000 : 0, 0);
            else {
                int e = 63 - __builtin_clzll(a);
                in.s.r[p] = f80((u16)((v < 0 ? 0x8000 : 0) | (0x3fff + e)), a << (63 - e));
                if (rndn(3) == 0) in.s.r[p].sig |= rnd() >> (e + 1);   /* a fraction (truncated) */
            }
        }
        if (!f.modrm) {
            setup_rm(&in.g, &mo.m, mo.ea);
            mval(&in, mo.ea, f.mv, f.ms);
        }
        in.g.fl = rflags();
        svec(&in);
    }
}

#define XM(name, o, d, size, kind, dep, ...) X((XF){.n = name, .op = o, .digit = d, .ms = size, .mv = kind, .depth = dep, __VA_ARGS__})
#define XR(name, o, m, dep, ...) X((XF){.n = name, .op = o, .modrm = m, .depth = dep, __VA_ARGS__})

/* ================================================================== loads and stores */
static void g_x87_move(const char *dir) {
    sgroup(dir, "x87-move.txt", 3001, "x87 FLD FST FSTP FILD FIST FISTP FISTTP FBLD FBSTP FXCH FCMOVcc constants FFREE FINCSTP FDECSTP");
    XM("fld_m32fp", 0xd9, 0, 4, MV_F32, 0, .push = 1, .nv = 150);
    XM("fld_m64fp", 0xdd, 0, 8, MV_F64, 0, .push = 1, .nv = 150);
    XM("fld_m80fp", 0xdb, 5, 10, MV_F80, 0, .push = 1, .nv = 150);
    for (int i = 0; i < 8; i += 3) XR(fmt("fld_st%d", i), 0xd9, 0xc0 + i, i + 1, .push = 1, .nv = 60);
    XM("fst_m32fp", 0xd9, 2, 4, MV_RAW, 1, .nv = 200);
    XM("fst_m64fp", 0xdd, 2, 8, MV_RAW, 1, .nv = 200);
    XM("fstp_m32fp", 0xd9, 3, 4, MV_RAW, 1, .nv = 100);
    XM("fstp_m64fp", 0xdd, 3, 8, MV_RAW, 1, .nv = 100);
    XM("fstp_m80fp", 0xdb, 7, 10, MV_RAW, 1, .nv = 100);
    for (int i = 0; i < 8; i += 3) {
        XR(fmt("fst_st%d", i), 0xdd, 0xd0 + i, 1, .nv = 40);
        XR(fmt("fstp_st%d", i), 0xdd, 0xd8 + i, 1, .nv = 40);
        XR(fmt("fxch_st%d", i), 0xd9, 0xc8 + i, i + 1, .nv = 40);
        XR(fmt("ffree_st%d", i), 0xdd, 0xc0 + i, 0, .nv = 20);
    }
    XM("fild_m16int", 0xdf, 0, 2, MV_I16, 0, .push = 1, .nv = 80);
    XM("fild_m32int", 0xdb, 0, 4, MV_I32, 0, .push = 1, .nv = 80);
    XM("fild_m64int", 0xdf, 5, 8, MV_I64, 0, .push = 1, .nv = 80);
    XM("fist_m16int", 0xdf, 2, 2, MV_RAW, 1, .nv = 150);
    XM("fist_m32int", 0xdb, 2, 4, MV_RAW, 1, .nv = 150);
    XM("fistp_m16int", 0xdf, 3, 2, MV_RAW, 1, .nv = 100);
    XM("fistp_m32int", 0xdb, 3, 4, MV_RAW, 1, .nv = 100);
    XM("fistp_m64int", 0xdf, 7, 8, MV_RAW, 1, .nv = 150);
    XM("fisttp_m16int", 0xdf, 1, 2, MV_RAW, 1, .nv = 100);
    XM("fisttp_m32int", 0xdb, 1, 4, MV_RAW, 1, .nv = 100);
    XM("fisttp_m64int", 0xdd, 1, 8, MV_RAW, 1, .nv = 100);
    XM("fbld_m80bcd", 0xdf, 4, 10, MV_BCD, 0, .push = 1, .nv = 100);
    XM("fbstp_m80bcd", 0xdf, 6, 10, MV_RAW, 1, .nv = 150);
    static const char *kn[7] = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"};
    for (int i = 0; i < 7; i++) XR(kn[i], 0xd9, 0xe8 + i, 0, .push = 1, .nv = 30);
    static const char *cn[8] = {"fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
    for (int i = 0; i < 8; i++) XR(fmt("%s_st%d", cn[i], 1 + i % 7), i < 4 ? 0xda : 0xdb, 0xc0 + (i % 4) * 8 + 1 + i % 7, 2 + i % 7, .nv = 40);
    XR("fincstp", 0xd9, 0xf7, 0, .nv = 20);
    XR("fdecstp", 0xd9, 0xf6, 0, .nv = 20);
    close_group();
}

/* ================================================================== arithmetic */
static void g_x87_arith(const char *dir) {
    sgroup(dir, "x87-arith.txt", 3002,
               "x87 FADD FMUL FSUB FSUBR FDIV FDIVR (all forms), FIADD.., FCHS FABS FSQRT FRNDINT FSCALE FXTRACT FPREM FPREM1: each PC and RC, masked and unmasked");
    static const char *an[8] = {"fadd", "fmul", "", "", "fsub", "fsubr", "fdiv", "fdivr"};
    static const int rev[8] = {0, 1, 2, 3, 5, 4, 7, 6}; /* DC/DE register forms swap SUB/SUBR and DIV/DIVR */
    for (int d = 0; d < 8; d++) {
        if (d == 2 || d == 3) continue;
        XM(fmt("%s_m32fp", an[d]), 0xd8, d, 4, MV_F32, 1, .nv = 150);
        XM(fmt("%s_m64fp", an[d]), 0xdc, d, 8, MV_F64, 1, .nv = 150);
        XM(fmt("fi%s_m16int", an[d] + 1), 0xde, d, 2, MV_I16, 1, .nv = 60);
        XM(fmt("fi%s_m32int", an[d] + 1), 0xda, d, 4, MV_I32, 1, .nv = 60);
        XR(fmt("%s_st0_st1", an[d]), 0xd8, 0xc0 + d * 8 + 1, 2, .nv = 250);
        XR(fmt("%s_st0_st0", an[d]), 0xd8, 0xc0 + d * 8, 1, .nv = 30);
        XR(fmt("%s_st5_st0", an[rev[d]]), 0xdc, 0xc0 + d * 8 + 5, 6, .nv = 100);
        XR(fmt("%sp_st1_st0", an[rev[d]]), 0xde, 0xc0 + d * 8 + 1, 2, .nv = 100);
    }
    XR("fchs", 0xd9, 0xe0, 1, .nv = 40);
    XR("fabs", 0xd9, 0xe1, 1, .nv = 40);
    XR("fsqrt", 0xd9, 0xfa, 1, .nv = 250);
    XR("frndint", 0xd9, 0xfc, 1, .nv = 250);
    XR("fscale", 0xd9, 0xfd, 2, .scale = 1, .nv = 250);
    XR("fxtract", 0xd9, 0xf4, 1, .nv = 150);
    XR("fprem", 0xd9, 0xf8, 2, .nv = 300);
    XR("fprem1", 0xd9, 0xf5, 2, .nv = 300);
    close_group();
}

/* ================================================================== compares */
static void g_x87_cmp(const char *dir) {
    sgroup(dir, "x87-cmp.txt", 3003, "x87 FCOM FCOMP FCOMPP FUCOM* FICOM* FCOMI FCOMIP FUCOMI FUCOMIP FTST FXAM");
    XM("fcom_m32fp", 0xd8, 2, 4, MV_F32, 1, .nv = 100);
    XM("fcom_m64fp", 0xdc, 2, 8, MV_F64, 1, .nv = 100);
    XM("fcomp_m32fp", 0xd8, 3, 4, MV_F32, 1, .nv = 60);
    XM("fcomp_m64fp", 0xdc, 3, 8, MV_F64, 1, .nv = 60);
    XM("ficom_m16int", 0xde, 2, 2, MV_I16, 1, .nv = 60);
    XM("ficom_m32int", 0xda, 2, 4, MV_I32, 1, .nv = 60);
    XM("ficomp_m16int", 0xde, 3, 2, MV_I16, 1, .nv = 40);
    XM("ficomp_m32int", 0xda, 3, 4, MV_I32, 1, .nv = 40);
    XR("fcom_st1", 0xd8, 0xd1, 2, .nv = 100);
    XR("fcomp_st3", 0xd8, 0xdb, 4, .nv = 60);
    XR("fcompp", 0xde, 0xd9, 2, .nv = 80);
    XR("fucom_st1", 0xdd, 0xe1, 2, .nv = 100);
    XR("fucomp_st2", 0xdd, 0xea, 3, .nv = 60);
    XR("fucompp", 0xda, 0xe9, 2, .nv = 80);
    XR("fcomi_st1", 0xdb, 0xf1, 2, .nv = 120);
    XR("fcomip_st4", 0xdf, 0xf4, 5, .nv = 80);
    XR("fucomi_st1", 0xdb, 0xe9, 2, .nv = 120);
    XR("fucomip_st2", 0xdf, 0xea, 3, .nv = 80);
    XR("ftst", 0xd9, 0xe4, 1, .nv = 100);
    XR("fxam", 0xd9, 0xe5, 0, .nv = 150);
    close_group();
}

/* ================================================================== control */
static void g_x87_control(const char *dir) {
    sgroup(dir, "x87-control.txt", 3004,
               "x87 FNINIT FNCLEX FLDCW FNSTCW FNSTSW FLDENV FRSTOR FWAIT FNOP, pending exceptions (#MF)");
    XR("fninit", 0xdb, 0xe3, 0, .nv = 20);
    XR("fnclex", 0xdb, 0xe2, 0, .nv = 20);
    XR("fnop", 0xd9, 0xd0, 0, .nv = 10);
    XR("fnstsw_ax", 0xdf, 0xe0, 0, .nv = 20);
    XM("fnstsw_m16", 0xdd, 7, 2, MV_RAW, 0, .nv = 20);
    XM("fnstcw_m16", 0xd9, 7, 2, MV_RAW, 0, .nv = 20);
    XM("fldcw_m16", 0xd9, 5, 2, MV_CW, 0, .nv = 60);
    s_mmview = 0;
    form("fwait", RAWB(OPB(0x9b)), 0x8d5);
    for (int k = 0; k < 10; k++) {
        SIn in; sinit(&in);
        x87_state(&in, (int)rndn(9), k);
        in.g.fl = rflags();
        svec(&in);
    }
    /* FLDENV (28-byte protected-mode format) and FRSTOR (108 bytes): tag words are recomputed
       into the abridged form, so any tag word content is allowed */
    for (int fr = 0; fr < 2; fr++) {
        int size = fr ? 108 : 28;
        SOp mo = SM(MBD(RBX, 0x10), DBASE + 0x200 + 4 * rndn(64), size);
        s_mmview = 0;
        form(fr ? "frstor_m108" : "fldenv_m28", E(4, 0, NOP_, OPB(fr ? 0xdd : 0xd9), 4, mo.m, 0, 0), 0x8d5);
        for (int k = 0; k < 60; k++) {
            SIn in; sinit(&in);
            x87_state(&in, (int)rndn(9), k);
            setup_rm(&in.g, &mo.m, mo.ea);
            setrand(&in.g, mo.ea, size);
            u16 cw = fcw_for(k + 1) | 0x40, sw = (u16)(rnd() & 0x7f7f);
            if (sw & 0x3f & ~cw) sw |= 0x8080; else sw &= (u16)~0x8080;
            setmem(&in.g, mo.ea, cw, 2);
            setmem(&in.g, mo.ea + 4, sw, 2);
            u16 tw = (u16)rnd();
            if (k % 4 == 0) tw = 0xffff;
            setmem(&in.g, mo.ea + 8, tw, 2);
            if (fr)
                for (int i = 0; i < 8; i++) {
                    F80 v = rf80();
                    setmem(&in.g, mo.ea + 28 + 10 * i, v.sig, 8);
                    setmem(&in.g, mo.ea + 36 + 10 * i, v.se, 2);
                }
            in.g.fl = rflags();
            svec(&in);
        }
    }
    /* a pending unmasked exception (FSW.ES set): waiting x87 instructions and MMX instructions
       (including EMMS and CVTPI2PS from an MMX register) raise #MF first; the non-waiting control
       instructions and SSE instructions do not */
    static const struct { const char *n; u8 b[4]; int len; } pe[] = {
        {"fwait_pending", {0x9b}, 1}, {"fadd_st0_st1_pending", {0xd8, 0xc1}, 2}, {"fld1_pending", {0xd9, 0xe8}, 2},
        {"fnclex_pending", {0xdb, 0xe2}, 2}, {"fninit_pending", {0xdb, 0xe3}, 2}, {"fnstsw_ax_pending", {0xdf, 0xe0}, 2},
        {"fxch_st1_pending", {0xd9, 0xc9}, 2}, {"fnop_pending", {0xd9, 0xd0}, 2}, {"emms_pending", {0x0f, 0x77}, 2},
        {"paddb_mm_pending", {0x0f, 0xfc, 0xc1}, 3}, {"movd_mm_r32_pending", {0x0f, 0x6e, 0xc0}, 3},
        {"cvtpi2ps_x_mm_pending", {0x0f, 0x2a, 0xc1}, 3}, {"cvtpi2ps_x_m64_pending", {0x0f, 0x2a, 0x03}, 3},
        {"addps_pending", {0x0f, 0x58, 0xc1}, 3}, {"paddb_x_pending", {0x66, 0x0f, 0xfc, 0xc1}, 4}};
    for (unsigned i = 0; i < sizeof pe / sizeof *pe; i++) {
        s_mmview = 0;
        form(pe[i].n, RAWB(pe[i].b, pe[i].len), 0x8d5);
        for (int k = 0; k < 12; k++) {
            SIn in; sinit(&in);
            x87_state(&in, 2 + (int)rndn(7), k);
            u16 un = (u16)(1 << rndn(6));
            in.s.fcw &= (u16)~un;
            in.s.fsw |= (u16)(un | 0x8080);
            in.s.x[1] = rval(VT_PS);
            in.g.r[RBX] = sea(8, 0);
            setrand(&in.g, in.g.r[RBX], 8);
            in.g.fl = rflags();
            svec(&in);
        }
    }
    close_group();
}


/* ================================================================== state save/restore */
/* A random but loadable FXSAVE image at ea: MXCSR without reserved bits, FSW.ES consistent. */
static void put_fx_image(SIn *in, u64 ea, int k) {
    SIn t; sinit(&t);
    x87_state(&t, (int)rndn(9), k);
    for (int i = 0; i < 16; i++) t.s.x[i] = rval(i & 1 ? VT_PS : VT_RAW);
    t.s.mxcsr = mx_for(k);
    u8 img[512];
    fx_build(img, &t.s);
    for (int i = 464; i < 512; i++) img[i] = (u8)rnd();   /* software-available area */
    setbytes(&in->g, ea, img, 512);
}

static void g_state_save(const char *dir) {
    sgroup(dir, "x87-state.txt", 3005,
               "FXSAVE FXSAVE64 FXRSTOR FXRSTOR64 (aligned, misaligned #GP, MXCSR reserved bits #GP), FNSTENV FNSAVE (last pointers 0 as loaded)");
    for (int w = 0; w < 2; w++)
        for (int mis = 0; mis < 2; mis++) {
            u64 ea = DBASE + 0x400 + (mis ? 8 : 0);
            SOp mo = SM(MBD(RBX, 0x20), ea, 512);
            s_mmview = 0;
            form(fmt("fxsave%s_m512%s", w ? "64" : "", mis ? "_misaligned" : ""), E(w ? 8 : 4, 0, NOP_, OPB(0x0f, 0xae), 0, mo.m, 0, 0), 0x8d5);
            for (int k = 0; k < (mis ? 3 : 30); k++) {
                SIn in; sinit(&in);
                x87_state(&in, (int)rndn(9), k);
                for (int i = 0; i < 16; i++) if (rndn(2)) in.s.x[i] = rval(VT_RAW);
                in.s.mxcsr = mx_for(k);
                setup_rm(&in.g, &mo.m, ea);
                setrand(&in.g, ea, 512);
                in.g.fl = rflags();
                svec(&in);
            }
            form(fmt("fxrstor%s_m512%s", w ? "64" : "", mis ? "_misaligned" : ""), E(w ? 8 : 4, 0, NOP_, OPB(0x0f, 0xae), 1, mo.m, 0, 0), 0x8d5);
            for (int k = 0; k < (mis ? 3 : 30); k++) {
                SIn in; sinit(&in);
                x87_state(&in, (int)rndn(9), k + 1);
                setup_rm(&in.g, &mo.m, ea);
                put_fx_image(&in, ea, k);
                if (k % 10 == 9) setmem(&in.g, ea + 24, 0x1f80 | 1u << (18 + rndn(14)), 4); /* reserved MXCSR bit: #GP */
                in.g.fl = rflags();
                svec(&in);
            }
        }
    for (int sv = 0; sv < 2; sv++) {
        int size = sv ? 108 : 28;
        u64 ea = DBASE + 0x300 + 4 * rndn(32);
        SOp mo = SM(MBD(RSI, -0x8), ea, size);
        s_mmview = 0;
        form(sv ? "fnsave_m108" : "fnstenv_m28", E(4, 0, NOP_, OPB(sv ? 0xdd : 0xd9), 6, mo.m, 0, 0), 0x8d5);
        for (int k = 0; k < 40; k++) {
            SIn in; sinit(&in);
            x87_state(&in, (int)rndn(9), k);
            if (k % 8 == 7) { in.s.fcw &= (u16)~1; in.s.fsw |= 0x8081; } /* pending: not waited for */
            setup_rm(&in.g, &mo.m, ea);
            setrand(&in.g, ea, size);
            in.g.fl = rflags();
            svec(&in);
        }
    }
    close_group();
}

static void g_x87(const char *dir) {
    g_x87_move(dir);
    g_x87_arith(dir);
    g_x87_cmp(dir);
    g_x87_control(dir);
    g_state_save(dir);
}
