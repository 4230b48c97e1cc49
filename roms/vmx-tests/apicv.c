/* apicv.elf: APIC virtualization checks (SDM vol. 3, chapter 29; exit qualifications of 28.2.1;
   VM-entry checks of 26.2.1.1): the TPR shadow with MOV CR8 and the TPR-below-threshold exit
   (43), APIC-access exits (44) and VTPR accesses through the APIC-access page, "virtualize x2APIC
   mode" for MSR 808H, APIC-register virtualization with APIC-write exits (56), virtual-interrupt
   delivery (self IPIs, EOIs, EOI-induced exits (45), evaluation at VM entry). The guest shares the
   host's page tables (no EPT); each guest routine ends with VMCALL (exit 18). */
#include "check.h"
#include "vmcs.h"

const char bench_name[] = "vmx-tests/apicv";
const uint64_t bench_default_iterations = 1;

#define EOI_EXIT_BITMAP(n) (0x201C + 2 * (n))
#define PROCESS_POSTED_INTERRUPTS (1u << 7)
#define ACKNOWLEDGE_INTERRUPT_ON_EXIT (1u << 15)
#define APIC_BASE 0xFEE00000ULL

#define EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define USE_TPR_SHADOW (1u << 21)
#define USE_MSR_BITMAPS (1u << 28)
#define ACTIVATE_SECONDARY (1u << 31)
#define VIRTUALIZE_APIC_ACCESSES (1u << 0)
#define VIRTUALIZE_X2APIC_MODE (1u << 4)
#define APIC_REGISTER_VIRTUALIZATION (1u << 8)
#define VIRTUAL_INTERRUPT_DELIVERY (1u << 9)

static uint8_t vapic[4096] __attribute__((aligned(4096)));
static uint8_t apic_access[4096] __attribute__((aligned(4096)));
static uint8_t msr_bitmaps[4096] __attribute__((aligned(4096)));
static uint64_t idt[512] __attribute__((aligned(16)));
static uint64_t descriptor[8] __attribute__((aligned(64)));
static uint64_t apic_pd[512] __attribute__((aligned(4096)));
extern uint64_t pdpt[512];

extern void guest_read32(void), guest_write32(void), guest_jump(void), guest_cr8_read(void),
    guest_cr8_write(void), guest_cr8_write_end(void), guest_write32_end(void), guest_rdmsr(void),
    guest_wrmsr(void), guest_wrmsr_end(void), guest_sti_nop(void), guest_isr(void);

__asm__(
    ".text\n.code64\n"
    "guest_read32: mov (%rbx), %eax\n vmcall\n"
    "guest_write32: mov %eax, (%rbx)\n"
    "guest_write32_end: vmcall\n"
    "guest_jump: jmp *%rbx\n"
    "guest_cr8_read: mov %cr8, %rax\n vmcall\n"
    "guest_cr8_write: mov %rax, %cr8\n"
    "guest_cr8_write_end: vmcall\n"
    "guest_rdmsr: rdmsr\n vmcall\n"
    "guest_wrmsr: wrmsr\n"
    "guest_wrmsr_end: vmcall\n"
    "guest_sti_nop: sti\n nop\n vmcall\n"
    "guest_isr: vmcall\n");

static struct guest_regs g;
static uint32_t primary0, secondary_allowed, pin0;

static uint64_t addr(const void *p) { return (uint64_t)(uintptr_t)p; }
static uint32_t *vreg(int offset) { return (uint32_t *)(vapic + offset); }

/* The controls of one check: TPR shadow plus `secondary`, VTPR and the threshold. */
static void configure(uint32_t secondary, uint32_t vtpr, uint32_t threshold) {
    bench_zero(vapic, 4096);
    *vreg(0x80) = vtpr;
    vmwrite(PRIMARY, primary0 | USE_TPR_SHADOW | (secondary ? ACTIVATE_SECONDARY | USE_MSR_BITMAPS : 0));
    vmwrite(SECONDARY, secondary);
    vmwrite(PIN, pin0 | (secondary & VIRTUAL_INTERRUPT_DELIVERY ? EXTERNAL_INTERRUPT_EXITING : 0));
    vmwrite(TPR_THRESHOLD, threshold);
    vmwrite(GUEST_INTERRUPT_STATUS, 0);
    for (int n = 0; n < 4; n++) vmwrite(EOI_EXIT_BITMAP(n), 0);
    vmwrite(GUEST_RFLAGS, secondary & VIRTUAL_INTERRUPT_DELIVERY ? 0x202 : 2);
}

