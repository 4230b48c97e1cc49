/* vmx-hello.elf: a minimal VMX hypervisor. It checks CPUID for VMX, turns on 32-bit paging,
   enters VMX operation, sets up a VMCS for a 32-bit protected-mode guest that shares its memory,
   and launches it. The guest prints a line through OUT to COM1 (each OUT is an I/O VM exit the
   hypervisor emulates by writing the byte itself) and ends with VMCALL; the hypervisor prints
   the number of exits by reason and exits through isa-debug-exit with 0 (status 1).
   Without VMX (the AMD model) it says so and exits with 3 (status 7). */
#include "serial.h"

#define VMX_ABSENT_EXIT 3

struct regs { uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax; };   /* PUSHA layout */

extern char vmexit_entry[], exit_stack_top[], guest_stack_top[];

static uint64_t gdt[4] __attribute__((aligned(16)));
static uint8_t tss[104] __attribute__((aligned(16)));
static uint32_t page_directory[1024] __attribute__((aligned(4096)));
static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_region[4096] __attribute__((aligned(4096)));
static uint32_t exits[64];

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
static uint64_t rdmsr(uint32_t msr) {
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}
static void wrmsr(uint32_t msr, uint64_t v) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint32_t read_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }

/* VMX instructions; each returns nonzero on VMfail (CF or ZF set). */
static int vmxon(uint64_t pa) { uint8_t f; __asm__ volatile("vmxon %1; setbe %0" : "=q"(f) : "m"(pa) : "cc", "memory"); return f; }
static int vmclear(uint64_t pa) { uint8_t f; __asm__ volatile("vmclear %1; setbe %0" : "=q"(f) : "m"(pa) : "cc", "memory"); return f; }
static int vmptrld(uint64_t pa) { uint8_t f; __asm__ volatile("vmptrld %1; setbe %0" : "=q"(f) : "m"(pa) : "cc", "memory"); return f; }
static void vmwrite(uint32_t field, uint32_t v) { __asm__ volatile("vmwrite %1, %0" : : "r"(field), "rm"(v) : "cc"); }
static uint32_t vmread(uint32_t field) { uint32_t v; __asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc"); return v; }

/* VMCS field encodings (SDM vol. 3, appendix B). */
enum {
    GUEST_ES_SEL = 0x800, GUEST_CS_SEL = 0x802, GUEST_SS_SEL = 0x804, GUEST_DS_SEL = 0x806,
    GUEST_FS_SEL = 0x808, GUEST_GS_SEL = 0x80A, GUEST_LDTR_SEL = 0x80C, GUEST_TR_SEL = 0x80E,
    HOST_ES_SEL = 0xC00, HOST_CS_SEL = 0xC02, HOST_SS_SEL = 0xC04, HOST_DS_SEL = 0xC06,
    HOST_FS_SEL = 0xC08, HOST_GS_SEL = 0xC0A, HOST_TR_SEL = 0xC0C,
    VMCS_LINK = 0x2800, VMCS_LINK_HIGH = 0x2801,
    PIN_CTLS = 0x4000, PROC_CTLS = 0x4002, EXCEPTION_BITMAP = 0x4004, EXIT_CTLS = 0x400C,
    ENTRY_CTLS = 0x4012, VM_INSTRUCTION_ERROR = 0x4400, EXIT_REASON = 0x4402, EXIT_LENGTH = 0x440C,
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
enum { REASON_CPUID = 10, REASON_VMCALL = 18, REASON_IO = 30 };

/* The guest: 32-bit protected mode with paging, ring 0, sharing the hypervisor's memory. */
static void guest_main(void) {
    static const char message[] = "Hello from the guest\n";
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);                          /* one CPUID exit: VMX is hidden here */
    for (const char *s = message; *s; s++) outb(COM1, (uint8_t)*s);
    if (c & (1 << 5)) for (const char *s = "guest sees VMX!\n"; *s; s++) outb(COM1, (uint8_t)*s);
    __asm__ volatile("vmcall");
    for (;;) { }
}

static void fail(const char *what, uint32_t value) {
    serial_puts("vmx-hello: ");
    serial_puts(what);
    serial_puts(" ");
    serial_hex(value);
    serial_puts("\n");
    debug_exit(1);
}

void vmresume_failed(void) { fail("VMRESUME failed, VM-instruction error", vmread(VM_INSTRUCTION_ERROR)); }

void vmexit_handler(struct regs *r) {
    uint32_t reason = vmread(EXIT_REASON);
    exits[(reason & 0xffff) < 64 ? (reason & 0xffff) : 63]++;
    switch (reason) {
    case REASON_IO: {
        uint32_t q = vmread(EXIT_QUALIFICATION);
        uint16_t port = (uint16_t)(q >> 16);
        if (q & 8) r->eax = (port == COM1 + 5) ? 0x60 : 0xff;   /* IN: LSR says "empty" */
        else if (port == COM1) serial_putc((char)r->eax);        /* OUT: emulate THR */
        break;
    }
    case REASON_CPUID: {
        uint32_t a, b, c, d;
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(r->eax), "c"(r->ecx));
        if (r->eax == 1) c &= ~(1u << 5);                      /* no nested VMX */
        r->eax = a; r->ebx = b; r->ecx = c; r->edx = d;
        break;
    }
    case REASON_VMCALL: {
        uint32_t total = 0;
        for (int k = 0; k < 64; k++) total += exits[k];
        serial_puts("vmx-hello: guest done after ");
        serial_dec(total);
        serial_puts(" VM exits (CPUID ");
        serial_dec(exits[REASON_CPUID]);
        serial_puts(", I/O ");
        serial_dec(exits[REASON_IO]);
        serial_puts(", VMCALL ");
        serial_dec(exits[REASON_VMCALL]);
        serial_puts(")\n");
        debug_exit(total == exits[REASON_CPUID] + exits[REASON_IO] + exits[REASON_VMCALL] ? 0 : 1);
    }
    default:
        serial_puts("vmx-hello: unexpected VM exit, qualification ");
        serial_hex(vmread(EXIT_QUALIFICATION));
        fail("reason", reason);
    }
    vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_LENGTH));
}

