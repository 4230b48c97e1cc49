/* The 32-bit VMX host shared by swemu's 32-bit hypervisor guests (vmx-hello, devices/vmx-extint):
   flat segments and a TSS, identity-mapped 32-bit paging, VMX operation, and a VMCS whose host
   state is this kernel and whose guest is a flat ring-0 32-bit function sharing its memory and
   paging (SDM vol. 3, chapters 24-26). A program includes this once and defines vmx_name (the
   prefix of its messages) and vmexit_handler; it writes its own VM-execution, VM-exit and
   VM-entry controls between vmx_enter and vmx_launch. */
#ifndef ROMS_VMX32_H
#define ROMS_VMX32_H

#include "serial.h"
#include "cpuid.h"
#include "msr.h"

struct regs { uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax; };   /* PUSHA layout */

/* Defined by the program: its name, and what it does with a VM exit (the guest's general
   registers in r; vmexit_entry resumes the guest when it returns). */
extern const char vmx_name[];
void vmexit_handler(struct regs *r);

/* VMCS field encodings (SDM vol. 3, appendix B). */
enum {
    GUEST_ES_SEL = 0x800, GUEST_CS_SEL = 0x802, GUEST_SS_SEL = 0x804, GUEST_DS_SEL = 0x806,
    GUEST_FS_SEL = 0x808, GUEST_GS_SEL = 0x80A, GUEST_LDTR_SEL = 0x80C, GUEST_TR_SEL = 0x80E,
    HOST_ES_SEL = 0xC00, HOST_CS_SEL = 0xC02, HOST_SS_SEL = 0xC04, HOST_DS_SEL = 0xC06,
    HOST_FS_SEL = 0xC08, HOST_GS_SEL = 0xC0A, HOST_TR_SEL = 0xC0C,
    VMCS_LINK = 0x2800, VMCS_LINK_HIGH = 0x2801,
    PIN_CTLS = 0x4000, PROC_CTLS = 0x4002, EXCEPTION_BITMAP = 0x4004, EXIT_CTLS = 0x400C,
    ENTRY_CTLS = 0x4012, VM_INSTRUCTION_ERROR = 0x4400, EXIT_REASON = 0x4402, EXIT_INTR_INFO = 0x4404,
    EXIT_LENGTH = 0x440C,
    GUEST_ES_LIMIT = 0x4800, GUEST_ES_AR = 0x4814, GUEST_GDTR_LIMIT = 0x4810, GUEST_IDTR_LIMIT = 0x4812,
    GUEST_INTERRUPTIBILITY = 0x4824, GUEST_ACTIVITY = 0x4826, HOST_SYSENTER_CS = 0x4C00,
    CR0_MASK = 0x6000, CR4_MASK = 0x6002, CR0_SHADOW = 0x6004, CR4_SHADOW = 0x6006,
    EXIT_QUALIFICATION = 0x6400,
    GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804, GUEST_ES_BASE = 0x6806,
    GUEST_GDTR_BASE = 0x6816, GUEST_IDTR_BASE = 0x6818, GUEST_DR7 = 0x681A, GUEST_RSP = 0x681C,
    GUEST_RIP = 0x681E, GUEST_RFLAGS = 0x6820,
    HOST_CR0 = 0x6C00, HOST_CR3 = 0x6C02, HOST_CR4 = 0x6C04, HOST_FS_BASE = 0x6C06,
    HOST_GS_BASE = 0x6C08, HOST_TR_BASE = 0x6C0A, HOST_GDTR_BASE = 0x6C0C, HOST_IDTR_BASE = 0x6C0E,
    HOST_RSP = 0x6C14, HOST_RIP = 0x6C16,
};

static uint64_t gdt[4] __attribute__((aligned(16)));
static uint8_t tss[104] __attribute__((aligned(16)));
static uint32_t page_directory[1024] __attribute__((aligned(4096)));
static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_region[4096] __attribute__((aligned(4096)));
static uint8_t exit_stack[8192] __attribute__((aligned(16))), guest_stack[4096] __attribute__((aligned(16)));

static uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint32_t read_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }

