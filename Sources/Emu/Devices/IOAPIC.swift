/// The I/O APIC (Intel 82093AA datasheet) at FEC0_0000h: IOREGSEL (offset 00h, the register
/// index) and IOWIN (offset 10h, the register's 32-bit data), 24 interrupt inputs, each with a
/// 64-bit redirection entry that turns it into a message on the APIC bus.
///
///     register 00h  IOAPICID   bits 27:24 the ID
///     register 01h  IOAPICVER  bits 7:0 version 11h, bits 23:16 highest entry 17h
///     register 02h  IOAPICARB  bits 27:24 the arbitration ID (= the ID)
///     10h + 2n      entry n bits 31:0: vector 7:0, delivery mode 10:8, destination mode 11,
///                   delivery status 12 (read-only), polarity 13 (1 = active low), remote IRR 14
///                   (read-only), trigger mode 15 (1 = level), mask 16
///     11h + 2n      entry n bits 63:32: destination 63:56
///
/// An edge-triggered input sends a message on each assertion while unmasked. A level-triggered
/// input sends one while asserted and unmasked with remote IRR clear, then sets remote IRR; the
/// local APIC's EOI for that vector clears it, and an input still asserted sends again.
public final class IOAPIC: MMIODevice {
    public static let defaultBase: UInt64 = 0xFEC0_0000
    public static let entryCount = 24
    public static let versionValue: UInt32 = 0x0017_0011

    let bus: APICBus
    var id: UInt32 = 0
    var select: UInt32 = 0
    /// Redirection entries; all masked after reset.
    public private(set) var entries = [UInt64](repeating: 1 << 16, count: IOAPIC.entryCount)
    /// Input pin levels as the devices drive them (before the polarity).
    var pins = [Bool](repeating: false, count: IOAPIC.entryCount)

    public init(bus: APICBus) {
        self.bus = bus
    }

    // MARK: Registers

    public func mmioRead(_ offset: UInt64, size: Int) -> UInt64 {
        switch offset {
        case 0x00..<0x04: return UInt64(select) >> (8 * (offset & 3))
        case 0x10..<0x14: return UInt64(readRegister(select)) >> (8 * (offset & 3))
        default: return 0
        }
    }

    public func mmioWrite(_ offset: UInt64, size: Int, value: UInt64) {
        switch offset {
        case 0x00: select = UInt32(truncatingIfNeeded: value) & 0xFF
        case 0x10 where size >= 4: writeRegister(select, UInt32(truncatingIfNeeded: value))
        default: break
        }
    }

    func readRegister(_ r: UInt32) -> UInt32 {
        switch r {
        case 0x00, 0x02: return id
        case 0x01: return IOAPIC.versionValue
        case 0x10..<(0x10 + 2 * UInt32(IOAPIC.entryCount)):
            let e = entries[Int((r - 0x10) / 2)]
            return UInt32(truncatingIfNeeded: r & 1 == 0 ? e : e >> 32)
        default: return 0
        }
    }

    func writeRegister(_ r: UInt32, _ v: UInt32) {
        switch r {
        case 0x00: id = v & 0x0F00_0000
        case 0x10..<(0x10 + 2 * UInt32(IOAPIC.entryCount)):
            let n = Int((r - 0x10) / 2)
            var e = entries[n]
            if r & 1 == 0 {
                e = (e & ~0x0001_AFFF) | UInt64(v & 0x0001_AFFF)
                if e & (1 << 15) == 0 { e &= ~(1 << 14) }   // remote IRR is only defined for level
            } else {
                e = (e & 0xFFFF_FFFF) | UInt64(v & 0xFF00_0000) << 32
            }
            entries[n] = e
            if e & (1 << 15) != 0 { service(n) }          // unmasking a held level input
        default: break
        }
    }

    // MARK: Inputs

    /// Drives input `n` to `level`.
    public func setInput(_ n: Int, _ level: Bool) {
        guard n >= 0 && n < IOAPIC.entryCount else { return }
        let e = entries[n]
        let activeLow = e & (1 << 13) != 0
        let wasAsserted = pins[n] != activeLow
        pins[n] = level
        let asserted = level != activeLow
        if e & (1 << 15) != 0 {
            service(n)
        } else if asserted && !wasAsserted && e & (1 << 16) == 0 {
            send(n, levelTriggered: false)
        }
    }

    /// A level-triggered input: sends while asserted, unmasked and not awaiting an EOI.
    func service(_ n: Int) {
        let e = entries[n]
        let asserted = pins[n] != (e & (1 << 13) != 0)
        guard e & (1 << 15) != 0, asserted, e & (1 << 16) == 0, e & (1 << 14) == 0 else { return }
        entries[n] |= 1 << 14
        send(n, levelTriggered: true)
    }

    func send(_ n: Int, levelTriggered: Bool) {
        let e = entries[n]
        guard let mode = APICDeliveryMode(rawValue: UInt8((e >> 8) & 7)) else { return }
        bus.send(destination: UInt32(e >> 56), logical: e & (1 << 11) != 0, x2APICFormat: false,
                 vector: UInt8(truncatingIfNeeded: e), mode: mode, levelTriggered: levelTriggered)
    }

    /// A local APIC's EOI for `vector` (broadcast for level-triggered vectors): clears remote
    /// IRR of the entries with that vector and re-sends inputs still asserted.
    public func endOfInterrupt(vector: UInt8) {
        for n in entries.indices where entries[n] & 0xFF == UInt64(vector) && entries[n] & (1 << 14) != 0 {
            entries[n] &= ~(1 << 14)
            service(n)
        }
    }
}
