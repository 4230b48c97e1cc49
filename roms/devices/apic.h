/* Local APIC access for the roms/devices kernels (SDM vol. 3, chapter 11). */
#ifndef ROMS_APIC_H
#define ROMS_APIC_H

#include <stdint.h>
#include "cpuid.h"
#include "msr.h"

#define APIC_BASE 0xfee00000u
#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_PPR 0xa0
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ISR 0x100
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0

static inline uint32_t apic_read(uint32_t reg) { return *(volatile uint32_t *)(APIC_BASE + reg); }
static inline void apic_write(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(APIC_BASE + reg) = v; }
static inline __attribute__((unused)) int apic_irr_bit(uint8_t v) { return (apic_read(APIC_IRR + (v / 32) * 16) >> (v % 32)) & 1; }

#endif
