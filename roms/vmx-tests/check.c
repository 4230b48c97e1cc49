/* Check reporting and the outcome checks of check.h. */
#include "check.h"

static int checks, failures;
static uint64_t idt[64] __attribute__((aligned(16)));
extern uint64_t fault_stubs[32];

static void put_decimal(int v) {
    char buf[12];
    int n = 0;
    do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) serial_putc(buf[--n]);
}

void check(const char *name, int ok, uint64_t detail) {
    checks++;
    if (ok) {
        serial_puts("PASS ");
        serial_puts(name);
        serial_puts("\n");
        return;
    }
    failures++;
    serial_puts("FAIL ");
    serial_puts(name);
    serial_puts(": ");
    serial_hex64(detail);
    serial_puts("\n");
}

void check_summary(void) {
    serial_puts("# ");
    put_decimal(checks);
    serial_puts(" checks, ");
    put_decimal(failures);
    serial_puts(" failed\n");
    bench_exit(failures ? 1 : 0);
}

uint64_t faults_install(void) {
    for (int v = 0; v < 32; v++) {
        uint64_t h = fault_stubs[v];
        idt[2 * v] = (h & 0xFFFF) | 0x08ULL << 16 | 0x8EULL << 40 | (h >> 16 & 0xFFFF) << 48;
        idt[2 * v + 1] = h >> 32;
    }
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } p = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
    return (uint64_t)(uintptr_t)idt;
}

/* Called by faults.S for a fault that no ATTEMPT expected. */
__attribute__((noreturn)) void fault_unexpected(uint64_t vector, uint64_t error, uint64_t rip) {
    serial_puts("FAIL unexpected exception ");
    serial_hex64(vector);
    serial_puts(" error ");
    serial_hex64(error);
    serial_puts(" at ");
    serial_hex64(rip);
    serial_puts("\n");
    failures++;
    check_summary();
}

/* detail: the fault as vector << 32 | error, or the flags with bit 63 set when none. */
static uint64_t describe(struct outcome o) {
    return o.vector == NO_FAULT ? 1ULL << 63 | o.flags : o.vector << 32 | o.error;
}

void expect_fault(const char *name, struct outcome o, uint64_t vector, uint64_t error) {
    check(name, o.vector == vector && o.error == error, describe(o));
}

void expect_success(const char *name, struct outcome o) {
    check(name, o.vector == NO_FAULT && (o.flags & FLAGS_ARITH) == 0, describe(o));
}

void expect_fail_invalid(const char *name, struct outcome o) {
    check(name, o.vector == NO_FAULT && (o.flags & FLAGS_ARITH) == FLAG_CF, describe(o));
}

void expect_fail_valid(const char *name, struct outcome o, uint64_t error) {
    if (o.vector != NO_FAULT || (o.flags & FLAGS_ARITH) != FLAG_ZF) { check(name, 0, describe(o)); return; }
    uint64_t got = vmread(VM_INSTRUCTION_ERROR);
    check(name, got == error, got);
}