/* A control value: the bits we want, plus the allowed-0 bits, within the allowed-1 bits. */
static uint32_t adjust(uint32_t msr, uint32_t want) {
    uint64_t v = rdmsr(msr);
    return (want | (uint32_t)v) & (uint32_t)(v >> 32);
}

static void setup_gdt(void) {
    uint32_t base = (uint32_t)tss;
    gdt[1] = 0x00CF9A000000FFFFull;                    /* 08: flat 32-bit code */
    gdt[2] = 0x00CF92000000FFFFull;                    /* 10: flat data */
    gdt[3] = 0x67 | (uint64_t)(base & 0xFFFFFF) << 16 | 0x89ull << 40 | (uint64_t)(base >> 24) << 56;   /* 18: TSS */
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof gdt - 1, (uint32_t)gdt };
    __asm__ volatile("lgdt %0\n ljmp $0x08, $1f\n 1: mov $0x10, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n"
                     " mov %%ax, %%ss\n mov %%ax, %%fs\n mov %%ax, %%gs\n mov $0x18, %%ax\n ltr %%ax"
                     : : "m"(d) : "eax", "memory");
}

void kmain(void) {
    serial_init();
    serial_puts("vmx-hello: a VMX hypervisor on swemu\n");
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(c & (1 << 5))) {
        serial_puts("vmx-hello: VMX not available (CPUID.1:ECX.VMX = 0)\n");
        debug_exit(VMX_ABSENT_EXIT);
    }
    setup_gdt();
    /* 32-bit paging with 4-MByte pages, identity-mapped (VMX needs CR0.PG = 1). */
    for (uint32_t k = 0; k < 1024; k++) page_directory[k] = k << 22 | 0x83;
    __asm__ volatile("mov %0, %%cr3" : : "r"(page_directory));
    __asm__ volatile("mov %0, %%cr4" : : "r"(read_cr4() | 0x10));                   /* PSE */
    __asm__ volatile("mov %0, %%cr0" : : "r"(read_cr0() | 0x80000020));             /* PG, NE */

    uint64_t feature = rdmsr(0x3A);
    if (!(feature & 1)) wrmsr(0x3A, feature | 5);
    else if (!(feature & 4)) fail("VMX disabled by IA32_FEATURE_CONTROL", (uint32_t)feature);
    uint32_t cr0 = (read_cr0() | (uint32_t)rdmsr(0x486)) & (uint32_t)rdmsr(0x487);
    uint32_t cr4 = (read_cr4() | 0x2000 | (uint32_t)rdmsr(0x488)) & (uint32_t)rdmsr(0x489);
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    uint32_t revision = (uint32_t)rdmsr(0x480) & 0x7fffffff;
    *(uint32_t *)vmxon_region = revision;
    *(uint32_t *)vmcs_region = revision;
    if (vmxon((uint32_t)vmxon_region)) fail("VMXON failed", 0);
    if (vmclear((uint32_t)vmcs_region) || vmptrld((uint32_t)vmcs_region)) fail("VMCLEAR/VMPTRLD failed", 0);
    serial_puts("vmx-hello: in VMX root operation, VMCS revision ");
    serial_hex(revision);
    serial_puts("\n");

    /* Controls (TRUE MSRs, IA32_VMX_BASIC[55] = 1): unconditional I/O exiting, HLT exiting. */
    vmwrite(PIN_CTLS, adjust(0x48D, 0));
    vmwrite(PROC_CTLS, adjust(0x48E, 1u << 24 | 1u << 7));
    vmwrite(EXIT_CTLS, adjust(0x48F, 0));
    vmwrite(ENTRY_CTLS, adjust(0x490, 0));
    vmwrite(EXCEPTION_BITMAP, 0);
    vmwrite(VMCS_LINK, 0xffffffff);
    vmwrite(VMCS_LINK_HIGH, 0xffffffff);
    /* The guest owns CR0 and CR4 except VMXE, which it reads as 0. */
    vmwrite(CR4_MASK, 0x2000);
    vmwrite(CR4_SHADOW, 0);

    /* Host state: this kernel as it runs now. */
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
    vmwrite(HOST_IDTR_BASE, 0);
    vmwrite(HOST_SYSENTER_CS, 0);
    vmwrite(HOST_RSP, (uint32_t)exit_stack_top);
    vmwrite(HOST_RIP, (uint32_t)vmexit_entry);

    /* Guest state: flat ring-0 segments, same paging, its own stack. */
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
    vmwrite(GUEST_RSP, (uint32_t)guest_stack_top);
    vmwrite(GUEST_RIP, (uint32_t)guest_main);
    vmwrite(GUEST_RFLAGS, 0x2);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    vmwrite(GUEST_ACTIVITY, 0);

    serial_puts("vmx-hello: VMLAUNCH\n");
    uint8_t failed;
    __asm__ volatile("vmlaunch; setbe %0" : "=q"(failed) : : "cc", "memory");
    /* Only a failed VMLAUNCH comes back here; VM exits go to vmexit_entry. */
    (void)failed;
    fail("VMLAUNCH failed, VM-instruction error", vmread(VM_INSTRUCTION_ERROR));
}
