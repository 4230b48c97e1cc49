/* QEMU's fw_cfg, traditional interface (docs/specs/fw_cfg.rst): selector 510h, data 511h. */
#ifndef ROMS_FWCFG_H
#define ROMS_FWCFG_H

#include "serial.h"

static inline void fwcfg_select(uint16_t key) { __asm__ volatile("outw %0, %1" : : "a"(key), "Nd"((uint16_t)0x510)); }
static inline void fwcfg_read(void *buf, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) ((uint8_t *)buf)[i] = inb(0x511);
}
static inline __attribute__((unused)) uint16_t fwcfg_cpu_count(void) {
    uint16_t n;
    fwcfg_select(0x0005);
    fwcfg_read(&n, 2);
    return n;
}

#endif
