/* smp.elf: application processor start-up (SDM vol. 3, 9.4.4: INIT-SIPI-SIPI). The BSP reads
   the CPU count from fw_cfg, copies a real-mode trampoline to 8000h, broadcasts INIT and two
   start-up IPIs with vector 08h, and checks that every AP started at CS = 0800h, IP = 0 in real
   mode, reached protected mode on its own stack, reports a distinct APIC ID, and that the fixed
   IPI each AP sends back (vector 28h + its slot, since IPIs of one vector pending together are
   one IRR bit) arrives. Boot with 2 to 9 CPUs (swemu --smp 4, qemu -smp 4). */
#include "devices.h"
#include "apic.h"
#include "fwcfg.h"

#define VEC_IPI 0x28
#define MAX_AP 8
#define TRAMPOLINE 0x8000u

uint64_t ap_gdt[3] __attribute__((aligned(8))) = { 0, 0x00CF9A000000FFFFull, 0x00CF92000000FFFFull };
volatile uint32_t ap_slot;
uint8_t ap_stacks[MAX_AP + 1][4096] __attribute__((aligned(16)));
static volatile uint32_t ap_started, ap_ids[MAX_AP], ipi_mask;
static uint32_t bsp_id;
extern char tramp_start[], tramp_end[], tramp_gdtr[], tramp_cs[];

/* Real mode at 0800:0000: record CS, load the GDT, enter protected mode, jump to 32-bit code. */
__asm__(
    "   .code16\n"
    "   .globl tramp_start, tramp_end, tramp_gdtr, tramp_cs\n"
    "tramp_start:\n"
    "   cli\n"
    "   mov %cs, %ax\n"
    "   mov %ax, %ds\n"
    "   mov %ax, tramp_cs - tramp_start\n"
    "   lgdtl tramp_gdtr - tramp_start\n"
    "   mov %cr0, %eax\n"
    "   or $1, %eax\n"
    "   mov %eax, %cr0\n"
    "   ljmpl $0x08, $ap_entry32\n"
    "   .align 8\n"
    "tramp_gdtr: .word 23\n"
    "   .long 0\n"
    "tramp_cs: .word 0\n"
    "tramp_end:\n"
    "   .code32\n"
    "ap_entry32:\n"
    "   mov $0x10, %ax\n"
    "   mov %ax, %ds\n"
    "   mov %ax, %es\n"
    "   mov %ax, %ss\n"
    "   mov %ax, %fs\n"
    "   mov %ax, %gs\n"
    "   mov $1, %eax\n"
    "   lock xadd %eax, ap_slot\n"
    "   mov %eax, %ebx\n"
    "   inc %ebx\n"
    "   shl $12, %ebx\n"
    "   lea ap_stacks(%ebx), %esp\n"
    "   push %eax\n"
    "   call ap_main\n"
    "1: cli\n"
    "   hlt\n"
    "   jmp 1b\n");

void ap_main(uint32_t slot) {
    if (slot < MAX_AP) ap_ids[slot] = apic_read(APIC_ID) >> 24;
    apic_write(APIC_SVR, 0x1ff);
    apic_write(APIC_ICR_HI, bsp_id << 24);
    apic_write(APIC_ICR_LO, VEC_IPI + slot);            /* fixed, physical, to the BSP */
    __sync_fetch_and_add(&ap_started, 1);
}

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector >= VEC_IPI && vector < VEC_IPI + MAX_AP) {
        ipi_mask |= 1u << (vector - VEC_IPI);
        apic_write(APIC_EOI, 0);
        return;
    }
    unexpected(vector, error);
}

static void delay(uint64_t cycles) {
    uint64_t t0 = rdtsc();
    while (rdtsc() - t0 < cycles) { }
}

static void wait_icr_idle(void) {
    while (apic_read(APIC_ICR_LO) & (1 << 12)) { }
}

void kmain(void) {
    serial_init();
    serial_puts("smp: application processor start-up\n");
    idt_init();
    pic_init();
    apic_write(APIC_SVR, 0x1ff);
    bsp_id = apic_read(APIC_ID) >> 24;
    uint32_t n = fwcfg_cpu_count();
    check("smp: fw_cfg reports 2 or more CPUs", n >= 2 && n <= MAX_AP + 1);
    if (n < 2 || n > MAX_AP + 1) debug_exit(1);

    uint8_t *t = (uint8_t *)TRAMPOLINE;
    for (uint32_t i = 0; i < (uint32_t)(tramp_end - tramp_start); i++) t[i] = (uint8_t)tramp_start[i];
    *(uint32_t *)(TRAMPOLINE + (tramp_gdtr - tramp_start) + 2) = (uint32_t)ap_gdt;

    apic_write(APIC_ICR_HI, 0);
    apic_write(APIC_ICR_LO, 0xc4500);                   /* INIT, assert, all excluding self */
    wait_icr_idle();
    delay(10000000);                                    /* 10 ms */
    for (int k = 0; k < 2; k++) {
        apic_write(APIC_ICR_LO, 0xc4600 | (TRAMPOLINE >> 12));   /* start-up, vector 08h */
        wait_icr_idle();
        delay(200000);                                  /* 200 us */
    }
    uint64_t t0 = rdtsc();
    while (ap_started < n - 1 && rdtsc() - t0 < 100000000) { }
    check("smp: every AP started", ap_started == n - 1);
    check("smp: APs began in real mode at CS = 0800h", *(volatile uint16_t *)(TRAMPOLINE + (tramp_cs - tramp_start)) == 0x0800);
    int distinct = 1;
    for (uint32_t i = 0; i < n - 1 && i < MAX_AP; i++) {
        if (ap_ids[i] == bsp_id) distinct = 0;
        for (uint32_t j = 0; j < i; j++) if (ap_ids[i] == ap_ids[j]) distinct = 0;
    }
    check("smp: APIC IDs are distinct and differ from the BSP's", distinct);
    t0 = rdtsc();
    uint32_t all = (1u << (n - 1)) - 1;
    while (ipi_mask != all && rdtsc() - t0 < 100000000) { __asm__ volatile("sti; nop; cli"); }
    check("smp: a fixed IPI from every AP reached the BSP", ipi_mask == all);

    serial_puts(failures ? "smp: FAIL\n" : "smp: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}
