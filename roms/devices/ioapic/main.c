/* ioapic.elf: the IOAPIC at FEC00000h. Checks the version register (24 entries), the reset
   state of the redirection table (masked), then routes the PIT's IRQ0 through input 2 (the
   interrupt source override every PC firmware declares) to the local APIC with the 8259A fully
   masked, checks the tick rate against the TSC, that masking the entry stops the ticks, and
   that an entry sent to a logical destination reaches this CPU. One line per check; exit 0 when
   all pass. */
#include "devices.h"
#include "apic.h"

#define IOAPIC_BASE 0xfec00000u
#define VEC_PIT 0x29
static volatile uint32_t ticks;
static volatile uint64_t tick_tsc[16];

static uint32_t ioapic_read(uint32_t reg) {
    *(volatile uint32_t *)IOAPIC_BASE = reg;
    return *(volatile uint32_t *)(IOAPIC_BASE + 0x10);
}
static void ioapic_write(uint32_t reg, uint32_t v) {
    *(volatile uint32_t *)IOAPIC_BASE = reg;
    *(volatile uint32_t *)(IOAPIC_BASE + 0x10) = v;
}

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector == VEC_PIT) {
        if (ticks < 16) tick_tsc[ticks] = rdtsc();
        ticks++;
        apic_write(APIC_EOI, 0);
        return;
    }
    unexpected(vector, error);
}

void kmain(void) {
    serial_init();
    serial_puts("ioapic: IOAPIC routing\n");
    idt_init();
    pic_init();                                 /* 8259A: every input masked */
    apic_write(APIC_SVR, 0x1ff);
    uint32_t version = ioapic_read(1);
    /* 82093AA: 11h; the ICH IOAPICs (and QEMU) report 20h. */
    check("ioapic: version 11h or later, 24 redirection entries", (version & 0xff) >= 0x11 && ((version >> 16) & 0xff) == 23);
    int masked = 1;
    for (uint32_t n = 0; n < 24; n++)
        if (n != 2 && !(ioapic_read(0x10 + 2 * n) & 0x10000)) masked = 0;
    check("ioapic: unused redirection entries are masked", masked);

    /* PIT channel 0 at 1 kHz, mode 2. */
    outb(0x43, 0x34);
    outb(0x40, 1193 & 0xff);
    outb(0x40, 1193 >> 8);
    ioapic_write(0x11 + 2 * 2, 0);              /* destination APIC 0 */
    ioapic_write(0x10 + 2 * 2, VEC_PIT);        /* fixed, physical, edge, high, unmasked */
    while (ticks < 11) sti_hlt();
    check("ioapic: PIT IRQ0 arrives on input 2 with the 8259A masked", ticks >= 11);
    uint64_t dt = tick_tsc[10] - tick_tsc[0];
    check("ioapic: 10 PIT periods of 1193 clocks (9.998 ms, 1%)", dt >= 9898476 && dt <= 10098476);

    ioapic_write(0x10 + 2 * 2, VEC_PIT | 0x10000);
    uint32_t before = ticks;
    uint64_t t0 = rdtsc();
    while (rdtsc() - t0 < 5000000) { __asm__ volatile("sti; nop; cli"); }
    check("ioapic: a masked entry delivers nothing", ticks == before);

    /* Logical destination: flat model, this CPU's LDR bit 0. */
    apic_write(0xe0, 0xffffffff);               /* DFR flat */
    apic_write(0xd0, 1u << 24);                 /* LDR: logical ID 01h */
    ioapic_write(0x11 + 2 * 2, 1u << 24);
    ioapic_write(0x10 + 2 * 2, VEC_PIT | (1 << 11));
    before = ticks;
    while (ticks < before + 3) sti_hlt();
    check("ioapic: logical destination 01h reaches LDR 01h", ticks >= before + 3);
    ioapic_write(0x10 + 2 * 2, VEC_PIT | 0x10000);

    serial_puts(failures ? "ioapic: FAIL\n" : "ioapic: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
