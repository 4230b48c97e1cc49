static const u8 lockp[1] = {0xf0}, a32p[1] = {0x67};
#define LKP(lk) ((lk) ? lockp : NULL), ((lk) ? 1 : 0)
/* groups2.h - remaining 64-bit mode groups (included by vectorgen.c) */

static void randregs(In *in) {
    for (int i = 0; i < 16; i++)
        if (i != RSP) in->r[i] = rnd();
}
static const char *ccn[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
/* flags for the i-th of 64 combinations of CF PF AF ZF SF OF */
static u64 flcombo(int i) {
    static const u64 bit[6] = {0x1, 0x4, 0x10, 0x40, 0x80, 0x800};
    u64 f = 2;
    for (int b = 0; b < 6; b++)
        if (i >> b & 1) f |= bit[b];
    return f;
}
/* value generator for n operands, edges for first 2 and random */
static void gen_n(Op *ops, int nops, int nv) {
    for (int k = 0; k < nv; k++) {
        In in; init(&in);
        for (int i = 0; i < nops; i++) {
            u64 v;
            if (k < 60) { u64 e[40]; int ne = edges(ops[i].size, e, 1); v = e[rndn(ne)]; }
            else v = rv(ops[i].size);
            put(&in, &ops[i], v);
        }
        in.fl = rflags();
        vec(&in);
    }
}

/* ================================================================== bit */
static void g_bit(const char *dir) {
    open_group(dir, "bit.txt", 404, "BT BTS BTR BTC BSF BSR TZCNT LZCNT POPCNT");
    int mk = 0;
    static const char *bn[4] = {"bt", "bts", "btr", "btc"};
    static const u8 ro[4] = {0xa3, 0xab, 0xb3, 0xbb};
    for (int k = 0; k < 4; k++)
        for (int si = 1; si < 4; si++) {
            int s = 1 << si, bits = 8 * s;
            const char *b = szn(s);
            Op d = OREG(pool[si + k], s), o = OREG(pool[(si + k + 3) % 8], s);
            form(fmt("%s_rm%s_r%s_reg", bn[k], b, b), E(s, 0, NOP_, OPB(0x0f, ro[k]), o.reg, rmof(&d), 0, 0), 0x41);
            gen_pairs(&d, &o, 100);
            /* memory bit string with register offset: base rbx/rsi + disp, offset can reach +-0x7e0 bytes */
            for (int v = 0; v < 2; v++) {
                int base = v ? RSI : RBX;
                int32_t disp = v ? -0x10 : 0x8;
                u64 bea = DBASE + 0x800 + (v ? 0x13 : 0);
                form(fmt("%s_m%s_r%s_mem%s", bn[k], b, b, v ? "_unaligned" : ""),
                     E(s, 0, NOP_, OPB(0x0f, ro[k]), o.reg, MBD(base, disp), 0, 0), 0x41);
                static const i64 eo[] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, -1, -2, -8, -15, -16, -17,
                                         -31, -32, -33, -63, -64, -65, -128, 1000, -1000, 0x3f00, -0x3f00};
                int ne = sizeof eo / sizeof *eo;
                for (int q = 0; q < 160; q++) {
                    i64 off = q < ne ? eo[q] : (i64)rndn(0x7e00) - 0x3f00;
                    if (q >= ne && q % 4 == 0) off = (i64)rndn(512) - 256;
                    In in; init(&in);
                    in.r[base] = bea - disp;
                    put(&in, &o, (u64)off);
                    i64 so = (i64)sext((u64)off & szm(s), s);
                    i64 word = so >= 0 ? so / bits : -((-so + bits - 1) / bits);
                    u64 ea = bea + (u64)(word * s);
                    setmem(&in, ea, rv(s), s);
                    in.fl = rflags();
                    vec(&in);
                }
            }
            int imr[4] = {0, bits - 1, bits + 3, 0xff};
            for (int q = 0; q < 4; q++) {
                form(fmt("%s_rm%s_imm8_reg_%02x", bn[k], b, imr[q]), E(s, 0, NOP_, OPB(0x0f, 0xba), 4 + k, rmof(&d), (u64)imr[q], 1), 0x41);
                gen_single(&d, 40);
            }
            for (int q = 1; q < 4; q += 2) {
                Op m = OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%s_rm%s_imm8_mem_%02x", bn[k], b, imr[q]), E(s, 0, NOP_, OPB(0x0f, 0xba), 4 + k, m.m, (u64)imr[q], 1), 0x41);
                gen_single(&m, 40);
            }
        }
    /* lock bts/btr/btc with memory */
    for (int k = 1; k < 4; k++) {
        Op o = OREG(RDX, 4);
        form(fmt("lock_%s_m32_r32_mem", bn[k]), E(4, 0, OPB(0xf0), OPB(0x0f, ro[k]), RDX, MBD(RBX, 0), 0, 0), 0x41);
        for (int q = 0; q < 60; q++) {
            In in; init(&in);
            i64 off = (i64)rndn(2048) - 1024;
            in.r[RBX] = DBASE + 0x800;
            put(&in, &o, (u64)off);
            i64 word = off >= 0 ? off / 32 : -((-off + 31) / 32);
            setmem(&in, DBASE + 0x800 + word * 4, rv(4), 4);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* BSF BSR TZCNT LZCNT POPCNT */
    static const struct { const char *n; u8 pf; u8 op; u32 mask; } sc[5] = {
        {"bsf", 0, 0xbc, 0x40}, {"bsr", 0, 0xbd, 0x40}, {"tzcnt", 0xf3, 0xbc, 0x41}, {"lzcnt", 0xf3, 0xbd, 0x41}, {"popcnt", 0xf3, 0xb8, 0x8d5}};
    for (int k = 0; k < 5; k++)
        for (int si = 1; si < 4; si++) {
            int s = 1 << si, bits = 8 * s;
            const char *b = szn(s);
            Op d = OREG(pool[si + k - (k > 3)], s), sr = OREG(pool[(si + k + 4) % 8], s);
            for (int isreg = 1; isreg >= 0; isreg--) {
                Op x = isreg ? sr : OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%s_r%s_rm%s_%s", sc[k].n, b, b, isreg ? "reg" : "mem"),
                     sc[k].pf ? E(s, 0, OPB(sc[k].pf), OPB(0x0f, sc[k].op), d.reg, rmof(&x), 0, 0)
                              : E(s, 0, NOP_, OPB(0x0f, sc[k].op), d.reg, rmof(&x), 0, 0),
                     sc[k].mask);
                gen_mov(&d, &x, isreg ? 100 : 50);
                for (int q = 0; q < bits; q += isreg ? 1 : 3) v2(&d, rnd(), &x, 1ULL << q);
                for (int q = 0; q < 8; q++) v2(&d, rnd(), &x, 0);
            }
        }
    close_group();
}

/* ================================================================== BMI */
static void g_bmi(const char *dir) {
    open_group(dir, "bmi.txt", 505, "BMI1 BMI2 ADX MOVBE");
    int mk = 0;
    for (int w = 0; w < 2; w++) {
        int s = w ? 8 : 4, bits = 8 * s;
        const char *b = szn(s);
        for (int isreg = 1; isreg >= 0; isreg--) {
            const char *rm = isreg ? "reg" : "mem";
            Op d = OREG(w ? R10 : RDI, s), v = OREG(w ? R14 : R8, s), sr = OREG(w ? RCX : R11, s);
            Op x = isreg ? sr : OMEM(memrm(mk++), pickea(s), s);
            RM xm = rmof(&x);
            Op ops[3];
            /* ANDN d, v, x */
            form(fmt("andn_r%s_r%s_rm%s_%s", b, b, b, rm), VEX(2, 0, w, v.reg, 0xf2, d.reg, xm, 0, 0), 0x8c1);
            ops[0] = d; ops[1] = v; ops[2] = x; gen_n(ops, 3, 150);
            /* BEXTR d, x, v(control) */
            form(fmt("bextr_r%s_rm%s_r%s_%s", b, b, b, rm), VEX(2, 0, w, v.reg, 0xf7, d.reg, xm, 0, 0), 0x841);
            for (int q = 0; q < 200; q++) {
                In in; init(&in);
                put(&in, &d, rnd());
                put(&in, &x, q < 40 ? ~0ULL : rv(s));
                u64 st = q % 3 ? rndn(bits + 8) : rndn(256), ln = q % 3 ? rndn(bits + 8) : rndn(256);
                if (q < 40) { st = q % 8 == 0 ? 0 : rndn(bits + 2); ln = q / 8 == 0 ? 0 : rndn(bits + 2); }
                put(&in, &v, (rnd() << 16) | ln << 8 | st);
                in.fl = rflags();
                vec(&in);
            }
            /* BLSI/BLSMSK/BLSR v(dest), x */
            static const char *bl[3] = {"blsr", "blsmsk", "blsi"};
            for (int q = 0; q < 3; q++) {
                form(fmt("%s_r%s_rm%s_%s", bl[q], b, b, rm), VEX(2, 0, w, v.reg, 0xf3, q + 1, xm, 0, 0), 0x8c1);
                gen_mov(&v, &x, 120);
            }
            /* BZHI d, x, v(index) */
            form(fmt("bzhi_r%s_rm%s_r%s_%s", b, b, b, rm), VEX(2, 0, w, v.reg, 0xf5, d.reg, xm, 0, 0), 0x8c1);
            for (int q = 0; q < 200; q++) {
                In in; init(&in);
                put(&in, &d, rnd());
                put(&in, &x, q & 1 ? ~0ULL : rv(s));
                u64 idx = q < 140 ? (u64)(q / 2) : rndn(256);
                put(&in, &v, (rnd() << 8) | idx);
                in.fl = rflags();
                vec(&in);
            }
            /* MULX d(hi), v(lo), x ; implicit rdx */
            form(fmt("mulx_r%s_r%s_rm%s_%s", b, b, b, rm), VEX(2, 3, w, v.reg, 0xf6, d.reg, xm, 0, 0), 0x8d5);
            { Op dx = OREG(RDX, s); ops[0] = dx; ops[1] = x; ops[2] = d; gen_n(ops, 3, 150); }
            if (isreg) {
                form(fmt("mulx_r%s_r%s_rm%s_samedst", b, b, b), VEX(2, 3, w, d.reg, 0xf6, d.reg, xm, 0, 0), 0x8d5);
                Op dx = OREG(RDX, s); ops[0] = dx; ops[1] = x; gen_n(ops, 2, 80);
            }
            /* PDEP / PEXT d, v, x(mask) */
            form(fmt("pdep_r%s_r%s_rm%s_%s", b, b, b, rm), VEX(2, 3, w, v.reg, 0xf5, d.reg, xm, 0, 0), 0x8d5);
            ops[0] = d; ops[1] = v; ops[2] = x; gen_n(ops, 3, 150);
            form(fmt("pext_r%s_r%s_rm%s_%s", b, b, b, rm), VEX(2, 2, w, v.reg, 0xf5, d.reg, xm, 0, 0), 0x8d5);
            gen_n(ops, 3, 150);
            /* SARX SHLX SHRX d, x, v(count) */
            static const char *sx[3] = {"shlx", "sarx", "shrx"};
            for (int q = 0; q < 3; q++) {
                form(fmt("%s_r%s_rm%s_r%s_%s", sx[q], b, b, b, rm), VEX(2, q + 1, w, v.reg, 0xf7, d.reg, xm, 0, 0), 0x8d5);
                for (int t = 0; t < 150; t++) {
                    In in; init(&in);
                    put(&in, &d, rnd());
                    put(&in, &x, rv(s));
                    put(&in, &v, t < 70 ? (rnd() << 8 | (u64)t) : rnd());
                    in.fl = rflags();
                    vec(&in);
                }
            }
            /* RORX d, x, imm8 */
            int ri[5] = {0, 1, bits / 2 - 3, bits - 1, bits + 1};
            for (int q = 0; q < (isreg ? 5 : 2); q++) {
                form(fmt("rorx_r%s_rm%s_imm8_%s_%02x", b, b, rm, ri[q + (isreg ? 0 : 2)]),
                     VEX(3, 3, w, 0, 0xf0, d.reg, xm, (u64)ri[q + (isreg ? 0 : 2)], 1), 0x8d5);
                gen_mov(&d, &x, 60);
            }
            /* ADCX / ADOX d, x */
            Op d2 = OREG(w ? R9 : RSI, s);
            if (!isreg) d2 = OREG(RDX, s);
            form(fmt("adcx_r%s_rm%s_%s", b, b, rm), E(s, 0, OPB(0x66), OPB(0x0f, 0x38, 0xf6), d2.reg, xm, 0, 0), 0x8d5);
            gen_pairs(&d2, &x, 80);
            form(fmt("adox_r%s_rm%s_%s", b, b, rm), E(s, 0, OPB(0xf3), OPB(0x0f, 0x38, 0xf6), d2.reg, xm, 0, 0), 0x8d5);
            gen_pairs(&d2, &x, 80);
        }
    }
    /* TZCNT as BMI1 with various registers (REX.R/B) */
    {
        Op d = OREG(R12, 8), x = OREG(R9, 8);
        form("tzcnt_r64_rm64_reg_rex", E(8, 0, OPB(0xf3), OPB(0x0f, 0xbc), d.reg, rmof(&x), 0, 0), 0x41);
        gen_mov(&d, &x, 60);
    }
    /* MOVBE */
    for (int si = 1; si < 4; si++) {
        int s = 1 << si;
        const char *b = szn(s);
        Op r = OREG(pool[si + 1], s);
        Op m = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("movbe_r%s_m%s", b, b), E(s, 0, NOP_, OPB(0x0f, 0x38, 0xf0), r.reg, m.m, 0, 0), 0x8d5);
        gen_mov(&r, &m, 80);
        Op m2 = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("movbe_m%s_r%s", b, b), E(s, 0, NOP_, OPB(0x0f, 0x38, 0xf1), r.reg, m2.m, 0, 0), 0x8d5);
        gen_mov(&m2, &r, 80);
    }
    close_group();
}