static uint32_t run(void (*fn)(void), uint64_t rbx, uint64_t rax) {
    g.rbx = rbx;
    g.rax = rax;
    vmwrite(GUEST_RIP, addr(fn));
    return vmx_run(&g);
}

static uint32_t run_msr(void (*fn)(void), uint32_t msr, uint64_t value) {
    g.rcx = msr;
    g.rdx = value >> 32;
    return run(fn, 0, value & 0xFFFFFFFF);
}

/* Exit reason `want` with qualification `q`. */
static void exit_with(const char *name, uint32_t reason, uint32_t want, uint64_t q) {
    if (reason != want) { check(name, 0, reason); return; }
    check(name, vmread(EXIT_QUALIFICATION) == q, vmread(EXIT_QUALIFICATION));
}

/* VMLAUNCH/VMRESUME fails with VMfailValid(7) (26.2.1.1). */
static void entry_fails(const char *name) {
    vmwrite(GUEST_RIP, addr(guest_isr));
    int failed = vmx_enter(&g, 1);
    uint64_t error = vmread(VM_INSTRUCTION_ERROR);
    check(name, failed && error == 7, failed ? error : 0xFFFF);
}

static void gate(int vector) {
    uint64_t h = addr(guest_isr);
    idt[2 * vector] = (h & 0xFFFF) | 0x08ULL << 16 | 0x8E00ULL << 32 | ((h >> 16) & 0xFFFF) << 48;
    idt[2 * vector + 1] = h >> 32;
}

static void tpr_shadow_checks(void) {
    configure(0, 0x70, 0);
    uint32_t reason = run(guest_cr8_read, 0, 0);
    check("TPR shadow: MOV from CR8 reads VTPR[7:4]", reason == 18 && g.rax == 7, reason == 18 ? g.rax : reason);
    configure(0, 0x70, 2);
    reason = run(guest_cr8_write, 0, 3);
    check("TPR shadow: MOV to CR8 writes VTPR", reason == 18 && *vreg(0x80) == 0x30, reason == 18 ? *vreg(0x80) : reason);
    reason = run(guest_cr8_write, 0, 1);
    exit_with("TPR shadow: below threshold exits (43)", reason, 43, 0);
    check("TPR shadow: the exit is trap-like", vmread(GUEST_RIP) == addr(guest_cr8_write_end), vmread(GUEST_RIP));
    check("TPR shadow: VTPR written before the exit", *vreg(0x80) == 0x10, *vreg(0x80));
    configure(0, 0x20, 5);
    entry_fails("entry check: TPR threshold above VTPR");
    configure(0, 0, 0);
    vmwrite(VIRTUAL_APIC_ADDRESS, addr(vapic) + 8);
    entry_fails("entry check: virtual-APIC address alignment");
    vmwrite(VIRTUAL_APIC_ADDRESS, addr(vapic));
    configure(0, 0, 0x10);
    entry_fails("entry check: TPR threshold bits 31:4");
}

