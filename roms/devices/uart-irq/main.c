/* uart-irq.elf: 16550 interrupts on IRQ4. Enables the THR-empty interrupt (IER bit 1) with
   MCR.OUT2 (the PC's IRQ gate) and checks: the interrupt comes at once (THR is empty), IIR
   identifies it (0x02) and reading IIR clears it, writing THR raises it again once the byte
   is sent, and with IER = 0 nothing is raised. One line per check; exit 0 when all pass. */
#include "devices.h"

static volatile uint32_t irqs;
static volatile uint8_t last_iir;

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector == 0x24) {
        last_iir = inb(COM1 + 2);      /* reading IIR clears the THR-empty condition */
        irqs++;
        outb(0x20, 0x20);
        return;
    }
    if (vector == 0x27) return;
    unexpected(vector, error);
}

/* Waits (interrupts on) until irqs passes n or 10 ms of TSC elapse. */
static void wait_irqs(uint32_t n) {
    uint64_t t0 = rdtsc();
    sti();
    while (irqs < n && rdtsc() - t0 < 10000000) { }
    cli();
}

void kmain(void) {
    serial_init();
    serial_puts("uart-irq: 16550 THR-empty interrupt on IRQ4\n");
    idt_init();
    pic_init();
    outb(0x21, 0xef);                  /* unmask IRQ4 */
    outb(COM1 + 4, 0x0b);              /* DTR, RTS, OUT2 */

    outb(COM1 + 1, 0x02);              /* IER: THR empty */
    wait_irqs(1);
    uint32_t first = irqs;
    uint8_t iir = last_iir;
    outb(COM1 + 1, 0x00);
    check("uart: enabling ETBEI with THR empty raises IRQ4", first == 1);
    check("uart: IIR identified THR empty (0x02)", (iir & 0x0f) == 0x02);
    check("uart: IIR read cleared it (0x01 now)", (inb(COM1 + 2) & 0x0f) == 0x01);

    outb(COM1 + 1, 0x02);
    wait_irqs(2);
    outb(COM1, '.');                   /* a byte: THR empties again after sending it */
    wait_irqs(3);
    outb(COM1 + 1, 0x00);
    serial_puts("\n");
    check("uart: THR empty again after a transmitted byte raises IRQ4", irqs == 3);

    outb(COM1, '.');
    wait_irqs(4);
    serial_puts("\n");
    check("uart: no interrupt with IER = 0", irqs == 3);

    serial_puts(failures ? "uart-irq: FAIL\n" : "uart-irq: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
