/// The ACPI PM1a control register at port 0x604, where QEMU's PIIX4 power management puts it
/// (PM base 0x600): writing SLP_EN (bit 13) with SLP_TYP (bits 10-12) = 0, QEMU's S5 value,
/// powers the machine off. `outw(0x604, 0x2000)` is the usual guest-side idiom; swemu then
/// ends the run with status 0 (`MachineExit.powerOff`). Other sleep types are ignored.
public final class PowerManagementControl: PortDevice {
    let attention: Attention
    /// SCI_EN (bit 0) reads 1: there is no SMI command port, the machine is always in ACPI mode
    /// (ACPI 6.5, 4.8.2.5; the FADT's SMI_CMD is 0).
    var pm1aControl: UInt16 = 1

    public init(attention: Attention) { self.attention = attention }

    public static let ports: ClosedRange<UInt16> = 0x604...0x605

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        let v = UInt32(pm1aControl) >> (port == 0x605 ? 8 : 0)
        return size == 1 ? v & 0xFF : v
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        var v = pm1aControl
        if port == 0x604 {
            v = size == 1 ? v & 0xFF00 | UInt16(value & 0xFF) : UInt16(truncatingIfNeeded: value)
        } else {
            v = v & 0x00FF | UInt16(value & 0xFF) << 8
        }
        pm1aControl = (v & ~0x2000) | 1   // SLP_EN is write-only; SCI_EN stays set
        if v & 0x2000 != 0 && v >> 10 & 7 == 0 { attention.request(.powerOff) }
    }
}