/* ================================================================== moves */
static void g_move(const char *dir) {
    open_group(dir, "move.txt", 606, "MOV MOVZX MOVSX MOVSXD CMOVcc SETcc XCHG CMPXCHG CMPXCHG8B/16B XADD BSWAP LEA CBW..CQO");
    int mk = 0;
    u32 M = 0x8d5;
    /* MOV 88/89/8A/8B */
    for (int si = 0; si < 4; si++) {
        int s = 1 << si;
        const char *b = szn(s);
        Op d = OREG(pool[si], s), sr = OREG(pool[si + 4], s);
        u8 st = s == 1 ? 0x88 : 0x89, ld = s == 1 ? 0x8a : 0x8b;
        int fr = fr8(&d) || fr8(&sr);
        form(fmt("mov_rm%s_r%s_reg", b, b), E(s, fr, NOP_, OPB(st), sr.reg, rmof(&d), 0, 0), M);
        gen_mov(&d, &sr, 60);
        form(fmt("mov_r%s_rm%s_reg", b, b), E(s, fr, NOP_, OPB(ld), d.reg, rmof(&sr), 0, 0), M);
        gen_mov(&d, &sr, 60);
        Op m = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("mov_rm%s_r%s_mem", b, b), E(s, fr8(&sr), NOP_, OPB(st), sr.reg, m.m, 0, 0), M);
        gen_mov(&m, &sr, 60);
        Op m2 = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("mov_r%s_rm%s_mem", b, b), E(s, fr8(&d), NOP_, OPB(ld), d.reg, m2.m, 0, 0), M);
        gen_mov(&d, &m2, 60);
        /* C6/C7 imm */
        int zs = s > 4 ? 4 : s;
        u64 imm = s == 1 ? 0x9c : s == 2 ? 0x8123 : 0x87654321;
        form(fmt("mov_rm%s_imm%d_reg", b, zs * 8), E(s, fr8(&d), NOP_, OPB(s == 1 ? 0xc6 : 0xc7), 0, rmof(&d), imm, zs), M);
        gen_mov(&d, &sr, 10);
        Op m3 = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("mov_rm%s_imm%d_mem", b, zs * 8), E(s, 0, NOP_, OPB(s == 1 ? 0xc6 : 0xc7), 0, m3.m, imm, zs), M);
        gen_mov(&m3, &sr, 10);
        /* moffs */
        Op acc = OREG(RAX, s);
        for (int q = 0; q < 2; q++) {
            u64 ea = pickea(s);
            Code c; memset(&c, 0, sizeof c);
            if (s == 2) p8(&c, 0x66);
            if (s == 8) p8(&c, 0x48);
            p8(&c, (u8)((q ? 0xa2 : 0xa0) + (s > 1)));
            pimm(&c, ea, 8);
            Op m4 = OMEM(MABS(), ea, s);
            m4.m.mk = 0; m4.m.isreg = 0; /* no base registers to set */
            m4.k = K_MEM;
            form(fmt(q ? "mov_moffs%s_%s" : "mov_%s_moffs%s", q ? b : (s == 1 ? "al" : s == 2 ? "ax" : s == 4 ? "eax" : "rax"),
                     q ? (s == 1 ? "al" : s == 2 ? "ax" : s == 4 ? "eax" : "rax") : b),
                 c, M);
            if (q) gen_mov(&m4, &acc, 40); else gen_mov(&acc, &m4, 40);
        }
    }
    /* B0+r / B8+r */
    {
        static const struct { int s, reg; u64 imm; } mi[] = {
            {1, RAX, 0x80}, {1, RSP, 0x7f} /* ah */, {1, R9, 0xff}, {2, RBX, 0x8000}, {2, R13, 0x1234},
            {4, RCX, 0x80000000}, {4, R15, 0xffffffff}, {8, RDX, 0x8000000000000000ULL}, {8, R11, 0x123456789abcdef0ULL},
            {8, RDI, 0xffffffffffffffffULL}};
        for (unsigned q = 0; q < sizeof mi / sizeof *mi; q++) {
            int s = mi[q].s, zs = s;
            Op d = (s == 1 && mi[q].reg == RSP) ? OHI(0) : OREG(mi[q].reg, s);
            Code c = ER(s, NOP_, OPB(s == 1 ? 0xb0 : 0xb8), mi[q].reg, mi[q].imm, zs);
            form(fmt("mov_r%s_%s_imm%d", szn(s), (s == 1 && mi[q].reg == RSP) ? "ah" : rn[mi[q].reg], zs * 8), c, M);
            gen_single(&d, 15);
        }
        /* REX.W C7: imm32 sign-extended */
        Op d = OREG(RSI, 8);
        form("mov_rsi_simm32_c7", E(8, 0, NOP_, OPB(0xc7), 0, R(RSI), 0x80000001, 4), M);
        gen_single(&d, 10);
    }
    /* MOVZX/MOVSX/MOVSXD */
    {
        static const struct { const char *n; u8 op; int ds, ss; } mz[] = {
            {"movzx", 0xb6, 2, 1}, {"movzx", 0xb6, 4, 1}, {"movzx", 0xb6, 8, 1}, {"movzx", 0xb7, 4, 2}, {"movzx", 0xb7, 8, 2},
            {"movsx", 0xbe, 2, 1}, {"movsx", 0xbe, 4, 1}, {"movsx", 0xbe, 8, 1}, {"movsx", 0xbf, 4, 2}, {"movsx", 0xbf, 8, 2}};
        for (unsigned q = 0; q < sizeof mz / sizeof *mz; q++) {
            Op d = OREG(pool[q % 8], mz[q].ds), sr = OREG(pool[(q + 3) % 8], mz[q].ss);
            form(fmt("%s_r%s_rm%s_reg", mz[q].n, szn(mz[q].ds), szn(mz[q].ss)),
                 E(mz[q].ds, fr8(&sr), NOP_, OPB(0x0f, mz[q].op), d.reg, rmof(&sr), 0, 0), M);
            gen_mov(&d, &sr, 40);
            Op m = OMEM(memrm(mk++), pickea(mz[q].ss), mz[q].ss);
            form(fmt("%s_r%s_rm%s_mem", mz[q].n, szn(mz[q].ds), szn(mz[q].ss)),
                 E(mz[q].ds, 0, NOP_, OPB(0x0f, mz[q].op), d.reg, m.m, 0, 0), M);
            gen_mov(&d, &m, 40);
        }
        Op d = OREG(RAX, 4), ah = OHI(0);
        form("movzx_r32_ah", E(4, 0, NOP_, OPB(0x0f, 0xb6), RAX, R(RSP), 0, 0), M);
        gen_mov(&d, &ah, 20);
        Op bh = OHI(3), d2 = OREG(RCX, 2);
        form("movsx_r16_bh", E(2, 0, NOP_, OPB(0x0f, 0xbe), RCX, R(RDI), 0, 0), M);
        gen_mov(&d2, &bh, 20);
        Op d64 = OREG(R10, 8), s32 = OREG(RDX, 4);
        form("movsxd_r64_rm32_reg", E(8, 0, NOP_, OPB(0x63), R10, R(RDX), 0, 0), M);
        gen_mov(&d64, &s32, 60);
        Op m = OMEM(memrm(mk++), pickea(4), 4);
        form("movsxd_r64_rm32_mem", E(8, 0, NOP_, OPB(0x63), R10, m.m, 0, 0), M);
        gen_mov(&d64, &m, 40);
        Op d32 = OREG(RBX, 4);
        form("movsxd_r32_rm32_reg_norexw", E(4, 0, NOP_, OPB(0x63), RBX, R(RDX), 0, 0), M);
        gen_mov(&d32, &s32, 30);
    }
    /* CMOVcc */
    for (int cc = 0; cc < 16; cc++) {
        for (int v = 0; v < 5; v++) {
            int s = v == 0 ? 2 : v == 1 || v == 3 ? 4 : 8;
            Op d = OREG(pool[(cc + v) % 8], s), sr = OREG(pool[(cc + v + 5) % 8], s);
            Op x = v >= 3 ? OMEM(memrm(mk++), pickea(s), s) : sr;
            form(fmt("cmov%s_r%s_rm%s_%s", ccn[cc], szn(s), szn(s), v >= 3 ? "mem" : "reg"),
                 E(s, 0, NOP_, OPB(0x0f, (u8)(0x40 + cc)), d.reg, rmof(&x), 0, 0), M);
            for (int f = 0; f < 64; f++) {
                In in; init(&in);
                put(&in, &d, rnd());
                put(&in, &x, rv(s));
                in.fl = flcombo(f);
                vec(&in);
            }
        }
    }
    /* SETcc */
    for (int cc = 0; cc < 16; cc++) {
        for (int v = 0; v < 2; v++) {
            Op d = v ? OMEM(memrm(mk++), pickea(1), 1) : (cc % 4 == 3 ? OHI(cc & 3) : OREG(cc < 8 ? cc % 4 + (cc & 4 ? 4 : 0) : cc, 1));
            if (d.k == K_REG && d.reg == RSP && !d.high) d.reg = R12;
            form(fmt("set%s_rm8_%s", ccn[cc], v ? "mem" : "reg"), E(1, fr8(&d), NOP_, OPB(0x0f, (u8)(0x90 + cc)), 0, rmof(&d), 0, 0), M);
            for (int f = 0; f < 64; f++) {
                In in; init(&in);
                put(&in, &d, rnd());
                in.fl = flcombo(f);
                vec(&in);
            }
        }
    }
    /* XCHG */
    for (int si = 0; si < 4; si++) {
        int s = 1 << si;
        const char *b = szn(s);
        Op d = OREG(pool[si + 1], s), sr = OREG(pool[si + 4], s);
        u8 opc = s == 1 ? 0x86 : 0x87;
        form(fmt("xchg_rm%s_r%s_reg", b, b), E(s, fr8(&d) || fr8(&sr), NOP_, OPB(opc), sr.reg, rmof(&d), 0, 0), M);
        gen_mov(&d, &sr, 40);
        Op m = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("xchg_rm%s_r%s_mem", b, b), E(s, fr8(&sr), NOP_, OPB(opc), sr.reg, m.m, 0, 0), M);
        gen_mov(&m, &sr, 40);
        if (s > 1) {
            int rr[2] = {RBX, R9};
            for (int q = 0; q < 2; q++) {
                Op ax = OREG(RAX, s), o = OREG(rr[q], s);
                form(fmt("xchg_%s_r%s_90", rn[rr[q]], b), ER(s, NOP_, OPB(0x90), rr[q], 0, 0), M);
                gen_mov(&ax, &o, 30);
            }
        }
    }
    {
        Op ax = OREG(RAX, 4);
        form("xchg_eax_eax_87c0", E(4, 0, NOP_, OPB(0x87), RAX, R(RAX), 0, 0), M);
        gen_single(&ax, 10);
        Op r8 = OREG(R8, 4);
        form("xchg_r8d_eax_4190", ER(4, NOP_, OPB(0x90), R8, 0, 0), M);
        gen_mov(&ax, &r8, 20);
    }
    /* CMPXCHG */
    for (int lk = 0; lk < 2; lk++)
        for (int si = 0; si < 4; si++) {
            int s = 1 << si;
            const char *b = szn(s);
            Op d = OREG(pool[si + 2], s), sr = OREG(pool[si + 4], s), acc = OREG(RAX, s);
            for (int isreg = 1 - lk; isreg >= 0; isreg--) {
                Op x = isreg ? d : OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%scmpxchg_rm%s_r%s_%s", lk ? "lock_" : "", b, b, isreg ? "reg" : "mem"),
                     E(s, fr8(&d) || fr8(&sr), LKP(lk), OPB(0x0f, s == 1 ? 0xb0 : 0xb1), sr.reg, rmof(&x), 0, 0), 0x8d5);
                for (int q = 0; q < (lk ? 60 : 150); q++) {
                    In in; init(&in);
                    u64 v = rv(s), a = (q & 1) ? v : rv(s);
                    if (q % 4 == 3) a = v ^ (1ULL << rndn(8 * s));
                    put(&in, &x, v);
                    put(&in, &acc, a);
                    put(&in, &sr, rv(s));
                    in.fl = rflags();
                    vec(&in);
                }
            }
        }
    /* CMPXCHG8B / CMPXCHG16B */
    for (int w = 0; w < 2; w++)
        for (int lk = 0; lk < 2; lk++)
            for (int al = 0; al < (w ? 2 : 1); al++) {
                int s = w ? 16 : 8;
                u64 ea = DBASE + 0x300 + rndn(0x80) * 16 + (w ? (al ? 8 : 0) : rndn(16));
                RM m = MBD(RSI, 0x20);
                Code c = E(w ? 8 : 4, 0, LKP(lk), OPB(0x0f, 0xc7), 1, m, 0, 0);
                form(fmt("%scmpxchg%s_m%d%s", lk ? "lock_" : "", w ? "16b" : "8b", s * 8, al ? "_misaligned_gp" : ""), c, 0x8d5);
                for (int q = 0; q < (al ? 10 : 120); q++) {
                    In in; init(&in);
                    in.r[RSI] = ea - 0x20;
                    u64 lo = rnd(), hi = rnd();
                    if (!w) { lo &= 0xffffffff; hi &= 0xffffffff; }
                    u64 a = lo, dd = hi;
                    if (q & 1) { if (q & 2) a ^= 1ULL << rndn(w ? 64 : 32); else dd ^= 1ULL << rndn(w ? 64 : 32); }
                    if (w) { setmem(&in, ea, lo, 8); setmem(&in, ea + 8, hi, 8); in.r[RAX] = a; in.r[RDX] = dd; }
                    else { setmem(&in, ea, lo | hi << 32, 8); in.r[RAX] = (rnd() << 32) | a; in.r[RDX] = (rnd() << 32) | dd; }
                    in.r[RBX] = rnd();
                    in.r[RCX] = rnd();
                    in.fl = rflags();
                    vec(&in);
                }
            }
    /* XADD */
    for (int lk = 0; lk < 2; lk++)
        for (int si = 0; si < 4; si++) {
            int s = 1 << si;
            const char *b = szn(s);
            Op d = OREG(pool[si + 1], s), sr = OREG(pool[si + 4], s);
            for (int isreg = 1 - lk; isreg >= 0; isreg--) {
                Op x = isreg ? d : OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%sxadd_rm%s_r%s_%s", lk ? "lock_" : "", b, b, isreg ? "reg" : "mem"),
                     E(s, fr8(&d) || fr8(&sr), LKP(lk), OPB(0x0f, s == 1 ? 0xc0 : 0xc1), sr.reg, rmof(&x), 0, 0), 0x8d5);
                gen_pairs(&x, &sr, lk ? 20 : 80);
            }
        }
    /* BSWAP */
    {
        static const struct { int s, reg; } bs[] = {{4, RAX}, {4, RSI}, {4, R11}, {8, RCX}, {8, RBP}, {8, R14}};
        for (unsigned q = 0; q < sizeof bs / sizeof *bs; q++) {
            Op d = OREG(bs[q].reg, bs[q].s);
            form(fmt("bswap_%s_%s", szn(bs[q].s), rn[bs[q].reg]), ER(bs[q].s, NOP_, OPB(0x0f, 0xc8), bs[q].reg, 0, 0), M);
            gen_single(&d, 40);
        }
    }
    /* LEA: registers are arbitrary (no memory access) */
    {
        static const struct { const char *n; int s; int a32; RM m; int ireg1, ireg2; } le[] = {
            {"lea_r64_base_disp8", 8, 0, {0, 0, MK_BD, RBX, 0, 0, 0x10, 0}, RBX, -1},
            {"lea_r64_base_disp32", 8, 0, {0, 0, MK_BD, RBP, 0, 0, -0x12345678, 0}, RBP, -1},
            {"lea_r64_sib_scale4", 8, 0, {0, 0, MK_SIB, RBX, RSI, 4, 0x10, 0}, RBX, RSI},
            {"lea_r64_sib_scale8_neg", 8, 0, {0, 0, MK_SIB, R13, R12, 8, -0x80, 0}, R13, R12},
            {"lea_r64_sib_scale2_r12", 8, 0, {0, 0, MK_SIB, R12, R9, 2, 0x7fffffff, 0}, R12, R9},
            {"lea_r64_rsp_disp8", 8, 0, {0, 0, MK_BD, RSP, 0, 0, 8, 0}, RSP, -1},
            {"lea_r64_r13_nodisp", 8, 0, {0, 0, MK_BD, R13, 0, 0, 0, 0}, R13, -1},
            {"lea_r32_sib_scale8", 4, 0, {0, 0, MK_SIB, RBX, RSI, 8, -0x80, 0}, RBX, RSI},
            {"lea_r16_sib_scale1", 2, 0, {0, 0, MK_SIB, RBX, RDI, 1, 0x1234, 0}, RBX, RDI},
            {"lea_r32_a32_sib_scale2", 4, 1, {0, 0, MK_SIB, RBX, RSI, 2, 0x100, 0}, RBX, RSI},
            {"lea_r64_a32_sib_scale4", 8, 1, {0, 0, MK_SIB, R8, RDX, 4, -4, 0}, R8, RDX},
            {"lea_r16_a32_base", 2, 1, {0, 0, MK_BD, RCX, 0, 0, 0x7f, 0}, RCX, -1},
            {"lea_r64_rip", 8, 0, {0, 0, MK_RIP, 0, 0, 0, 0, 0x123456}, -1, -1},
            {"lea_r32_rip", 4, 0, {0, 0, MK_RIP, 0, 0, 0, 0, 0x1fff00}, -1, -1},
            {"lea_r64_abs", 8, 0, {0, 0, MK_ABS, 0, 0, 0, 0, 0x7ff00000}, -1, -1},
        };
        for (unsigned q = 0; q < sizeof le / sizeof *le; q++) {
            int d = q % 2 ? RAX : R10;
            Code c = E(le[q].s, 0, (le[q].a32 ? a32p : NULL), le[q].a32, OPB(0x8d), d, le[q].m, 0, 0);
            form(le[q].n, c, M);
            for (int k = 0; k < 80; k++) {
                In in; init(&in);
                in.r[d] = rnd();
                if (le[q].ireg1 >= 0 && le[q].ireg1 != RSP) in.r[le[q].ireg1] = k < 20 ? rv(8) : rnd();
                if (le[q].ireg1 == RSP) in.r[RSP] = DBASE + 0x100 + rndn(0xe00);
                if (le[q].ireg2 >= 0) in.r[le[q].ireg2] = k < 20 ? rv(8) : rnd();
                in.fl = rflags();
                vec(&in);
            }
        }
        /* SIB without base: [index*2 + disp32] */
        form("lea_r64_sib_nobase", RAWB(OPB(0x48, 0x8d, 0x04, 0x45, 0x00, 0x00, 0x00, 0x80)), M);
        for (int k = 0; k < 60; k++) { In in; init(&in); in.r[RAX] = rnd(); in.fl = rflags(); vec(&in); }
    }
    /* CBW CWDE CDQE CWD CDQ CQO */
    {
        static const struct { const char *n; int s; u8 op; } cv[] = {
            {"cbw", 2, 0x98}, {"cwde", 4, 0x98}, {"cdqe", 8, 0x98}, {"cwd", 2, 0x99}, {"cdq", 4, 0x99}, {"cqo", 8, 0x99}};
        for (int q = 0; q < 6; q++) {
            Code c; memset(&c, 0, sizeof c);
            if (cv[q].s == 2) p8(&c, 0x66);
            if (cv[q].s == 8) p8(&c, 0x48);
            p8(&c, cv[q].op);
            form(cv[q].n, c, M);
            Op ax = OREG(RAX, cv[q].op == 0x98 ? cv[q].s / 2 : cv[q].s), dx = OREG(RDX, 8);
            gen_mov(&dx, &ax, 60);
        }
    }
    close_group();
}

