/// The ACPI power-management timer (ACPI 6.5, 4.8.3.3) at port 608h: a 24-bit counter at
/// 3.579545 MHz, read-only, derived exactly from the virtual cycle clock:
/// ticks(c) = floor(c * 3_579_545 / 1_000_000_000).
public final class ACPIPMTimer: PortDevice {
    public static let port: UInt16 = 0x608
    public static let frequency: UInt64 = 3_579_545
    let clock: Clock

    public init(clock: Clock) { self.clock = clock }

    public static var ports: ClosedRange<UInt16> { port...(port + 3) }

    /// Timer ticks since cycle 0 (all bits; the register shows the low 24).
    public var ticks: UInt64 { Clock.scale(clock.now, ACPIPMTimer.frequency, Clock.cyclesPerSecond) }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        let v = UInt32(truncatingIfNeeded: ticks & 0xFF_FFFF) >> (8 * UInt32(port - ACPIPMTimer.port))
        return size >= 4 ? v : v & ((1 << (8 * UInt32(size))) - 1)
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {}
}
