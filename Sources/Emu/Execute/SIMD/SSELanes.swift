/// Views of a 64-bit lane of an MMX or XMM register as packed elements (host SIMD types, element
/// 0 in the low bits, as x86 numbers them), and back.
enum Lanes {
    @inline(__always) static func u8(_ v: UInt64) -> SIMD8<UInt8> { unsafeBitCast(v, to: SIMD8<UInt8>.self) }
    @inline(__always) static func s8(_ v: UInt64) -> SIMD8<Int8> { unsafeBitCast(v, to: SIMD8<Int8>.self) }
    @inline(__always) static func u16(_ v: UInt64) -> SIMD4<UInt16> { unsafeBitCast(v, to: SIMD4<UInt16>.self) }
    @inline(__always) static func s16(_ v: UInt64) -> SIMD4<Int16> { unsafeBitCast(v, to: SIMD4<Int16>.self) }
    @inline(__always) static func u32(_ v: UInt64) -> SIMD2<UInt32> { unsafeBitCast(v, to: SIMD2<UInt32>.self) }
    @inline(__always) static func s32(_ v: UInt64) -> SIMD2<Int32> { unsafeBitCast(v, to: SIMD2<Int32>.self) }

    @inline(__always) static func bits(_ v: SIMD8<UInt8>) -> UInt64 { unsafeBitCast(v, to: UInt64.self) }
    @inline(__always) static func bits(_ v: SIMD8<Int8>) -> UInt64 { unsafeBitCast(v, to: UInt64.self) }
    @inline(__always) static func bits(_ v: SIMD4<UInt16>) -> UInt64 { unsafeBitCast(v, to: UInt64.self) }
    @inline(__always) static func bits(_ v: SIMD4<Int16>) -> UInt64 { unsafeBitCast(v, to: UInt64.self) }
    @inline(__always) static func bits(_ v: SIMD2<UInt32>) -> UInt64 { unsafeBitCast(v, to: UInt64.self) }
    @inline(__always) static func bits(_ v: SIMD2<Int32>) -> UInt64 { unsafeBitCast(v, to: UInt64.self) }

    /// Signed bytes widened to 16 bits, and saturated back to signed or unsigned bytes.
    @inline(__always) static func wideS8(_ v: UInt64) -> SIMD8<Int16> { SIMD8<Int16>(truncatingIfNeeded: s8(v)) }
    @inline(__always) static func wideU8(_ v: UInt64) -> SIMD8<Int16> { SIMD8<Int16>(truncatingIfNeeded: u8(v)) }
    @inline(__always) static func wideS16(_ v: UInt64) -> SIMD4<Int32> { SIMD4<Int32>(truncatingIfNeeded: s16(v)) }
    @inline(__always) static func wideU16(_ v: UInt64) -> SIMD4<Int32> { SIMD4<Int32>(truncatingIfNeeded: u16(v)) }

    @inline(__always) static func saturateS8(_ v: SIMD8<Int16>) -> UInt64 {
        bits(SIMD8<Int8>(truncatingIfNeeded: v.clamped(lowerBound: .init(repeating: -128), upperBound: .init(repeating: 127))))
    }
    @inline(__always) static func saturateU8(_ v: SIMD8<Int16>) -> UInt64 {
        bits(SIMD8<UInt8>(truncatingIfNeeded: v.clamped(lowerBound: .init(repeating: 0), upperBound: .init(repeating: 255))))
    }
    @inline(__always) static func saturateS16(_ v: SIMD4<Int32>) -> UInt64 {
        bits(SIMD4<Int16>(truncatingIfNeeded: v.clamped(lowerBound: .init(repeating: -32768), upperBound: .init(repeating: 32767))))
    }
    @inline(__always) static func saturateU16(_ v: SIMD4<Int32>) -> UInt64 {
        bits(SIMD4<UInt16>(truncatingIfNeeded: v.clamped(lowerBound: .init(repeating: 0), upperBound: .init(repeating: 65535))))
    }

    /// All-ones elements where `m` is true, zero elsewhere (the PCMP* result form).
    @inline(__always) static func mask(_ m: SIMDMask<SIMD8<Int8>>) -> UInt64 {
        bits(SIMD8<UInt8>(repeating: 0).replacing(with: 0xFF, where: m))
    }
    @inline(__always) static func mask(_ m: SIMDMask<SIMD4<Int16>>) -> UInt64 {
        bits(SIMD4<UInt16>(repeating: 0).replacing(with: 0xFFFF, where: m))
    }
    @inline(__always) static func mask(_ m: SIMDMask<SIMD2<Int32>>) -> UInt64 {
        bits(SIMD2<UInt32>(repeating: 0).replacing(with: 0xFFFF_FFFF, where: m))
    }

    /// Byte `n` (0-7) of `v`.
    @inline(__always) static func byte(_ v: UInt64, _ n: UInt64) -> UInt64 { (v >> ((n & 7) << 3)) & 0xFF }
    /// Word `n` (0-3) of `v`.
    @inline(__always) static func word(_ v: UInt64, _ n: UInt64) -> UInt64 { (v >> ((n & 3) << 4)) & 0xFFFF }
    /// Doubleword `n` (0-3) of the 128-bit `v`.
    @inline(__always) static func dword(_ v: XMMValue, _ n: UInt64) -> UInt64 {
        ((n & 2 == 0 ? v.low : v.high) >> ((n & 1) << 5)) & 0xFFFF_FFFF
    }
}
