/* COM1 (16550 UART at 0x3f8) and isa-debug-exit (port 0xf4) for swemu's guest programs. */
#ifndef ROMS_SERIAL_H
#define ROMS_SERIAL_H

#include <stdint.h>

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

static inline void outb(uint16_t port, uint8_t value) { __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void outl(uint16_t port, uint32_t value) { __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port)); }

/* 115200 baud, 8N1, FIFOs on: what real hardware (and Bochs) needs before output is readable. */
static void serial_init(void) {
    outb(COM1 + 1, 0x00);        /* IER: no interrupts */
    outb(COM1 + 3, 0x80);        /* LCR: DLAB */
    outb(COM1 + 0, 0x01);        /* DLL: divisor 1 */
    outb(COM1 + 1, 0x00);        /* DLM */
    outb(COM1 + 3, 0x03);        /* LCR: 8 bits, no parity, 1 stop bit */
    outb(COM1 + 2, 0xc7);        /* FCR: enable and clear FIFOs */
    outb(COM1 + 4, 0x03);        /* MCR: DTR, RTS */
}

static void serial_putc(char c) {
    while (!(inb(COM1 + 5) & 0x20)) { }   /* LSR.THRE */
    outb(COM1, (uint8_t)c);
}

static void serial_puts(const char *s) {
    while (*s) serial_putc(*s++);
}

static __attribute__((unused)) void serial_hex(uint32_t v) {
    serial_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4) serial_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

static __attribute__((unused)) void serial_hex64(uint64_t v) {
    serial_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4) serial_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

static __attribute__((unused)) void serial_dec(uint32_t v) {
    char buf[11];
    int n = 0;
    do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) serial_putc(buf[--n]);
}

/* Waits until the transmitter is empty (Bochs models transmit time), then exits with status
   (value << 1) | 1. */
static __attribute__((noreturn)) void debug_exit(uint32_t value) {
    while (!(inb(COM1 + 5) & 0x40)) { }   /* LSR.TEMT */
    outl(DEBUG_EXIT_PORT, value);
    for (;;) __asm__ volatile("cli; hlt");
}

#endif
