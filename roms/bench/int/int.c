/* int.elf: an integer / branch / memory loop with a known instruction count: 14 instructions
   per iteration (loop.S), so guest MIPS = 14 * iterations / loop time. */
#include "bench.h"

const char bench_name[] = "int";
const uint64_t bench_default_iterations = 1000000;

uint64_t int_loop(uint64_t iterations, uint64_t *table);
static uint64_t table[512];

uint64_t bench_run(uint64_t iterations) {
    for (int i = 0; i < 512; i++) table[i] = (uint64_t)i * 0x9E3779B97F4A7C15ULL;
    return int_loop(iterations, table);
}
