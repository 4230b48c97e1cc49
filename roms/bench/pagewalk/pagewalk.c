/* pagewalk.elf: a TLB-hostile loop. 64 MiB of linear memory at 1 GiB is mapped by 4 KiB pages
   (16384 page-table entries, 4-level paging) onto physical 32-96 MiB. Each iteration reads and
   writes one qword on a different page (page = i * 4099 mod 16384, a permutation), and CR3 is
   reloaded every 256 accesses, so every access misses any TLB and walks the page tables. */
#include "bench.h"

const char bench_name[] = "pagewalk";
const uint64_t bench_default_iterations = 1000000;

#define PAGES 16384
#define LINEAR 0x40000000ULL
#define PHYSICAL 0x02000000ULL

extern uint64_t pdpt[];
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[PAGES] __attribute__((aligned(4096)));

uint64_t bench_run(uint64_t iterations) {
    bench_zero((void *)(uintptr_t)PHYSICAL, PAGES * 4096ULL);
    for (uint64_t i = 0; i < PAGES; i++) pt[i] = (PHYSICAL + i * 4096) | 3;
    for (uint64_t i = 0; i < PAGES / 512; i++) pd[i] = (uint64_t)(uintptr_t)&pt[i * 512] | 3;
    pdpt[1] = (uint64_t)(uintptr_t)pd | 3;
    uint64_t cr3 = read_cr3();
    write_cr3(cr3);
    volatile uint64_t *base = (volatile uint64_t *)(uintptr_t)LINEAR;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iterations; i++) {
        uint64_t page = (i * 4099) & (PAGES - 1);
        volatile uint64_t *p = base + page * 512 + ((i * 37) & 511);
        uint64_t v = *p + i;
        *p = v ^ sum;
        sum = (sum << 5 | sum >> 59) + v;
        if ((i & 255) == 255) write_cr3(cr3);
    }
    return sum;
}