static void apic_access_checks(void) {
    uint64_t page = addr(apic_access);
    configure(VIRTUALIZE_APIC_ACCESSES, 0x40, 0);
    uint32_t reason = run(guest_read32, page + 0x20, 0);
    exit_with("APIC access: read of the ID (offset, type 0)", reason, 44, 0x020);
    check("APIC access: fault-like", vmread(GUEST_RIP) == addr(guest_read32), vmread(GUEST_RIP));
    exit_with("APIC access: write of ICR low (type 1)", run(guest_write32, page + 0x300, 0), 44, 0x1300);
    exit_with("APIC access: instruction fetch (type 2)", run(guest_jump, page + 0x100, 0), 44, 0x2100);
    reason = run(guest_read32, page + 0x80, 0);
    check("APIC access: VTPR read from the virtual-APIC page", reason == 18 && g.rax == 0x40, reason == 18 ? g.rax : reason);
    reason = run(guest_write32, page + 0x80, 0xFFFFFF50);
    check("APIC access: VTPR write, bytes 83H:81H cleared", reason == 18 && *vreg(0x80) == 0x50 && apic_access[0x80] == 0,
          reason == 18 ? *vreg(0x80) : reason);
    configure(VIRTUALIZE_APIC_ACCESSES, 0x40, 3);
    reason = run(guest_write32, page + 0x80, 0x20);
    exit_with("APIC access: VTPR write below threshold (43)", reason, 43, 0);
    check("APIC access: TPR exit after the write", vmread(GUEST_RIP) == addr(guest_write32_end), vmread(GUEST_RIP));
    configure(VIRTUALIZE_APIC_ACCESSES, 0x20, 5);
    reason = run(guest_isr, 0, 0);
    check("APIC access: threshold above VTPR exits right after entry",
          reason == 43 && vmread(GUEST_RIP) == addr(guest_isr), reason);
    configure(VIRTUALIZE_APIC_ACCESSES | VIRTUALIZE_X2APIC_MODE, 0, 0);
    entry_fails("entry check: x2APIC mode and APIC accesses exclusive");
    configure(VIRTUALIZE_APIC_ACCESSES, 0, 0);
    vmwrite(APIC_ACCESS_ADDRESS, page + 0x10);
    entry_fails("entry check: APIC-access address alignment");
    vmwrite(APIC_ACCESS_ADDRESS, page);
}

static void x2apic_checks(void) {
    configure(VIRTUALIZE_X2APIC_MODE, 0x60, 0);
    *vreg(0x84) = 0xAB;
    uint32_t reason = run_msr(guest_rdmsr, 0x808, 0);
    check("x2APIC: RDMSR 808H reads bytes 87H:80H", reason == 18 && g.rax == 0x60 && g.rdx == 0xAB,
          reason == 18 ? g.rdx << 32 | g.rax : reason);
    configure(VIRTUALIZE_X2APIC_MODE, 0x60, 2);
    reason = run_msr(guest_wrmsr, 0x808, 0x30);
    check("x2APIC: WRMSR 808H writes VTPR", reason == 18 && *vreg(0x80) == 0x30 && *vreg(0x84) == 0,
          reason == 18 ? *vreg(0x80) : reason);
    reason = run_msr(guest_wrmsr, 0x808, 0x10);
    exit_with("x2APIC: WRMSR 808H below threshold (43)", reason, 43, 0);
    check("x2APIC: TPR exit after WRMSR", vmread(GUEST_RIP) == addr(guest_wrmsr_end), vmread(GUEST_RIP));
    configure(VIRTUALIZE_X2APIC_MODE, 0x60, 0);
    vmwrite(EXCEPTION_BITMAP, 1 << 13);
    reason = run_msr(guest_wrmsr, 0x808, 0x100);
    check("x2APIC: WRMSR 808H with bits 63:8 set is #GP", reason == 0 && (vmread(EXIT_INTERRUPTION_INFO) & 0xFF) == 13,
          reason);
    vmwrite(EXCEPTION_BITMAP, 0);
}

static void register_checks(void) {
    uint64_t page = addr(apic_access);
    configure(VIRTUALIZE_APIC_ACCESSES | APIC_REGISTER_VIRTUALIZATION, 0, 0);
    *vreg(0x30) = 0x50014;
    uint32_t reason = run(guest_read32, page + 0x30, 0);
    check("register virtualization: version read", reason == 18 && g.rax == 0x50014, reason == 18 ? g.rax : reason);
    exit_with("register virtualization: reserved offset 40H exits", run(guest_read32, page + 0x40, 0), 44, 0x040);
    reason = run(guest_write32, page + 0x320, 0x10030);
    exit_with("register virtualization: LVT timer write, APIC-write exit (56)", reason, 56, 0x320);
    check("register virtualization: APIC-write exit after the write",
          vmread(GUEST_RIP) == addr(guest_write32_end) && *vreg(0x320) == 0x10030, *vreg(0x320));
}

