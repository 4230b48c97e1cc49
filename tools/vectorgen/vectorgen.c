/* vectorgen.c - generate x86 instruction test vectors by native execution.
 * Build: see Makefile.  Usage: vectorgen <outdir>
 * The 64-bit build writes the 64-bit-mode groups, the -m32 build writes bcd32.txt. */
#include "core.h"

static const int pool[8] = {RAX, RDX, RDI, R8, R10, R11, R14, RCX};
static const char *szn(int s) { return s == 1 ? "8" : s == 2 ? "16" : s == 4 ? "32" : "64"; }

static u64 distinct_imm(const u64 *fixed, int n, u64 mask) {
    for (;;) {
        u64 v = rnd() & mask;
        int ok = 1;
        for (int i = 0; i < n; i++) ok &= v != (fixed[i] & mask);
        if (ok) return v;
    }
}

#if IS64
/* ================================================================== ALU */
static const char *alun[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
#define NR_PAIR 70
#define NR_SINGLE 70

static void g_alu(const char *dir) {
    open_group(dir, "alu.txt", 101, "ADD OR ADC SBB AND SUB XOR CMP TEST INC DEC NEG NOT, LOCK forms");
    int mk = 0;
    for (int op = 0; op < 8; op++) {
        u32 mask = (op == 1 || op == 4 || op == 6) ? 0x8c5 : 0x8d5;
        const char *n = alun[op];
        for (int si = 0; si < 4; si++) {
            int s = 1 << si;
            const char *b = szn(s);
            int d = pool[(op + si) % 8], sr = pool[(op + si + 3) % 8];
            Op a = OREG(d, s), c = OREG(sr, s);
            u8 o1 = (u8)(op * 8 + (s == 1 ? 0 : 1)), o2 = (u8)(op * 8 + (s == 1 ? 2 : 3));
            int fr = fr8(&a) || fr8(&c);
            form(fmt("%s_rm%s_r%s_reg", n, b, b), E(s, fr, NOP_, OPB(o1), sr, rmof(&a), 0, 0), mask);
            gen_pairs(&a, &c, NR_PAIR);
            form(fmt("%s_r%s_rm%s_reg", n, b, b), E(s, fr, NOP_, OPB(o2), d, rmof(&c), 0, 0), mask);
            gen_pairs(&a, &c, NR_PAIR);
            Op m1 = OMEM(memrm(mk++), pickea(s), s);
            form(fmt("%s_rm%s_r%s_mem", n, b, b), E(s, fr8(&c), NOP_, OPB(o1), sr, m1.m, 0, 0), mask);
            gen_pairs(&m1, &c, NR_PAIR);
            Op m2 = OMEM(memrm(mk++), pickea(s), s);
            form(fmt("%s_r%s_rm%s_mem", n, b, b), E(s, fr8(&a), NOP_, OPB(o2), d, m2.m, 0, 0), mask);
            gen_pairs(&a, &m2, NR_PAIR);
            /* immediates */
            if (s == 1) {
                u64 ib[4] = {0x01, 0x80, 0xff, 0};
                ib[3] = distinct_imm(ib, 3, 0xff);
                for (int k = 0; k < 4; k++) {
                    form(fmt("%s_rm8_imm8_reg_%02llx", n, (unsigned long long)ib[k]),
                         E(1, fr8(&a), NOP_, OPB(0x80), op, rmof(&a), ib[k], 1), mask);
                    gen_single(&a, NR_SINGLE);
                }
                for (int k = 1; k < 4; k += 2) {
                    Op m = OMEM(memrm(mk++), pickea(1), 1);
                    form(fmt("%s_rm8_imm8_mem_%02llx", n, (unsigned long long)ib[k]),
                         E(1, 0, NOP_, OPB(0x80), op, m.m, ib[k], 1), mask);
                    gen_single(&m, NR_SINGLE);
                }
                Op al = OREG(RAX, 1);
                for (int k = 0; k < 4; k += 1) {
                    if (k == 2) continue;
                    form(fmt("%s_al_imm8_%02llx", n, (unsigned long long)ib[k]),
                         RAWB(OPB((u8)(op * 8 + 4), (u8)ib[k])), mask);
                    gen_single(&al, NR_SINGLE);
                }
            } else {
                int zs = s == 2 ? 2 : 4;
                u64 iz[4];
                if (s == 2) { iz[0] = 0x7fff; iz[1] = 0x8000; iz[2] = 0xffff; }
                else { iz[0] = 0x7fffffff; iz[1] = 0x80000000; iz[2] = 0xffffffff; }
                iz[3] = distinct_imm(iz, 3, szm(zs));
                u64 ib[4] = {0x01, 0x80, 0xff, 0};
                ib[3] = distinct_imm(ib, 3, 0xff);
                for (int k = 1; k < 4; k++) {
                    form(fmt("%s_rm%s_imm%d_reg_%llx", n, b, zs * 8, (unsigned long long)iz[k]),
                         E(s, 0, NOP_, OPB(0x81), op, rmof(&a), iz[k], zs), mask);
                    gen_single(&a, NR_SINGLE);
                    form(fmt("%s_rm%s_imm8_reg_%02llx", n, b, (unsigned long long)ib[k]),
                         E(s, 0, NOP_, OPB(0x83), op, rmof(&a), ib[k], 1), mask);
                    gen_single(&a, NR_SINGLE);
                }
                for (int k = 0; k < 4; k += 3) {
                    Op m = OMEM(memrm(mk++), pickea(s), s);
                    form(fmt("%s_rm%s_imm%d_mem_%llx", n, b, zs * 8, (unsigned long long)iz[k]),
                         E(s, 0, NOP_, OPB(0x81), op, m.m, iz[k], zs), mask);
                    gen_single(&m, NR_SINGLE);
                    Op m3 = OMEM(memrm(mk++), pickea(s), s);
                    form(fmt("%s_rm%s_imm8_mem_%02llx", n, b, (unsigned long long)ib[k]),
                         E(s, 0, NOP_, OPB(0x83), op, m3.m, ib[k], 1), mask);
                    gen_single(&m3, NR_SINGLE);
                }
                Op ax = OREG(RAX, s);
                for (int k = 1; k < 4; k += 2) {
                    Code c; memset(&c, 0, sizeof c);
                    if (s == 2) p8(&c, 0x66);
                    if (s == 8) p8(&c, 0x48);
                    p8(&c, (u8)(op * 8 + 5));
                    pimm(&c, iz[k], zs);
                    form(fmt("%s_%s_imm%d_%llx", n, s == 2 ? "ax" : s == 4 ? "eax" : "rax", zs * 8, (unsigned long long)iz[k]),
                         c, mask);
                    gen_single(&ax, NR_SINGLE);
                }
            }
        }
        /* high-byte registers (no REX): op ch, ah */
        Op ch = OHI(1), ah = OHI(0);
        form(fmt("%s_rm8_r8_high", n), E(1, 0, NOP_, OPB((u8)(op * 8)), 4, rmof(&ch), 0, 0), mask);
        gen_pairs(&ch, &ah, 20);
        /* same register both operands */
        Op s1 = OREG(pool[op], 4);
        form(fmt("%s_r32_rm32_same", n), E(4, 0, NOP_, OPB((u8)(op * 8 + 3)), pool[op], rmof(&s1), 0, 0), mask);
        gen_single(&s1, 20);
    }
    /* TEST */
    {
        u32 mask = 0x8c5;
        for (int si = 0; si < 4; si++) {
            int s = 1 << si;
            const char *b = szn(s);
            Op a = OREG(pool[si], s), c = OREG(pool[si + 4], s);
            form(fmt("test_rm%s_r%s_reg", b, b), E(s, fr8(&a) || fr8(&c), NOP_, OPB(s == 1 ? 0x84 : 0x85), c.reg, rmof(&a), 0, 0), mask);
            gen_pairs(&a, &c, NR_PAIR);
            Op m = OMEM(memrm(mk++), pickea(s), s);
            form(fmt("test_rm%s_r%s_mem", b, b), E(s, fr8(&c), NOP_, OPB(s == 1 ? 0x84 : 0x85), c.reg, m.m, 0, 0), mask);
            gen_pairs(&m, &c, NR_PAIR);
            int zs = s > 4 ? 4 : s;
            u64 imm = s == 1 ? 0x81 : s == 2 ? 0x8001 : 0x80000001;
            form(fmt("test_rm%s_imm%d_reg", b, zs * 8), E(s, fr8(&a), NOP_, OPB(s == 1 ? 0xf6 : 0xf7), 0, rmof(&a), imm, zs), mask);
            gen_single(&a, NR_SINGLE);
            Op m2 = OMEM(memrm(mk++), pickea(s), s);
            form(fmt("test_rm%s_imm%d_mem", b, zs * 8), E(s, 0, NOP_, OPB(s == 1 ? 0xf6 : 0xf7), 0, m2.m, imm >> 1, zs), mask);
            gen_single(&m2, NR_SINGLE);
            Code c2; memset(&c2, 0, sizeof c2);
            if (s == 2) p8(&c2, 0x66);
            if (s == 8) p8(&c2, 0x48);
            p8(&c2, s == 1 ? 0xa8 : 0xa9);
            pimm(&c2, imm, zs);
            Op ax = OREG(RAX, s);
            form(fmt("test_%s_imm%d", s == 1 ? "al" : s == 2 ? "ax" : s == 4 ? "eax" : "rax", zs * 8), c2, mask);
            gen_single(&ax, NR_SINGLE);
        }
    }
    /* INC DEC NEG NOT */
    {
        static const struct { const char *n; int d; u32 mask; } u[4] = {
            {"inc", 0, 0x8d5}, {"dec", 1, 0x8d5}, {"not", 2, 0x8d5}, {"neg", 3, 0x8d5}};
        for (int k = 0; k < 4; k++)
            for (int si = 0; si < 4; si++) {
                int s = 1 << si;
                const char *b = szn(s);
                u8 opc = k < 2 ? (s == 1 ? 0xfe : 0xff) : (s == 1 ? 0xf6 : 0xf7);
                Op a = OREG(pool[(k + si) % 8], s);
                form(fmt("%s_rm%s_reg", u[k].n, b), E(s, fr8(&a), NOP_, OPB(opc), u[k].d, rmof(&a), 0, 0), u[k].mask);
                gen_single(&a, 60);
                Op m = OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%s_rm%s_mem", u[k].n, b), E(s, 0, NOP_, OPB(opc), u[k].d, m.m, 0, 0), u[k].mask);
                gen_single(&m, 60);
            }
        /* LOCK forms */
        for (int op = 0; op < 7; op++) {
            u32 mask = (op == 1 || op == 4 || op == 6) ? 0x8c5 : 0x8d5;
            int szs[3] = {1, 4, 8};
            for (int q = 0; q < 3; q++) {
                int s = szs[q];
                Op c = OREG(pool[(op + q) % 8], s);
                Op m = OMEM(memrm(mk++), pickea(s), s);
                form(fmt("lock_%s_rm%s_r%s_mem", alun[op], szn(s), szn(s)),
                     E(s, fr8(&c), OPB(0xf0), OPB((u8)(op * 8 + (s == 1 ? 0 : 1))), c.reg, m.m, 0, 0), mask);
                gen_pairs(&m, &c, 30);
            }
            Op m = OMEM(memrm(mk++), pickea(2), 2);
            form(fmt("lock_%s_rm16_imm8_mem", alun[op]), E(2, 0, OPB(0xf0), OPB(0x83), op, m.m, 0x85, 1), mask);
            gen_single(&m, 30);
        }
        for (int k = 0; k < 4; k++) {
            u8 opc = k < 2 ? 0xff : 0xf7;
            Op m = OMEM(memrm(mk++), pickea(8), 8);
            form(fmt("lock_%s_rm64_mem", u[k].n), E(8, 0, OPB(0xf0), OPB(opc), u[k].d, m.m, 0, 0), u[k].mask);
            gen_single(&m, 30);
        }
    }
    close_group();
}

/* ================================================================== shifts */
static const char *shn[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
/* count class: 0 -> masked 0, 1 -> masked 1, 2 -> normal, 3 -> big (shl/shr 8/16 with count >= width) */
static int sh_class(int op, int bits, int cnt) {
    int c = cnt & (bits == 64 ? 63 : 31);
    if (c == 0) return 0;
    if (c == 1) return 1;
    if ((op == 4 || op == 5 || op == 6) && c >= bits) return 3;
    return 2;
}
static u32 sh_mask(int op, int cls) {
    if (cls == 0) return 0x8d5;
    if (op < 4) return cls == 1 ? 0x8d5 : 0x0d5;
    if (cls == 1) return 0x8c5;
    if (cls == 2) return 0x0c5;
    return 0x0c4;
}
static const char *clsn[4] = {"c0", "c1", "cn", "cbig"};

static void gen_shift_cl(const Op *a, int op, int bits, int cls, int n) {
    int list[256], nl = 0;
    for (int c = 0; c < 256; c++)
        if (sh_class(op, bits, c) == cls) list[nl++] = c;
    u64 e[40];
    int ne = edges(a->size, e, 0);
    Op cl = OREG(RCX, 1);
    for (int k = 0; k < n; k++) {
        int cnt = k < nl ? list[k] : list[rndn(nl)];
        if (k >= nl && rnd() % 3 == 0) cnt &= bits == 64 ? 63 : 31; /* prefer in-range counts */
        while (sh_class(op, bits, cnt) != cls) cnt = list[rndn(nl)];
        u64 v = (k % 3 == 0) ? e[rndn(ne)] : rv(a->size);
        In in; init(&in);
        put(&in, a, v);
        put(&in, &cl, (u64)cnt);
        in.fl = rflags();
        vec(&in);
    }
}

static void g_shift(const char *dir) {
    open_group(dir, "shift.txt", 202, "SHL SHR SAR SAL ROL ROR RCL RCR (by 1, CL, imm8), SHLD SHRD");
    int mk = 0;
    for (int op = 0; op < 8; op++) {
        for (int si = 0; si < 4; si++) {
            int s = 1 << si, bits = 8 * s;
            const char *b = szn(s);
            int d = pool[(op + si) % 7]; /* never rcx */
            if (d == RCX) d = RBX;
            Op a = OREG(d, s);
            u8 o1 = s == 1 ? 0xd0 : 0xd1, ocl = s == 1 ? 0xd2 : 0xd3, oim = s == 1 ? 0xc0 : 0xc1;
            /* by 1 */
            form(fmt("%s_rm%s_1_reg", shn[op], b), E(s, fr8(&a), NOP_, OPB(o1), op, rmof(&a), 0, 0), sh_mask(op, 1));
            gen_single(&a, 100);
            Op m = OMEM(memrm(mk++), pickea(s), s);
            form(fmt("%s_rm%s_1_mem", shn[op], b), E(s, 0, NOP_, OPB(o1), op, m.m, 0, 0), sh_mask(op, 1));
            gen_single(&m, 60);
            /* by CL */
            for (int cls = 0; cls < 4; cls++) {
                if (cls == 3 && !((op == 4 || op == 5 || op == 6) && bits <= 16)) continue;
                int nv = cls == 0 ? 50 : cls == 1 ? 120 : cls == 2 ? 220 : 100;
                form(fmt("%s_rm%s_cl_reg_%s", shn[op], b, clsn[cls]), E(s, fr8(&a), NOP_, OPB(ocl), op, rmof(&a), 0, 0),
                     sh_mask(op, cls));
                gen_shift_cl(&a, op, bits, cls, nv);
                Op mm = OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%s_rm%s_cl_mem_%s", shn[op], b, clsn[cls]), E(s, 0, NOP_, OPB(ocl), op, mm.m, 0, 0),
                     sh_mask(op, cls));
                gen_shift_cl(&mm, op, bits, cls, nv / 2);
            }
            /* by imm8 */
            int imr[8], ni = 0;
            imr[ni++] = 0; imr[ni++] = 1; imr[ni++] = bits / 2 + 1; imr[ni++] = bits - 1;
            if (bits <= 16) imr[ni++] = bits;
            imr[ni++] = bits == 64 ? 0x41 : 0x21;
            imr[ni++] = 0xff;
            for (int k = 0; k < ni; k++) {
                int cls = sh_class(op, bits, imr[k]);
                form(fmt("%s_rm%s_imm8_reg_%02x", shn[op], b, imr[k]),
                     E(s, fr8(&a), NOP_, OPB(oim), op, rmof(&a), (u64)imr[k], 1), sh_mask(op, cls));
                gen_single(&a, 80);
            }
            int imm_m[3] = {1, bits / 2 + 1, 0xff};
            for (int k = 0; k < 3; k++) {
                int cls = sh_class(op, bits, imm_m[k]);
                Op mm = OMEM(memrm(mk++), pickea(s), s);
                form(fmt("%s_rm%s_imm8_mem_%02x", shn[op], b, imm_m[k]),
                     E(s, 0, NOP_, OPB(oim), op, mm.m, (u64)imm_m[k], 1), sh_mask(op, cls));
                gen_single(&mm, 60);
            }
        }
    }
    /* SHLD / SHRD */
    for (int dir2 = 0; dir2 < 2; dir2++) {
        const char *n = dir2 ? "shrd" : "shld";
        u8 oimm = dir2 ? 0xac : 0xa4, ocl = dir2 ? 0xad : 0xa5;
        for (int si = 1; si < 4; si++) {
            int s = 1 << si, bits = 8 * s, cm = bits == 64 ? 63 : 31;
            const char *b = szn(s);
            Op a = OREG(pool[si], s), src = OREG(pool[si + 3], s), cl = OREG(RCX, 1);
            for (int isreg = 1; isreg >= 0; isreg--) {
                Op dst = isreg ? a : OMEM(memrm(mk++), pickea(s), s);
                const char *rm = isreg ? "reg" : "mem";
                for (int cls = 0; cls < 4; cls++) {
                    /* classes: 0 masked 0, 1 masked 1, 2 masked 2..bits, 3 masked > bits (16-bit only) */
                    if (cls == 3 && bits != 16) continue;
                    u32 mask = cls == 0 ? 0x8d5 : cls == 1 ? 0x8c5 : cls == 2 ? 0x0c5 : 0;
                    const char *cn = cls == 3 ? "bigcount" : clsn[cls];
                    form(fmt("%s_rm%s_r%s_cl_%s_%s", n, b, b, rm, cn),
                         E(s, 0, NOP_, OPB(0x0f, ocl), src.reg, rmof(&dst), 0, 0), mask);
                    int nv = (cls == 0 ? 40 : cls == 1 ? 120 : cls == 2 ? 220 : 100) / (isreg ? 1 : 2);
                    for (int k = 0; k < nv; k++) {
                        int cnt;
                        do {
                            cnt = (int)rndn(256);
                            if (k < 64 && cls == 2) cnt = (k % ((bits == 16 ? 16 : cm) - 1)) + 2 + (int)(rndn(8) * (cm + 1) & 0xff);
                        } while (!((cls == 0 && (cnt & cm) == 0) || (cls == 1 && (cnt & cm) == 1) ||
                                   (cls == 2 && (cnt & cm) >= 2 && (cnt & cm) <= bits) || (cls == 3 && (cnt & cm) > bits)));
                        In in; init(&in);
                        put(&in, &dst, rv(s));
                        put(&in, &src, rv(s));
                        put(&in, &cl, (u64)cnt);
                        in.fl = rflags();
                        vec(&in);
                    }
                }
                int ims[6] = {0, 1, bits / 2 + 3, bits - 1, bits == 16 ? 0x13 : cm + 2, 0xff};
                for (int k = 0; k < (isreg ? 6 : 3); k++) {
                    int imv = isreg ? ims[k] : ims[k + 1 + (k > 0)];
                    int c = imv & cm;
                    int cls = c == 0 ? 0 : c == 1 ? 1 : c <= bits ? 2 : 3;
                    u32 mask = cls == 0 ? 0x8d5 : cls == 1 ? 0x8c5 : cls == 2 ? 0x0c5 : 0;
                    form(fmt("%s_rm%s_r%s_imm8_%s_%02x%s", n, b, b, rm, imv, cls == 3 ? "_bigcount" : ""),
                         E(s, 0, NOP_, OPB(0x0f, oimm), src.reg, rmof(&dst), (u64)imv, 1), mask);
                    gen_pairs(&dst, &src, 40);
                }
            }
        }
    }
    close_group();
}

/* ================================================================== mul/div */
static void g_muldiv(const char *dir) {
    open_group(dir, "muldiv.txt", 303, "MUL IMUL DIV IDIV");
    int mk = 0;
    static const char *mn[4] = {"mul", "imul", "div", "idiv"};
    for (int k = 0; k < 4; k++)
        for (int si = 0; si < 4; si++) {
            int s = 1 << si;
            const char *b = szn(s);
            u8 opc = s == 1 ? 0xf6 : 0xf7;
            u32 mask = k < 2 ? 0x801 : 0;
            for (int isreg = 1; isreg >= 0; isreg--) {
                Op src = isreg ? OREG(pool[(k + si) % 6 + 2] == RDX ? RBX : pool[(k + si) % 6 + 2], s)
                               : OMEM(memrm(mk++), pickea(s), s);
                if (src.k == K_REG && (src.reg == RAX || src.reg == RDX)) src.reg = RBX;
                form(fmt("%s_rm%s_%s", mn[k], b, isreg ? "reg" : "mem"), E(s, fr8(&src), NOP_, OPB(opc), 4 + k, rmof(&src), 0, 0), mask);
                Op ax = OREG(RAX, s == 1 ? 2 : s), dx = OREG(RDX, s);
                u64 e[40];
                int ne = edges(s, e, 1);
                int nv = isreg ? 150 : 80;
                if (k < 2) {
                    for (int i = 0; i < ne; i++)
                        for (int j = 0; j < ne; j++) {
                            In in; init(&in);
                            put(&in, &ax, e[i]);
                            if (s > 1) put(&in, &dx, rnd());
                            put(&in, &src, e[j]);
                            in.fl = rflags();
                            vec(&in);
                        }
                    for (int q = 0; q < nv; q++) {
                        In in; init(&in);
                        put(&in, &ax, rv(s));
                        if (s > 1) put(&in, &dx, rnd());
                        put(&in, &src, rv(s));
                        in.fl = rflags();
                        vec(&in);
                    }
                } else {
                    /* edge dividends/divisors (many #DE), then mostly valid random divisions */
                    u64 m = szm(s);
                    for (int i = 0; i < ne; i++)
                        for (int j = 0; j < ne; j += 2) {
                            In in; init(&in);
                            u64 lo = e[i], hi = (j & 2) ? ((k == 3 && (lo >> (8 * s - 1) & 1)) ? m : 0) : e[(i + j) % ne];
                            if (s == 1) put(&in, &ax, lo | (hi & 0xff) << 8);
                            else { put(&in, &ax, lo); put(&in, &dx, hi); }
                            put(&in, &src, e[j]);
                            in.fl = rflags();
                            vec(&in);
                        }
                    for (int q = 0; q < nv + 50; q++) {
                        In in; init(&in);
                        u64 dv = rv(s);
                        if (q % 16 == 0) dv = 0;
                        u64 lo = rv(s), hi;
                        if (k == 2) hi = dv ? (rnd() & m) % dv : rnd() & m;
                        else {
                            hi = (lo >> (8 * s - 1) & 1) ? m : 0;           /* sign extension: usually valid */
                            if (q % 5 == 0) hi = rnd() & m;                  /* random: usually overflow */
                            if (q % 7 == 0) { dv = m; lo = (m >> 1) + 1; hi = m; } /* INT_MIN / -1 */
                        }
                        if (s == 1) put(&in, &ax, lo | (hi & 0xff) << 8);
                        else { put(&in, &ax, lo); put(&in, &dx, hi); }
                        put(&in, &src, dv);
                        in.fl = rflags();
                        vec(&in);
                    }
                }
            }
        }
    /* IMUL two- and three-operand */
    for (int si = 1; si < 4; si++) {
        int s = 1 << si;
        const char *b = szn(s);
        Op d = OREG(pool[si], s), sr = OREG(pool[si + 3], s);
        form(fmt("imul_r%s_rm%s_reg", b, b), E(s, 0, NOP_, OPB(0x0f, 0xaf), d.reg, rmof(&sr), 0, 0), 0x801);
        gen_pairs(&d, &sr, 120);
        Op m = OMEM(memrm(mk++), pickea(s), s);
        form(fmt("imul_r%s_rm%s_mem", b, b), E(s, 0, NOP_, OPB(0x0f, 0xaf), d.reg, m.m, 0, 0), 0x801);
        gen_pairs(&d, &m, 60);
        int zs = s == 2 ? 2 : 4;
        u64 iz[3] = {s == 2 ? 0x7fff : 0x7fffffff, s == 2 ? 0x8001 : 0x80000001, 0};
        iz[2] = distinct_imm(iz, 2, szm(zs));
        for (int q = 0; q < 3; q++) {
            Op x = q == 2 ? OMEM(memrm(mk++), pickea(s), s) : sr;
            form(fmt("imul_r%s_rm%s_imm%d_%s_%llx", b, b, zs * 8, q == 2 ? "mem" : "reg", (unsigned long long)iz[q]),
                 E(s, 0, NOP_, OPB(0x69), d.reg, rmof(&x), iz[q], zs), 0x801);
            gen_mov(&d, &x, 100);
        }
        u64 ib[3] = {0x7f, 0x80, 0xff};
        for (int q = 0; q < 3; q++) {
            Op x = q == 2 ? OMEM(memrm(mk++), pickea(s), s) : sr;
            form(fmt("imul_r%s_rm%s_imm8_%s_%02llx", b, b, q == 2 ? "mem" : "reg", (unsigned long long)ib[q]),
                 E(s, 0, NOP_, OPB(0x6b), d.reg, rmof(&x), ib[q], 1), 0x801);
            gen_mov(&d, &x, 100);
        }
        /* dst == src */
        form(fmt("imul_r%s_rm%s_same", b, b), E(s, 0, NOP_, OPB(0x0f, 0xaf), d.reg, rmof(&d), 0, 0), 0x801);
        gen_single(&d, 60);
    }
    close_group();
}
#include "groups2.h"
#include "simd.h"
#include "groups-sse.h"
#include "groups-x87.h"
#else
#include "groups32.h"
#endif

static void report(void);

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    setup();
#if IS64
    if (argc > 2 && !strcmp(argv[1], "--simd")) {
        host_name = host_cpu();
        g_simd(argv[2]);
        g_x87(argv[2]);
        report();
        return 0;
    }
    g_alu(dir);
    g_shift(dir);
    g_muldiv(dir);
    g_rest(dir);
#else
    g_bcd32(dir);
#endif
    report();
    return 0;
}

static void report(void) {
    long tb = 0;
    for (int i = 0; i < nstats; i++) {
        printf("%-12s %5d forms %7d vectors %9ld bytes\n", stats[i].file, stats[i].forms, stats[i].vecs, stats[i].bytes);
        tb += stats[i].bytes;
    }
    printf("%-12s %5d forms %7d vectors %9ld bytes\n", "TOTAL", tforms, tvecs, tb);
    if (nwarn) printf("%d warnings\n", nwarn);
}
