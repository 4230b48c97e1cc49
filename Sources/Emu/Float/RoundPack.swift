/// A rounded result in a destination format: the biased exponent field and `precision`
/// significand bits with the integer bit at bit precision-1 (clear for denormals and zeros).
@usableFromInline struct Packed: Sendable {
    @usableFromInline var sign: Bool
    @usableFromInline var exponentField: Int32
    @usableFromInline var significand: UInt64

    @inlinable init(sign: Bool, exponentField: Int32, significand: UInt64) {
        self.sign = sign
        self.exponentField = exponentField
        self.significand = significand
    }

    @inlinable func binary(_ format: FloatFormat) -> UInt64 {
        (sign ? format.signBit : 0) | UInt64(truncatingIfNeeded: exponentField) << UInt64(format.fractionBits)
            | (significand & format.fractionMask)
    }

    @inlinable func extended(_ format: FloatFormat) -> Float80Bits {
        Float80Bits(significand: significand << UInt64(64 - format.precision),
                    signExponent: (sign ? 0x8000 : 0) | UInt16(truncatingIfNeeded: exponentField) & 0x7FFF)
    }

    @inlinable static func zero(_ sign: Bool) -> Packed { Packed(sign: sign, exponentField: 0, significand: 0) }

    @inlinable static func infinity(_ sign: Bool, _ format: FloatFormat) -> Packed {
        Packed(sign: sign, exponentField: format.maxExponentField, significand: 1 << UInt64(format.precision - 1))
    }
}

/// The exponent adjustment of x87 results delivered with unmasked overflow or underflow
/// (SDM vol. 1, 8.5.4, 8.5.5).
@usableFromInline let x87BiasAdjust: Int32 = 24576

/// Where a rounded result goes, which decides what unmasked overflow and underflow do.
@usableFromInline enum RoundingDestination: Sendable {
    /// SSE: the result is not stored; OE/UE and PE (when inexact) are reported.
    case sse
    /// An x87 register: the result is stored with its exponent adjusted by -/+ 24576.
    case x87Register
    /// x87 memory (FST m32/m64): nothing is stored and only OE/UE is reported.
    case x87Memory
}

extension FloatRounding {
    /// Rounds `value` right by `shift` bits to an integer: the rounded magnitude, whether bits
    /// were lost and whether the magnitude was incremented (SDM vol. 1, 4.8.4).
    @inlinable func round(_ value: UInt128, shift: Int, sign: Bool) -> (UInt128, inexact: Bool, up: Bool) {
        if shift <= 0 { return (value << UInt128(-shift), false, false) }
        let kept: UInt128, rest: UInt128, aboveHalf: Bool, isHalf: Bool
        if shift >= 128 {
            kept = 0
            rest = value
            aboveHalf = false
            isHalf = false
        } else {
            kept = value >> UInt128(shift)
            rest = value & ((1 << UInt128(shift)) - 1)
            let half = UInt128(1) << UInt128(shift - 1)
            aboveHalf = rest > half
            isHalf = rest == half
        }
        guard rest != 0 else { return (kept, false, false) }
        let increment: Bool
        switch self {
        case .nearestEven: increment = aboveHalf || (isHalf && kept & 1 != 0)
        case .down: increment = sign
        case .up: increment = !sign
        case .towardZero: increment = false
        }
        return (increment ? kept + 1 : kept, true, increment)
    }
}

extension SoftFloat {
    /// Rounds a normalized nonzero value to `format` (SDM vol. 1, 4.8.4, 4.9.1.4-4.9.1.6):
    /// overflow, underflow with tininess detected after rounding, FTZ, and what unmasked OE/UE
    /// do for the destination. An x87 result out of range even after the exponent adjustment
    /// (FSCALE) becomes an infinity or a zero, as on the hardware.
    @inlinable static func roundPack(_ value: Unpacked, _ format: FloatFormat, _ destination: RoundingDestination,
                                     _ env: inout FloatEnvironment) -> Packed {
        let precision = format.precision
        let extra = 127 - precision
        let rounding = env.rounding
        var (kept, inexact, up) = rounding.round(value.significand, shift: extra, sign: value.sign)
        var exponent = value.exponent
        if kept >> UInt128(precision) != 0 {
            kept >>= 1
            exponent += 1
        }
        let bias = format.bias
        if exponent > bias {
            let adjusted = exponent - x87BiasAdjust + bias
            if !env.masks.contains(.overflow) && destination == .x87Register && adjusted >= format.maxExponentField {
                env.flags.formUnion([.overflow, .inexact])
                env.roundedUp = true
                return .infinity(value.sign, format)
            }
            if !env.masks.contains(.overflow) {
                env.flags.insert(.overflow)
                if inexact && destination != .x87Memory { env.flags.insert(.inexact) }
                env.roundedUp = up
                return Packed(sign: value.sign, exponentField: destination == .x87Register ? adjusted : 0,
                              significand: UInt64(truncatingIfNeeded: kept))
            }
            env.flags.formUnion([.overflow, .inexact])
            let toInfinity = switch rounding {
            case .nearestEven: true
            case .up: !value.sign
            case .down: value.sign
            case .towardZero: false
            }
            env.roundedUp = toInfinity
            if toInfinity { return .infinity(value.sign, format) }
            return Packed(sign: value.sign, exponentField: format.maxExponentField - 1,
                          significand: UInt64.max >> UInt64(64 - precision))
        }
        let minimum = 1 - bias
        if exponent < minimum {
            let adjusted = exponent + x87BiasAdjust + bias
            if !env.masks.contains(.underflow) && destination == .x87Register && adjusted <= 0 {
                env.flags.formUnion([.underflow, .inexact])
                env.roundedUp = false
                return .zero(value.sign)
            }
            if !env.masks.contains(.underflow) {
                env.flags.insert(.underflow)
                if inexact && destination != .x87Memory { env.flags.insert(.inexact) }
                env.roundedUp = up
                return Packed(sign: value.sign, exponentField: destination == .x87Register ? adjusted : 0,
                              significand: UInt64(truncatingIfNeeded: kept))
            }
            if env.flushToZero {
                env.flags.formUnion([.underflow, .inexact])
                env.roundedUp = false
                return .zero(value.sign)
            }
            let denormal = value.significand.shiftedRightSticky(Int(minimum - value.exponent))
            (kept, inexact, up) = rounding.round(denormal, shift: extra, sign: value.sign)
            if inexact { env.flags.formUnion([.underflow, .inexact]) }
            env.roundedUp = up
            let field: Int32 = kept >> UInt128(precision - 1) != 0 ? 1 : 0
            return Packed(sign: value.sign, exponentField: field, significand: UInt64(truncatingIfNeeded: kept))
        }
        if inexact { env.flags.insert(.inexact) }
        env.roundedUp = up
        return Packed(sign: value.sign, exponentField: exponent + bias, significand: UInt64(truncatingIfNeeded: kept))
    }
}
