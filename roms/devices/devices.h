/* Helpers shared by the roms/devices kernels: IDT, 8259A set-up, TSC, checks. */
#ifndef ROMS_DEVICES_H
#define ROMS_DEVICES_H

#include "serial.h"

struct idt_entry { uint16_t off_lo, sel; uint8_t zero, type; uint16_t off_hi; } __attribute__((packed));
static struct idt_entry idt[256];
extern const uint32_t isr_stub_table[48];

static inline __attribute__((unused)) void outw(uint16_t port, uint16_t value) { __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port)); }
static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
static inline void sti(void) { __asm__ volatile("sti"); }
static inline void cli(void) { __asm__ volatile("cli"); }
/* STI; HLT: the STI shadow covers HLT, so an interrupt cannot slip in between. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

static void idt_init(void) {
    for (int v = 0; v < 48; v++) {
        uint32_t a = isr_stub_table[v];
        idt[v] = (struct idt_entry){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16) };
    }
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof idt - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(d));
}

/* ICW1-4: edge-triggered, cascade, vectors 0x20-0x27 and 0x28-0x2f, 8086 mode; all masked. */
static __attribute__((unused)) void pic_init(void) {
    outb(0x20, 0x11); outb(0xa0, 0x11);
    outb(0x21, 0x20); outb(0xa1, 0x28);
    outb(0x21, 0x04); outb(0xa1, 0x02);
    outb(0x21, 0x01); outb(0xa1, 0x01);
    outb(0x21, 0xff); outb(0xa1, 0xff);
}
static __attribute__((unused)) uint8_t pic_isr(uint16_t base) { outb(base, 0x0b); uint8_t v = inb(base); outb(base, 0x0a); return v; }
static __attribute__((unused)) uint8_t pic_irr(uint16_t base) { outb(base, 0x0a); return inb(base); }

static int failures;
static __attribute__((unused)) void check(const char *name, int ok) {
    serial_puts(name);
    serial_puts(ok ? ": PASS\n" : ": FAIL\n");
    if (!ok) failures++;
}

/* Unexpected exceptions end the test. */
static void unexpected(uint32_t vector, uint32_t error) {
    serial_puts("unexpected vector ");
    serial_dec(vector);
    serial_puts(" error ");
    serial_hex(error);
    serial_puts("\n");
    debug_exit(2);
}

#endif
