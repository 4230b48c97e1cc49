/// PS/2 system control port A (port 0x92, "fast A20 and reset"):
///
///     bit 0  fast reset: writing 1 resets the machine (swemu ends the run, `PlatformRequest.reset`)
///     bit 1  A20 gate (1 = enabled); reads back, shared with the keyboard controller's output port
///     other bits read back as written
///
/// The A20 state is recorded, not enforced: swemu's memory has no A20 mask, so the 1 MiB
/// wraparound never happens (a guest that disables A20 and relies on wraparound is not supported).
public final class SystemControlPortA: PortDevice {
    let attention: Attention
    let a20: A20Gate
    var value: UInt8 = 0

    public init(attention: Attention, a20: A20Gate) {
        self.attention = attention
        self.a20 = a20
    }

    public static let port: UInt16 = 0x92

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        guard port == SystemControlPortA.port else { return 0xFF }
        return UInt32(value & ~2 & ~1 | (a20.enabled ? 2 : 0))
    }

    public func portWrite(_ port: UInt16, size: Int, value v: UInt32) {
        guard port == SystemControlPortA.port else { return }
        let b = UInt8(truncatingIfNeeded: v)
        value = b & ~1
        a20.enabled = b & 2 != 0
        if b & 1 != 0 { attention.request(.reset(source: "port 0x92 bit 0")) }
    }
}

/// The A20 gate shared by port 0x92 and the keyboard controller's output port (recorded only;
/// see `SystemControlPortA`). On by default: a Multiboot loader hands over with A20 enabled.
public final class A20Gate {
    public var enabled = true
    public init() {}
}