/* VMX instructions; each returns nonzero on VMfail (CF or ZF set). */
static int vmxon(uint64_t pa) { uint8_t f; __asm__ volatile("vmxon %1; setbe %0" : "=q"(f) : "m"(pa) : "cc", "memory"); return f; }
static int vmclear(uint64_t pa) { uint8_t f; __asm__ volatile("vmclear %1; setbe %0" : "=q"(f) : "m"(pa) : "cc", "memory"); return f; }
static int vmptrld(uint64_t pa) { uint8_t f; __asm__ volatile("vmptrld %1; setbe %0" : "=q"(f) : "m"(pa) : "cc", "memory"); return f; }
static void vmwrite(uint32_t field, uint32_t v) { __asm__ volatile("vmwrite %1, %0" : : "r"(field), "rm"(v) : "cc"); }
static uint32_t vmread(uint32_t field) { uint32_t v; __asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc"); return v; }

/* Prints "NAME: WHAT VALUE" and exits with 1 (status 3). */
static __attribute__((noreturn)) void vmx_fail(const char *what, uint32_t value) {
    serial_puts(vmx_name);
    serial_puts(": ");
    serial_puts(what);
    serial_puts(" ");
    serial_hex(value);
    serial_puts("\n");
    debug_exit(1);
}

void vmresume_failed(void) { vmx_fail("VMRESUME failed, VM-instruction error", vmread(VM_INSTRUCTION_ERROR)); }

/* Every VM exit lands here on the exit stack (host RSP): save the guest's general registers
   (the VMCS holds RSP, RIP and RFLAGS), let the C handler emulate the exit, then resume. */
__asm__(
    "   .globl vmexit_entry\n"
    "vmexit_entry:\n"
    "   pusha\n"
    "   push %esp\n"
    "   call vmexit_handler\n"
    "   add $4, %esp\n"
    "   popa\n"
    "   vmresume\n"
    "   call vmresume_failed\n");
extern char vmexit_entry[];

/* A control value: the bits we want, plus the allowed-0 bits, within the allowed-1 bits. */
static uint32_t vmx_adjust(uint32_t msr, uint32_t want) {
    uint64_t v = rdmsr(msr);
    return (want | (uint32_t)v) & (uint32_t)(v >> 32);
}

/* 08: flat 32-bit code, 10: flat data, 18: the TSS (VMX needs a usable host TR). */
static void vmx_setup_gdt(void) {
    uint32_t base = (uint32_t)tss;
    gdt[1] = 0x00CF9A000000FFFFull;
    gdt[2] = 0x00CF92000000FFFFull;
    gdt[3] = 0x67 | (uint64_t)(base & 0xFFFFFF) << 16 | 0x89ull << 40 | (uint64_t)(base >> 24) << 56;
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof gdt - 1, (uint32_t)gdt };
    __asm__ volatile("lgdt %0\n ljmp $0x08, $1f\n 1: mov $0x10, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n"
                     " mov %%ax, %%ss\n mov %%ax, %%fs\n mov %%ax, %%gs\n mov $0x18, %%ax\n ltr %%ax"
                     : : "m"(d) : "eax", "memory");
}

/* Enters VMX root operation with a current, clear VMCS and returns the VMCS revision. Without
   VMX (the AMD model, QEMU TCG) it says so and exits with 3 (status 7). */
static uint32_t vmx_enter(void) {
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(c & (1 << 5))) {
        serial_puts(vmx_name);
        serial_puts(": VMX not available (CPUID.1:ECX.VMX = 0)\n");
        debug_exit(3);
    }
    vmx_setup_gdt();
    /* 32-bit paging with 4-MByte pages, identity-mapped (VMX needs CR0.PG = 1). */
    for (uint32_t k = 0; k < 1024; k++) page_directory[k] = k << 22 | 0x83;
    __asm__ volatile("mov %0, %%cr3" : : "r"(page_directory));
    __asm__ volatile("mov %0, %%cr4" : : "r"(read_cr4() | 0x10));                   /* PSE */
    __asm__ volatile("mov %0, %%cr0" : : "r"(read_cr0() | 0x80000020));             /* PG, NE */

    uint64_t feature = rdmsr(0x3A);
    if (!(feature & 1)) wrmsr(0x3A, feature | 5);
    else if (!(feature & 4)) vmx_fail("VMX disabled by IA32_FEATURE_CONTROL", (uint32_t)feature);
    uint32_t cr0 = (read_cr0() | (uint32_t)rdmsr(0x486)) & (uint32_t)rdmsr(0x487);
    uint32_t cr4 = (read_cr4() | 0x2000 | (uint32_t)rdmsr(0x488)) & (uint32_t)rdmsr(0x489);
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    uint32_t revision = (uint32_t)rdmsr(0x480) & 0x7fffffff;
    *(uint32_t *)vmxon_region = revision;
    *(uint32_t *)vmcs_region = revision;
    if (vmxon((uint32_t)vmxon_region)) vmx_fail("VMXON failed", 0);
    if (vmclear((uint32_t)vmcs_region) || vmptrld((uint32_t)vmcs_region)) vmx_fail("VMCLEAR/VMPTRLD failed", 0);
    return revision;
}