/* ================================================================== stack */
static u64 pick_rsp(int k) {
    if (k % 3) return RSP0;
    u64 r = DBASE + 0x200 + rndn(0xc00);
    if (k % 2 == 0) r &= ~7ULL;
    return r;
}
static void g_stack(const char *dir) {
    open_group(dir, "stack.txt", 707, "PUSH POP PUSHF POPF ENTER LEAVE");
    u32 M = 0x8d5;
    int pr[] = {RAX, RBX, RSP, RBP, R8, R15};
    for (unsigned q = 0; q < 6; q++) {
        form(fmt("push_%s", rn[pr[q]]), ER(4, NOP_, OPB(0x50), pr[q], 0, 0), M);
        for (int k = 0; k < 50; k++) {
            In in; init(&in);
            randregs(&in);
            in.r[RSP] = pick_rsp(k);
            in.fl = rflags();
            vec(&in);
        }
    }
    int po[] = {RAX, RDI, RSP, R9, R15};
    for (unsigned q = 0; q < 5; q++) {
        form(fmt("pop_%s", rn[po[q]]), ER(4, NOP_, OPB(0x58), po[q], 0, 0), M);
        for (int k = 0; k < 50; k++) {
            In in; init(&in);
            randregs(&in);
            in.r[RSP] = pick_rsp(k);
            setmem(&in, in.r[RSP], k < 10 ? rv(8) : rnd(), 8);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* 16-bit push/pop */
    form("push_r16_cx", ER(2, NOP_, OPB(0x50), RCX, 0, 0), M);
    for (int k = 0; k < 40; k++) { In in; init(&in); randregs(&in); in.r[RSP] = pick_rsp(k); in.fl = rflags(); vec(&in); }
    form("push_r16_r10w", ER(2, NOP_, OPB(0x50), R10, 0, 0), M);
    for (int k = 0; k < 40; k++) { In in; init(&in); randregs(&in); in.r[RSP] = pick_rsp(k); in.fl = rflags(); vec(&in); }
    form("pop_r16_dx", ER(2, NOP_, OPB(0x58), RDX, 0, 0), M);
    for (int k = 0; k < 40; k++) {
        In in; init(&in); randregs(&in); in.r[RSP] = pick_rsp(k); setmem(&in, in.r[RSP], rnd(), 8); in.fl = rflags(); vec(&in);
    }
    form("pop_r16_r11w", ER(2, NOP_, OPB(0x58), R11, 0, 0), M);
    for (int k = 0; k < 40; k++) {
        In in; init(&in); randregs(&in); in.r[RSP] = pick_rsp(k); setmem(&in, in.r[RSP], rnd(), 8); in.fl = rflags(); vec(&in);
    }
    /* push imm */
    static const struct { const char *n; Code c; } pi[] = {
        {"push_imm8_7f", {{0x6a, 0x7f}, 2}}, {"push_imm8_80", {{0x6a, 0x80}, 2}}, {"push_imm32_80000000", {{0x68, 0, 0, 0, 0x80}, 5}},
        {"push_imm32_12345678", {{0x68, 0x78, 0x56, 0x34, 0x12}, 5}}, {"push_imm16_66_6a_ff", {{0x66, 0x6a, 0xff}, 3}},
        {"push_imm16_66_68_8001", {{0x66, 0x68, 0x01, 0x80}, 4}}};
    for (unsigned q = 0; q < sizeof pi / sizeof *pi; q++) {
        form(pi[q].n, pi[q].c, M);
        for (int k = 0; k < 30; k++) {
            In in; init(&in);
            in.r[RSP] = pick_rsp(k);
            setmem(&in, in.r[RSP] - 8, rnd(), 8);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* push/pop memory */
    static const struct { const char *n; int pop; int s; RM m; } pm[] = {
        {"push_m64_base", 0, 8, {0, 0, MK_BD, RBX, 0, 0, 0x18, 0}},
        {"push_m64_rsp_rel", 0, 8, {0, 0, MK_BD, RSP, 0, 0, 8, 0}},
        {"push_m16_base", 0, 2, {0, 0, MK_BD, RSI, 0, 0, -3, 0}},
        {"pop_m64_base", 1, 8, {0, 0, MK_BD, RBX, 0, 0, 0x18, 0}},
        {"pop_m64_rsp_rel", 1, 8, {0, 0, MK_BD, RSP, 0, 0, 0, 0}},
        {"pop_m64_rsp_rel8", 1, 8, {0, 0, MK_BD, RSP, 0, 0, 8, 0}},
        {"pop_m16_base", 1, 2, {0, 0, MK_BD, RSI, 0, 0, 0x21, 0}},
    };
    for (unsigned q = 0; q < sizeof pm / sizeof *pm; q++) {
        Code c = E(pm[q].s == 2 ? 2 : 4, 0, NOP_, OPB(pm[q].pop ? 0x8f : 0xff), pm[q].pop ? 0 : 6, pm[q].m, 0, 0);
        form(pm[q].n, c, M);
        for (int k = 0; k < 50; k++) {
            In in; init(&in);
            in.r[RSP] = pick_rsp(k);
            if (pm[q].m.base != RSP) {
                u64 ea = DBASE + 0x100 + rndn(0x400);
                in.r[pm[q].m.base] = ea - pm[q].m.disp;
                setmem(&in, ea, rnd(), pm[q].s);
            } else setrand(&in, in.r[RSP], 16);
            setmem(&in, in.r[RSP] - 8, rnd(), 8);
            setmem(&in, in.r[RSP], rnd(), 8);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* PUSHF / POPF */
    form("pushfq", RAWB(OPB(0x9c)), M);
    for (int k = 0; k < 64; k++) { In in; init(&in); in.r[RSP] = pick_rsp(k); in.fl = flcombo(k) | (rnd() & 0x400); vec(&in); }
    form("pushfw_66", RAWB(OPB(0x66, 0x9c)), M);
    for (int k = 0; k < 64; k++) { In in; init(&in); in.r[RSP] = pick_rsp(k); in.fl = flcombo(k) | (rnd() & 0x400); vec(&in); }
    const u64 popable = 0xcd5 | 0x28 | 0x8000 | 0x200000;
    form("popfq", RAWB(OPB(0x9d)), 0xcd5);
    for (int k = 0; k < 128; k++) {
        In in; init(&in); in.r[RSP] = pick_rsp(k);
        setmem(&in, in.r[RSP], (rnd() & ~0xffffffffULL) * (k & 1) | (k < 64 ? flcombo(k) : rnd() & popable) | (rnd() & 0x400), 8);
        in.fl = rflags(); vec(&in);
    }
    form("popfw_66", RAWB(OPB(0x66, 0x9d)), 0xcd5);
    for (int k = 0; k < 64; k++) {
        In in; init(&in); in.r[RSP] = pick_rsp(k);
        setmem(&in, in.r[RSP], rnd() & popable & 0xffff, 2);
        in.fl = rflags(); vec(&in);
    }
    /* ENTER / LEAVE */
    static const struct { int size, lvl, o16; } en[] = {{0, 0, 0}, {0x20, 0, 0}, {8, 1, 0}, {0x10, 2, 0}, {0, 3, 0}, {0x18, 5, 0}, {0x100, 31, 0}, {0x8, 33, 0}, {0x10, 2, 1}};
    for (unsigned q = 0; q < sizeof en / sizeof *en; q++) {
        Code c; memset(&c, 0, sizeof c);
        if (en[q].o16) p8(&c, 0x66);
        p8(&c, 0xc8); pimm(&c, (u64)en[q].size, 2); p8(&c, (u8)en[q].lvl);
        form(fmt("enter%s_%x_%d", en[q].o16 ? "w" : "", en[q].size, en[q].lvl), c, M);
        for (int k = 0; k < 40; k++) {
            In in; init(&in);
            randregs(&in);
            in.r[RSP] = k % 2 ? RSP0 : (DBASE + 0x900 + rndn(0x100)) & ~7ULL;
            u64 rbp = DBASE + 0xb00 + rndn(0x300);
            if (k % 4 == 0) rbp &= ~7ULL;
            in.r[RBP] = rbp;
            int lv = en[q].lvl & 31;
            setrand(&in, rbp - 8 * lv, 8 * lv + 8);
            in.fl = rflags();
            vec(&in);
        }
    }
    form("leave", RAWB(OPB(0xc9)), M);
    for (int k = 0; k < 60; k++) {
        In in; init(&in); randregs(&in);
        in.r[RBP] = DBASE + 0x300 + rndn(0xa00);
        if (k & 1) in.r[RBP] &= ~7ULL;
        setmem(&in, in.r[RBP], rnd(), 8);
        in.fl = rflags(); vec(&in);
    }
    form("leavew_66", RAWB(OPB(0x66, 0xc9)), M);
    for (int k = 0; k < 40; k++) {
        In in; init(&in); randregs(&in);
        in.r[RBP] = DBASE + 0x300 + rndn(0xa00);
        in.r[RSP] = DBASE + 0x200 + rndn(0x100);
        setmem(&in, in.r[RBP], rnd(), 8);
        in.fl = rflags(); vec(&in);
    }
    close_group();
}

/* ================================================================== strings */
static void g_string(const char *dir) {
    open_group(dir, "string.txt", 808, "MOVS CMPS SCAS LODS STOS, REP/REPE/REPNE, DF=0/1, 0x67");
    static const struct { const char *n; u8 op; int src, dst, cmp; } so[5] = {
        {"movs", 0xa4, 1, 1, 0}, {"cmps", 0xa6, 1, 1, 1}, {"stos", 0xaa, 0, 1, 0}, {"lods", 0xac, 1, 0, 0}, {"scas", 0xae, 0, 1, 1}};
    for (int o = 0; o < 5; o++)
        for (int si = 0; si < 4; si++) {
            int s = 1 << si;
            const char *sfx = s == 1 ? "b" : s == 2 ? "w" : s == 4 ? "d" : "q";
            for (int rep = 0; rep < (so[o].cmp ? 3 : 2); rep++)
                for (int a32 = 0; a32 < 2; a32++) {
                    Code c; memset(&c, 0, sizeof c);
                    if (s == 2) p8(&c, 0x66);
                    if (a32) p8(&c, 0x67);
                    if (rep) p8(&c, rep == 2 ? 0xf2 : 0xf3);
                    if (s == 8) p8(&c, 0x48);
                    p8(&c, (u8)(so[o].op + (s > 1)));
                    const char *rp = rep == 0 ? "" : so[o].cmp ? (rep == 1 ? "repe_" : "repne_") : "rep_";
                    form(fmt("%s%s%s%s", rp, so[o].n, sfx, a32 ? "_a32" : ""), c, 0x8d5);
                    int nv = rep ? 110 : 50;
                    for (int k = 0; k < nv; k++) {
                        In in; init(&in);
                        int df = k & 1;
                        u64 cnt = rep ? (k < 40 ? (u64)(k / 2 % 20) : rndn(17)) : 0;
                        int n = rep ? (int)cnt : 1;
                        u64 rsi = DBASE + 0x200 + rndn(0x180), rdi = DBASE + 0x900 + rndn(0x180);
                        if (k % 3 == 0) { rsi &= ~(u64)(s - 1); rdi &= ~(u64)(s - 1); }
                        u64 lo_s = df ? rsi - (u64)(n - 1) * s : rsi, lo_d = df ? rdi - (u64)(n - 1) * s : rdi;
                        u8 buf[256];
                        for (int i = 0; i < n * s; i++) buf[i] = (u8)rnd();
                        if (n > 0 && so[o].src) setbytes(&in, lo_s, buf, n * s);
                        if (n > 0 && so[o].dst) {
                            if (so[o].cmp && so[o].src) {
                                /* cmps: dst = copy of src with one difference (or none) */
                                u8 b2[256]; memcpy(b2, buf, n * s);
                                if (rndn(4)) { int p = (int)rndn(n * s); b2[p] ^= (u8)(1 + rndn(255)); }
                                setbytes(&in, lo_d, b2, n * s);
                            } else if (so[o].cmp) {
                                /* scas: memory mostly equal or mostly different from the accumulator */
                                u64 acc = rnd();
                                in.r[RAX] = acc;
                                for (int i = 0; i < n; i++) {
                                    int eq = rep == 1 ? rndn(8) != 0 : rndn(6) == 0;
                                    setmem(&in, lo_d + (u64)i * s, eq ? acc : rnd(), s);
                                }
                            } else setbytes(&in, lo_d, buf, n * s); /* stos: old content */
                        }
                        if (!so[o].cmp || so[o].src) in.r[RAX] = rnd();
                        if (a32) {
                            in.r[RSI] = rsi | (rnd() << 32);
                            in.r[RDI] = rdi | (rnd() << 32);
                            in.r[RCX] = rep ? (cnt | (rnd() << 32)) : rnd();
                        } else {
                            in.r[RSI] = rsi; in.r[RDI] = rdi;
                            in.r[RCX] = rep ? cnt : rnd();
                        }
                        if (!so[o].src && !(so[o].cmp)) in.r[RSI] = rnd();
                        in.fl = rflags() | (df ? 0x400 : 0);
                        vec(&in);
                    }
                }
        }
    close_group();
}

/* ================================================================== branches */
#define BADDR 0x200800ULL
static u64 pick_target(void) {
    for (;;) {
        u64 t = CBASE + rndn(CSZ);
        if (t < BADDR - 2 || t >= BADDR + 16) return t;
    }
}
static void g_branch(const char *dir) {
    open_group(dir, "branch.txt", 909, "Jcc JMP CALL RET LOOP JRCXZ (instruction at 200800)");
    u32 M = 0x8d5;
    for (int cc = 0; cc < 16; cc++) {
        int d8[2] = {0x10, -0x40};
        int d32[2] = {0x123, -0x456};
        for (int q = 0; q < 4; q++) {
            Code c; memset(&c, 0, sizeof c);
            int d = q < 2 ? d8[q] : d32[q - 2];
            if (q < 2) { p8(&c, (u8)(0x70 + cc)); p8(&c, (u8)d); }
            else { p8(&c, 0x0f); p8(&c, (u8)(0x80 + cc)); pimm(&c, (u64)(i64)d, 4); }
            form_at(fmt("j%s_rel%d_%s", ccn[cc], q < 2 ? 8 : 32, d < 0 ? "back" : "fwd"), BADDR, c, M);
            for (int f = 0; f < 64 + 8; f++) {
                In in; init(&in);
                if (f >= 64) randregs(&in);
                in.fl = (f < 64 ? flcombo(f) : rflags()) | (rnd() & 0x400);
                vec(&in);
            }
        }
    }
    /* JMP rel */
    static const struct { const char *n; Code c; } jr[] = {
        {"jmp_rel8_fwd", {{0xeb, 0x7f}, 2}}, {"jmp_rel8_back", {{0xeb, 0x80}, 2}}, {"jmp_rel8_zero", {{0xeb, 0x00}, 2}},
        {"jmp_rel32_fwd", {{0xe9, 0x00, 0x07, 0, 0}, 5}}, {"jmp_rel32_back", {{0xe9, 0x00, 0xf8, 0xff, 0xff}, 5}},
        {"call_rel32_fwd", {{0xe8, 0x00, 0x01, 0, 0}, 5}}, {"call_rel32_back", {{0xe8, 0x00, 0xfe, 0xff, 0xff}, 5}},
        {"call_rel32_zero", {{0xe8, 0, 0, 0, 0}, 5}}};
    for (unsigned q = 0; q < sizeof jr / sizeof *jr; q++) {
        form_at(jr[q].n, BADDR, jr[q].c, M);
        for (int k = 0; k < 30; k++) {
            In in; init(&in);
            in.r[RSP] = pick_rsp(k);
            if (k % 2) randregs(&in);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* indirect JMP / CALL */
    static const struct { const char *n; int call; RM m; int treg; } ji[] = {
        {"jmp_rm64_reg_rax", 0, {1, RAX, 0, 0, 0, 0, 0, 0}, RAX}, {"jmp_rm64_reg_r11", 0, {1, R11, 0, 0, 0, 0, 0, 0}, R11},
        {"jmp_rm64_mem_base", 0, {0, 0, MK_BD, RBX, 0, 0, 8, 0}, -1}, {"jmp_rm64_mem_rip", 0, {0, 0, MK_RIP, 0, 0, 0, 0, 0}, -1},
        {"jmp_rm64_mem_sib", 0, {0, 0, MK_SIB, RSI, RDI, 8, -0x10, 0}, -1},
        {"call_rm64_reg_rcx", 1, {1, RCX, 0, 0, 0, 0, 0, 0}, RCX}, {"call_rm64_reg_r14", 1, {1, R14, 0, 0, 0, 0, 0, 0}, R14},
        {"call_rm64_mem_base", 1, {0, 0, MK_BD, RBP, 0, 0, -8, 0}, -1}, {"call_rm64_mem_abs", 1, {0, 0, MK_ABS, 0, 0, 0, 0, 0}, -1},
        {"call_rm64_mem_rsp", 1, {0, 0, MK_BD, RSP, 0, 0, 0, 0}, -2}};
    for (unsigned q = 0; q < sizeof ji / sizeof *ji; q++) {
        RM m = ji[q].m;
        u64 ea = DBASE + 0x300 + rndn(0x300) * 2;
        if (m.mk == MK_RIP || m.mk == MK_ABS) m.target = ea;
        g_addr = BADDR;
        Code c = E(4, 0, NOP_, OPB(0xff), ji[q].call ? 2 : 4, m, 0, 0);
        g_addr = CBASE;
        form_at(ji[q].n, BADDR, c, M);
        for (int k = 0; k < 40; k++) {
            In in; init(&in);
            if (k % 2) randregs(&in);
            in.r[RSP] = pick_rsp(k);
            u64 t = pick_target();
            if (ji[q].treg >= 0) in.r[ji[q].treg] = t;
            else if (ji[q].treg == -2) setmem(&in, in.r[RSP], t, 8);
            else {
                if (m.mk == MK_BD) in.r[m.base] = ea - m.disp;
                if (m.mk == MK_SIB) { i64 ix = (i64)rndn(16) - 8; in.r[m.index] = (u64)ix; in.r[m.base] = ea - m.disp - ix * 8; }
                setmem(&in, ea, t, 8);
            }
            in.fl = rflags();
            vec(&in);
        }
    }
    /* RET */
    int rimm[5] = {-1, 0, 8, 0x18, 0x100};
    for (int q = 0; q < 5; q++) {
        Code c; memset(&c, 0, sizeof c);
        if (rimm[q] < 0) p8(&c, 0xc3); else { p8(&c, 0xc2); pimm(&c, (u64)rimm[q], 2); }
        form_at(rimm[q] < 0 ? "ret" : fmt("ret_imm16_%x", rimm[q]), BADDR, c, M);
        for (int k = 0; k < 40; k++) {
            In in; init(&in);
            if (k % 2) randregs(&in);
            in.r[RSP] = pick_rsp(k);
            setmem(&in, in.r[RSP], pick_target(), 8);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* LOOP / LOOPE / LOOPNE / JRCXZ */
    static const struct { const char *n; u8 op; } lp[4] = {{"loopne", 0xe0}, {"loope", 0xe1}, {"loop", 0xe2}, {"jrcxz", 0xe3}};
    for (int q = 0; q < 4; q++)
        for (int a32 = 0; a32 < 2; a32++)
            for (int back = 0; back < 2; back++) {
                Code c; memset(&c, 0, sizeof c);
                if (a32) p8(&c, 0x67);
                p8(&c, lp[q].op);
                p8(&c, back ? 0x90 : 0x20);
                form_at(fmt("%s%s_rel8_%s", q == 3 && a32 ? "jecxz" : lp[q].n, a32 && q < 3 ? "_a32" : "", back ? "back" : "fwd"),
                        BADDR, c, M);
                static const u64 cv[] = {0, 1, 2, 3, 0xffffffff, 0x100000000ULL, 0x100000001ULL, 0xffffffffffffffffULL, 0x80000000};
                for (int k = 0; k < 64; k++) {
                    In in; init(&in);
                    in.r[RCX] = k < 18 ? cv[k / 2] : (k % 3 ? rndn(5) | (rnd() & 0xffffffff00000000ULL) * (k & 1) : rnd());
                    in.fl = rflags() | (rnd() & 0x400);
                    vec(&in);
                }
            }
    close_group();
}

/* ================================================================== misc */
static void g_misc(const char *dir) {
    open_group(dir, "misc.txt", 1010, "NOP forms, flag ops, LAHF SAHF, XLAT, faults (#UD #GP #SS)");
    static const struct { const char *n; Code c; } np[] = {
        {"nop_90", {{0x90}, 1}}, {"nop_66_90", {{0x66, 0x90}, 2}}, {"pause_f3_90", {{0xf3, 0x90}, 2}},
        {"nop_0f1f00", {{0x0f, 0x1f, 0x00}, 3}}, {"nop_0f1f4000", {{0x0f, 0x1f, 0x40, 0x00}, 4}},
        {"nop_0f1f440000", {{0x0f, 0x1f, 0x44, 0x00, 0x00}, 5}}, {"nop_66_0f1f440000", {{0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00}, 6}},
        {"nop_0f1f80", {{0x0f, 0x1f, 0x80, 0, 0, 0, 0}, 7}}, {"nop_0f1f84", {{0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0}, 8}},
        {"nop_66_0f1f84", {{0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0}, 9}},
        {"nop_66_2e_0f1f84", {{0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0}, 10}},
        {"nop_0f1fc0_reg", {{0x0f, 0x1f, 0xc0}, 3}}, {"nop_rexw_0f1f00", {{0x48, 0x0f, 0x1f, 0x00}, 4}},
        {"nop_0f1f_rip", {{0x0f, 0x1f, 0x05, 0x78, 0x56, 0x34, 0x12}, 7}}};
    for (unsigned q = 0; q < sizeof np / sizeof *np; q++) {
        form(np[q].n, np[q].c, 0x8d5);
        for (int k = 0; k < 30; k++) { In in; init(&in); randregs(&in); in.fl = rflags() | (rnd() & 0x400); vec(&in); }
    }
    static const struct { const char *n; u8 op; u32 mask; } fo_[] = {
        {"clc", 0xf8, 0x8d5}, {"stc", 0xf9, 0x8d5}, {"cmc", 0xf5, 0x8d5}, {"cld", 0xfc, 0xcd5}, {"std", 0xfd, 0xcd5}, {"lahf", 0x9f, 0x8d5}};
    for (unsigned q = 0; q < sizeof fo_ / sizeof *fo_; q++) {
        form(fo_[q].n, RAWB(&fo_[q].op, 1), fo_[q].mask);
        for (int k = 0; k < 128; k++) {
            In in; init(&in);
            in.r[RAX] = rnd();
            in.fl = flcombo(k & 63) | (k & 64 ? 0x400 : 0);
            vec(&in);
        }
    }
    form("sahf", RAWB(OPB(0x9e)), 0x8d5);
    for (int k = 0; k < 256; k++) {
        In in; init(&in);
        in.r[RAX] = (rnd() & ~0xff00ULL) | (u64)k << 8;
        in.fl = rflags();
        vec(&in);
    }
    /* XLAT */
    for (int w = 0; w < 3; w++) {
        Code c; memset(&c, 0, sizeof c);
        if (w == 1) p8(&c, 0x48);
        if (w == 2) p8(&c, 0x67);
        p8(&c, 0xd7);
        form(w == 0 ? "xlatb" : w == 1 ? "xlatb_rexw" : "xlatb_a32", c, 0x8d5);
        for (int k = 0; k < 80; k++) {
            In in; init(&in);
            u64 tb = DBASE + 0x100 + rndn(0xd00);
            in.r[RBX] = w == 2 ? tb | (rnd() << 32) : tb;
            in.r[RAX] = rnd();
            setmem(&in, tb + (in.r[RAX] & 0xff), rnd(), 1);
            in.fl = rflags();
            vec(&in);
        }
    }
    /* faults */
    static const struct { const char *n; Code c; } fl_[] = {
        {"ud2", {{0x0f, 0x0b}, 2}}, {"hlt_gp", {{0xf4}, 1}}, {"cli_gp", {{0xfa}, 1}}, {"sti_gp", {{0xfb}, 1}},
        {"in_al_dx_gp", {{0xec}, 1}}, {"out_dx_al_gp", {{0xee}, 1}}, {"lock_add_reg_ud", {{0xf0, 0x01, 0xc8}, 3}},
        {"lock_nop_ud", {{0xf0, 0x90}, 2}}, {"lock_mov_mem_ud", {{0xf0, 0x89, 0x03}, 3}},
        {"aaa_ud64", {{0x37}, 1}}, {"daa_ud64", {{0x27}, 1}}, {"das_ud64", {{0x2f}, 1}}, {"aas_ud64", {{0x3f}, 1}},
        {"pusha_ud64", {{0x60}, 1}}, {"popa_ud64", {{0x61}, 1}}, {"into_ud64", {{0xce}, 1}}, {"aam_ud64", {{0xd4, 0x0a}, 2}},
        {"aad_ud64", {{0xd5, 0x0a}, 2}}, {"push_es_ud64", {{0x06}, 1}}, {"pop_es_ud64", {{0x07}, 1}},
        {"push_cs_ud64", {{0x0e}, 1}}, {"push_ss_ud64", {{0x16}, 1}}, {"push_ds_ud64", {{0x1e}, 1}},
        {"grp1_82_ud64", {{0x82, 0xc0, 0x01}, 3}}, {"callf_9a_ud64", {{0x9a, 0, 0, 0, 0, 0, 0}, 7}},
        {"jmpf_ea_ud64", {{0xea, 0, 0, 0, 0, 0, 0}, 7}}, {"lea_reg_ud", {{0x48, 0x8d, 0xc0}, 3}},
        {"cmpxchg8b_reg_ud", {{0x0f, 0xc7, 0xc8}, 3}},
        {"mov_load_noncanonical_gp", {{0x48, 0x8b, 0x03}, 3}}, {"mov_store_noncanonical_gp", {{0x48, 0x89, 0x03}, 3}},
        {"push_noncanonical_rsp_ss", {{0x50}, 1}}, {"pop_noncanonical_rsp_ss", {{0x58}, 1}},
        {"cmpxchg16b_misaligned_gp", {{0x48, 0x0f, 0xc7, 0x0e}, 4}}};
    for (unsigned q = 0; q < sizeof fl_ / sizeof *fl_; q++) {
        form(fl_[q].n, fl_[q].c, 0x8d5);
        for (int k = 0; k < 8; k++) {
            In in; init(&in);
            in.r[RAX] = rnd(); in.r[RCX] = rnd(); in.r[RDX] = rnd();
            in.r[RBX] = k & 1 ? 0x8000000000100000ULL : 0x4000000000100000ULL + rndn(0x1000);
            if (strstr(fl_[q].n, "noncanonical_rsp")) in.r[RSP] = k & 1 ? 0x8000000000100800ULL : 0x4000000000100808ULL;
            if (strstr(fl_[q].n, "lock_mov")) in.r[RBX] = DBASE + 0x400;
            in.r[RSI] = DBASE + 0x401 + rndn(14);
            in.fl = rflags();
            vec(&in);
        }
    }
    close_group();
}

static void g_rest(const char *dir) {
    g_bit(dir);
    g_bmi(dir);
    g_move(dir);
    g_stack(dir);
    g_string(dir);
    g_branch(dir);
    g_misc(dir);
}
