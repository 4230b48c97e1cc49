/// ISA interrupt lines on a PC with an IOAPIC: each IRQ drives the 8259A pair and an IOAPIC
/// input, as on QEMU's q35/pc machines. IRQ0 (the PIT) goes to IOAPIC input 2 (the ACPI MADT
/// declares that interrupt source override); the other IRQs keep their numbers.
///
/// With the HPET's legacy replacement routing (LEG_RT_CNF) the HPET's timers 0 and 1 drive IRQ0
/// and IRQ8 instead of the PIT and the RTC (IA-PC HPET 1.0a, 2.3.9.2.2): the devices' own
/// levels on those lines are then disconnected.
public final class ISAInterruptRouter: InterruptSink {
    let pic: PICPair
    let ioapic: IOAPIC
    /// Set by the HPET while LEG_RT_CNF is 1.
    var hpetLegacyRouting = false

    public init(pic: PICPair, ioapic: IOAPIC) {
        self.pic = pic
        self.ioapic = ioapic
    }

    /// The IOAPIC input (global system interrupt) of ISA IRQ `irq`.
    public static func gsi(ofIRQ irq: Int) -> Int { irq == 0 ? 2 : irq }

    /// A device's line (the PIT's IRQ0 and the RTC's IRQ8 count only without legacy replacement).
    public func setIRQ(_ irq: Int, _ level: Bool) {
        if hpetLegacyRouting && (irq == 0 || irq == 8) { return }
        drive(irq, level)
    }

    /// The HPET's legacy replacement lines.
    func setHPETLegacyIRQ(_ irq: Int, _ level: Bool) { drive(irq, level) }

    func drive(_ irq: Int, _ level: Bool) {
        pic.setIRQ(irq, level)
        ioapic.setInput(ISAInterruptRouter.gsi(ofIRQ: irq), level)
    }
}
