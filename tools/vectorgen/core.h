/* core.h - native execution harness, instruction encoder, vector writer.
 * Included once by vectorgen.c (all functions are static). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

typedef uint64_t u64;
typedef int64_t i64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#ifdef __x86_64__
#define IS64 1
#define NREG 16
typedef u64 ureg;
#else
#define IS64 0
#define NREG 8
typedef u32 ureg;
#endif

#define DBASE 0x100000ULL
#define DSZ 0x1000
#define CBASE 0x200000ULL
#define CSZ 0x1000
#define RSP0 0x100800ULL

static const char *rn[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                             "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

/* ------------------------------------------------------------------ PRNG */
static u64 rs = 1;
static void seed(u64 s) { rs = s * 0x9E3779B97F4A7C15ULL + 0x1234567; if (!rs) rs = 1; }
static u64 rnd(void) {
    rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
    return rs * 0x2545F4914F6CDD1DULL;
}
static u64 rndn(u64 n) { return rnd() % n; }

/* ------------------------------------------------------------------ harness */
struct NR { ureg r[NREG]; ureg fl; ureg rip; };
extern void run_native(struct NR *);

static struct { u64 r[16]; u64 fl, rip; long trapno; int sig; u8 fx[512]; } cap;
static sigjmp_buf jb;
static u8 *data, *codep;

static void handler(int sig, siginfo_t *si, void *ucv) {
    (void)si;
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
#if IS64
    static const int ix[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                               REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
    for (int i = 0; i < 16; i++) cap.r[i] = (u64)g[ix[i]];
    cap.rip = (u64)g[REG_RIP];
    cap.fl = (u64)g[REG_EFL];
#else
    static const int ix[8] = {REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_UESP, REG_EBP, REG_ESI, REG_EDI};
    for (int i = 0; i < 8; i++) cap.r[i] = (u32)g[ix[i]];
    cap.rip = (u32)g[REG_EIP];
    cap.fl = (u32)g[REG_EFL];
#endif
    cap.trapno = (long)g[REG_TRAPNO];
    cap.sig = sig;
#if IS64
    /* the FXSAVE image of the interrupted code (the legacy area of the signal frame's XSAVE area) */
    if (uc->uc_mcontext.fpregs) memcpy(cap.fx, uc->uc_mcontext.fpregs, sizeof cap.fx);
#endif
    siglongjmp(jb, 1);
}

static void setup(void) {
    data = mmap((void *)DBASE, DSZ, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    codep = mmap((void *)CBASE, CSZ, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (data != (u8 *)DBASE || codep != (u8 *)CBASE) { perror("mmap fixed"); exit(1); }
    stack_t ss;
    ss.ss_sp = malloc(1 << 16); ss.ss_size = 1 << 16; ss.ss_flags = 0;
    if (sigaltstack(&ss, 0)) { perror("sigaltstack"); exit(1); }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGTRAP, SIGFPE, SIGILL, SIGSEGV, SIGBUS};
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, 0);
    alarm(600); /* safety net against a runaway guest */
}

/* ------------------------------------------------------------------ vector input */
typedef struct { u64 r[16]; u64 fl; u8 mem[DSZ]; u8 set[DSZ]; } In;

static void init(In *in) {
    memset(in, 0, sizeof *in);
    in->r[RSP] = RSP0;
    in->fl = 2;
}
static void setmem(In *in, u64 addr, u64 v, int n) {
    for (int i = 0; i < n; i++) {
        u64 a = addr + i - DBASE;
        if (a >= DSZ) { fprintf(stderr, "setmem out of range %llx\n", (unsigned long long)addr); exit(1); }
        in->mem[a] = (u8)(v >> (8 * i));
        in->set[a] = 1;
    }
}
static void setbytes(In *in, u64 addr, const u8 *p, int n) {
    for (int i = 0; i < n; i++) setmem(in, addr + i, p[i], 1);
}
static void setrand(In *in, u64 addr, int n) {
    for (int i = 0; i < n; i++) setmem(in, addr + i, rnd(), 1);
}

/* ------------------------------------------------------------------ output */
static FILE *fo;
static int fforms, fvecs, tforms, tvecs, nwarn;
static u64 faddr;
static char fname_cur[128];
static u8 fcode[32];
static int flen;
#define MAXNAMES 8192
static char *names[MAXNAMES];
static int nnames;
static struct { char file[32]; int forms, vecs; long bytes; } stats[32];
static int nstats;

static const char *host_name = "an AMD Zen 4 host";

static void open_group(const char *dir, const char *file, u64 s, const char *desc) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    fo = fopen(path, "w");
    if (!fo) { perror(path); exit(1); }
    setvbuf(fo, 0, _IOFBF, 1 << 20);
    fprintf(fo, "# swemu x86 test vectors: %s\n", desc);
    fprintf(fo, "# Generated by tools/vectorgen (native execution on %s). Do not edit.\n", host_name);
    fprintf(fo, "# Format: see tools/vectorgen/README.md. Output fl always has IF (0x200) set (host user mode);\n");
    fprintf(fo, "# bits outside the form's flagmask (undefined flags) are the AMD host's values.\n");
    fprintf(fo, "M %d\n", IS64 ? 64 : 32);
    seed(s);
    fforms = fvecs = 0;
    snprintf(stats[nstats].file, sizeof stats[0].file, "%s", file);
}
static void close_group(void) {
    stats[nstats].forms = fforms;
    stats[nstats].vecs = fvecs;
    stats[nstats].bytes = ftell(fo);
    nstats++;
    fclose(fo);
    tforms += fforms;
    tvecs += fvecs;
}

