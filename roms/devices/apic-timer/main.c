/* apic-timer.elf: the local APIC and its timer. Checks the state the firmware leaves (APIC
   enabled at FEE00000h, LINT0 ExtINT), the one-shot and periodic timer against the TSC (the APIC
   bus runs at 1 GHz on swemu and on QEMU), the current count, TPR blocking of a self IPI, the
   TSC-deadline mode and x2APIC mode when CPUID offers them. One line per check; exit 0 when all
   pass. */
#include "devices.h"
#include "apic.h"

#define VEC_TIMER 0x28
#define VEC_IPI 0x2a
static volatile uint32_t timer_ticks, ipis;
static volatile uint64_t tick_tsc[32];
static int x2apic;

static void eoi(void) {
    if (x2apic) wrmsr(0x80b, 0); else apic_write(APIC_EOI, 0);
}

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector == VEC_TIMER) {
        if (timer_ticks < 32) tick_tsc[timer_ticks] = rdtsc();
        timer_ticks++;
        eoi();
        return;
    }
    if (vector == VEC_IPI) { ipis++; eoi(); return; }
    unexpected(vector, error);
}

static int within(uint64_t got, uint64_t want, uint64_t permille) {
    return got >= want - want * permille / 1000 && got <= want + want * permille / 1000;
}

void kmain(void) {
    serial_init();
    serial_puts("apic-timer: local APIC and its timer\n");
    idt_init();
    pic_init();
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    check("cpuid: APIC on chip", (d >> 9) & 1);
    uint64_t base = rdmsr(0x1b);
    check("apic: IA32_APIC_BASE = FEE00000h, enabled, BSP", (base & 0xfffff900u) == 0xfee00900u);
    uint32_t version = apic_read(APIC_VERSION);
    check("apic: integrated APIC version (1xh), at least 4 LVT entries",
          (version & 0xf0) == 0x10 && ((version >> 16) & 0xff) >= 3);
    check("apic: firmware left LINT0 ExtINT unmasked, the APIC software-enabled",
          (apic_read(APIC_LVT_LINT0) & 0x10700) == 0x700 && (apic_read(APIC_SVR) & 0x100));

    /* One-shot: divide by 16, 100000 counts = 1.6 ms of a 1 GHz bus. */
    apic_write(APIC_SVR, 0x1ff);
    apic_write(APIC_TIMER_DIV, 0x3);
    apic_write(APIC_LVT_TIMER, VEC_TIMER);
    uint64_t t0 = rdtsc();
    apic_write(APIC_TIMER_INIT, 100000);
    uint32_t cur = apic_read(APIC_TIMER_CUR);
    check("timer: current count starts at the initial count and falls", cur <= 100000 && cur > 90000);
    while (timer_ticks == 0) sti_hlt();
    check("timer: one-shot fires after initial count * 16 bus clocks (1.6 ms, 1%)", within(tick_tsc[0] - t0, 1600000, 10));
    check("timer: one-shot current count is 0 after expiry", apic_read(APIC_TIMER_CUR) == 0);
    t0 = rdtsc();
    while (rdtsc() - t0 < 3000000) { __asm__ volatile("sti; nop; cli"); }
    check("timer: one-shot fires once", timer_ticks == 1);

    /* Periodic: divide by 1, 50000 counts = 50 us; 20 periods. */
    timer_ticks = 0;
    apic_write(APIC_TIMER_DIV, 0xb);
    apic_write(APIC_LVT_TIMER, VEC_TIMER | (1 << 17));
    apic_write(APIC_TIMER_INIT, 50000);
    while (timer_ticks < 21) sti_hlt();
    apic_write(APIC_TIMER_INIT, 0);
    check("timer: periodic, 20 periods of 50000 bus clocks (1%)", within(tick_tsc[20] - tick_tsc[0], 1000000, 10));
    check("timer: writing initial count 0 stops it", apic_read(APIC_TIMER_CUR) == 0);

    /* TPR: a self IPI of class 2 waits while TPR = 20h, and is taken when TPR drops. */
    apic_write(APIC_TPR, 0x20);
    apic_write(APIC_ICR_LO, VEC_IPI | (1 << 18));          /* fixed, shorthand self */
    __asm__ volatile("sti; nop; nop; cli");
    check("tpr: a vector of the TPR's class stays in IRR", ipis == 0 && apic_irr_bit(VEC_IPI));
    check("ppr: PPR = TPR with nothing in service", apic_read(APIC_PPR) == 0x20);
    apic_write(APIC_TPR, 0x10);
    __asm__ volatile("sti; nop; cli");
    check("tpr: lowering TPR delivers it", ipis == 1 && !apic_irr_bit(VEC_IPI));

    /* TSC-deadline (CPUID.1:ECX[24]). */
    if ((c >> 24) & 1) {
        timer_ticks = 0;
        apic_write(APIC_LVT_TIMER, VEC_TIMER | (2 << 17));
        uint64_t deadline = rdtsc() + 200000;
        wrmsr(0x6e0, deadline);
        while (timer_ticks == 0) sti_hlt();
        check("tsc-deadline: fires at the deadline, not before", tick_tsc[0] >= deadline && tick_tsc[0] - deadline < 20000);
        check("tsc-deadline: IA32_TSC_DEADLINE reads 0 after it fired", rdmsr(0x6e0) == 0);
    } else {
        serial_puts("tsc-deadline: not offered, skipped\n");
    }

    /* x2APIC (CPUID.1:ECX[21]): the same registers as MSRs. */
    if ((c >> 21) & 1) {
        wrmsr(0x1b, rdmsr(0x1b) | (1 << 10));
        x2apic = 1;
        check("x2apic: version MSR 803h equals the xAPIC register", (uint32_t)rdmsr(0x803) == version);
        check("x2apic: ID MSR 802h is the initial APIC ID (CPUID.1:EBX[31:24])", (uint32_t)rdmsr(0x802) == b >> 24);
        ipis = 0;
        wrmsr(0x808, 0);
        wrmsr(0x83f, VEC_IPI);                               /* SELF IPI */
        __asm__ volatile("sti; nop; cli");
        check("x2apic: SELF IPI delivered", ipis == 1);
        timer_ticks = 0;
        wrmsr(0x83e, 0xb);
        wrmsr(0x832, VEC_TIMER);
        t0 = rdtsc();
        wrmsr(0x838, 30000);
        while (timer_ticks == 0) sti_hlt();
        check("x2apic: one-shot timer through the MSRs (30 us, 1%)", within(tick_tsc[0] - t0, 30000, 10));
    } else {
        serial_puts("x2apic: not offered, skipped\n");
    }

    serial_puts(failures ? "apic-timer: FAIL\n" : "apic-timer: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
