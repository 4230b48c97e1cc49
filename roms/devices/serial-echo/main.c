/* serial-echo.elf: COM1 input. Reads lines from the receiver (LSR.DR, RBR) and prints each one
   back in upper case, until a line "quit" or 10 ms of virtual time without input; then prints
   the number of lines. Feed it with swemu boot ... < FILE (QEMU: -serial stdio < FILE). */
#include "devices.h"

void isr_dispatch(uint32_t vector, uint32_t error) { unexpected(vector, error); }

static int getc_timeout(uint64_t cycles) {
    uint64_t t0 = rdtsc();
    while (!(inb(COM1 + 5) & 1)) if (rdtsc() - t0 > cycles) return -1;
    return inb(COM1);
}

void kmain(void) {
    serial_init();
    idt_init();
    serial_puts("serial-echo: type lines\n");
    char line[80];
    uint32_t lines = 0;
    for (;;) {
        int n = 0, c = 0;
        while ((c = getc_timeout(10000000)) >= 0 && c != '\n' && c != '\r')
            if (n < 79) line[n++] = (char)c;
        line[n] = 0;
        if (c < 0 && n == 0) break;
        if (n == 4 && line[0] == 'q' && line[1] == 'u' && line[2] == 'i' && line[3] == 't') break;
        for (int i = 0; i < n; i++) if (line[i] >= 'a' && line[i] <= 'z') line[i] -= 32;
        serial_puts("echo: ");
        serial_puts(line);
        serial_puts("\n");
        lines++;
        if (c < 0) break;
    }
    serial_puts("serial-echo: ");
    serial_dec(lines);
    serial_puts(" line(s)\n");
    debug_exit(0);
}
