/* ept.elf: EPT checks (SDM vol. 3, 29.3 and 28.2.1): a 64-bit guest with its own page tables
   runs under EPT that maps the first 1 GiB identically by 2 MiB pages, except the 2 MiB at 64 MiB
   (REGION), mapped by 4 KiB pages that each check changes. The guest's page tables live in REGION
   (PML4, PDPT, PD in pages 0-2; PDPT entry 1 aliases linear 1-2 GiB to guest-physical 0-1 GiB, so
   a data access's linear and guest-physical addresses differ). After each change the host runs
   INVEPT, as software must (29.4.3.1). */
#include "check.h"
#include "vmcs.h"

const char bench_name[] = "vmx-tests/ept";
const uint64_t bench_default_iterations = 1;

#define REGION 0x4000000ULL
#define ALIAS 0x40000000ULL

#define EPT_R 1
#define EPT_W 2
#define EPT_X 4
#define EPT_RWX 7
#define EPT_WB (6 << 3)
#define EPT_A (1 << 8)
#define EPT_D (1 << 9)

/* Exit qualification bits (table "Exit Qualification for EPT Violations"). */
#define Q_READ 1
#define Q_WRITE 2
#define Q_FETCH 4
#define Q_READABLE 8
#define Q_WRITABLE 0x10
#define Q_EXECUTABLE 0x20
#define Q_GLA_VALID 0x80
#define Q_FINAL 0x100

static uint64_t ept_pml4[512] __attribute__((aligned(4096)));
static uint64_t ept_pdpt[512] __attribute__((aligned(4096)));
static uint64_t ept_pd[512] __attribute__((aligned(4096)));
static uint64_t ept_pt[512] __attribute__((aligned(4096)));

extern void guest_read(void), guest_write(void), guest_jump(void);

static uint64_t eptp, cap;
static struct guest_regs g;

static void invept(void) {
    struct { uint64_t eptp, zero; } descriptor = { eptp, 0 };
    uint64_t type = cap & (1 << 26) ? 2 : 1;      /* all-context, else single-context */
    __asm__ volatile("invept %0, %1" : : "m"(descriptor), "r"(type) : "cc", "memory");
}

static uint64_t page(int n) { return REGION + (uint64_t)n * 4096; }
static void map(int n, uint64_t bits) { ept_pt[n] = page(n) | bits; invept(); }
static void map_to(int n, uint64_t target, uint64_t bits) { ept_pt[n] = target | bits; invept(); }

static uint32_t run(void (*fn)(void), uint64_t rbx, uint64_t rax) {
    g.rbx = rbx;
    g.rax = rax;
    vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)fn);
    return vmx_run(&g);
}

/* One EPT-violation check: the exit reason, the qualification's architectural bits (0-8), the
   guest-physical and guest-linear addresses. */
static void violation(const char *name, uint32_t reason, uint64_t q, uint64_t gpa, uint64_t gla) {
    uint64_t got = vmread(EXIT_QUALIFICATION) & 0x1FF;
    if (reason != 48) { check(name, 0, reason); return; }
    if (got != q) { check(name, 0, got); return; }
    if (vmread(GUEST_PHYSICAL_ADDRESS) != gpa) { check(name, 0, vmread(GUEST_PHYSICAL_ADDRESS)); return; }
    if ((q & Q_GLA_VALID) && vmread(GUEST_LINEAR_ADDRESS) != gla) { check(name, 0, vmread(GUEST_LINEAR_ADDRESS)); return; }
    check(name, 1, 0);
}