typedef struct { u8 b[32]; int n; } Code;

static void form_at(const char *name, u64 addr, Code c, u32 mask) {
    for (int i = 0; i < nnames; i++)
        if (!strcmp(names[i], name)) { fprintf(stderr, "duplicate form name %s\n", name); exit(1); }
    if (nnames >= MAXNAMES) { fprintf(stderr, "too many forms\n"); exit(1); }
    names[nnames++] = strdup(name);
    snprintf(fname_cur, sizeof fname_cur, "%s", name);
    fprintf(fo, "F %s %llx ", name, (unsigned long long)addr);
    for (int i = 0; i < c.n; i++) fprintf(fo, "%02x", c.b[i]);
    fprintf(fo, " %x\n", mask);
    faddr = addr;
    memcpy(fcode, c.b, c.n);
    flen = c.n;
    memset(codep, 0xcc, CSZ);
    memcpy(codep + (addr - CBASE), c.b, c.n);
    fforms++;
}
static void form(const char *name, Code c, u32 mask) { form_at(name, CBASE, c, mask); }

static const char hx[] = "0123456789abcdef";
static void puthex(const u8 *p, int n) {
    for (int i = 0; i < n; i++) { putc(hx[p[i] >> 4], fo); putc(hx[p[i] & 15], fo); }
}
static void putruns(const u8 *flag, const u8 *content) {
    for (int i = 0; i < DSZ;) {
        if (!flag[i]) { i++; continue; }
        int j = i;
        while (j < DSZ && flag[j]) j++;
        fprintf(fo, " m%llx=", (unsigned long long)(DBASE + i));
        puthex(content + i, j - i);
        i = j;
    }
}

/* last result, for generators that want to inspect it */
static int last_exc;

static void vec(In *in) {
    struct NR nr;
    memcpy(data, in->mem, DSZ);
    for (int i = 0; i < NREG; i++) nr.r[i] = (ureg)in->r[i];
    nr.fl = (ureg)in->fl;
    nr.rip = (ureg)faddr;
    if (!IS64)
        for (int i = 0; i < NREG; i++)
            if (in->r[i] >> 32) { fprintf(stderr, "%s: 64-bit value in 32-bit mode\n", fname_cur); exit(1); }
    if (in->fl & 0x40100) { fprintf(stderr, "%s: TF/AC in input flags\n", fname_cur); exit(1); }
    if (memcmp(codep + (faddr - CBASE), fcode, flen)) { fprintf(stderr, "%s: code modified\n", fname_cur); exit(1); }
    if (sigsetjmp(jb, 1) == 0) {
        run_native(&nr);
        abort();
    }
    /* captured */
    int exc = -1;
    u64 rip = cap.rip;
    if (cap.sig == SIGTRAP && cap.trapno == 3) rip -= 1; /* int3 landing site */
    else exc = (int)cap.trapno;
    last_exc = exc;
    if (exc >= 0 && cap.sig == SIGTRAP && cap.trapno == 1) {
        fprintf(stderr, "%s: unexpected single-step trap\n", fname_cur);
        exit(1);
    }

    fputc('V', fo);
    for (int i = 0; i < NREG; i++) {
        u64 def = i == RSP ? RSP0 : 0;
        if (in->r[i] != def) fprintf(fo, " %s=%llx", rn[i], (unsigned long long)in->r[i]);
    }
    fprintf(fo, " fl=%llx", (unsigned long long)in->fl);
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
        fprintf(fo, " fl=%llx rip=%llx exc=%x\n", (unsigned long long)cap.fl, (unsigned long long)rip, exc);
    } else {
        for (int i = 0; i < NREG; i++)
            if (cap.r[i] != in->r[i]) fprintf(fo, " %s=%llx", rn[i], (unsigned long long)cap.r[i]);
        fprintf(fo, " fl=%llx rip=%llx", (unsigned long long)cap.fl, (unsigned long long)rip);
        putruns(chg, data);
        fputc('\n', fo);
    }
    fvecs++;
}

