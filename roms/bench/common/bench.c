/* The workloads' common main: reads the iteration count (the last word of the command line),
   runs the workload and prints "bench NAME: iterations N checksum 0x...". */
#include "bench.h"

extern uint64_t gdt[];
static uint8_t tss[104] __attribute__((aligned(16)));

static uint64_t iterations_from(const struct multiboot_info *mbi) {
    if (!mbi || !(mbi->flags & (1 << 2)) || !mbi->cmdline) return bench_default_iterations;
    const char *s = (const char *)(uintptr_t)mbi->cmdline;
    const char *word = s;
    for (const char *p = s; *p; p++)
        if (*p == ' ' && p[1] && p[1] != ' ') word = p + 1;
    uint64_t n = 0;
    int digits = 0;
    for (; *word >= '0' && *word <= '9'; word++, digits++) n = n * 10 + (uint64_t)(*word - '0');
    return digits && !*word ? n : bench_default_iterations;
}

static void put_dec64(uint64_t v) {
    char buf[21];
    int n = 0;
    do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) serial_putc(buf[--n]);
}

void bench_main(const struct multiboot_info *mbi) {
    serial_init();
    uint64_t n = iterations_from(mbi);
    uint64_t sum = bench_run(n);
    serial_puts("bench ");
    serial_puts(bench_name);
    serial_puts(": iterations ");
    put_dec64(n);
    serial_puts(" checksum ");
    serial_hex64(sum);
    serial_puts("\n");
    bench_exit(0);
}

void bench_exit(uint32_t value) {
    while (!(inb(COM1 + 5) & 0x40)) { }   /* LSR.TEMT: Bochs models transmit time */
    outl(DEBUG_EXIT_PORT, value);         /* QEMU, swemu: exit with status (value << 1) | 1 */
    for (const char *p = "Shutdown"; *p; p++) outb(0x8900, (uint8_t)*p);   /* Bochs */
    for (;;) __asm__ volatile("cli; hlt");
}

void bench_unsupported(const char *why) {
    serial_puts("bench ");
    serial_puts(bench_name);
    serial_puts(": unsupported: ");
    serial_puts(why);
    serial_puts("\n");
    bench_exit(3);
}

void bench_fail(const char *why, uint64_t detail) {
    serial_puts("bench ");
    serial_puts(bench_name);
    serial_puts(": failed: ");
    serial_puts(why);
    serial_puts(" ");
    serial_hex64(detail);
    serial_puts("\n");
    bench_exit(2);
}

void bench_load_tss(void) {
    uint64_t base = (uint64_t)(uintptr_t)tss;
    tss[102] = sizeof tss;                      /* I/O map base beyond the limit: no bitmap */
    gdt[3] = (sizeof tss - 1) | (base & 0xFFFFFF) << 16 | (uint64_t)0x89 << 40 | (base >> 24 & 0xFF) << 56;
    gdt[4] = base >> 32;
    __asm__ volatile("ltr %w0" : : "r"(0x18));
}