/* Everything in the VMCS but the controls: no exception exits, no VMCS link, the guest owns CR0
   and CR4 except VMXE (which it reads as 0); host state is this kernel as it runs now (with
   host_idt as its IDT), guest state flat ring-0 segments, the same paging, its own stack, and
   RIP at guest. */
static void vmx_setup_vmcs(uint32_t host_idt, void (*guest)(void)) {
    vmwrite(EXCEPTION_BITMAP, 0);
    vmwrite(VMCS_LINK, 0xffffffff);
    vmwrite(VMCS_LINK_HIGH, 0xffffffff);
    vmwrite(CR4_MASK, 0x2000);
    vmwrite(CR4_SHADOW, 0);

    vmwrite(HOST_CR0, read_cr0());
    vmwrite(HOST_CR3, read_cr3());
    vmwrite(HOST_CR4, read_cr4());
    vmwrite(HOST_CS_SEL, 0x08);
    for (uint32_t f = HOST_ES_SEL; f <= HOST_GS_SEL; f += 2) if (f != HOST_CS_SEL) vmwrite(f, 0x10);
    vmwrite(HOST_TR_SEL, 0x18);
    vmwrite(HOST_FS_BASE, 0);
    vmwrite(HOST_GS_BASE, 0);
    vmwrite(HOST_TR_BASE, (uint32_t)tss);
    vmwrite(HOST_GDTR_BASE, (uint32_t)gdt);
    vmwrite(HOST_IDTR_BASE, host_idt);
    vmwrite(HOST_SYSENTER_CS, 0);
    vmwrite(HOST_RSP, (uint32_t)exit_stack + sizeof exit_stack);
    vmwrite(HOST_RIP, (uint32_t)vmexit_entry);

    vmwrite(GUEST_CR0, read_cr0());
    vmwrite(GUEST_CR3, read_cr3());
    vmwrite(GUEST_CR4, read_cr4());
    vmwrite(GUEST_DR7, 0x400);
    for (uint32_t k = 0; k < 6; k++) {
        int code = k == 1;
        vmwrite(GUEST_ES_SEL + 2 * k, code ? 0x08 : 0x10);
        vmwrite(GUEST_ES_LIMIT + 2 * k, 0xffffffff);
        vmwrite(GUEST_ES_AR + 2 * k, code ? 0xC09B : 0xC093);
        vmwrite(GUEST_ES_BASE + 2 * k, 0);
    }
    vmwrite(GUEST_LDTR_SEL, 0);
    vmwrite(GUEST_ES_AR + 12, 0x10000);                /* LDTR unusable */
    vmwrite(GUEST_TR_SEL, 0x18);
    vmwrite(GUEST_ES_LIMIT + 14, 0x67);
    vmwrite(GUEST_ES_AR + 14, 0x8B);                   /* busy 32-bit TSS */
    vmwrite(GUEST_ES_BASE + 14, (uint32_t)tss);
    vmwrite(GUEST_GDTR_BASE, (uint32_t)gdt);
    vmwrite(GUEST_GDTR_LIMIT, sizeof gdt - 1);
    vmwrite(GUEST_IDTR_BASE, 0);
    vmwrite(GUEST_IDTR_LIMIT, 0);
    vmwrite(GUEST_RSP, (uint32_t)guest_stack + sizeof guest_stack);
    vmwrite(GUEST_RIP, (uint32_t)guest);
    vmwrite(GUEST_RFLAGS, 0x2);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    vmwrite(GUEST_ACTIVITY, 0);
}

/* VMLAUNCH: only a failed one comes back here; VM exits go to vmexit_entry. */
static __attribute__((noreturn)) void vmx_launch(void) {
    uint8_t failed;
    __asm__ volatile("vmlaunch; setbe %0" : "=q"(failed) : : "cc", "memory");
    (void)failed;
    vmx_fail("VMLAUNCH failed, VM-instruction error", vmread(VM_INSTRUCTION_ERROR));
}

#endif
