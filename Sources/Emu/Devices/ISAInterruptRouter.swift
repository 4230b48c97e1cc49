/// ISA interrupt lines on a PC with an IOAPIC: each IRQ drives the 8259A pair and an IOAPIC
/// input, as on QEMU's q35/pc machines. IRQ0 (the PIT) goes to IOAPIC input 2 (the ACPI MADT
/// declares that interrupt source override); the other IRQs keep their numbers.
public final class ISAInterruptRouter: InterruptSink {
    let pic: PICPair
    let ioapic: IOAPIC

    public init(pic: PICPair, ioapic: IOAPIC) {
        self.pic = pic
        self.ioapic = ioapic
    }

    /// The IOAPIC input (global system interrupt) of ISA IRQ `irq`.
    public static func gsi(ofIRQ irq: Int) -> Int { irq == 0 ? 2 : irq }

    public func setIRQ(_ irq: Int, _ level: Bool) {
        pic.setIRQ(irq, level)
        ioapic.setInput(ISAInterruptRouter.gsi(ofIRQ: irq), level)
    }
}