/* ------------------------------------------------------------------ encoder */
enum { MK_BD = 1, MK_SIB, MK_RIP, MK_ABS };
typedef struct { int isreg, reg, mk, base, index, scale; int32_t disp; u64 target; } RM;

static RM R(int r) { RM m; memset(&m, 0, sizeof m); m.isreg = 1; m.reg = r; return m; }
static RM MBD(int base, int32_t disp) { RM m; memset(&m, 0, sizeof m); m.mk = MK_BD; m.base = base; m.disp = disp; return m; }
static RM MSIB(int base, int index, int scale, int32_t disp) {
    RM m = MBD(base, disp); m.mk = MK_SIB; m.index = index; m.scale = scale; return m;
}
static RM MRIP(void) { RM m; memset(&m, 0, sizeof m); m.mk = MK_RIP; return m; }
static RM MABS(void) { RM m; memset(&m, 0, sizeof m); m.mk = MK_ABS; return m; }

static void p8(Code *c, u8 v) { c->b[c->n++] = v; }
static void pimm(Code *c, u64 v, int n) { for (int i = 0; i < n; i++) p8(c, (u8)(v >> (8 * i))); }

static int rexbits(int reg, const RM *m) {
    int r = 0;
    if (reg & 8) r |= 4;
    if (m->isreg) { if (m->reg & 8) r |= 1; }
    else if (m->mk == MK_BD || m->mk == MK_SIB) {
        if (m->base & 8) r |= 1;
        if (m->mk == MK_SIB && (m->index & 8)) r |= 2;
    }
    return r;
}
/* returns offset of a rip-relative disp32 to fix up, or -1 */
static int modrm(Code *c, int reg, const RM *m) {
    reg &= 7;
    if (m->isreg) { p8(c, 0xc0 | reg << 3 | (m->reg & 7)); return -1; }
    int b = m->base & 7, mod;
    switch (m->mk) {
    case MK_BD:
    case MK_SIB:
        if (m->disp == 0 && b != 5) mod = 0;
        else if (m->disp >= -128 && m->disp <= 127) mod = 1;
        else mod = 2;
        if (m->mk == MK_SIB || b == 4) {
            p8(c, mod << 6 | reg << 3 | 4);
            int ss = 0, idx = 4;
            if (m->mk == MK_SIB) { ss = m->scale == 8 ? 3 : m->scale == 4 ? 2 : m->scale == 2 ? 1 : 0; idx = m->index & 7; }
            p8(c, ss << 6 | idx << 3 | b);
        } else p8(c, mod << 6 | reg << 3 | b);
        if (mod == 1) p8(c, (u8)m->disp);
        if (mod == 2) pimm(c, (u32)m->disp, 4);
        return -1;
    case MK_RIP: {
        p8(c, reg << 3 | 5);
        int p = c->n;
        pimm(c, 0, 4);
        return p;
    }
    case MK_ABS:
        p8(c, reg << 3 | 4);
        p8(c, 0x25);
        pimm(c, m->target, 4);
        return -1;
    }
    abort();
}
static void fixrip(Code *c, int p, const RM *m, u64 addr) {
    if (p < 0) return;
    i64 d = (i64)m->target - (i64)(addr + c->n);
    for (int i = 0; i < 4; i++) c->b[p + i] = (u8)((u64)d >> (8 * i));
}

#define OPB(...) (const u8[]){__VA_ARGS__}, (int)sizeof((const u8[]){__VA_ARGS__})
#define NOP_ NULL, 0

static u64 g_addr = CBASE; /* placement address for rip-relative fixups */

