/* CPUID (subleaf 0) for swemu's 32-bit guest programs. */
#ifndef ROMS_CPUID_H
#define ROMS_CPUID_H

#include <stdint.h>

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

#endif
