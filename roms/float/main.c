/* The guest side of roms/float: runs compute.c built twice (-O2: SSE2 scalar and x87 code;
   -O3 -msse4.1: auto-vectorised packed SSE), prints every result line and compares it with the
   host CPU's line from expected.txt (embedded by expected.S). One "ok N - VARIANT NAME" line per
   result, then "# N checks, F failed" and an exit through port 0xf4 with F (status 1 when all
   match). entry.S has enabled SSE (CR4.OSFXSR, OSXMMEXCPT) and the x87 FPU (CR0.MP, NE; FNINIT). */
#include <stdint.h>
#include "serial.h"

void compute_o2(void (*emit)(const char *line));
void compute_o3(void (*emit)(const char *line));
extern const char expected_lines[];

static const char *variant;
static const char *next_expected;
static uint32_t checks, failures;

/* gcc may call these for array and structure copies. */
void *memcpy(void *d, const void *s, unsigned long n) {
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--) *dp++ = *sp++;
    return d;
}
void *memset(void *d, int c, unsigned long n) {
    unsigned char *dp = d;
    while (n--) *dp++ = (unsigned char)c;
    return d;
}

static void emit(const char *line) {
    const char *e = next_expected;
    const char *l = line;
    while (*e && *e != '\n' && *e == *l) { e++; l++; }
    int same = *l == 0 && (*e == '\n' || *e == 0);
    checks++;
    if (!same) { failures++; serial_puts("not "); }
    serial_puts("ok ");
    serial_dec(checks);
    serial_puts(" - ");
    serial_puts(variant);
    serial_puts(" ");
    serial_puts(line);
    if (!same) {
        serial_puts(" (host: ");
        for (e = next_expected; *e && *e != '\n'; e++) serial_putc(*e);
        serial_puts(")");
    }
    serial_puts("\n");
    while (*next_expected && *next_expected != '\n') next_expected++;
    if (*next_expected) next_expected++;
}

static void run(const char *name, void (*compute)(void (*)(const char *))) {
    variant = name;
    next_expected = expected_lines;
    compute(emit);
    if (*next_expected) {
        failures++;
        serial_puts("not ok - ");
        serial_puts(name);
        serial_puts(": fewer results than expected.txt\n");
    }
}

void float_main(void) {
    serial_init();
    serial_puts("float: compiler-generated SSE and x87 code against the host's results\n");
    run("o2", compute_o2);
    run("o3", compute_o3);
    serial_puts("# ");
    serial_dec(checks);
    serial_puts(" checks, ");
    serial_dec(failures);
    serial_puts(" failed\n");
    debug_exit(failures);
}