static void virtual_interrupt_checks(void) {
    uint64_t page = addr(apic_access);
    configure(VIRTUALIZE_APIC_ACCESSES | VIRTUAL_INTERRUPT_DELIVERY, 0, 0);
    vmwrite(PIN, pin0);
    entry_fails("entry check: virtual-interrupt delivery needs external-interrupt exiting");
    configure(VIRTUALIZE_APIC_ACCESSES | VIRTUAL_INTERRUPT_DELIVERY, 0, 0);
    uint32_t reason = run(guest_write32, page + 0x300, 0x40050);
    check("virtual interrupts: self IPI delivered", reason == 18 && vmread(GUEST_RIP) == addr(guest_isr), reason);
    check("virtual interrupts: SVI = 50H, RVI = 0", vmread(GUEST_INTERRUPT_STATUS) == 0x5000, vmread(GUEST_INTERRUPT_STATUS));
    check("virtual interrupts: VISR and VPPR", (*vreg(0x120) & (1 << 16)) && *vreg(0xA0) == 0x50, *vreg(0xA0));
    vmwrite(EOI_EXIT_BITMAP(1), 1 << 16);
    exit_with("virtual interrupts: EOI-induced exit (45)", run(guest_write32, page + 0xB0, 0), 45, 0x50);
    check("virtual interrupts: EOI clears VISR and SVI",
          vmread(GUEST_INTERRUPT_STATUS) == 0 && !(*vreg(0x120) & (1 << 16)) && *vreg(0xA0) == 0,
          vmread(GUEST_INTERRUPT_STATUS));

    configure(VIRTUALIZE_APIC_ACCESSES | VIRTUAL_INTERRUPT_DELIVERY, 0x30, 0);
    *vreg(0x210) = 1 << 17;                      /* VIRR[31H] */
    vmwrite(GUEST_INTERRUPT_STATUS, 0x31);
    reason = run(guest_isr, 0, 0);
    check("virtual interrupts: RVI class not above VPPR waits", reason == 18 && vmread(GUEST_INTERRUPT_STATUS) == 0x31,
          vmread(GUEST_INTERRUPT_STATUS));
    *vreg(0x80) = 0x20;
    vmwrite(GUEST_RFLAGS, 2);
    reason = run(guest_sti_nop, 0, 0);
    check("virtual interrupts: delivered after STI blocking", reason == 18 && vmread(GUEST_RIP) == addr(guest_isr)
          && vmread(GUEST_INTERRUPT_STATUS) == 0x3100, vmread(GUEST_INTERRUPT_STATUS));

    configure(VIRTUALIZE_X2APIC_MODE | APIC_REGISTER_VIRTUALIZATION | VIRTUAL_INTERRUPT_DELIVERY, 0, 0);
    reason = run_msr(guest_wrmsr, 0x83F, 0x60);
    check("x2APIC: WRMSR 83FH is a self IPI", reason == 18 && vmread(GUEST_RIP) == addr(guest_isr)
          && vmread(GUEST_INTERRUPT_STATUS) == 0x6000, vmread(GUEST_INTERRUPT_STATUS));
    reason = run_msr(guest_rdmsr, 0x80A, 0);
    check("x2APIC: RDMSR 80AH reads VPPR", reason == 18 && g.rax == 0x60, reason == 18 ? g.rax : reason);
    vmwrite(EOI_EXIT_BITMAP(1), 1ULL << 32);
    exit_with("x2APIC: WRMSR 80BH EOI-induced exit", run_msr(guest_wrmsr, 0x80B, 0), 45, 0x60);
}

/* Posted interrupts (29.6): the guest sends a self IPI with the notification vector through the
   physical local APIC; it is acknowledged and dismissed, PIR moves into VIRR and the posted
   vector is delivered to the guest at once, without a VM exit. */
