/// PC/AT system control port B (port 0x61, the 8255 PPI port B of the PC/XT, emulated by
/// every chipset since):
///
///     bit 0  R/W  timer 2 gate (8254 channel 2 GATE)
///     bit 1  R/W  speaker data enable
///     bit 2  R/W  parity check enable (active low)
///     bit 3  R/W  I/O channel check enable (active low)
///     bit 4  R    refresh request toggle: flips every 18 PIT ticks (15.09 us), derived from
///                 the virtual clock, so a delay loop that counts its edges takes a fixed time
///     bit 5  R    timer 2 OUT
///     bit 6  R    I/O channel check (never set)
///     bit 7  R    parity check (never set)
public final class SystemControlPortB: PortDevice {
    let pit: PIT8254
    let clock: Clock
    public private(set) var control: UInt8 = 0

    public init(pit: PIT8254, clock: Clock) {
        self.pit = pit
        self.clock = clock
        pit.setGate(2, false)
    }

    public static let port: UInt16 = 0x61

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        guard port == SystemControlPortB.port else { return 0xFF }
        var v = control & 0x0F
        if Clock.pitTicks(atCycle: clock.now) / 18 & 1 != 0 { v |= 0x10 }
        if pit.out(2) { v |= 0x20 }
        return size == 1 ? UInt32(v) : UInt32(v) | (size == 2 ? 0xFF00 : 0xFFFF_FF00)   // 0x62-0x64 read separately on ISA
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        guard port == SystemControlPortB.port else { return }
        control = UInt8(truncatingIfNeeded: value) & 0x0F
        pit.setGate(2, control & 1 != 0)
    }
}
