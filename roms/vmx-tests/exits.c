/* exits.elf: VM exits and their information fields (SDM vol. 3, ch. 25 "VMX non-root operation"
   for what causes each exit, 27.2 for the exit qualification (table "Exit Qualification for
   Control-Register Accesses", "... for MOV DR", "... for I/O Instructions"), the instruction
   length and the interruption information), and event injection (26.6). The guest is a copy of
   the host's 64-bit ring-0 state running exits.S routines that end with VMCALL. */
#include "check.h"
#include "vmcs.h"

const char bench_name[] = "vmx-tests/exits";
const uint64_t bench_default_iterations = 1;

extern void g_cpuid(void), g_hlt(void), g_invlpg(void), g_rdtsc(void), g_to_cr3(void),
    g_from_cr3(void), g_to_cr0(void), g_to_cr4(void), g_clts(void), g_lmsw(void), g_to_cr8(void),
    g_from_cr8(void), g_to_dr7(void), g_from_dr0(void), g_out_imm(void), g_in_dx(void),
    g_in_dx_word(void), g_rep_outsb(void), g_rdmsr(void), g_wrmsr(void), g_ud2(void),
    g_read(void), g_nops(void), guest_vectors(void), g_rdrand_flags(void), g_rdrand(void),
    g_rdseed_cx(void), g_rdrand_r9d(void), g_pause_loop(void), g_pause_loop_pause(void),
    g_pause_spaced(void), g_pause_spaced_pause(void), g_xsaves(void), g_xrstors(void);

static uint8_t io_a[4096] __attribute__((aligned(4096)));
static uint8_t io_b[4096] __attribute__((aligned(4096)));
static uint8_t msr_bitmap[4096] __attribute__((aligned(4096)));
static uint64_t guest_idt[512] __attribute__((aligned(4096)));
static struct guest_regs g;
static uint64_t guest_rsp, primary0, pin0, exit0, primary_allowed, pin_allowed, exit_allowed, secondary_allowed;
static uint8_t out_bytes[2] = { 'o', 'k' };
static uint8_t xsave_area[1024] __attribute__((aligned(64)));

static uint64_t pa(const void *p) { return (uint64_t)(uintptr_t)p; }

static uint32_t run(void (*fn)(void), uint64_t rbx, uint64_t rdx) {
    g.rbx = rbx;
    g.rdx = rdx;
    g.rax = 0;
    vmwrite(GUEST_RIP, pa(fn));
    vmwrite(GUEST_RSP, guest_rsp);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    return vmx_run(&g);
}

static int primary(uint32_t bits) {
    if ((bits & primary_allowed) != bits) return 0;
    vmwrite(PRIMARY, primary0 | bits);
    return 1;
}

/* The primary controls `bits` plus "activate secondary controls", and the secondary controls
   `bits2`; 0 if any of them is not allowed. */
static int secondary(uint32_t bits, uint32_t bits2) {
    if ((bits2 & secondary_allowed) != bits2 || !primary(bits | 1u << 31)) return 0;
    vmwrite(SECONDARY, bits2);
    return 1;
}

static uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* One exit check: the basic reason, the qualification (unless ~0), the instruction length
   (unless 0). */
static void expect_exit(const char *name, uint32_t reason, uint32_t want, uint64_t qual, uint64_t length) {
    if (reason != want) { check(name, 0, reason); return; }
    uint64_t q = vmread(EXIT_QUALIFICATION);
    if (qual != ~0ULL && q != qual) { check(name, 0, q); return; }
    uint64_t l = vmread(EXIT_INSTRUCTION_LENGTH);
    check(name, length == 0 || l == length, l);
}

static void injected(const char *name, uint32_t info, uint32_t error, uint32_t length,
                     uint64_t want_vector, uint64_t want_rbx, uint64_t want_rcx) {
    vmwrite(ENTRY_INTERRUPTION_INFO, info);
    vmwrite(ENTRY_ERROR_CODE, error);
    vmwrite(ENTRY_INSTRUCTION_LENGTH, length);
    vmwrite(GUEST_RFLAGS, 0x202);
    uint32_t reason = run(g_nops, 0, 0);
    vmwrite(GUEST_RFLAGS, 2);
    int ok = reason == 18 && g.rax == want_vector && g.rbx == want_rbx && (want_rcx == ~0ULL || g.rcx == want_rcx)
             && !(vmread(ENTRY_INTERRUPTION_INFO) >> 31);
    check(name, ok, reason == 18 ? g.rax << 32 ^ g.rbx : reason);
}

