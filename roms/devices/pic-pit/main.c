/* pic-pit.elf: the 8259A and 8254 with interrupts. Remaps the PIC, programs PIT channel 0 as
   a rate generator, takes IRQ0 through an IDT with STI; HLT, and checks: the tick rate against
   the TSC (nominal 1 GHz on swemu; QEMU with -icount shift=0 too), EOI and the in-service
   register, a masked IRQ held in IRR and delivered on unmask, the read-back command, and
   channel 2's OUT through port 0x61. One line per check; exit 0 when all pass. */
#include "devices.h"

#define DIVISOR 1193u                  /* 1193 / 1.193182 MHz = 999.85 us */
static volatile uint32_t ticks;
static volatile uint64_t tick_tsc[128];
static volatile uint8_t isr_in_handler;

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector == 0x20) {
        if (ticks < 128) tick_tsc[ticks] = rdtsc();
        if (ticks == 0) isr_in_handler = pic_isr(0x20);
        ticks++;
        outb(0x20, 0x20);              /* non-specific EOI */
        return;
    }
    if (vector == 0x27) return;        /* spurious IRQ7: no EOI */
    unexpected(vector, error);
}

static void wait_ticks(uint32_t n) {
    while (ticks < n) sti_hlt();
}

void kmain(void) {
    serial_init();
    serial_puts("pic-pit: 8259A + 8254 with interrupts\n");
    idt_init();
    pic_init();
    check("pic: IMR reads back 0xff/0xff", inb(0x21) == 0xff && inb(0xa1) == 0xff);

    /* Channel 0, LSB then MSB, mode 2, binary. */
    outb(0x43, 0x34);
    outb(0x40, DIVISOR & 0xff);
    outb(0x40, DIVISOR >> 8);
    outb(0x21, 0xfe);                  /* unmask IRQ0 only */
    wait_ticks(101);
    check("pit: 101 ticks through IRQ0 with STI; HLT", ticks >= 101);
    check("pic: IR0 in service inside the handler, ISR clear after EOI",
          (isr_in_handler & 1) == 1 && pic_isr(0x20) == 0);

    /* 100 periods = 100 * 1193 * 88000 / 105 ns = 99,984,761 ns; allow 0.1%. */
    uint64_t dt = tick_tsc[100] - tick_tsc[0];
    uint64_t want = 99984761ull;
    check("pit: 100 ticks take 100 * 1193 PIT clocks of TSC (1 GHz) within 0.1%",
          dt >= want - want / 1000 && dt <= want + want / 1000);

    /* Read-back: status of channel 0 (OUT, null count, access 3, mode 2, binary). */
    outb(0x43, 0xe2);                  /* read-back: latch status only, channel 0 */
    uint8_t status = inb(0x40);
    check("pit: read-back status = access LSB/MSB, mode 2, binary", (status & 0x3f) == 0x34);
    outb(0x43, 0x00);                  /* counter latch, channel 0 */
    uint16_t count = inb(0x40);
    count |= (uint16_t)inb(0x40) << 8;
    check("pit: latched count within 1..divisor", count >= 1 && count <= DIVISOR);

    /* Masked IRQ0: held in IRR, not delivered; delivered once unmasked. */
    outb(0x21, 0xff);
    uint32_t before = ticks;
    uint64_t t0 = rdtsc();
    sti();
    while (rdtsc() - t0 < 5000000) { }  /* 5 ms: 5 PIT periods */
    cli();
    uint32_t after_masked = ticks;
    check("pic: masked IRQ0 not delivered for 5 ms", after_masked == before);
    check("pic: masked IRQ0 pending in IRR", (pic_irr(0x20) & 1) == 1);
    outb(0x21, 0xfe);
    __asm__ volatile("sti; nop; cli");
    check("pic: unmasking delivers the held IRQ0 at once", ticks == before + 1);

    /* Channel 2 in mode 0 with gate on: OUT2 (port 0x61 bit 5) low, then high after 1000 clocks. */
    outb(0x21, 0xff);
    outb(0x61, (inb(0x61) & ~0x03) | 0x01);   /* gate 2 on, speaker off */
    outb(0x43, 0xb0);                          /* channel 2, LSB/MSB, mode 0 */
    outb(0x42, 1000 & 0xff);
    outb(0x42, 1000 >> 8);
    int low = (inb(0x61) & 0x20) == 0;
    t0 = rdtsc();
    while (!(inb(0x61) & 0x20) && rdtsc() - t0 < 10000000) { }
    uint64_t out2 = rdtsc() - t0;
    /* 1000 clocks = 838,095 ns. */
    check("pit: channel 2 mode 0 OUT2 low after the count, high after 1000 clocks",
          low && out2 >= 838095 - 838095 / 100 && out2 <= 838095 + 838095 / 50);

    outb(0x61, inb(0x61) & ~0x03);
    serial_puts(failures ? "pic-pit: FAIL\n" : "pic-pit: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
