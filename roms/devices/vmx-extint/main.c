/* vmx-extint.elf: external interrupts in VMX non-root operation (SDM vol. 3, 25.2, 27.2.2,
   28.2). A hypervisor runs a guest that spins with RFLAGS.IF = 0, under "external-interrupt
   exiting". The local APIC timer fires in the guest:
   1. with "acknowledge interrupt on exit": VM exit reason 1, the VM-exit interruption
      information valid with the vector, and the vector in service in the APIC (the host EOIs);
   2. without it: reason 1, interruption information not valid, the vector still pending in the
      IRR; the host takes it through its own IDT once it sets IF;
   3. with "NMI exiting" and the PIT's IRQ0 routed by the IOAPIC (input 2) as an NMI: reason 0,
      interruption information vector 2, type NMI.
   One line per check; exit 0 when all pass. Without VMX (QEMU TCG, --cpu amd) exit 3. */
#include "devices.h"
#include "apic.h"
#include "vmx32.h"

#define VEC 0x2c
static volatile uint32_t host_irqs;
static uint32_t phase;

enum { REASON_EXTINT = 1 };
const char vmx_name[] = "vmx-extint";

static void guest_main(void) {
    __asm__ volatile("cli");
    for (;;) __asm__ volatile("pause");
}

void isr_dispatch(uint32_t vector, uint32_t error) {
    if (vector == VEC) { host_irqs++; apic_write(APIC_EOI, 0); return; }
    unexpected(vector, error);
}

static void arm_timer(void) {
    apic_write(APIC_TIMER_DIV, 0xb);
    apic_write(APIC_LVT_TIMER, VEC);
    apic_write(APIC_TIMER_INIT, 20000);
}

void vmexit_handler(struct regs *r) {
    (void)r;
    uint32_t reason = vmread(EXIT_REASON), info = vmread(EXIT_INTR_INFO);
    if (phase == 0) {
        check("ack on exit: exit reason 1 (external interrupt)", reason == REASON_EXTINT);
        check("ack on exit: interruption information valid, vector 2Ch, type external", info == (0x80000000u | VEC));
        check("ack on exit: the vector is in service, not pending", (apic_read(APIC_ISR + 0x10) >> (VEC - 32) & 1) && !apic_irr_bit(VEC));
        apic_write(APIC_EOI, 0);
        vmwrite(EXIT_CTLS, vmx_adjust(0x48F, 0));
        phase = 1;
        arm_timer();
        return;
    }
    if (phase == 1) {
        check("no ack: exit reason 1 (external interrupt)", reason == REASON_EXTINT);
        check("no ack: interruption information not valid", !(info & 0x80000000u));
        check("no ack: the vector is still pending in the IRR", apic_irr_bit(VEC));
        __asm__ volatile("sti; nop; cli");
        check("no ack: the host takes it through its IDT when it sets IF", host_irqs == 1);
        vmwrite(PIN_CTLS, vmx_adjust(0x48D, 1u << 0 | 1u << 3));     /* and NMI exiting */
        *(volatile uint32_t *)0xfec00000 = 0x15;                  /* IOAPIC entry 2: APIC 0 */
        *(volatile uint32_t *)0xfec00010 = 0;
        *(volatile uint32_t *)0xfec00000 = 0x14;                  /* delivery mode NMI, edge */
        *(volatile uint32_t *)0xfec00010 = 0x400;
        outb(0x43, 0x30);                                         /* PIT channel 0, mode 0 */
        outb(0x40, 0x00);
        outb(0x40, 0x10);                                         /* 4096 clocks: 3.4 ms */
        phase = 2;
        return;
    }
    check("nmi exiting: exit reason 0, interruption information vector 2, type NMI",
          reason == 0 && info == (0x80000000u | 2 << 8 | 2));
    *(volatile uint32_t *)0xfec00000 = 0x14;
    *(volatile uint32_t *)0xfec00010 = 0x10000;                  /* mask the entry again */
    serial_puts(failures ? "vmx-extint: FAIL\n" : "vmx-extint: all checks passed\n");
    debug_exit(failures ? 1 : 0);
}

void kmain(void) {
    serial_init();
    serial_puts("vmx-extint: external interrupts in VMX non-root operation\n");
    idt_init();
    pic_init();
    apic_write(APIC_SVR, 0x1ff);
    vmx_enter();

    /* External-interrupt exiting (pin 0); acknowledge interrupt on exit (exit 15). */
    vmwrite(PIN_CTLS, vmx_adjust(0x48D, 1u << 0));
    vmwrite(PROC_CTLS, vmx_adjust(0x48E, 0));
    vmwrite(EXIT_CTLS, vmx_adjust(0x48F, 1u << 15));
    vmwrite(ENTRY_CTLS, vmx_adjust(0x490, 0));
    vmx_setup_vmcs((uint32_t)idt, guest_main);
    arm_timer();
    vmx_launch();
}