uint64_t bench_run(uint64_t iterations) {
    (void)iterations;
    uint64_t idt = faults_install();
    outb(0x21, 0xFF);                              /* mask the 8259 PICs: no stray interrupts */
    outb(0xA1, 0xFF);
    vmx_setup(g_cpuid, 0);
    vmwrite(0x6C0E, idt);
    uint64_t basic = rdmsr(0x480);
    int true_ctls = (basic >> 55) & 1;
    primary_allowed = rdmsr(true_ctls ? 0x48E : 0x482) >> 32;
    pin_allowed = rdmsr(true_ctls ? 0x48D : 0x481) >> 32;
    exit_allowed = rdmsr(true_ctls ? 0x48F : 0x483) >> 32;
    secondary_allowed = primary_allowed >> 31 ? rdmsr(0x48B) >> 32 : 0;
    primary0 = vmread(PRIMARY);
    pin0 = vmread(PIN);
    exit0 = vmread(EXIT_CONTROLS);
    guest_rsp = vmread(GUEST_RSP);
    for (uint64_t v = 0; v < 256; v++) {
        uint64_t h = pa(guest_vectors) + 16 * v;
        guest_idt[2 * v] = (h & 0xFFFF) | 0x08ULL << 16 | 0x8EULL << 40 | (h >> 16 & 0xFFFF) << 48;
        guest_idt[2 * v + 1] = h >> 32;
    }
    vmwrite(GUEST_IDTR_BASE, pa(guest_idt));
    vmwrite(GUEST_IDTR_LIMIT, 4095);

    /* Unconditional exits (25.1.2). */
    expect_exit("CPUID: reason 10, length 2", run(g_cpuid, 0, 0), 10, 0, 2);
    expect_exit("VMCALL: reason 18, length 3", run(g_nops, 0, 0), 18, 0, 3);
    if (primary(1 << 7)) expect_exit("HLT exiting: reason 12, length 1", run(g_hlt, 0, 0), 12, 0, 1);
    if (primary(1 << 9)) expect_exit("INVLPG exiting: reason 14, qualification = linear address", run(g_invlpg, 0x123456789ULL, 0), 14, 0x123456789ULL, 3);
    if (primary(1 << 12)) expect_exit("RDTSC exiting: reason 16, length 2", run(g_rdtsc, 0, 0), 16, 0, 2);
    if (primary(1 << 3)) {
        uint64_t offset = 1ULL << 50;
        vmwrite(TSC_OFFSET, offset);
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        uint64_t before = (uint64_t)hi << 32 | lo;
        uint32_t reason = run(g_rdtsc, 0, 0);
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        uint64_t after = (uint64_t)hi << 32 | lo;
        check("TSC offsetting: guest RDTSC = host TSC + offset", reason == 18 && g.rax >= before + offset && g.rax <= after + offset, g.rax);
        vmwrite(TSC_OFFSET, 0);
    }

    /* Control-register accesses (25.1.3; qualification: 27.2.1 table 28-3). RBX is register 3. */
    uint64_t cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();
    if (primary(1 << 15)) expect_exit("MOV to CR3 with CR3-load exiting: qualification 0x303", run(g_to_cr3, cr3, 0), 28, 0x303, 3);
    if (primary(1 << 16)) expect_exit("MOV from CR3 with CR3-store exiting: qualification 0x313", run(g_from_cr3, 0, 0), 28, 0x313, 3);
    if (primary(1 << 19)) expect_exit("MOV to CR8 with CR8-load exiting: qualification 0x308", run(g_to_cr8, 0, 0), 28, 0x308, 4);
    if (primary(1 << 20)) expect_exit("MOV from CR8 with CR8-store exiting: qualification 0x318", run(g_from_cr8, 0, 0), 28, 0x318, 4);
    primary(0);
    vmwrite(CR0_MASK, 8);                          /* CR0.TS owned by the host */
    vmwrite(CR0_SHADOW, 0);
    expect_exit("MOV to CR0 changing a masked bit: qualification 0x300", run(g_to_cr0, cr0 | 8, 0), 28, 0x300, 3);
    uint32_t reason = run(g_to_cr0, cr0 & ~8ULL, 0);
    check("MOV to CR0 matching the read shadow: no exit", reason == 18, reason);
    expect_exit("LMSW changing a masked bit: qualification 0x30 | source << 16", run(g_lmsw, (cr0 & 0xF) | 8, 0), 28, 0x30 | ((cr0 & 0xF) | 8) << 16, 3);
    vmwrite(CR0_SHADOW, 8);
    expect_exit("CLTS with TS masked and set in the shadow: qualification 0x20", run(g_clts, 0, 0), 28, 0x20, 2);
    vmwrite(CR0_MASK, 0);
    vmwrite(CR0_SHADOW, 0);
    vmwrite(CR4_MASK, 4);                          /* CR4.TSD */
    vmwrite(CR4_SHADOW, 0);
    expect_exit("MOV to CR4 changing a masked bit: qualification 0x304", run(g_to_cr4, cr4 | 4, 0), 28, 0x304, 3);
    vmwrite(CR4_MASK, 0);

    /* MOV DR (27.2.1 table 28-4). */
    if (primary(1 << 23)) {
        expect_exit("MOV to DR7: qualification 0x307", run(g_to_dr7, 0x400, 0), 29, 0x307, 3);
        expect_exit("MOV from DR0: qualification 0x310", run(g_from_dr0, 0, 0), 29, 0x310, 3);
    }

    /* I/O (25.1.3, qualification table 28-5): size - 1, direction (1 = IN), string, REP,
       immediate operand, port in 31:16. */
    if (primary(1 << 24)) {
        expect_exit("OUT imm8, AL: qualification 0x800040", run(g_out_imm, 0, 0), 30, 0x800040, 2);
        expect_exit("IN AL, DX: qualification 0x12340008", run(g_in_dx, 0, 0x1234), 30, 0x12340008, 1);
        expect_exit("IN AX, DX: qualification 0x12340009", run(g_in_dx_word, 0, 0x1234), 30, 0x12340009, 2);
        expect_exit("REP OUTSB: qualification 0x12340030", run(g_rep_outsb, pa(out_bytes), 0x1234), 30, 0x12340030, 2);
        check("REP OUTSB: guest-linear address = RSI", vmread(0x640A) == pa(out_bytes), vmread(0x640A));
    }
    if (primary(1 << 25)) {
        vmwrite(IO_BITMAP_A, pa(io_a));
        vmwrite(IO_BITMAP_B, pa(io_b));
        io_a[0x80 / 8] |= 1 << (0x80 % 8);
        io_b[(0x8080 - 0x8000) / 8] |= 1 << (0x8080 % 8);
        io_b[0] |= 1;                              /* port 0x8000 */
        expect_exit("I/O bitmap A: port 0x80 exits", run(g_in_dx, 0, 0x80), 30, 0x800008, 1);
        reason = run(g_in_dx, 0, 0x81);
        check("I/O bitmap A: port 0x81 does not exit", reason == 18, reason);
        expect_exit("I/O bitmap B: port 0x8080 exits", run(g_in_dx, 0, 0x8080), 30, 0x80800008, 1);
        reason = run(g_in_dx, 0, 0x8081);
        check("I/O bitmap B: port 0x8081 does not exit", reason == 18, reason);
        expect_exit("I/O bitmaps: a word at 0x7FFF exits for port 0x8000's bit", run(g_in_dx_word, 0, 0x7FFF), 30, 0x7FFF0009, 2);
    }

    /* RDMSR / WRMSR (25.1.3): without bitmaps every access exits; with them, read-low at 0,
       read-high at 1024, write-low at 2048, write-high at 3072 (24.6.9). */
    primary(0);
    expect_exit("RDMSR without MSR bitmaps: reason 31", run(g_rdmsr, 0x175, 0), 31, 0, 2);
    if (primary(1 << 28)) {
        vmwrite(MSR_BITMAP, pa(msr_bitmap));
        msr_bitmap[0x174 / 8] |= 1 << (0x174 % 8);
        msr_bitmap[1024 + 0x102 / 8] |= 1 << (0x102 % 8);
        msr_bitmap[2048 + 0x174 / 8] |= 1 << (0x174 % 8);
        msr_bitmap[3072 + 0x102 / 8] |= 1 << (0x102 % 8);
        expect_exit("MSR bitmap read-low: RDMSR 0x174 exits", run(g_rdmsr, 0x174, 0), 31, 0, 2);
        reason = run(g_rdmsr, 0x175, 0);
        check("MSR bitmap read-low: RDMSR 0x175 does not exit", reason == 18, reason);
        expect_exit("MSR bitmap read-high: RDMSR 0xC0000102 exits", run(g_rdmsr, 0xC0000102, 0), 31, 0, 2);
        reason = run(g_rdmsr, 0xC0000100, 0);
        check("MSR bitmap read-high: RDMSR 0xC0000100 does not exit", reason == 18, reason);
        g.rax = 0;
        expect_exit("MSR bitmap write-low: WRMSR 0x174 exits", run(g_wrmsr, 0x174, 0), 32, 0, 2);
        expect_exit("MSR bitmap write-high: WRMSR 0xC0000102 exits", run(g_wrmsr, 0xC0000102, 0), 32, 0, 2);
        expect_exit("MSR outside both ranges: RDMSR 0x40000000 exits", run(g_rdmsr, 0x40000000, 0), 31, 0, 2);
    }
    primary(0);

    /* Exception bitmap and #PF error-code mask/match (25.2). Linear 2 GiB is not mapped. */
    vmwrite(EXCEPTION_BITMAP, 1 << 6);
    reason = run(g_ud2, 0, 0);
    check("exception bitmap #UD: reason 0, interruption info 0x80000306", reason == 0 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000306, reason ? reason : vmread(EXIT_INTERRUPTION_INFO));
    /* 28.3.3: the saved RF is the pushed image's: 1 for a fault; 0 for an instruction exit. */
    check("#UD exit: RFLAGS.RF saved as 1", (vmread(GUEST_RFLAGS) >> 16 & 1) == 1, vmread(GUEST_RFLAGS));
    vmwrite(GUEST_RFLAGS, 2 | 1 << 16);
    reason = run(g_cpuid, 0, 0);
    check("CPUID exit entered with RF = 1: RFLAGS.RF saved as 0", reason == 10 && !(vmread(GUEST_RFLAGS) >> 16 & 1), reason == 10 ? vmread(GUEST_RFLAGS) : reason);
    vmwrite(GUEST_RFLAGS, 2);
    vmwrite(EXCEPTION_BITMAP, 1 << 14);
    reason = run(g_read, 0x80000000ULL, 0);
    check("exception bitmap #PF: interruption info 0x80000B0E", reason == 0 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000B0E, reason ? reason : vmread(EXIT_INTERRUPTION_INFO));
    check("#PF exit: error code 0, qualification = faulting address", vmread(EXIT_INTERRUPTION_ERROR) == 0 && vmread(EXIT_QUALIFICATION) == 0x80000000ULL, vmread(EXIT_QUALIFICATION));
    vmwrite(PFEC_MASK, 1);
    vmwrite(PFEC_MATCH, 1);
    reason = run(g_read, 0x80000000ULL, 0);
    check("#PF bit set, error code not matching: delivered to the guest", reason == 18 && g.rax == 14, reason == 18 ? g.rax : reason);
    vmwrite(EXCEPTION_BITMAP, 0);
    reason = run(g_read, 0x80000000ULL, 0);
    check("#PF bit clear, error code not matching: VM exit", reason == 0 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000B0E, reason);
    vmwrite(PFEC_MATCH, 0);
    reason = run(g_read, 0x80000000ULL, 0);
    check("#PF bit clear, error code matching: delivered to the guest", reason == 18 && g.rax == 14, reason == 18 ? g.rax : reason);
    vmwrite(PFEC_MASK, 0);
    vmwrite(GUEST_IDTR_LIMIT, 0);
    expect_exit("triple fault (#UD with an empty guest IDT): reason 2", run(g_ud2, 0, 0), 2, 0, 0);
    vmwrite(GUEST_IDTR_LIMIT, 4095);

    /* Exits during event delivery (28.2.3): the guest IDT ends before #UD's gate, so delivering
       #UD raises #GP(6 * 8 + IDT + EXT = 0x33): intercepted, the #UD is the IDT-vectoring
       information. Not intercepted, #GP's own gate is missing too: #DF, which exits directly
       (no IDT-vectoring information). */
    vmwrite(GUEST_IDTR_LIMIT, 0x5F);
    vmwrite(EXCEPTION_BITMAP, 1 << 13);
    reason = run(g_ud2, 0, 0);
    check("#GP while delivering #UD: reason 0, #GP(0x33), IDT-vectoring 0x80000306",
          reason == 0 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000B0D && vmread(EXIT_INTERRUPTION_ERROR) == 0x33
          && vmread(IDT_VECTORING_INFO) == 0x80000306, reason == 0 ? vmread(IDT_VECTORING_INFO) : reason);
    vmwrite(EXCEPTION_BITMAP, 1 << 8);
    reason = run(g_ud2, 0, 0);
    check("#DF from delivering #UD: reason 0, interruption info 0x80000B08, no IDT-vectoring information",
          reason == 0 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000B08 && !(vmread(IDT_VECTORING_INFO) >> 31),
          reason == 0 ? vmread(IDT_VECTORING_INFO) : reason);
    vmwrite(GUEST_IDTR_LIMIT, 4095);
    /* Pending debug exceptions at VM entry (27.7.3): BS delivers a #DB trap before the first
       guest instruction, intercepted with BS as the qualification, or through the guest IDT
       (RIP pushed: the first instruction). */
    vmwrite(EXCEPTION_BITMAP, 1 << 1);
    vmwrite(GUEST_PENDING_DBG, 0x4000);
    reason = run(g_nops, 0, 0);
    check("pending debug exception BS at entry: reason 0, #DB, qualification 0x4000",
          reason == 0 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000301 && vmread(EXIT_QUALIFICATION) == 0x4000
          && vmread(GUEST_RIP) == pa(g_nops), reason == 0 ? vmread(EXIT_QUALIFICATION) : reason);
    vmwrite(EXCEPTION_BITMAP, 0);
    vmwrite(GUEST_PENDING_DBG, 0x4000);
    reason = run(g_nops, 0, 0);
    check("pending debug exception BS at entry: #DB through the guest IDT before the first instruction",
          reason == 18 && g.rax == 1 && g.rbx == pa(g_nops), reason == 18 ? g.rax << 32 ^ g.rbx : reason);
    vmwrite(GUEST_PENDING_DBG, 0);

    /* Monitor trap flag (26.5.2): an exit after the first instruction; after a fault delivered
       through the guest IDT, before the handler's first instruction; an instruction's
       single-step trap (TF) stays pending across the MTF exit, saved as BS (28.3.4). */
    if (primary(1u << 27)) {
        reason = run(g_nops, 0, 0);
        check("MTF: reason 37 after one instruction", reason == 37 && vmread(GUEST_RIP) == pa(g_nops) + 1, reason == 37 ? vmread(GUEST_RIP) : reason);
        reason = run(g_ud2, 0, 0);
        check("MTF after #UD delivered through the guest IDT: RIP at the handler",
              reason == 37 && vmread(GUEST_RIP) == pa(guest_vectors) + 16 * 6, reason == 37 ? vmread(GUEST_RIP) : reason);
        vmwrite(GUEST_RFLAGS, 0x102);
        reason = run(g_nops, 0, 0);
        check("MTF with TF: single-step trap saved as pending debug exception BS",
              reason == 37 && vmread(GUEST_PENDING_DBG) == 0x4000, reason == 37 ? vmread(GUEST_PENDING_DBG) : reason);
        vmwrite(GUEST_RFLAGS, 2);
        vmwrite(GUEST_PENDING_DBG, 0);
        primary(0);
    }
    /* Interrupt window (25.5.1 / 26.7.5): RFLAGS.IF = 1, no blocking: exit before any instruction. */
    if (primary(1 << 2)) {
        vmwrite(GUEST_RFLAGS, 0x202);
        reason = run(g_nops, 0, 0);
        check("interrupt-window exiting: reason 7 before the first instruction", reason == 7 && vmread(GUEST_RIP) == pa(g_nops), reason);
        vmwrite(GUEST_RFLAGS, 2);
        reason = run(g_nops, 0, 0);
        check("interrupt-window exiting with RFLAGS.IF = 0: no exit", reason == 18, reason);
        primary(0);
    }
    /* NMI window (needs virtual NMIs, which need NMI exiting: 26.2.1.1). */
    if ((pin_allowed & 0x28) == 0x28 && primary(1 << 22)) {
        vmwrite(PIN, pin0 | 0x28);
        reason = run(g_nops, 0, 0);
        check("NMI-window exiting: reason 8 before the first instruction", reason == 8 && vmread(GUEST_RIP) == pa(g_nops), reason);
        vmwrite(PIN, pin0);
        primary(0);
    }
    /* Preemption timer (25.5.1): value 0 exits before any instruction; "save VMX-preemption
       timer value" stores 0 after the timer expired. */
    if (pin_allowed & (1 << 6)) {
        vmwrite(PIN, pin0 | 1 << 6);
        vmwrite(PREEMPTION_TIMER, 0);
        reason = run(g_nops, 0, 0);
        check("preemption timer 0: reason 52 before the first instruction", reason == 52 && vmread(GUEST_RIP) == pa(g_nops), reason);
        if (exit_allowed & (1 << 22)) {
            vmwrite(EXIT_CONTROLS, exit0 | 1 << 22);
            vmwrite(PREEMPTION_TIMER, 0x7FFFFFFF);
            reason = run(g_cpuid, 0, 0);
            uint64_t saved = vmread(PREEMPTION_TIMER);
            check("save preemption timer value: decremented, not expired", reason == 10 && saved < 0x7FFFFFFF && saved > 0, reason == 10 ? saved : reason);
            vmwrite(PREEMPTION_TIMER, 0);
            reason = run(g_nops, 0, 0);
            /* 27.3.4: 0 when the timer caused the exit; Bochs 2.7 saves a stale value. */
            check("save preemption timer value: 0 after expiry", reason == 52 && vmread(PREEMPTION_TIMER) == 0, vmread(PREEMPTION_TIMER));
            vmwrite(EXIT_CONTROLS, exit0);
        }
        vmwrite(PIN, pin0);
    }

    /* External interrupts (25.2, 27.2.2), raised as x2APIC self-IPIs while the host runs with
       RFLAGS.IF = 0, so they are pending at VM entry. */
    uint32_t id[4];
    cpuid(1, 0, id);
    if ((id[2] & (1 << 21)) && (pin_allowed & 1) && (exit_allowed & (1 << 15))) {
        wrmsr(0x1B, rdmsr(0x1B) | 3 << 10);        /* IA32_APIC_BASE: EN, EXTD (x2APIC) */
        wrmsr(0x80F, 0x1FF);                       /* spurious-interrupt vector: APIC enabled */
        vmwrite(PIN, pin0 | 1);
        vmwrite(GUEST_RFLAGS, 0x202);
        wrmsr(0x83F, 0x40);                        /* SELF IPI, vector 0x40 */
        reason = run(g_nops, 0, 0);
        check("external-interrupt exiting: reason 1 before the first instruction", reason == 1 && vmread(GUEST_RIP) == pa(g_nops), reason);
        check("without acknowledge interrupt on exit: interruption information invalid", !(vmread(EXIT_INTERRUPTION_INFO) >> 31), vmread(EXIT_INTERRUPTION_INFO));
        vmwrite(EXIT_CONTROLS, exit0 | 1 << 15);
        reason = run(g_nops, 0, 0);
        check("acknowledge interrupt on exit: reason 1, interruption information 0x80000040", reason == 1 && vmread(EXIT_INTERRUPTION_INFO) == 0x80000040, reason == 1 ? vmread(EXIT_INTERRUPTION_INFO) : reason);
        wrmsr(0x80B, 0);                           /* EOI */
        vmwrite(EXIT_CONTROLS, exit0);
        vmwrite(PIN, pin0);
        wrmsr(0x83F, 0x41);
        reason = run(g_nops, 0, 0);
        check("without external-interrupt exiting: delivered through the guest IDT", reason == 18 && g.rax == 0x41, reason == 18 ? g.rax : reason);
        wrmsr(0x80B, 0);
        vmwrite(GUEST_RFLAGS, 2);
    }

    /* RDRAND and RDSEED (SDM vol. 2): CF = 1 on success, OF SF ZF AF PF cleared. "RDRAND exiting"
       and "RDSEED exiting" (25.1.3: reasons 57 and 61); instruction information (27.2.5, table
       "... for RDRAND and RDSEED"): destination register in bits 6:3, operand size in 12:11
       (0 16-bit, 1 32-bit, 2 64-bit); the other bits are undefined. */
    uint32_t leaf1[4], leaf7[4];
    cpuid(1, 0, leaf1);
    cpuid(7, 0, leaf7);
    int has_rdrand = leaf1[2] >> 30 & 1, has_rdseed = leaf7[1] >> 18 & 1;
    if (has_rdrand) {
        reason = run(g_rdrand_flags, 0, 0);
        check("RDRAND: CF = 1, OF SF ZF AF PF = 0", reason == 18 && (g.rax & FLAGS_ARITH) == FLAG_CF, reason == 18 ? g.rax : reason);
    }
    if (has_rdrand && secondary(0, 1 << 11)) {
        expect_exit("RDRAND exiting: RDRAND RBX, reason 57, length 4", run(g_rdrand, 0, 0), 57, ~0ULL, 4);
        uint64_t info = vmread(EXIT_INSTRUCTION_INFO);
        check("RDRAND RBX: instruction information register 3, 64-bit", (info & 0x1878) == (3 << 3 | 2 << 11), info);
        expect_exit("RDRAND exiting: RDRAND R9D, reason 57, length 4", run(g_rdrand_r9d, 0, 0), 57, ~0ULL, 4);
        info = vmread(EXIT_INSTRUCTION_INFO);
        check("RDRAND R9D: instruction information register 9, 32-bit", (info & 0x1878) == (9 << 3 | 1 << 11), info);
    }
    if (has_rdseed && secondary(0, 1 << 16)) {
        expect_exit("RDSEED exiting: RDSEED CX, reason 61, length 4", run(g_rdseed_cx, 0, 0), 61, ~0ULL, 4);
        uint64_t info = vmread(EXIT_INSTRUCTION_INFO);
        /* Bochs 2.7 reports operand size 1 here (it takes the address size). */
        check("RDSEED CX: instruction information register 1, 16-bit", (info & 0x1878) == (1 << 3 | 0 << 11), info);
        if (has_rdrand) {
            reason = run(g_rdrand, 0, 0);
            check("RDSEED exiting alone: RDRAND does not exit", reason == 18, reason);
        }
    }

    /* PAUSE-loop exiting (25.1.3 "PAUSE", CPL 0): a PAUSE more than PLE_Gap TSC ticks after the
       previous one (or the first after VM entry) starts a loop; a PAUSE more than PLE_Window
       ticks after that start exits (reason 40). "PAUSE exiting" takes precedence. */
    if (secondary(0, 1 << 10)) {
        vmwrite(PLE_GAP, 1000);
        vmwrite(PLE_WINDOW, 20000);
        uint64_t t0 = rdtsc();
        reason = run(g_pause_loop, 1000000, 0);
        uint64_t t1 = rdtsc();
        check("PAUSE-loop exiting: reason 40 at a PAUSE of the loop", reason == 40 && vmread(GUEST_RIP) == pa(g_pause_loop_pause) && g.rcx > 0 && g.rcx < 1000000, reason == 40 ? g.rcx : reason);
        check("PAUSE-loop exiting: not before PLE_Window ticks", t1 - t0 > 20000, t1 - t0);
        uint64_t left = g.rcx;
        reason = vmx_run(&g);                      /* VMRESUME at the PAUSE */
        check("PAUSE-loop exiting: the first PAUSE after VM entry starts a new window", reason == 40 && g.rcx < left, reason == 40 ? left - g.rcx : reason);
        vmwrite(PLE_GAP, 50);
        vmwrite(PLE_WINDOW, 1000);
        reason = run(g_pause_spaced, 200, 1000);
        check("PAUSE-loop exiting: no exit when the PAUSEs are further apart than PLE_Gap", reason == 18, reason);
        vmwrite(PLE_GAP, 100000);
        reason = run(g_pause_spaced, 200, 1000);
        check("PAUSE-loop exiting: the same loop exits with a larger PLE_Gap", reason == 40 && vmread(GUEST_RIP) == pa(g_pause_spaced_pause) && g.rcx < 200, reason == 40 ? g.rcx : reason);
        vmwrite(PLE_WINDOW, 100000000);
        if (secondary(1u << 30, 1 << 10)) {
            expect_exit("PAUSE exiting takes precedence over PAUSE-loop exiting: the first PAUSE exits", run(g_pause_loop, 1000, 0), 40, ~0ULL, 2);
            check("PAUSE exiting: RIP at the first PAUSE", vmread(GUEST_RIP) == pa(g_pause_loop_pause) && g.rcx == 1000, g.rcx);
        }
        vmwrite(PLE_GAP, 0);
        vmwrite(PLE_WINDOW, 0);
    }

    /* TSC scaling (24.6.5, 25.3): with "use TSC offsetting" and "use TSC scaling", guest reads of
       the TSC return ((TSC * multiplier) >> 48) + offset. */
    if (secondary(1 << 3, 1 << 25)) {
        vmwrite(TSC_OFFSET, 0);
        vmwrite(TSC_MULTIPLIER, 2ULL << 48);
        uint64_t t0 = rdtsc();
        reason = run(g_rdtsc, 0, 0);
        uint64_t t1 = rdtsc();
        check("TSC scaling: guest RDTSC = host TSC * 2 (multiplier 2 << 48)", reason == 18 && g.rax >= 2 * t0 && g.rax <= 2 * t1, g.rax);
        uint64_t offset = 1ULL << 50;
        vmwrite(TSC_MULTIPLIER, 1ULL << 47);
        vmwrite(TSC_OFFSET, offset);
        t0 = rdtsc();
        reason = run(g_rdtsc, 0, 0);
        t1 = rdtsc();
        check("TSC scaling: multiplier 1 << 47 (0.5) with an offset: TSC / 2 + offset", reason == 18 && g.rax >= t0 / 2 + offset && g.rax <= t1 / 2 + offset, g.rax);
        if (secondary(1 << 3 | 1 << 28, 1 << 25)) {       /* the MSR bitmap lets RDMSR 10H through */
            t0 = rdtsc();
            reason = run(g_rdmsr, 0x10, 0);
            t1 = rdtsc();
            uint64_t v = g.rdx << 32 | (uint32_t)g.rax;
            check("TSC scaling: guest RDMSR IA32_TSC = TSC / 2 + offset", reason == 18 && v >= t0 / 2 + offset && v <= t1 / 2 + offset, v);
        }
        vmwrite(TSC_OFFSET, 0);
        vmwrite(TSC_MULTIPLIER, 1ULL << 48);
    }
    /* "Enable XSAVES/XRSTORS" (secondary bit 20; 25.3): without it XSAVES and XRSTORS are #UD in
       the guest; with it they run, and exit (reasons 63, 64) only if EDX:EAX AND IA32_XSS AND
       the XSS-exiting bitmap is nonzero. IA32_XSS is 0 here (its RESET value; swemu supports no
       supervisor component, so it is always 0 there), so even an all-ones bitmap causes no exit.
       The guest has CR4.OSXSAVE and the host's XCR0 (x87); EDX:EAX is all ones. */
    uint32_t leafd1[4];
    cpuid(0xD, 1, leafd1);
    if ((leaf1[2] >> 26 & 1) && (leafd1[0] >> 3 & 1)) {
        uint64_t cr4 = vmread(GUEST_CR4);
        vmwrite(GUEST_CR4, cr4 | 1 << 18);
        if (secondary(0, 0)) {
            reason = run(g_xsaves, pa(xsave_area), 0);
            check("XSAVES without enable XSAVES/XRSTORS: #UD in the guest", reason == 18 && g.rax == 6, reason == 18 ? g.rax : reason);
            reason = run(g_xrstors, pa(xsave_area), 0);
            check("XRSTORS without enable XSAVES/XRSTORS: #UD in the guest", reason == 18 && g.rax == 6, reason == 18 ? g.rax : reason);
        }
        if (secondary(0, 1 << 20)) {
            vmwrite(XSS_EXITING_BITMAP, ~0ULL);
            reason = run(g_xsaves, pa(xsave_area), 0);
            uint64_t xcomp = *(volatile uint64_t *)(xsave_area + 520);
            check("XSAVES with the control and IA32_XSS = 0: runs, no exit whatever the bitmap", reason == 18 && g.rax == ~0U, reason == 18 ? g.rax : reason);
            check("XSAVES in the guest: compacted format (XCOMP_BV[63])", xcomp >> 63 == 1, xcomp);
            reason = run(g_xrstors, pa(xsave_area), 0);
            check("XRSTORS with the control and IA32_XSS = 0: runs, no exit", reason == 18 && g.rax == ~0U, reason == 18 ? g.rax : reason);
            vmwrite(XSS_EXITING_BITMAP, 0);
        }
        vmwrite(GUEST_CR4, cr4);
    }
    vmwrite(SECONDARY, 0);
    primary(0);

    /* Event injection (26.6): the guest handler reports the vector and its stack. */
    uint64_t rip = pa(g_nops);
    injected("inject external interrupt 0x20", 0x80000020, 0, 0, 0x20, rip, ~0ULL);
    injected("inject NMI", 0x80000202, 0, 0, 2, rip, ~0ULL);
    injected("inject #GP with error code 0x1234", 0x80000B0D, 0x1234, 0, 13, 0x1234, rip);
    injected("inject #UD without error code", 0x80000306, 0, 0, 6, rip, ~0ULL);
    injected("inject software interrupt 0x80, length 2: return RIP + 2", 0x80000480, 0, 2, 0x80, rip + 2, ~0ULL);
    injected("inject privileged software exception INT1, length 1: return RIP + 1", 0x80000501, 0, 1, 1, rip + 1, ~0ULL);
    injected("inject software exception #BP, length 1: return RIP + 1", 0x80000603, 0, 1, 3, rip + 1, ~0ULL);
    check_summary();
}