/* generic legacy/REX encoder.  sz: operand size (2 adds 0x66, 8 sets REX.W). fr: force REX. */
static Code E(int sz, int fr, const u8 *pfx, int np, const u8 *opc, int no, int reg, RM m, u64 imm, int immn) {
    Code c; memset(&c, 0, sizeof c);
    if (sz == 2) p8(&c, 0x66);
    for (int i = 0; i < np; i++) p8(&c, pfx[i]);
    int rb = rexbits(reg, &m) | (sz == 8 ? 8 : 0);
    if (rb || fr) p8(&c, 0x40 | rb);
    for (int i = 0; i < no; i++) p8(&c, opc[i]);
    int p = modrm(&c, reg, &m);
    pimm(&c, imm, immn);
    fixrip(&c, p, &m, g_addr);
    return c;
}
/* opcode with register in low 3 bits (50+r, B8+r, 90+r, C8+r ...) */
static Code ER(int sz, const u8 *pfx, int np, const u8 *opc, int no, int reg, u64 imm, int immn) {
    Code c; memset(&c, 0, sizeof c);
    if (sz == 2) p8(&c, 0x66);
    for (int i = 0; i < np; i++) p8(&c, pfx[i]);
    int rb = (sz == 8 ? 8 : 0) | (reg & 8 ? 1 : 0);
    if (rb) p8(&c, 0x40 | rb);
    for (int i = 0; i < no - 1; i++) p8(&c, opc[i]);
    p8(&c, opc[no - 1] + (reg & 7));
    pimm(&c, imm, immn);
    return c;
}
/* raw bytes */
static Code RAWB(const u8 *b, int n) { Code c; memset(&c, 0, sizeof c); for (int i = 0; i < n; i++) p8(&c, b[i]); return c; }
static Code cat(Code a, Code b) { for (int i = 0; i < b.n; i++) p8(&a, b.b[i]); return a; }
/* 3-byte VEX: mm 1=0F 2=0F38 3=0F3A; pp 0=none 1=66 2=F3 3=F2 */
static Code VEX(int mm, int pp, int w, int vvvv, u8 opc, int reg, RM m, u64 imm, int immn) {
    Code c; memset(&c, 0, sizeof c);
    int rb = rexbits(reg, &m);
    p8(&c, 0xc4);
    p8(&c, (u8)((((~rb >> 2) & 1) << 7) | (((~rb >> 1) & 1) << 6) | ((~rb & 1) << 5) | mm));
    p8(&c, (u8)((w << 7) | ((~vvvv & 15) << 3) | pp));
    p8(&c, opc);
    int p = modrm(&c, reg, &m);
    pimm(&c, imm, immn);
    fixrip(&c, p, &m, g_addr);
    return c;
}

/* ------------------------------------------------------------------ operands & values */
static u64 szm(int s) { return s >= 8 ? ~0ULL : ((1ULL << (8 * s)) - 1); }
static u64 gar(void) { u64 g = rnd(); return IS64 ? g : (g & 0xffffffffULL); }
static u64 sext(u64 v, int s) { if (s >= 8) return v; int b = 8 * s; return (u64)((i64)(v << (64 - b)) >> (64 - b)); }
static u64 rflags(void) { return 2 | (rnd() & 0x8d5); }

typedef struct { int k; int reg; int size; int high; RM m; u64 ea; } Op;
enum { K_NONE, K_REG, K_MEM };
static Op OREG(int reg, int size) { Op o; memset(&o, 0, sizeof o); o.k = K_REG; o.reg = reg; o.size = size; return o; }
static Op OHI(int reg) { Op o = OREG(reg, 1); o.high = 1; return o; } /* reg 0..3 -> ah ch dh bh */
static Op OMEM(RM m, u64 ea, int size) {
    Op o; memset(&o, 0, sizeof o); o.k = K_MEM; o.m = m; o.ea = ea; o.size = size;
    if (m.mk == MK_RIP || m.mk == MK_ABS) o.m.target = ea;
    return o;
}
static RM rmof(const Op *o) {
    if (o->k == K_REG) return R(o->high ? o->reg + 4 : o->reg);
    return o->m;
}
static int fr8(const Op *o) { return o && o->k == K_REG && o->size == 1 && !o->high && o->reg >= 4 && o->reg < 8; }

static void setup_rm(In *in, const RM *m, u64 ea) {
    if (m->isreg) return;
    if (m->mk == MK_BD) in->r[m->base] = ea - (i64)m->disp;
    else if (m->mk == MK_SIB) {
        i64 idx = (i64)rndn(65) - 32;
        in->r[m->index] = (u64)idx;
        in->r[m->base] = ea - (i64)m->disp - idx * m->scale;
        if (!IS64) { in->r[m->index] &= 0xffffffff; in->r[m->base] &= 0xffffffff; }
    }
}
static void put(In *in, const Op *o, u64 v) {
    u64 m = szm(o->size);
    if (o->k == K_REG) {
        if (o->high) in->r[o->reg] = (gar() & ~0xff00ULL) | ((v & 0xff) << 8);
        else in->r[o->reg] = (gar() & ~m) | (v & m);
    } else if (o->k == K_MEM) {
        setup_rm(in, &o->m, o->ea);
        setmem(in, o->ea, v, o->size);
    }
}

