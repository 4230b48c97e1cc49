/// A binary floating-point value with a 128-bit significand, the working precision of the
/// transcendental instructions (X87Transcendental.swift): (-1)^negative * mantissa *
/// 2^(exponent - 127), the mantissa normalized (bit 127 set) or zero. Pure integer arithmetic,
/// so results are the same on every host. Operations truncate; each loses under 2^-126.
struct X87Wide {
    var negative: Bool
    var exponent: Int
    var mantissa: UInt128

    static let zero = X87Wide(negative: false, exponent: 0, mantissa: 0)
    static let one = X87Wide(negative: false, exponent: 0, mantissa: 1 << 127)

    init(negative: Bool, exponent: Int, mantissa: UInt128) {
        self.negative = negative
        if mantissa == 0 {
            self.exponent = 0
            self.mantissa = 0
        } else {
            let shift = mantissa.leadingZeroBitCount
            self.exponent = exponent &- shift
            self.mantissa = mantissa << shift
        }
    }

    /// A constant from its two 64-bit halves (already normalized).
    init(_ exponent: Int, _ high: UInt64, _ low: UInt64) {
        self.init(negative: false, exponent: exponent, mantissa: UInt128(high) << 64 | UInt128(low))
    }

    /// The integer `v` times 2^`scale`.
    init(integer v: UInt128, scale: Int = 0, negative: Bool = false) {
        self.init(negative: negative, exponent: 127 &+ scale, mantissa: v)
    }

    /// A finite double-extended value (denormals and pseudo-denormals included).
    init(_ v: Float80Bits) {
        let biased = max(v.x87Exponent, 1)
        self.init(negative: v.x87Negative, exponent: biased - 16383, mantissa: UInt128(v.significand) << 64)
    }

    var isZero: Bool { mantissa == 0 }

    var magnitude: X87Wide { X87Wide(negative: false, exponent: exponent, mantissa: mantissa) }

    func scaled(by k: Int) -> X87Wide { isZero ? self : X87Wide(negative: negative, exponent: exponent &+ k, mantissa: mantissa) }

    static prefix func - (a: X87Wide) -> X87Wide {
        X87Wide(negative: !a.negative, exponent: a.exponent, mantissa: a.mantissa)
    }

    static func * (a: X87Wide, b: X87Wide) -> X87Wide {
        if a.isZero || b.isZero { return .zero }
        let (high, low) = a.mantissa.multipliedFullWidth(by: b.mantissa)
        if high >> 127 != 0 {
            return X87Wide(negative: a.negative != b.negative, exponent: a.exponent &+ b.exponent &+ 1, mantissa: high)
        }
        return X87Wide(negative: a.negative != b.negative, exponent: a.exponent &+ b.exponent,
                       mantissa: high << 1 | low >> 127)
    }

    static func / (a: X87Wide, b: X87Wide) -> X87Wide {
        if a.isZero || b.isZero { return .zero }
        let (q, remainder) = b.mantissa.dividingFullWidth((high: a.mantissa >> 1, low: a.mantissa << 127))
        var result = X87Wide(negative: a.negative != b.negative, exponent: a.exponent &- b.exponent, mantissa: q)
        // A sticky bit: the quotient was truncated.
        if remainder != 0 { result.mantissa |= 1 }
        return result
    }

    static func + (a: X87Wide, b: X87Wide) -> X87Wide {
        if a.isZero { return b }
        if b.isZero { return a }
        let (big, small) = (a.exponent, a.mantissa) >= (b.exponent, b.mantissa) ? (a, b) : (b, a)
        let d = big.exponent &- small.exponent
        let aligned = d >= 128 ? 0 : small.mantissa >> d
        if big.negative == small.negative {
            let (sum, carry) = big.mantissa.addingReportingOverflow(aligned)
            if carry {
                return X87Wide(negative: big.negative, exponent: big.exponent &+ 1, mantissa: sum >> 1 | 1 << 127)
            }
            return X87Wide(negative: big.negative, exponent: big.exponent, mantissa: sum)
        }
        return X87Wide(negative: big.negative, exponent: big.exponent, mantissa: big.mantissa &- aligned)
    }

    static func - (a: X87Wide, b: X87Wide) -> X87Wide { a + -b }

    /// Rounds to double extended by `rounding` (64-bit significand: precision control does not
    /// apply to the transcendentals, SDM vol. 1, 8.1.5.2), with the x87 overflow and underflow
    /// responses under `control`'s masks (SDM vol. 1, 4.9.1.4-5, 8.5.4-5). Returns the value,
    /// the FSW exception flags and whether the magnitude was rounded up (C1).
    func rounded(_ rounding: FloatRounding, control: UInt16) -> (Float80Bits, flags: UInt16, roundedUp: Bool) {
        if isZero { return (.x87Zero(negative: negative), 0, false) }
        var biased = exponent &+ 16383
        var flags: UInt16 = 0
        let underflowMasked = control & X87Status.underflow != 0
        let overflowMasked = control & X87Status.overflow != 0
        if biased <= 0 && !underflowMasked { biased &+= 24576; flags |= X87Status.underflow }
        if biased >= 0x7FFF && !overflowMasked { biased &-= 24576; flags |= X87Status.overflow }
        // Significand bits kept: 64, fewer for a denormal result.
        let shift = biased >= 1 ? 64 : min(64 &+ 1 &- biased, 129)
        let kept: UInt64 = shift >= 128 ? 0 : UInt64(truncatingIfNeeded: mantissa >> shift)
        let rest: UInt128 = shift >= 128 ? mantissa : mantissa & ((1 << UInt128(shift)) &- 1)
        let half: UInt128 = shift > 128 ? 0 : 1 << UInt128(shift &- 1)
        var up = false
        if rest != 0 {
            flags |= X87Status.precision
            switch rounding {
            case .nearestEven: up = shift <= 128 && (rest > half || (rest == half && kept & 1 != 0))
            case .up: up = !negative
            case .down: up = negative
            case .towardZero: up = false
            }
        }
        var significand = kept
        var e = max(biased, 0)
        if up {
            significand &+= 1
            if significand == 0 { significand = 1 << 63; e &+= 1 }
            else if e == 0 && significand >> 63 != 0 { e = 1 }
        }
        if biased <= 0 && rest != 0 { flags |= X87Status.underflow }
        if e >= 0x7FFF {
            flags |= X87Status.overflow | X87Status.precision
            let toInfinity = rounding == .nearestEven || (rounding == .up && !negative) || (rounding == .down && negative)
            if toInfinity { return (.x87Infinity(negative: negative), flags, true) }
            return (Float80Bits(significand: .max, signExponent: 0x7FFE | (negative ? 0x8000 : 0)), flags, false)
        }
        return (Float80Bits(significand: significand, signExponent: UInt16(e) | (negative ? 0x8000 : 0)), flags, up)
    }
}
