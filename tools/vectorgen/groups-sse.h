/* groups-sse.h - MMX, SSE, SSE2, SSE3, SSSE3 and SSE4.1 groups (fixtures/vectors-simd/). */

/* One instruction: `reg` is the ModRM.reg operand, `rm` the ModRM.r/m operand (a register of
   kind mk, or memory of ms bytes). */
typedef struct {
    const char *n;
    u8 pfx; u8 o[3]; int no; int w;
    int ib, imm;      /* has an imm8, its value */
    int rk, mk;       /* S_X, S_MM, S_G; rk < 0: ModRM.reg is the opcode extension -rk-1 */
    int gsz;          /* size of a GPR operand */
    int ms;           /* memory operand size; 0: register form only */
    int al;           /* 16: the memory operand must be aligned (adds a misaligned #GP form) */
    int memonly;      /* no register form (MOVNT*, MOVHPS m64 ...) */
    int vr, vm;       /* value types of the reg and r/m operands */
    int fp;           /* vary MXCSR per vector */
    int x0;           /* XMM0 is an implicit operand (BLENDV*) */
    int rdi;          /* [RDI] is an implicit memory operand of this many bytes (MASKMOV*) */
    int nv;           /* vectors for the register form (memory forms get half) */
} SF;

static int s_rot, s_mk;

/* opens a group; the register and addressing-form rotations restart so groups are independent */
static void sgroup(const char *dir, const char *file, u64 seed, const char *desc) {
    open_group(dir, file, seed, desc);
    s_rot = s_mk = 0;
}

static SOp sreg(int k, int i, int gsz) {
    static const int gp[8] = {RAX, RDX, RDI, R8, R10, R11, R14, RCX};
    if (k == S_X) return SX(i & 15);
    if (k == S_MM) return SMM(i & 7);
    return SG(gp[i & 7], gsz);
}

static void sf_vectors(const SF *f, SOp *rg, SOp *rmo, int nv) {
    for (int k = 0; k < nv; k++) {
        SIn in; sinit(&in);
        if (s_mmview) mmx_background(&in);
        if (f->x0) in.s.x[0] = rval(VT_B);
        if (rg) sput(&in, rg, rval(f->vr));
        sput(&in, rmo, rval(f->vm));
        if (f->rdi) {
            u64 ea = sea(f->rdi, 0) + rndn(2) * (1 + rndn(15));
            in.g.r[RDI] = ea;
            setrand(&in.g, ea, f->rdi);
        }
        if (f->fp) in.s.mxcsr = mx_for(k);
        in.g.fl = rflags();
        svec(&in);
    }
}

static void S(SF f) {
    int nv = f.nv ? f.nv : f.fp ? 150 : 40;
    int ri = s_rot, mi = s_rot + 5;
    s_rot++;
    if (f.rk == S_G && f.mk == S_G) mi = ri + 3;
    SOp rg = f.rk >= 0 ? sreg(f.rk, ri, f.gsz) : SX(0);
    int regfield = f.rk >= 0 ? rg.reg : -f.rk - 1;
    int isimm = f.ib ? f.imm : -1;
    char nm[160];
    if (!f.memonly) {
        SOp rmo = sreg(f.mk, mi, f.gsz);
        if (f.rk >= 0 && rg.k == rmo.k && rg.reg == rmo.reg) rmo = sreg(f.mk, mi + 1, f.gsz);
        s_mmview = (f.rk >= 0 && rg.k == S_MM) || rmo.k == S_MM;
        snprintf(nm, sizeof nm, "%s_reg", f.n);
        form(nm, SE(f.pfx, f.w, f.o, f.no, regfield, srm(&rmo), isimm), 0x8d5);
        sf_vectors(&f, f.rk >= 0 ? &rg : NULL, &rmo, nv);
    }
    if (!f.ms) return;
    for (int mis = 0; mis < (f.al ? 2 : 1); mis++) {
        u64 ea = f.al ? sea(f.al, mis) : sea(1, 0);
        SOp mo = SM(memrm(s_mk++), ea, f.ms);
        s_mmview = f.rk >= 0 && rg.k == S_MM;
        snprintf(nm, sizeof nm, "%s_mem%s", f.n, mis ? "_misaligned" : "");
        form(nm, SE(f.pfx, f.w, f.o, f.no, regfield, mo.m, isimm), 0x8d5);
        sf_vectors(&f, f.rk >= 0 ? &rg : NULL, &mo, mis ? 3 : (nv + 1) / 2);
    }
}

#define O2(b) .o = {0x0f, b}, .no = 2
#define O3(a, b) .o = {0x0f, a, b}, .no = 3
/* xmm, xmm/m128 (aligned) */
#define XX .rk = S_X, .mk = S_X, .ms = 16, .al = 16
#define XXU .rk = S_X, .mk = S_X, .ms = 16
#define XS(n) .rk = S_X, .mk = S_X, .ms = n
#define MMM .rk = S_MM, .mk = S_MM, .ms = 8