static void posted_interrupt_checks(void) {
    if (!(rdmsr(0x48D) >> 32 & PROCESS_POSTED_INTERRUPTS)) return;
    /* The start-up code maps the first GiB only: map the 2 MiB holding the local APIC's page
       (uncached), for the host and the guest, which shares the host's page tables. */
    apic_pd[(APIC_BASE >> 21) & 511] = APIC_BASE | 0x93;
    pdpt[3] = addr(apic_pd) | 3;
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
    volatile uint32_t *apic = (volatile uint32_t *)(uintptr_t)APIC_BASE;
    apic[0xF0 / 4] = 0x1FF;                      /* software-enable the local APIC */
    configure(VIRTUALIZE_APIC_ACCESSES | VIRTUAL_INTERRUPT_DELIVERY, 0, 0);
    vmwrite(PIN, pin0 | EXTERNAL_INTERRUPT_EXITING | PROCESS_POSTED_INTERRUPTS);
    uint64_t exit_controls = vmread(EXIT_CONTROLS);
    vmwrite(EXIT_CONTROLS, exit_controls | ACKNOWLEDGE_INTERRUPT_ON_EXIT);
    vmwrite(NOTIFICATION_VECTOR, 0xF2);
    vmwrite(DESCRIPTOR_ADDRESS, addr(descriptor));
    bench_zero(descriptor, sizeof descriptor);
    descriptor[1] = 1ULL << 5;                   /* PIR[45H] */
    descriptor[4] = 1;                           /* ON */
    gate(0x45);
    uint32_t reason = run(guest_write32, APIC_BASE + 0x300, 0x400F2);
    check("posted interrupt: posted vector delivered without an exit",
          reason == 18 && vmread(GUEST_RIP) == addr(guest_isr), reason);
    check("posted interrupt: SVI = 45H", vmread(GUEST_INTERRUPT_STATUS) == 0x4500, vmread(GUEST_INTERRUPT_STATUS));
    check("posted interrupt: PIR and ON cleared", descriptor[1] == 0 && descriptor[4] == 0, descriptor[1] | descriptor[4]);
    check("posted interrupt: notification dismissed (ISR clear)", (apic[(0x100 + 0x70) / 4] & (1u << 18)) == 0,
          apic[(0x100 + 0x70) / 4]);
    vmwrite(EXIT_CONTROLS, exit_controls);
}

uint64_t bench_run(uint64_t iterations) {
    (void)iterations;
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1 << 5))) bench_unsupported("no VMX (CPUID.1:ECX.VMX = 0)");
    uint64_t basic = rdmsr(0x480);
    int true_ctls = (basic >> 55) & 1;
    uint64_t primary_caps = rdmsr(true_ctls ? 0x48E : 0x482);
    if (!(primary_caps >> 32 & ACTIVATE_SECONDARY) || !(primary_caps >> 32 & USE_TPR_SHADOW))
        bench_unsupported("no TPR shadow or secondary controls");
    secondary_allowed = (uint32_t)(rdmsr(0x48B) >> 32);
    uint32_t wanted = VIRTUALIZE_APIC_ACCESSES | VIRTUALIZE_X2APIC_MODE | APIC_REGISTER_VIRTUALIZATION
        | VIRTUAL_INTERRUPT_DELIVERY;
    if ((secondary_allowed & wanted) != wanted) bench_unsupported("APIC virtualization controls not all allowed");

    /* External-interrupt exiting is on with virtual-interrupt delivery: mask the 8259s so that
       no timer interrupt left running by the boot loader exits (reason 1) instead. */
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
    vmx_setup(guest_isr, 0);
    primary0 = (uint32_t)vmread(PRIMARY);
    pin0 = (uint32_t)vmread(PIN);
    vmwrite(VIRTUAL_APIC_ADDRESS, addr(vapic));
    vmwrite(APIC_ACCESS_ADDRESS, addr(apic_access));
    vmwrite(MSR_BITMAP, addr(msr_bitmaps));
    bench_zero(msr_bitmaps, 4096);
    bench_zero(apic_access, 4096);
    bench_zero(idt, sizeof idt);
    gate(0x31);
    gate(0x50);
    gate(0x60);
    vmwrite(GUEST_IDTR_BASE, addr(idt));
    vmwrite(GUEST_IDTR_LIMIT, sizeof idt - 1);

    tpr_shadow_checks();
    apic_access_checks();
    x2apic_checks();
    register_checks();
    virtual_interrupt_checks();
    posted_interrupt_checks();

    check_summary();
}
