/* vmx-hello.elf: a minimal VMX hypervisor. It checks CPUID for VMX, turns on 32-bit paging,
   enters VMX operation, sets up a VMCS for a 32-bit protected-mode guest that shares its memory,
   and launches it. The guest prints a line through OUT to COM1 (each OUT is an I/O VM exit the
   hypervisor emulates by writing the byte itself) and ends with VMCALL; the hypervisor prints
   the number of exits by reason and exits through isa-debug-exit with 0 (status 1).
   Without VMX (the AMD model) it says so and exits with 3 (status 7). */
#include "vmx32.h"

const char vmx_name[] = "vmx-hello";
static uint32_t exits[64];

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
        vmx_fail("reason", reason);
    }
    vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_LENGTH));
}

void kmain(void) {
    serial_init();
    serial_puts("vmx-hello: a VMX hypervisor on swemu\n");
    uint32_t revision = vmx_enter();
    serial_puts("vmx-hello: in VMX root operation, VMCS revision ");
    serial_hex(revision);
    serial_puts("\n");

    /* Controls (TRUE MSRs, IA32_VMX_BASIC[55] = 1): unconditional I/O exiting, HLT exiting. */
    vmwrite(PIN_CTLS, vmx_adjust(0x48D, 0));
    vmwrite(PROC_CTLS, vmx_adjust(0x48E, 1u << 24 | 1u << 7));
    vmwrite(EXIT_CTLS, vmx_adjust(0x48F, 0));
    vmwrite(ENTRY_CTLS, vmx_adjust(0x490, 0));
    vmx_setup_vmcs(0, guest_main);

    serial_puts("vmx-hello: VMLAUNCH\n");
    vmx_launch();
}