uint64_t bench_run(uint64_t iterations) {
    (void)iterations;
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1 << 5))) bench_unsupported("no VMX (CPUID.1:ECX.VMX = 0)");
    cap = rdmsr(0x48C);                          /* IA32_VMX_EPT_VPID_CAP */
    if (!(cap & (1 << 6)) || !(cap & (1 << 14)) || !(cap & (1 << 20)) || !(cap & (3 << 25)))
        bench_unsupported("EPT without 4-level walks, write-back or INVEPT");

    /* Guest page tables in REGION pages 0-2, EPT identity. */
    uint64_t *gpml4 = (uint64_t *)(uintptr_t)page(0), *gpdpt = (uint64_t *)(uintptr_t)page(1);
    uint64_t *gpd = (uint64_t *)(uintptr_t)page(2);
    bench_zero(gpml4, 4096);
    bench_zero(gpdpt, 4096);
    gpml4[0] = page(1) | 3;
    gpdpt[0] = page(2) | 3;
    gpdpt[1] = page(2) | 3;
    for (uint64_t i = 0; i < 512; i++) gpd[i] = i << 21 | 0x83;
    ept_pml4[0] = (uint64_t)(uintptr_t)ept_pdpt | EPT_RWX;
    ept_pdpt[0] = (uint64_t)(uintptr_t)ept_pd | EPT_RWX;
    for (uint64_t i = 0; i < 512; i++) ept_pd[i] = i << 21 | EPT_RWX | EPT_WB | 1 << 7;
    ept_pd[REGION >> 21] = (uint64_t)(uintptr_t)ept_pt | EPT_RWX;
    for (int i = 0; i < 512; i++) ept_pt[i] = page(i) | EPT_RWX | EPT_WB;
    eptp = (uint64_t)(uintptr_t)ept_pml4 | 3 << 3 | 6;
    vmx_setup(guest_read, eptp);
    vmwrite(GUEST_CR3, page(0));
    invept();

    volatile uint64_t *data = (volatile uint64_t *)(uintptr_t)page(16);
    data[1] = 0x1234567887654321ULL;

    /* Identity EPT: the read completes and the guest reaches VMCALL. */
    uint32_t reason = run(guest_read, ALIAS + page(16) + 8, 0);
    check("identity EPT: read through the alias", reason == 18 && g.rax == 0x1234567887654321ULL,
          reason == 18 ? g.rax : reason);

    /* Not present: read, write, fetch; permissions all 0; final translation. */
    map(17, 0);
    violation("not present: read", run(guest_read, ALIAS + page(17) + 0x18, 0),
              Q_READ | Q_GLA_VALID | Q_FINAL, page(17) + 0x18, ALIAS + page(17) + 0x18);
    check("not present: RIP at the instruction", vmread(GUEST_RIP) == (uint64_t)(uintptr_t)guest_read,
          vmread(GUEST_RIP));
    violation("not present: write", run(guest_write, ALIAS + page(17) + 0x20, 5),
              Q_WRITE | Q_GLA_VALID | Q_FINAL, page(17) + 0x20, ALIAS + page(17) + 0x20);
    violation("not present: fetch", run(guest_jump, ALIAS + page(17) + 0x30, 0),
              Q_FETCH | Q_GLA_VALID | Q_FINAL, page(17) + 0x30, ALIAS + page(17) + 0x30);

    /* A write to a read/execute page; a fetch from a read/write page. */
    map(18, EPT_R | EPT_X | EPT_WB);
    violation("write to a read-only page", run(guest_write, ALIAS + page(18), 1),
              Q_WRITE | Q_READABLE | Q_EXECUTABLE | Q_GLA_VALID | Q_FINAL, page(18), ALIAS + page(18));
    reason = run(guest_read, ALIAS + page(18), 0);
    check("read from a read-only page", reason == 18, reason);
    map(19, EPT_R | EPT_W | EPT_WB);
    violation("fetch from a non-executable page", run(guest_jump, ALIAS + page(19) + 0x40, 0),
              Q_FETCH | Q_READABLE | Q_WRITABLE | Q_GLA_VALID | Q_FINAL, page(19) + 0x40, ALIAS + page(19) + 0x40);

    /* Execute-only (IA32_VMX_EPT_VPID_CAP[0]). */
    if (cap & 1) {
        uint8_t *code = (uint8_t *)(uintptr_t)page(20);
        code[0] = 0x0F; code[1] = 0x01; code[2] = 0xC1;          /* VMCALL */
        map(20, EPT_X | EPT_WB);
        reason = run(guest_jump, ALIAS + page(20), 0);
        check("execute-only: fetch", reason == 18, reason);
        violation("execute-only: read", run(guest_read, ALIAS + page(20), 0),
                  Q_READ | Q_EXECUTABLE | Q_GLA_VALID | Q_FINAL, page(20), ALIAS + page(20));
    }

    /* The guest's PD not present in EPT: the walk's read of the PDE exits with bit 8 clear. */
    map(2, 0);
    uint64_t pde = page(2) + ((uint64_t)(uintptr_t)guest_read >> 21 & 511) * 8;   /* the fetch walks first */
    violation("guest paging-structure access", run(guest_read, ALIAS + page(16), 0),
              Q_READ | Q_GLA_VALID, pde, (uint64_t)(uintptr_t)guest_read);
    map(2, EPT_RWX | EPT_WB);

    /* EPT misconfigurations (29.3.3.1): write without read, reserved memory type. */
    map(21, EPT_W | EPT_WB);
    reason = run(guest_read, ALIAS + page(21) + 8, 0);
    check("misconfiguration: write without read", reason == 49 && vmread(GUEST_PHYSICAL_ADDRESS) == page(21) + 8,
          reason == 49 ? vmread(GUEST_PHYSICAL_ADDRESS) : reason);
    map(21, EPT_RWX | 2 << 3);
    reason = run(guest_read, ALIAS + page(21) + 16, 0);
    check("misconfiguration: memory type 2", reason == 49 && vmread(GUEST_PHYSICAL_ADDRESS) == page(21) + 16,
          reason == 49 ? vmread(GUEST_PHYSICAL_ADDRESS) : reason);
    map(21, EPT_RWX | EPT_WB);

    /* INVEPT makes a changed mapping visible. */
    volatile uint64_t *other = (volatile uint64_t *)(uintptr_t)page(23);
    ((volatile uint64_t *)(uintptr_t)page(22))[0] = 111;
    other[0] = 222;
    reason = run(guest_read, ALIAS + page(22), 0);
    check("INVEPT: old mapping", reason == 18 && g.rax == 111, g.rax);
    map_to(22, page(23), EPT_RWX | EPT_WB);
    reason = run(guest_read, ALIAS + page(22), 0);
    check("INVEPT: new mapping visible", reason == 18 && g.rax == 222, g.rax);

    /* Accessed and dirty flags (EPTP bit 6, IA32_VMX_EPT_VPID_CAP[21]). */
    if (cap & (1 << 21)) {
        eptp |= 1 << 6;
        vmwrite(EPT_POINTER, eptp);
        for (int i = 0; i < 512; i++) ept_pt[i] &= ~(uint64_t)(EPT_A | EPT_D);
        ept_pd[REGION >> 21] &= ~(uint64_t)EPT_A;
        invept();
        reason = run(guest_read, ALIAS + page(24), 0);
        check("A/D: read sets accessed only", reason == 18 && (ept_pt[24] & (EPT_A | EPT_D)) == EPT_A, ept_pt[24]);
        check("A/D: accessed in the PDE used", (ept_pd[REGION >> 21] & EPT_A) != 0, ept_pd[REGION >> 21]);
        check("A/D: guest page-table pages are written", (ept_pt[2] & (EPT_A | EPT_D)) == (EPT_A | EPT_D), ept_pt[2]);
        reason = run(guest_write, ALIAS + page(25), 7);
        check("A/D: write sets dirty", reason == 18 && (ept_pt[25] & (EPT_A | EPT_D)) == (EPT_A | EPT_D), ept_pt[25]);
        check("A/D: untouched page clear", (ept_pt[26] & (EPT_A | EPT_D)) == 0, ept_pt[26]);
        /* SDM 28.2.1 (footnote to the exit-qualification table): such an access that causes an
           EPT violation sets both bit 0 and bit 1. Bochs 2.7 sets only bit 1. */
        map(2, 0);
        violation("A/D: paging-structure access counts as a write", run(guest_read, ALIAS + page(16), 0),
                  Q_READ | Q_WRITE | Q_GLA_VALID, pde, (uint64_t)(uintptr_t)guest_read);
        map(2, EPT_RWX | EPT_WB);
        eptp &= ~(uint64_t)(1 << 6);
        vmwrite(EPT_POINTER, eptp);
        invept();
    }

    /* VPID (29.4): with a VPID the guest's translations may survive VM exits, so the host must
       invalidate what it changes: INVEPT for EPT entries, INVVPID for guest page tables. */
    uint64_t secondary_allowed = rdmsr(0x48B) >> 32;
    if ((secondary_allowed & (1 << 5)) && (cap & (1ULL << 32)) && (cap & (3ULL << 40)) == 3ULL << 40) {
        vmwrite(0x401E, vmread(0x401E) | 1 << 5);          /* enable VPID */
        vmwrite(0x0000, 1);                                  /* VPID 1 */
        volatile uint64_t *a = (volatile uint64_t *)(uintptr_t)(66ULL << 20);
        volatile uint64_t *b = (volatile uint64_t *)(uintptr_t)(68ULL << 20);
        a[0] = 0xAAAA;
        b[0] = 0xBBBB;
        ((volatile uint64_t *)(uintptr_t)page(28))[0] = 444;
        ((volatile uint64_t *)(uintptr_t)page(29))[0] = 555;
        reason = run(guest_read, ALIAS + page(28), 0);
        check("VPID: read", reason == 18 && g.rax == 444, g.rax);
        map_to(28, page(29), EPT_RWX | EPT_WB);
        reason = run(guest_read, ALIAS + page(28), 0);
        check("VPID: INVEPT makes a changed mapping visible", reason == 18 && g.rax == 555, g.rax);
        struct { uint64_t vpid, linear; } d = { 1, ALIAS + (66ULL << 20) };
        for (uint64_t type = 0; type < 2; type++) {
            gpd[33] = 33ULL << 21 | 0x83;
            __asm__ volatile("invvpid %0, %1" : : "m"(d), "r"(1ULL) : "cc", "memory");
            reason = run(guest_read, ALIAS + (66ULL << 20), 0);
            check(type ? "VPID: guest page-table change, before (single-context)" : "VPID: guest page-table change, before (individual-address)",
                  reason == 18 && g.rax == 0xAAAA, g.rax);
            gpd[33] = 34ULL << 21 | 0x83;
            __asm__ volatile("invvpid %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
            reason = run(guest_read, ALIAS + (66ULL << 20), 0);
            check(type ? "VPID: INVVPID single-context makes it visible" : "VPID: INVVPID individual-address makes it visible",
                  reason == 18 && g.rax == 0xBBBB, g.rax);
        }
        vmwrite(0x401E, vmread(0x401E) & ~(1ULL << 5));
    }

    /* VM-entry checks of the EPTP (26.2.1.1): VMfailValid with error 7. */
    uint64_t bad[] = {
        (eptp & ~7ULL) | 1,                      /* memory type WC */
        (eptp & ~0x38ULL) | 4 << 3,              /* page-walk length 5 (not advertised: bit 7 clear) */
        eptp | 1 << 8,                           /* reserved bit 8 */
    };
    const char *names[] = { "EPTP check: memory type 1", "EPTP check: walk length 5", "EPTP check: bit 8" };
    for (int i = 0; i < 3; i++) {
        if (i == 1 && (cap & (1 << 7))) continue;
        vmwrite(EPT_POINTER, bad[i]);
        int failed = vmx_enter(&g, 1);
        uint64_t error = vmread(VM_INSTRUCTION_ERROR);
        check(names[i], failed && error == 7, failed ? error : 0xFFFF);
    }
    vmwrite(EPT_POINTER, eptp);
    reason = run(guest_read, ALIAS + page(16) + 8, 0);
    check("valid EPTP again", reason == 18, reason);

    check_summary();
}