static int addu(u64 *o, int n, u64 v) { for (int i = 0; i < n; i++) if (o[i] == v) return n; o[n] = v; return n + 1; }
/* edge values for an operand size; small=1 gives a reduced set for pairing */
static int edges(int s, u64 *o, int small) {
    u64 m = szm(s), smax = m >> 1, smin = smax + 1;
    static const u64 base_small[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL};
    static const u64 base_full[] = {0, 1, 2, 3, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
                                    0x80000000ULL, 0xffffffffULL, 0x100000000ULL, 0x5555555555555555ULL,
                                    0xaaaaaaaaaaaaaaaaULL, 0x0123456789abcdefULL};
    int n = 0;
    const u64 *b = small ? base_small : base_full;
    int nb = small ? (int)(sizeof base_small / 8) : (int)(sizeof base_full / 8);
    for (int i = 0; i < nb; i++) n = addu(o, n, b[i] & m);
    n = addu(o, n, smax); n = addu(o, n, smin); n = addu(o, n, smin + 1); n = addu(o, n, m); n = addu(o, n, m - 1);
    if (!small) { n = addu(o, n, smax - 1); n = addu(o, n, m - 0x7f); n = addu(o, n, m & ~0xffULL); }
    return n;
}
/* "interesting" random value */
static u64 rv(int s) {
    u64 m = szm(s), v;
    switch (rndn(10)) {
    case 0: v = rndn(34); break;
    case 1: v = -(u64)rndn(34); break;
    case 2: v = (m >> 1) + rndn(5) - 2; break;
    case 3: v = 1ULL << rndn(8 * s); break;
    case 4: v = rnd() & (rnd() | rnd()); break;
    case 5: v = rnd() | rnd() | rnd(); break;
    default: v = rnd(); break;
    }
    return v & m;
}

/* vectors for one or two operands: edge pairs + random */
static void v2(const Op *a, u64 va, const Op *b, u64 vb) {
    In in; init(&in);
    put(&in, a, va);
    if (b) put(&in, b, vb);
    in.fl = rflags();
    vec(&in);
}
static void gen_pairs(const Op *a, const Op *b, int nrand) {
    u64 ea[40], eb[40];
    int na = edges(a->size, ea, 1), nb = edges(b->size, eb, 1);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) v2(a, ea[i], b, eb[j]);
    for (int k = 0; k < nrand; k++) v2(a, rv(a->size), b, rv(b->size));
}
static void gen_single(const Op *a, int nrand) {
    u64 e[40];
    int n = edges(a->size, e, 0);
    for (int i = 0; i < n; i++) v2(a, e[i], 0, 0);
    for (int k = 0; k < nrand; k++) v2(a, rv(a->size), 0, 0);
}
/* dst gets random garbage, src gets edge/random values */
static void gen_mov(const Op *dst, const Op *src, int nrand) {
    u64 e[40];
    int n = edges(src->size, e, 0);
    for (int i = 0; i < n; i++) v2(dst, rnd(), src, e[i]);
    for (int k = 0; k < nrand; k++) v2(dst, rnd(), src, rv(src->size));
}

/* memory operand choices (base regs never used as value operands in the same form) */
static RM memrm(int k) {
    switch (k % 8) {
    case 0: return MBD(RBX, 0x10);
    case 1: return MBD(RBP, -0x20);
    case 2: return IS64 ? MSIB(RSI, R9, 4, 0x40) : MSIB(RSI, RBX, 4, 0x40);
    case 3: return IS64 ? MRIP() : MBD(RBX, 0);
    case 4: return MABS();
    case 5: return IS64 ? MBD(R12, 0) : MBD(RSI, 0);
    case 6: return IS64 ? MBD(R13, 0x123) : MBD(RBP, 0);
    default: return IS64 ? MSIB(R15, RBX, 8, -0x7f) : MSIB(RBX, RSI, 2, -8);
    }
}
static u64 pickea(int size) {
    u64 ea = DBASE + 0x100 + rndn(0xc00);
    if (rnd() & 1) ea &= ~(u64)(size - 1);
    return ea;
}
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    static char buf[8][160];
    static int k;
    k = (k + 1) & 7;
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf[k], sizeof buf[k], f, ap);
    va_end(ap);
    return buf[k];
}
