/* rtc.elf: the MC146818. Reads the time (expects the default 2024-01-01, 00:00, swemu's
   default and `-rtc base=2024-01-01T00:00:00` under QEMU), the status registers and the
   memory-size bytes, then counts periodic interrupts on IRQ8 at 1024 Hz against the TSC and
   waits for an update-ended interrupt. One line per check; exit 0 when all pass. */
#include "devices.h"

static volatile uint32_t periodic, updates;

static uint8_t cmos(uint8_t index) { outb(0x70, index); return inb(0x71); }
static void cmos_write(uint8_t index, uint8_t v) { outb(0x70, index); outb(0x71, v); }
static uint8_t bin(uint8_t v) { return (cmos(0x0b) & 4) ? v : (uint8_t)((v >> 4) * 10 + (v & 15)); }

static volatile uint64_t first_tsc, last_tsc;

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector == 0x28) {
        uint8_t c = cmos(0x0c);          /* read C: acknowledges, lowers IRQ8 */
        if (c & 0x40) {
            if (periodic == 0) first_tsc = rdtsc();
            if (periodic == 64) last_tsc = rdtsc();
            periodic++;
        }
        if (c & 0x10) updates++;
        outb(0xa0, 0x20);
        outb(0x20, 0x20);
        return;
    }
    if (vector == 0x27 || vector == 0x2f) return;
    unexpected(vector, error);
}

void kmain(void) {
    serial_init();
    serial_puts("rtc: MC146818 time, registers and interrupts\n");
    idt_init();
    pic_init();

    while (cmos(0x0a) & 0x80) { }      /* UIP: wait for a stable read */
    uint8_t sec = bin(cmos(0)), min = bin(cmos(2)), hour = bin(cmos(4) & 0x7f);
    uint8_t day = bin(cmos(7)), month = bin(cmos(8)), year = bin(cmos(9)), century = bin(cmos(0x32));
    check("rtc: date is 2024-01-01", century == 20 && year == 24 && month == 1 && day == 1);
    check("rtc: time is 00:00 (seconds < 30)", hour == 0 && min == 0 && sec < 30);
    check("rtc: weekday is Monday (2)", cmos(6) == 2);
    check("rtc: register D reports valid RAM and time", cmos(0x0d) == 0x80);
    check("rtc: divider running (register A bits 6-4 = 010)", (cmos(0x0a) & 0x70) == 0x20);

    /* 128 MiB: 0x30-0x31 = min(127 MiB in KiB, 65535); 0x34-0x35 = (128 - 16) MiB / 64 KiB. */
    uint16_t ext = cmos(0x30) | cmos(0x31) << 8;
    uint16_t above16 = cmos(0x34) | cmos(0x35) << 8;
    check("cmos: extended memory 0x30-0x31 = 65535 KiB (capped)", ext == 65535);
    check("cmos: memory above 16 MiB 0x34-0x35 = 1792 x 64 KiB", above16 == 1792);

    /* Periodic interrupt at 1024 Hz: 64 periods = 62.5 ms of TSC within 0.5%. */
    outb(0xa1, 0xfe);                  /* unmask IRQ8 */
    outb(0x21, 0xfb);                  /* and the cascade (IRQ2) */
    cmos_write(0x0a, 0x26);
    (void)cmos(0x0c);
    cmos_write(0x0b, cmos(0x0b) | 0x40);
    while (periodic <= 64) sti_hlt();
    cmos_write(0x0b, cmos(0x0b) & ~0x40);
    uint64_t dt = last_tsc - first_tsc, want = 62500000ull;
    check("rtc: 64 periodic interrupts at 1024 Hz", periodic >= 65);
    check("rtc: 64 periods take 62.5 ms of TSC (1 GHz) within 0.5%",
          dt >= want - want / 200 && dt <= want + want / 200);

    /* Update-ended interrupt: the seconds register advances with it. */
    while (cmos(0x0a) & 0x80) { }
    uint8_t s0 = bin(cmos(0));
    (void)cmos(0x0c);
    cmos_write(0x0b, cmos(0x0b) | 0x10);
    while (updates == 0) sti_hlt();
    cmos_write(0x0b, cmos(0x0b) & ~0x10);
    while (cmos(0x0a) & 0x80) { }
    uint8_t s1 = bin(cmos(0));
    check("rtc: update-ended interrupt, seconds advanced by one", s1 == (s0 + 1) % 60);

    serial_puts(failures ? "rtc: FAIL\n" : "rtc: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
