/// A set of the 256 interrupt vectors, as the local APIC's IRR, ISR and TMR hold them (SDM vol. 3,
/// 11.8.4): eight 32-bit registers, bit v of the set at bit (v mod 32) of register v / 32.
/// Four words, no allocation.
public struct APICVectorSet: Equatable, Sendable {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    public init() {}

    @inline(__always)
    func word(_ k: Int) -> UInt64 {
        switch k & 3 {
        case 0: return w0
        case 1: return w1
        case 2: return w2
        default: return w3
        }
    }

    @inline(__always)
    mutating func setWord(_ k: Int, _ v: UInt64) {
        switch k & 3 {
        case 0: w0 = v
        case 1: w1 = v
        case 2: w2 = v
        default: w3 = v
        }
    }

    public func contains(_ v: UInt8) -> Bool { word(Int(v >> 6)) >> UInt64(v & 63) & 1 != 0 }

    public mutating func insert(_ v: UInt8) { setWord(Int(v >> 6), word(Int(v >> 6)) | 1 << UInt64(v & 63)) }

    public mutating func remove(_ v: UInt8) { setWord(Int(v >> 6), word(Int(v >> 6)) & ~(1 << UInt64(v & 63))) }

    public var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }

    /// The highest vector in the set (the one with the highest priority), or nil.
    public var highest: UInt8? {
        for k in stride(from: 3, through: 0, by: -1) {
            let w = word(k)
            if w != 0 { return UInt8(k * 64 + 63 - w.leadingZeroBitCount) }
        }
        return nil
    }

    /// 32-bit register `n` (0-7) as the APIC exposes it (offsets +0x10 * n).
    public func register(_ n: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: word(n >> 1) >> (n & 1 == 0 ? 0 : 32))
    }
}
