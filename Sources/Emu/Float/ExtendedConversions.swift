/// FLD m32/m64, FILD, FST m32/m64, FIST/FISTTP and FRNDINT (SDM vol. 1, 8.3.6, 8.3.9).
extension SoftFloat {
    /// FLD m32/m64: exact; an SNaN raises IE and loads quieted; a denormal raises DE.
    @inlinable static func extendedFromBinary(_ a: UInt64, _ format: FloatFormat, _ env: inout FloatEnvironment) -> Float80Bits {
        let x = Operand(binary: a, format, denormalsAreZero: false)
        let signExponent: UInt16 = x.sign ? 0x8000 : 0
        switch x.kind {
        case .quietNaN, .signalingNaN:
            if x.kind == .signalingNaN { env.flags.insert(.invalid) }
            let fraction = (a & format.fractionMask) << UInt64(64 - format.precision)
            return Float80Bits(significand: 1 << 63 | 1 << 62 | fraction, signExponent: signExponent | 0x7FFF)
        case .infinity: return Float80Bits(significand: 1 << 63, signExponent: signExponent | 0x7FFF)
        case .zero: return Float80Bits(significand: 0, signExponent: signExponent)
        default:
            if x.isDenormal { env.flags.insert(.denormal) }
            return Float80Bits(significand: x.value.significand64,
                               signExponent: signExponent | UInt16(truncatingIfNeeded: x.value.exponent + 16383))
        }
    }

    public static func float80(from a: UInt32, _ env: inout FloatEnvironment) -> Float80Bits {
        extendedFromBinary(UInt64(a), .binary32, &env)
    }
    public static func float80(from a: UInt64, _ env: inout FloatEnvironment) -> Float80Bits {
        extendedFromBinary(a, .binary64, &env)
    }

    /// FILD: every 64-bit integer is exact.
    public static func float80(fromInteger v: Int64) -> Float80Bits {
        if v == 0 { return Float80Bits() }
        let value = Unpacked(sign: v < 0, magnitude: v.magnitude)
        return Float80Bits(significand: value.significand64,
                           signExponent: (v < 0 ? 0x8000 : 0) | UInt16(truncatingIfNeeded: value.exponent + 16383))
    }

    /// FST m32/m64: rounding by env.rounding into the binary format's range and precision; a
    /// denormal source raises no DE (as on the hardware).
    @inlinable static func binaryFromExtended(_ a: Float80Bits, _ format: FloatFormat, _ env: inout FloatEnvironment) -> UInt64 {
        env.roundedUp = false
        let x = Operand(extended: a)
        let sign: UInt64 = x.sign ? format.signBit : 0
        switch x.kind {
        case .unsupported:
            env.flags.insert(.invalid)
            return defaultNaN(format)
        case .quietNaN, .signalingNaN:
            if x.kind == .signalingNaN { env.flags.insert(.invalid) }
            let fraction = (a.significand << 1) >> UInt64(65 - format.precision)
            return sign | UInt64(format.maxExponentField) << UInt64(format.fractionBits) | fraction | format.quietBit
        case .infinity: return Packed.infinity(x.sign, format).binary(format)
        case .zero: return sign
        case .finite:
            return roundPack(x.value, format, .x87Memory, &env).binary(format)
        }
    }

    public static func float32(from a: Float80Bits, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryFromExtended(a, .binary32, &env))
    }
    public static func float64(from a: Float80Bits, _ env: inout FloatEnvironment) -> UInt64 {
        binaryFromExtended(a, .binary64, &env)
    }

    /// FIST/FISTP (env.rounding) and FISTTP (truncate) to a 16-, 32- or 64-bit integer,
    /// returned zero-extended; NaN, infinity, unsupported and out-of-range values raise IE and
    /// give the integer indefinite 1 << (bits - 1). A denormal source raises no DE.
    public static func integer(from a: Float80Bits, bits: Int, truncate: Bool, _ env: inout FloatEnvironment) -> UInt64 {
        let bits = bits <= 16 ? 16 : bits <= 32 ? 32 : 64
        env.roundedUp = false
        let x = Operand(extended: a)
        switch x.kind {
        case .zero: return 0
        case .finite:
            if let result = integer(x.value, bits: bits, truncate ? .towardZero : env.rounding, &env) { return result }
        default: break
        }
        env.flags.insert(.invalid)
        return 1 << UInt64(bits - 1)
    }

    /// FRNDINT: an integral value by env.rounding (precision control does not apply).
    public static func roundToIntegral(_ a: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        env.roundedUp = false
        let x = Operand(extended: a)
        if isSpecial(x) { return extendedNaN(a, x, a, x, &env) }
        guard x.kind == .finite else { return a }
        if x.isDenormal {
            env.flags.insert(.denormal)
            if !env.masks.contains(.denormal) { return a }
        }
        let (value, inexact, up) = integral(x.value, env.rounding)
        let result = extendedResult(.finite(value), .extended, &env)
        if inexact { env.flags.insert(.inexact) }
        env.roundedUp = up
        return result
    }
}