/* ================================================================== moves */
static void g_sse_move(const char *dir) {
    sgroup(dir, "sse-move.txt", 2001, "SSE/SSE2/SSE3 data movement, MOVMSK, PEXTRW/PINSRW, MOVNT, MASKMOVDQU, LDMXCSR/STMXCSR");
    static const struct { const char *n; u8 pfx; u8 ld, st; int vt; int al; } mv[] = {
        {"movups", 0, 0x10, 0x11, VT_PS, 0}, {"movupd", 0x66, 0x10, 0x11, VT_PD, 0}, {"movaps", 0, 0x28, 0x29, VT_PS, 16},
        {"movapd", 0x66, 0x28, 0x29, VT_PD, 16}, {"movdqa", 0x66, 0x6f, 0x7f, VT_RAW, 16}, {"movdqu", 0xf3, 0x6f, 0x7f, VT_RAW, 0}};
    for (int i = 0; i < 6; i++) {
        S((SF){.n = fmt("%s_x_xm", mv[i].n), .pfx = mv[i].pfx, O2(mv[i].ld), XXU, .al = mv[i].al, .vr = VT_RAW, .vm = mv[i].vt, .nv = 12});
        S((SF){.n = fmt("%s_xm_x", mv[i].n), .pfx = mv[i].pfx, O2(mv[i].st), XXU, .al = mv[i].al, .vr = mv[i].vt, .vm = VT_RAW, .nv = 12});
    }
    /* MOVSS/MOVSD: register form merges, load zero-extends, store writes 4/8 bytes */
    S((SF){.n = "movss_x_xm", .pfx = 0xf3, O2(0x10), XS(4), .vr = VT_RAW, .vm = VT_PS, .nv = 16});
    S((SF){.n = "movss_xm_x", .pfx = 0xf3, O2(0x11), XS(4), .vr = VT_PS, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movsd_x_xm", .pfx = 0xf2, O2(0x10), XS(8), .vr = VT_RAW, .vm = VT_PD, .nv = 16});
    S((SF){.n = "movsd_xm_x", .pfx = 0xf2, O2(0x11), XS(8), .vr = VT_PD, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movhlps", O2(0x12), XS(0), .vr = VT_RAW, .vm = VT_RAW, .nv = 12});
    S((SF){.n = "movlhps", O2(0x16), XS(0), .vr = VT_RAW, .vm = VT_RAW, .nv = 12});
    S((SF){.n = "movlps_x_m64", O2(0x12), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movlps_m64_x", O2(0x13), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movhps_x_m64", O2(0x16), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movhps_m64_x", O2(0x17), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movlpd_x_m64", .pfx = 0x66, O2(0x12), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movlpd_m64_x", .pfx = 0x66, O2(0x13), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movhpd_x_m64", .pfx = 0x66, O2(0x16), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movhpd_m64_x", .pfx = 0x66, O2(0x17), XS(8), .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movmskps", O2(0x50), .rk = S_G, .gsz = 8, .mk = S_X, .vr = VT_RAW, .vm = VT_PS, .nv = 24});
    S((SF){.n = "movmskpd", .pfx = 0x66, O2(0x50), .rk = S_G, .gsz = 8, .mk = S_X, .vr = VT_RAW, .vm = VT_PD, .nv = 24});
    S((SF){.n = "pmovmskb_r32_x", .pfx = 0x66, O2(0xd7), .rk = S_G, .gsz = 8, .mk = S_X, .vr = VT_RAW, .vm = VT_B, .nv = 24});
    S((SF){.n = "movd_x_rm32", .pfx = 0x66, O2(0x6e), .rk = S_X, .mk = S_G, .gsz = 8, .ms = 4, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_x_rm64", .pfx = 0x66, .w = 1, O2(0x6e), .rk = S_X, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movd_rm32_x", .pfx = 0x66, O2(0x7e), .rk = S_X, .mk = S_G, .gsz = 8, .ms = 4, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_rm64_x", .pfx = 0x66, .w = 1, O2(0x7e), .rk = S_X, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_x_xm64", .pfx = 0xf3, O2(0x7e), XS(8), .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_xm64_x", .pfx = 0x66, O2(0xd6), XS(8), .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq2dq", .pfx = 0xf3, O2(0xd6), .rk = S_X, .mk = S_MM, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movdq2q", .pfx = 0xf2, O2(0xd6), .rk = S_MM, .mk = S_X, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movntps", O2(0x2b), XX, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movntpd", .pfx = 0x66, O2(0x2b), XX, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movntdq", .pfx = 0x66, O2(0xe7), XX, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movnti_m32_r32", O2(0xc3), .rk = S_G, .gsz = 4, .ms = 4, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movnti_m64_r64", .w = 1, O2(0xc3), .rk = S_G, .gsz = 8, .ms = 8, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "maskmovdqu", .pfx = 0x66, O2(0xf7), .rk = S_X, .mk = S_X, .rdi = 16, .vr = VT_RAW, .vm = VT_B, .nv = 30});
    for (int imm = 0; imm < 8; imm += 3) {
        S((SF){.n = fmt("pextrw_r32_x_%d", imm), .pfx = 0x66, O2(0xc5), .ib = 1, .imm = imm, .rk = S_G, .gsz = 8, .mk = S_X, .vr = VT_RAW, .vm = VT_W, .nv = 12});
        S((SF){.n = fmt("pinsrw_x_r32m16_%d", imm), .pfx = 0x66, O2(0xc4), .ib = 1, .imm = imm, .rk = S_X, .mk = S_G, .gsz = 4, .ms = 2, .vr = VT_RAW, .vm = VT_RAW, .nv = 12});
    }
    S((SF){.n = "pextrw_r32_x_ff", .pfx = 0x66, O2(0xc5), .ib = 1, .imm = 0xff, .rk = S_G, .gsz = 8, .mk = S_X, .vr = VT_RAW, .vm = VT_W, .nv = 8});
    S((SF){.n = "pinsrw_x_r32m16_f9", .pfx = 0x66, O2(0xc4), .ib = 1, .imm = 0xf9, .rk = S_X, .mk = S_G, .gsz = 4, .ms = 2, .vr = VT_RAW, .vm = VT_RAW, .nv = 8});
    /* SSE3 */
    S((SF){.n = "lddqu", .pfx = 0xf2, O2(0xf0), XXU, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    S((SF){.n = "movshdup", .pfx = 0xf3, O2(0x16), XX, .vr = VT_RAW, .vm = VT_PS, .nv = 16});
    S((SF){.n = "movsldup", .pfx = 0xf3, O2(0x12), XX, .vr = VT_RAW, .vm = VT_PS, .nv = 16});
    S((SF){.n = "movddup", .pfx = 0xf2, O2(0x12), XS(8), .vr = VT_RAW, .vm = VT_PD, .nv = 16});
    /* LDMXCSR / STMXCSR: a reserved bit (beyond MXCSR_MASK) set in the source is #GP */
    {
        SOp mo = SM(memrm(s_mk++), sea(4, 0), 4);
        s_mmview = 0;
        form("ldmxcsr_m32", SE(0, 0, OPB(0x0f, 0xae), 2, mo.m, -1), 0x8d5);
        for (int k = 0; k < 40; k++) {
            SIn in; sinit(&in);
            u32 v = (u32)rnd() & 0xffff;
            if (k % 8 == 7) v |= 1u << (18 + rndn(14));   /* reserved bit: #GP (bit 17 is AMD's MM) */
            X128 x = {v, 0};
            sput(&in, &mo, x);
            in.s.mxcsr = mx_for(k) & ~0x3fu;
            in.g.fl = rflags();
            svec(&in);
        }
        SOp m2 = SM(memrm(s_mk++), sea(4, 0), 4);
        form("stmxcsr_m32", SE(0, 0, OPB(0x0f, 0xae), 3, m2.m, -1), 0x8d5);
        for (int k = 0; k < 20; k++) {
            SIn in; sinit(&in);
            sput(&in, &m2, rval(VT_RAW));
            in.s.mxcsr = (u32)rnd() & 0xffff;
            in.g.fl = rflags();
            svec(&in);
        }
    }
    /* #UD: LOCK prefix, register operands where only memory is allowed and vice versa */
    static const struct { const char *n; u8 b[6]; int len; } ud[] = {
        {"ud_lock_addps", {0xf0, 0x0f, 0x58, 0xc1}, 4}, {"ud_lock_movaps_load", {0xf0, 0x0f, 0x28, 0x03}, 4},
        {"ud_movntps_reg", {0x0f, 0x2b, 0xc1}, 3}, {"ud_lddqu_reg", {0xf2, 0x0f, 0xf0, 0xc1}, 4},
        {"ud_maskmovdqu_mem", {0x66, 0x0f, 0xf7, 0x03}, 4}, {"ud_movntdqa_reg", {0x66, 0x0f, 0x38, 0x2a, 0xc1}, 5},
        {"ud_movlps_store_reg", {0x0f, 0x13, 0xc1}, 3}, {"ud_ldmxcsr_reg", {0x0f, 0xae, 0xd0}, 3}};
    for (unsigned i = 0; i < sizeof ud / sizeof *ud; i++) {
        s_mmview = 0;
        form(ud[i].n, RAWB(ud[i].b, ud[i].len), 0x8d5);
        for (int k = 0; k < 3; k++) {
            SIn in; sinit(&in);
            in.g.r[RBX] = sea(16, 0);
            setrand(&in.g, in.g.r[RBX], 16);
            in.s.x[0] = rval(VT_RAW);
            in.s.x[1] = rval(VT_RAW);
            in.g.fl = rflags();
            svec(&in);
        }
    }
    close_group();
}

/* ================================================================== logic */
static void g_sse_logic(const char *dir) {
    sgroup(dir, "sse-logic.txt", 2002, "ANDPS ANDNPS ORPS XORPS (PS/PD), PAND PANDN POR PXOR (XMM and MMX)");
    static const char *ln[4] = {"and", "andn", "or", "xor"};
    for (int i = 0; i < 4; i++) {
        S((SF){.n = fmt("%sps", ln[i]), O2((u8)(0x54 + i)), XX, .vr = VT_PS, .vm = VT_PS, .nv = 24});
        S((SF){.n = fmt("%spd", ln[i]), .pfx = 0x66, O2((u8)(0x54 + i)), XX, .vr = VT_PD, .vm = VT_PD, .nv = 24});
    }
    static const struct { const char *n; u8 o; } pl[4] = {{"pand", 0xdb}, {"pandn", 0xdf}, {"por", 0xeb}, {"pxor", 0xef}};
    for (int i = 0; i < 4; i++) {
        S((SF){.n = fmt("%s_x", pl[i].n), .pfx = 0x66, O2(pl[i].o), XX, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
        S((SF){.n = fmt("%s_mm", pl[i].n), O2(pl[i].o), MMM, .vr = VT_RAW, .vm = VT_RAW, .nv = 24});
    }
    close_group();
}

/* ================================================================== packed integer (SSE2 xmm and MMX) */
static const struct { const char *n; u8 o; int vt; int mmx; } pint[] = {
    {"paddb", 0xfc, VT_B, 1}, {"paddw", 0xfd, VT_W, 1}, {"paddd", 0xfe, VT_D, 1}, {"paddq", 0xd4, VT_Q, 1},
    {"psubb", 0xf8, VT_B, 1}, {"psubw", 0xf9, VT_W, 1}, {"psubd", 0xfa, VT_D, 1}, {"psubq", 0xfb, VT_Q, 1},
    {"paddsb", 0xec, VT_B, 1}, {"paddsw", 0xed, VT_W, 1}, {"paddusb", 0xdc, VT_B, 1}, {"paddusw", 0xdd, VT_W, 1},
    {"psubsb", 0xe8, VT_B, 1}, {"psubsw", 0xe9, VT_W, 1}, {"psubusb", 0xd8, VT_B, 1}, {"psubusw", 0xd9, VT_W, 1},
    {"pmullw", 0xd5, VT_W, 1}, {"pmulhw", 0xe5, VT_W, 1}, {"pmulhuw", 0xe4, VT_W, 1}, {"pmuludq", 0xf4, VT_D, 1},
    {"pmaddwd", 0xf5, VT_W, 1}, {"pavgb", 0xe0, VT_B, 1}, {"pavgw", 0xe3, VT_W, 1}, {"pminub", 0xda, VT_B, 1},
    {"pmaxub", 0xde, VT_B, 1}, {"pminsw", 0xea, VT_W, 1}, {"pmaxsw", 0xee, VT_W, 1}, {"psadbw", 0xf6, VT_B, 1},
    {"pcmpeqb", 0x74, VT_B, 1}, {"pcmpeqw", 0x75, VT_W, 1}, {"pcmpeqd", 0x76, VT_D, 1}, {"pcmpgtb", 0x64, VT_B, 1},
    {"pcmpgtw", 0x65, VT_W, 1}, {"pcmpgtd", 0x66, VT_D, 1},
    {"psrlw", 0xd1, VT_CNT, 1}, {"psrld", 0xd2, VT_CNT, 1}, {"psrlq", 0xd3, VT_CNT, 1}, {"psraw", 0xe1, VT_CNT, 1},
    {"psrad", 0xe2, VT_CNT, 1}, {"psllw", 0xf1, VT_CNT, 1}, {"pslld", 0xf2, VT_CNT, 1}, {"psllq", 0xf3, VT_CNT, 1},
    {"punpcklbw", 0x60, VT_B, 1}, {"punpcklwd", 0x61, VT_W, 1}, {"punpckldq", 0x62, VT_D, 1}, {"packsswb", 0x63, VT_W, 1},
    {"packuswb", 0x67, VT_W, 1}, {"punpckhbw", 0x68, VT_B, 1}, {"punpckhwd", 0x69, VT_W, 1}, {"punpckhdq", 0x6a, VT_D, 1},
    {"packssdw", 0x6b, VT_D, 1}, {"punpcklqdq", 0x6c, VT_Q, 0}, {"punpckhqdq", 0x6d, VT_Q, 0}};
#define NPINT ((int)(sizeof pint / sizeof *pint))

static void shift_imm_forms(int mmx) {
    static const struct { const char *n; u8 o; int d; int vt; int xo; } si[] = {
        {"psrlw", 0x71, 2, VT_W, 0}, {"psraw", 0x71, 4, VT_W, 0}, {"psllw", 0x71, 6, VT_W, 0},
        {"psrld", 0x72, 2, VT_D, 0}, {"psrad", 0x72, 4, VT_D, 0}, {"pslld", 0x72, 6, VT_D, 0},
        {"psrlq", 0x73, 2, VT_Q, 0}, {"psllq", 0x73, 6, VT_Q, 0}, {"psrldq", 0x73, 3, VT_RAW, 1}, {"pslldq", 0x73, 7, VT_RAW, 1}};
    for (int i = 0; i < 10; i++) {
        if (mmx && si[i].xo) continue;
        int bits = si[i].vt == VT_W ? 16 : si[i].vt == VT_D ? 32 : si[i].vt == VT_Q ? 64 : 16;
        int imms[4] = {0, 1, bits - 1, bits == 16 && si[i].xo ? 17 : bits};
        for (int k = 0; k < 4; k++)
            S((SF){.n = fmt("%s_%s_imm_%d", si[i].n, mmx ? "mm" : "x", imms[k]), .pfx = mmx ? 0 : 0x66, O2(si[i].o), .ib = 1,
                   .imm = imms[k], .rk = -si[i].d - 1, .mk = mmx ? S_MM : S_X, .vr = VT_RAW, .vm = si[i].vt, .nv = 10});
        S((SF){.n = fmt("%s_%s_imm_ff", si[i].n, mmx ? "mm" : "x"), .pfx = mmx ? 0 : 0x66, O2(si[i].o), .ib = 1,
               .imm = 0xff, .rk = -si[i].d - 1, .mk = mmx ? S_MM : S_X, .vr = VT_RAW, .vm = si[i].vt, .nv = 6});
    }
}

static void g_sse2_int(const char *dir) {
    sgroup(dir, "sse2-int.txt", 2003, "SSE2 packed integer arithmetic, compares, shifts, pack/unpack on XMM");
    for (int i = 0; i < NPINT; i++)
        S((SF){.n = fmt("%s_x", pint[i].n), .pfx = 0x66, O2(pint[i].o), XX, .vr = pint[i].vt == VT_CNT ? VT_Q : pint[i].vt,
               .vm = pint[i].vt, .nv = 40});
    shift_imm_forms(0);
    close_group();
}

static void g_mmx(const char *dir) {
    sgroup(dir, "mmx.txt", 2004, "MMX and SSE/SSE2 instructions on MMX registers, MOVD/MOVQ, EMMS, PSHUFW, MASKMOVQ, MOVNTQ");
    for (int i = 0; i < NPINT; i++)
        if (pint[i].mmx)
            S((SF){.n = fmt("%s_mm", pint[i].n), O2(pint[i].o), MMM, .vr = pint[i].vt == VT_CNT ? VT_Q : pint[i].vt,
                   .vm = pint[i].vt, .nv = 30});
    shift_imm_forms(1);
    S((SF){.n = "movd_mm_rm32", O2(0x6e), .rk = S_MM, .mk = S_G, .gsz = 8, .ms = 4, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_mm_rm64", .w = 1, O2(0x6e), .rk = S_MM, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movd_rm32_mm", O2(0x7e), .rk = S_MM, .mk = S_G, .gsz = 8, .ms = 4, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_rm64_mm", .w = 1, O2(0x7e), .rk = S_MM, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_mm_mmm64", O2(0x6f), MMM, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movq_mmm64_mm", O2(0x7f), MMM, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "movntq", O2(0xe7), MMM, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    S((SF){.n = "maskmovq", O2(0xf7), .rk = S_MM, .mk = S_MM, .rdi = 8, .vr = VT_RAW, .vm = VT_B, .nv = 30});
    S((SF){.n = "pmovmskb_r32_mm", O2(0xd7), .rk = S_G, .gsz = 8, .mk = S_MM, .vr = VT_RAW, .vm = VT_B, .nv = 16});
    static const int shw[4] = {0x1b, 0xe4, 0x00, 0x9c};
    for (int k = 0; k < 4; k++)
        S((SF){.n = fmt("pshufw_%02x", shw[k]), O2(0x70), .ib = 1, .imm = shw[k], MMM, .vr = VT_RAW, .vm = VT_W, .nv = 12});
    for (int imm = 0; imm < 4; imm += 3) {
        S((SF){.n = fmt("pextrw_r32_mm_%d", imm), O2(0xc5), .ib = 1, .imm = imm, .rk = S_G, .gsz = 8, .mk = S_MM, .vr = VT_RAW, .vm = VT_W, .nv = 12});
        S((SF){.n = fmt("pinsrw_mm_r32m16_%d", imm), O2(0xc4), .ib = 1, .imm = imm, .rk = S_MM, .mk = S_G, .gsz = 4, .ms = 2, .vr = VT_RAW, .vm = VT_RAW, .nv = 12});
    }
    /* EMMS: every register empty; the registers themselves are unchanged */
    s_mmview = 1;
    form("emms", RAWB(OPB(0x0f, 0x77)), 0x8d5);
    for (int k = 0; k < 12; k++) {
        SIn in; sinit(&in);
        mmx_background(&in);
        in.g.fl = rflags();
        svec(&in);
    }
    close_group();
}

/* ================================================================== shuffles */
static void g_sse_shuffle(const char *dir) {
    sgroup(dir, "sse-shuffle.txt", 2005, "SHUFPS SHUFPD UNPCK*PS/PD PSHUFD PSHUFHW PSHUFLW");
    static const int im[5] = {0x00, 0x1b, 0xe4, 0x4e, 0xb1};
    for (int k = 0; k < 5; k++) {
        S((SF){.n = fmt("shufps_%02x", im[k]), O2(0xc6), .ib = 1, .imm = im[k], XX, .vr = VT_PS, .vm = VT_PS, .nv = 10});
        S((SF){.n = fmt("pshufd_%02x", im[k]), .pfx = 0x66, O2(0x70), .ib = 1, .imm = im[k], XX, .vr = VT_RAW, .vm = VT_D, .nv = 10});
        S((SF){.n = fmt("pshufhw_%02x", im[k]), .pfx = 0xf3, O2(0x70), .ib = 1, .imm = im[k], XX, .vr = VT_RAW, .vm = VT_W, .nv = 10});
        S((SF){.n = fmt("pshuflw_%02x", im[k]), .pfx = 0xf2, O2(0x70), .ib = 1, .imm = im[k], XX, .vr = VT_RAW, .vm = VT_W, .nv = 10});
    }
    for (int k = 0; k < 4; k++)
        S((SF){.n = fmt("shufpd_%02x", k == 3 ? 0xfe : k), .pfx = 0x66, O2(0xc6), .ib = 1, .imm = k == 3 ? 0xfe : k, XX, .vr = VT_PD, .vm = VT_PD, .nv = 10});
    S((SF){.n = "unpcklps", O2(0x14), XX, .vr = VT_PS, .vm = VT_PS, .nv = 16});
    S((SF){.n = "unpckhps", O2(0x15), XX, .vr = VT_PS, .vm = VT_PS, .nv = 16});
    S((SF){.n = "unpcklpd", .pfx = 0x66, O2(0x14), XX, .vr = VT_PD, .vm = VT_PD, .nv = 16});
    S((SF){.n = "unpckhpd", .pfx = 0x66, O2(0x15), XX, .vr = VT_PD, .vm = VT_PD, .nv = 16});
    close_group();
}

/* ================================================================== FP arithmetic */
static void g_sse_fp_arith(const char *dir) {
    sgroup(dir, "sse-fp-arith.txt", 2006,
               "ADD SUB MUL DIV MIN MAX SQRT (PS PD SS SD): every rounding mode, DAZ/FTZ, exceptions masked and unmasked (#XM)");
    static const struct { const char *n; u8 o; } ar[7] = {{"add", 0x58}, {"mul", 0x59}, {"sub", 0x5c}, {"min", 0x5d},
                                                         {"div", 0x5e}, {"max", 0x5f}, {"sqrt", 0x51}};
    for (int i = 0; i < 7; i++) {
        S((SF){.n = fmt("%sps", ar[i].n), O2(ar[i].o), XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 160});
        S((SF){.n = fmt("%spd", ar[i].n), .pfx = 0x66, O2(ar[i].o), XX, .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 160});
        S((SF){.n = fmt("%sss", ar[i].n), .pfx = 0xf3, O2(ar[i].o), XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 200});
        S((SF){.n = fmt("%ssd", ar[i].n), .pfx = 0xf2, O2(ar[i].o), XS(8), .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 200});
    }
    /* SSE3 */
    S((SF){.n = "addsubps", .pfx = 0xf2, O2(0xd0), XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 100});
    S((SF){.n = "addsubpd", .pfx = 0x66, O2(0xd0), XX, .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 100});
    S((SF){.n = "haddps", .pfx = 0xf2, O2(0x7c), XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 100});
    S((SF){.n = "haddpd", .pfx = 0x66, O2(0x7c), XX, .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 100});
    S((SF){.n = "hsubps", .pfx = 0xf2, O2(0x7d), XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 100});
    S((SF){.n = "hsubpd", .pfx = 0x66, O2(0x7d), XX, .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 100});
    close_group();
}

/* RCPPS/RSQRTPS/RCPSS/RSQRTSS: approximations whose exact bits are implementation specific (AMD
   and Intel differ). Consumers compare with a relative tolerance of 1.5 * 2^-12 (SDM). */
static void g_sse_fp_approx(const char *dir) {
    sgroup(dir, "sse-fp-approx.txt", 2007, "RCPPS RCPSS RSQRTPS RSQRTSS (approximate: compare with tolerance 1.5*2^-12)");
    S((SF){.n = "rcpps_approx", O2(0x53), XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
    S((SF){.n = "rcpss_approx", .pfx = 0xf3, O2(0x53), XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
    S((SF){.n = "rsqrtps_approx", O2(0x52), XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
    S((SF){.n = "rsqrtss_approx", .pfx = 0xf3, O2(0x52), XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
    close_group();
}

/* ================================================================== FP compares */
static void g_sse_fp_cmp(const char *dir) {
    sgroup(dir, "sse-fp-cmp.txt", 2008, "CMPPS CMPPD CMPSS CMPSD (predicates 0-7), COMISS UCOMISS COMISD UCOMISD");
    static const char *pn[8] = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};
    for (int p = 0; p < 8; p++) {
        S((SF){.n = fmt("cmpps_%s", pn[p]), O2(0xc2), .ib = 1, .imm = p, XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
        S((SF){.n = fmt("cmppd_%s", pn[p]), .pfx = 0x66, O2(0xc2), .ib = 1, .imm = p, XX, .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 60});
        S((SF){.n = fmt("cmpss_%s", pn[p]), .pfx = 0xf3, O2(0xc2), .ib = 1, .imm = p, XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
        S((SF){.n = fmt("cmpsd_%s", pn[p]), .pfx = 0xf2, O2(0xc2), .ib = 1, .imm = p, XS(8), .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 60});
    }
    S((SF){.n = "ucomiss", O2(0x2e), XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 150});
    S((SF){.n = "comiss", O2(0x2f), XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 150});
    S((SF){.n = "ucomisd", .pfx = 0x66, O2(0x2e), XS(8), .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 150});
    S((SF){.n = "comisd", .pfx = 0x66, O2(0x2f), XS(8), .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 150});
    close_group();
}

/* ================================================================== conversions */
static void g_sse_fp_cvt(const char *dir) {
    sgroup(dir, "sse-fp-cvt.txt", 2009, "SSE/SSE2 conversions between integers, single and double");
    const int N = 120;
    S((SF){.n = "cvtpi2ps", O2(0x2a), .rk = S_X, .mk = S_MM, .ms = 8, .vr = VT_PS, .vm = VT_I32F, .fp = 1, .nv = N});
    S((SF){.n = "cvtpi2pd", .pfx = 0x66, O2(0x2a), .rk = S_X, .mk = S_MM, .ms = 8, .vr = VT_PD, .vm = VT_I32F, .fp = 1, .nv = N});
    S((SF){.n = "cvtsi2ss_r32", .pfx = 0xf3, O2(0x2a), .rk = S_X, .mk = S_G, .gsz = 4, .ms = 4, .vr = VT_PS, .vm = VT_I32F, .fp = 1, .nv = N});
    S((SF){.n = "cvtsi2ss_r64", .pfx = 0xf3, .w = 1, O2(0x2a), .rk = S_X, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_PS, .vm = VT_I64F, .fp = 1, .nv = N});
    S((SF){.n = "cvtsi2sd_r32", .pfx = 0xf2, O2(0x2a), .rk = S_X, .mk = S_G, .gsz = 4, .ms = 4, .vr = VT_PD, .vm = VT_I32F, .fp = 1, .nv = N});
    S((SF){.n = "cvtsi2sd_r64", .pfx = 0xf2, .w = 1, O2(0x2a), .rk = S_X, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_PD, .vm = VT_I64F, .fp = 1, .nv = N});
    for (int t = 0; t < 2; t++) {
        u8 o = t ? 0x2c : 0x2d;
        const char *tt = t ? "t" : "";
        S((SF){.n = fmt("cvt%sps2pi", tt), O2(o), .rk = S_MM, .mk = S_X, .ms = 8, .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
        S((SF){.n = fmt("cvt%spd2pi", tt), .pfx = 0x66, O2(o), .rk = S_MM, .mk = S_X, .ms = 16, .al = 16, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
        S((SF){.n = fmt("cvt%sss2si_r32", tt), .pfx = 0xf3, O2(o), .rk = S_G, .gsz = 4, .mk = S_X, .ms = 4, .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
        S((SF){.n = fmt("cvt%sss2si_r64", tt), .pfx = 0xf3, .w = 1, O2(o), .rk = S_G, .gsz = 8, .mk = S_X, .ms = 4, .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
        S((SF){.n = fmt("cvt%ssd2si_r32", tt), .pfx = 0xf2, O2(o), .rk = S_G, .gsz = 4, .mk = S_X, .ms = 8, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
        S((SF){.n = fmt("cvt%ssd2si_r64", tt), .pfx = 0xf2, .w = 1, O2(o), .rk = S_G, .gsz = 8, .mk = S_X, .ms = 8, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
    }
    S((SF){.n = "cvtps2pd", O2(0x5a), XS(8), .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
    S((SF){.n = "cvtpd2ps", .pfx = 0x66, O2(0x5a), XX, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
    S((SF){.n = "cvtss2sd", .pfx = 0xf3, O2(0x5a), XS(4), .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
    S((SF){.n = "cvtsd2ss", .pfx = 0xf2, O2(0x5a), XS(8), .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
    S((SF){.n = "cvtdq2ps", O2(0x5b), XX, .vr = VT_RAW, .vm = VT_D, .fp = 1, .nv = N});
    S((SF){.n = "cvtps2dq", .pfx = 0x66, O2(0x5b), XX, .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
    S((SF){.n = "cvttps2dq", .pfx = 0xf3, O2(0x5b), XX, .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = N});
    S((SF){.n = "cvttpd2dq", .pfx = 0x66, O2(0xe6), XX, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
    S((SF){.n = "cvtdq2pd", .pfx = 0xf3, O2(0xe6), XS(8), .vr = VT_RAW, .vm = VT_D, .fp = 1, .nv = N});
    S((SF){.n = "cvtpd2dq", .pfx = 0xf2, O2(0xe6), XX, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = N});
    close_group();
}

/* ================================================================== SSSE3 */
static void g_ssse3(const char *dir) {
    sgroup(dir, "ssse3.txt", 2010, "SSSE3 on XMM and MMX: PSHUFB PHADD* PHSUB* PMADDUBSW PMULHRSW PSIGN* PABS* PALIGNR");
    static const struct { const char *n; u8 o; int vt; } s3[] = {
        {"pshufb", 0x00, VT_B}, {"phaddw", 0x01, VT_W}, {"phaddd", 0x02, VT_D}, {"phaddsw", 0x03, VT_W},
        {"pmaddubsw", 0x04, VT_B}, {"phsubw", 0x05, VT_W}, {"phsubd", 0x06, VT_D}, {"phsubsw", 0x07, VT_W},
        {"psignb", 0x08, VT_B}, {"psignw", 0x09, VT_W}, {"psignd", 0x0a, VT_D}, {"pmulhrsw", 0x0b, VT_W},
        {"pabsb", 0x1c, VT_B}, {"pabsw", 0x1d, VT_W}, {"pabsd", 0x1e, VT_D}};
    for (unsigned i = 0; i < sizeof s3 / sizeof *s3; i++) {
        S((SF){.n = fmt("%s_x", s3[i].n), .pfx = 0x66, O3(0x38, s3[i].o), XX, .vr = s3[i].vt, .vm = s3[i].vt, .nv = 40});
        S((SF){.n = fmt("%s_mm", s3[i].n), O3(0x38, s3[i].o), MMM, .vr = s3[i].vt, .vm = s3[i].vt, .nv = 30});
    }
    static const int pa[5] = {0, 3, 8, 17, 33};
    for (int k = 0; k < 5; k++) {
        S((SF){.n = fmt("palignr_x_%d", pa[k]), .pfx = 0x66, O3(0x3a, 0x0f), .ib = 1, .imm = pa[k], XX, .vr = VT_RAW, .vm = VT_RAW, .nv = 10});
        S((SF){.n = fmt("palignr_mm_%d", pa[k]), O3(0x3a, 0x0f), .ib = 1, .imm = pa[k], MMM, .vr = VT_RAW, .vm = VT_RAW, .nv = 10});
    }
    close_group();
}

/* ================================================================== SSE4.1 */
static void g_sse41(const char *dir) {
    sgroup(dir, "sse41.txt", 2011, "SSE4.1: PMOVSX/ZX, PMIN/PMAX, PMULLD PMULDQ, PCMPEQQ, PACKUSDW, PTEST, BLEND*, ROUND*, DPPS/DPPD, INSERTPS, EXTRACTPS, PEXTR*/PINSR*, PHMINPOSUW, MPSADBW, MOVNTDQA");
    static const struct { const char *n; u8 o; int vt; } a[] = {
        {"pmuldq", 0x28, VT_D}, {"pcmpeqq", 0x29, VT_Q}, {"packusdw", 0x2b, VT_D}, {"pminsb", 0x38, VT_B},
        {"pminsd", 0x39, VT_D}, {"pminuw", 0x3a, VT_W}, {"pminud", 0x3b, VT_D}, {"pmaxsb", 0x3c, VT_B},
        {"pmaxsd", 0x3d, VT_D}, {"pmaxuw", 0x3e, VT_W}, {"pmaxud", 0x3f, VT_D}, {"pmulld", 0x40, VT_D},
        {"phminposuw", 0x41, VT_W}, {"ptest", 0x17, VT_Q}};
    for (unsigned i = 0; i < sizeof a / sizeof *a; i++)
        S((SF){.n = a[i].n, .pfx = 0x66, O3(0x38, a[i].o), XX, .vr = a[i].vt, .vm = a[i].vt, .nv = 40});
    static const struct { const char *n; u8 o; int ms; } mx[] = {
        {"bw", 0x20, 8}, {"bd", 0x21, 4}, {"bq", 0x22, 2}, {"wd", 0x23, 8}, {"wq", 0x24, 4}, {"dq", 0x25, 8}};
    for (int i = 0; i < 6; i++) {
        S((SF){.n = fmt("pmovsx%s", mx[i].n), .pfx = 0x66, O3(0x38, mx[i].o), XS(mx[i].ms), .vr = VT_RAW, .vm = VT_B, .nv = 16});
        S((SF){.n = fmt("pmovzx%s", mx[i].n), .pfx = 0x66, O3(0x38, (u8)(mx[i].o + 0x10)), XS(mx[i].ms), .vr = VT_RAW, .vm = VT_B, .nv = 16});
    }
    S((SF){.n = "pblendvb", .pfx = 0x66, O3(0x38, 0x10), XX, .x0 = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 20});
    S((SF){.n = "blendvps", .pfx = 0x66, O3(0x38, 0x14), XX, .x0 = 1, .vr = VT_PS, .vm = VT_PS, .nv = 20});
    S((SF){.n = "blendvpd", .pfx = 0x66, O3(0x38, 0x15), XX, .x0 = 1, .vr = VT_PD, .vm = VT_PD, .nv = 20});
    S((SF){.n = "movntdqa", .pfx = 0x66, O3(0x38, 0x2a), XX, .memonly = 1, .vr = VT_RAW, .vm = VT_RAW, .nv = 16});
    static const int bl[3] = {0x05, 0x0a, 0xff};
    for (int k = 0; k < 3; k++) {
        S((SF){.n = fmt("blendps_%02x", bl[k]), .pfx = 0x66, O3(0x3a, 0x0c), .ib = 1, .imm = bl[k], XX, .vr = VT_PS, .vm = VT_PS, .nv = 10});
        S((SF){.n = fmt("blendpd_%02x", bl[k]), .pfx = 0x66, O3(0x3a, 0x0d), .ib = 1, .imm = bl[k], XX, .vr = VT_PD, .vm = VT_PD, .nv = 10});
        S((SF){.n = fmt("pblendw_%02x", bl[k] ^ 0x30), .pfx = 0x66, O3(0x3a, 0x0e), .ib = 1, .imm = bl[k] ^ 0x30, XX, .vr = VT_W, .vm = VT_W, .nv = 10});
    }
    /* ROUND*: imm bits 1:0 rounding, bit 2 use MXCSR.RC, bit 3 suppress precision exception */
    static const int rimm[7] = {0, 1, 2, 3, 4, 8, 0xb};
    for (int k = 0; k < 7; k++) {
        S((SF){.n = fmt("roundps_%x", rimm[k]), .pfx = 0x66, O3(0x3a, 0x08), .ib = 1, .imm = rimm[k], XX, .vr = VT_RAW, .vm = VT_PS, .fp = 1, .nv = 40});
        S((SF){.n = fmt("roundpd_%x", rimm[k]), .pfx = 0x66, O3(0x3a, 0x09), .ib = 1, .imm = rimm[k], XX, .vr = VT_RAW, .vm = VT_PD, .fp = 1, .nv = 40});
        S((SF){.n = fmt("roundss_%x", rimm[k]), .pfx = 0x66, O3(0x3a, 0x0a), .ib = 1, .imm = rimm[k], XS(4), .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 40});
        S((SF){.n = fmt("roundsd_%x", rimm[k]), .pfx = 0x66, O3(0x3a, 0x0b), .ib = 1, .imm = rimm[k], XS(8), .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 40});
    }
    static const int dp[3] = {0xff, 0x71, 0x3c};
    for (int k = 0; k < 3; k++) {
        S((SF){.n = fmt("dpps_%02x", dp[k]), .pfx = 0x66, O3(0x3a, 0x40), .ib = 1, .imm = dp[k], XX, .vr = VT_PS, .vm = VT_PS, .fp = 1, .nv = 60});
        S((SF){.n = fmt("dppd_%02x", dp[k] & 0x33), .pfx = 0x66, O3(0x3a, 0x41), .ib = 1, .imm = dp[k] & 0x33, XX, .vr = VT_PD, .vm = VT_PD, .fp = 1, .nv = 60});
    }
    static const int ins[3] = {0x00, 0x9a, 0xf5};
    for (int k = 0; k < 3; k++)
        S((SF){.n = fmt("insertps_%02x", ins[k]), .pfx = 0x66, O3(0x3a, 0x21), .ib = 1, .imm = ins[k], XS(4), .vr = VT_PS, .vm = VT_PS, .nv = 12});
    for (int k = 0; k < 4; k += 3) {
        S((SF){.n = fmt("extractps_%d", k), .pfx = 0x66, O3(0x3a, 0x17), .ib = 1, .imm = k, .rk = S_X, .mk = S_G, .gsz = 8, .ms = 4, .vr = VT_PS, .vm = VT_RAW, .nv = 12});
        S((SF){.n = fmt("pextrb_%d", k * 5), .pfx = 0x66, O3(0x3a, 0x14), .ib = 1, .imm = k * 5, .rk = S_X, .mk = S_G, .gsz = 8, .ms = 1, .vr = VT_B, .vm = VT_RAW, .nv = 12});
        S((SF){.n = fmt("pextrw_rm16_%d", k * 2), .pfx = 0x66, O3(0x3a, 0x15), .ib = 1, .imm = k * 2, .rk = S_X, .mk = S_G, .gsz = 8, .ms = 2, .vr = VT_W, .vm = VT_RAW, .nv = 12});
        S((SF){.n = fmt("pextrd_%d", k), .pfx = 0x66, O3(0x3a, 0x16), .ib = 1, .imm = k, .rk = S_X, .mk = S_G, .gsz = 8, .ms = 4, .vr = VT_D, .vm = VT_RAW, .nv = 12});
        S((SF){.n = fmt("pextrq_%d", k & 1), .pfx = 0x66, .w = 1, O3(0x3a, 0x16), .ib = 1, .imm = k & 1, .rk = S_X, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_Q, .vm = VT_RAW, .nv = 12});
        S((SF){.n = fmt("pinsrb_%d", k * 5), .pfx = 0x66, O3(0x3a, 0x20), .ib = 1, .imm = k * 5, .rk = S_X, .mk = S_G, .gsz = 4, .ms = 1, .vr = VT_RAW, .vm = VT_B, .nv = 12});
        S((SF){.n = fmt("pinsrd_%d", k), .pfx = 0x66, O3(0x3a, 0x22), .ib = 1, .imm = k, .rk = S_X, .mk = S_G, .gsz = 4, .ms = 4, .vr = VT_RAW, .vm = VT_D, .nv = 12});
        S((SF){.n = fmt("pinsrq_%d", k & 1), .pfx = 0x66, .w = 1, O3(0x3a, 0x22), .ib = 1, .imm = k & 1, .rk = S_X, .mk = S_G, .gsz = 8, .ms = 8, .vr = VT_RAW, .vm = VT_Q, .nv = 12});
    }
    static const int mp[4] = {0, 1, 5, 6};
    for (int k = 0; k < 4; k++)
        S((SF){.n = fmt("mpsadbw_%d", mp[k]), .pfx = 0x66, O3(0x3a, 0x42), .ib = 1, .imm = mp[k], XX, .vr = VT_B, .vm = VT_B, .nv = 16});
    close_group();
}

/* ================================================================== fences, prefetch, cache */
static void g_sse_misc(const char *dir) {
    sgroup(dir, "sse-misc.txt", 2012, "SFENCE LFENCE MFENCE PREFETCHh CLFLUSH: no architectural state changes");
    static const struct { const char *n; u8 b[3]; int len; } fe[] = {
        {"sfence", {0x0f, 0xae, 0xf8}, 3}, {"lfence", {0x0f, 0xae, 0xe8}, 3}, {"mfence", {0x0f, 0xae, 0xf0}, 3}};
    for (int i = 0; i < 3; i++) {
        s_mmview = 0;
        form(fe[i].n, RAWB(fe[i].b, fe[i].len), 0x8d5);
        for (int k = 0; k < 6; k++) {
            SIn in; sinit(&in);
            in.s.x[k] = rval(VT_RAW);
            in.s.mxcsr = mx_for(k);
            in.g.fl = rflags();
            svec(&in);
        }
    }
    static const char *pn[4] = {"prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2"};
    for (int d = 0; d < 5; d++) {
        SOp mo = SM(memrm(s_mk++), sea(1, 0), 1);
        s_mmview = 0;
        u8 opc[2] = {0x0f, d < 4 ? 0x18 : 0xae};
        form(d < 4 ? pn[d] : "clflush", E(4, 0, NOP_, opc, 2, d < 4 ? d : 7, mo.m, 0, 0), 0x8d5);
        for (int k = 0; k < 6; k++) {
            SIn in; sinit(&in);
            setup_rm(&in.g, &mo.m, mo.ea);
            setrand(&in.g, mo.ea, 1);
            in.s.x[k] = rval(VT_RAW);
            in.g.fl = rflags();
            svec(&in);
        }
    }
    close_group();
}

static void g_simd(const char *dir) {
    g_sse_move(dir);
    g_sse_logic(dir);
    g_sse2_int(dir);
    g_mmx(dir);
    g_sse_shuffle(dir);
    g_sse_fp_arith(dir);
    g_sse_fp_approx(dir);
    g_sse_fp_cmp(dir);
    g_sse_fp_cvt(dir);
    g_ssse3(dir);
    g_sse41(dir);
    g_sse_misc(dir);
}
