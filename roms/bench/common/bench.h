/* What every benchmark workload shares: COM1 output, the iteration count from the command line,
   the result line and an exit that ends QEMU, swemu (isa-debug-exit, port 0xf4) and Bochs
   (the "Shutdown" port 0x8900). */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include "serial.h"
#include "msr.h"

/* Each workload defines these: its name, the iteration count when the command line has none,
   and the work itself, returning the checksum (or calling bench_unsupported). */
extern const char bench_name[];
extern const uint64_t bench_default_iterations;
uint64_t bench_run(uint64_t iterations);

struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

/* Prints "bench NAME: unsupported: WHY" and exits with 3 (status 7): the script shows n/a. */
__attribute__((noreturn)) void bench_unsupported(const char *why);
/* Prints "bench NAME: failed: WHY" and exits with 2 (status 5). */
__attribute__((noreturn)) void bench_fail(const char *why, uint64_t detail);
__attribute__((noreturn)) void bench_exit(uint32_t value);

/* Fills GDT entry 0x18 with a 64-bit TSS and loads TR (VMX needs a usable host TR). */
void bench_load_tss(void);

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline void bench_zero(void *p, uint64_t bytes) {
    uint64_t qwords = bytes / 8;
    __asm__ volatile("rep stosq" : "+D"(p), "+c"(qwords) : "a"(0ULL) : "memory");
}

#endif
