/// FSCALE, FPREM/FPREM1 and FXTRACT (SDM vol. 2, the instructions' Operation sections and
/// special-value tables).
extension SoftFloat {
    /// FSCALE: a x 2^trunc(b), exact unless the result leaves the exponent range.
    public static func scale(_ a: Float80Bits, by b: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        env.roundedUp = false
        let x = Operand(extended: a), y = Operand(extended: b)
        if isSpecial(x) || isSpecial(y) { return extendedNaN(a, x, b, y, &env) }
        var raised: FloatFlags = x.isDenormal || y.isDenormal ? .denormal : []
        let result: ArithmeticResult
        if y.kind == .infinity {
            if y.sign ? x.kind == .infinity : x.kind == .zero {
                raised = .invalid
                result = .invalid
            } else if y.sign || x.kind == .zero {
                result = .finite(Unpacked(sign: x.sign, exponent: 0, significand: 0))
            } else {
                result = .infinity(sign: x.sign)
            }
        } else if x.kind == .infinity {
            result = .infinity(sign: x.sign)
        } else if x.kind == .zero {
            result = .finite(x.value)
        } else {
            var scaled = x.value
            if y.kind == .finite && y.value.exponent >= 0 {
                let magnitude = y.value.exponent > 20 ? 1 << 21 : Int32(truncatingIfNeeded: y.value.significand >> UInt128(126 - y.value.exponent))
                scaled.exponent += y.sign ? -magnitude : magnitude
            }
            result = .finite(scaled)
        }
        env.flags.formUnion(raised)
        if !raised.isSubset(of: env.masks) { return a }
        return extendedResult(result, .extended, &env)
    }

    /// FPREM (nearest false: the quotient truncated) and FPREM1 (rounded to nearest even): the
    /// exact remainder, the low quotient bits, and whether the reduction is complete (exponent
    /// difference below 64); otherwise a partial remainder with quotient 0 (C0/C3/C1 clear on
    /// the hardware) and C2 set (SDM vol. 2, FPREM).
    public static func remainder(_ a: Float80Bits, _ b: Float80Bits, nearest: Bool,
                                 _ env: inout FloatEnvironment) -> (Float80Bits, quotient: UInt64, complete: Bool) {
        env.roundedUp = false
        let x = Operand(extended: a), y = Operand(extended: b)
        if isSpecial(x) || isSpecial(y) { return (extendedNaN(a, x, b, y, &env), 0, true) }
        var raised: FloatFlags = x.isDenormal || y.isDenormal ? .denormal : []
        if x.kind == .infinity || y.kind == .zero { raised = .invalid }
        env.flags.formUnion(raised)
        if raised.contains(.invalid) { return (float80Indefinite, 0, true) }
        if !raised.isSubset(of: env.masks) || x.kind == .zero { return (a, 0, true) }
        if y.kind == .infinity { return (extendedResult(.finite(x.value), .extended, &env), 0, true) }
        let difference = x.value.exponent - y.value.exponent
        let divisor = UInt128(y.value.significand64)
        var sign = x.sign
        var quotient: UInt128
        var remainder: UInt128
        var remainderExponent = y.value.exponent + 63
        let complete = difference < 64
        if difference < 0 {
            quotient = 0
            remainder = UInt128(x.value.significand64)
            remainderExponent += difference
            if nearest && difference == -1 && remainder > divisor {
                quotient = 1
                remainder = divisor * 2 - remainder
                sign.toggle()
            }
            if quotient == 0 { return (extendedResult(.finite(x.value), .extended, &env), 0, true) }
        } else {
            let shift = complete ? difference : partialShift(difference)
            let dividend = UInt128(x.value.significand64) << UInt128(shift)
            quotient = dividend / divisor
            remainder = dividend - quotient * divisor
            remainderExponent += difference - shift
            if nearest && complete && (remainder * 2 > divisor || (remainder * 2 == divisor && quotient & 1 != 0)) {
                quotient += 1
                remainder = divisor - remainder
                sign.toggle()
            }
        }
        var value = Unpacked(sign: sign, exponent: remainderExponent, significand: remainder)
        value.normalize()
        let result = value.isZero ? Float80Bits(significand: 0, signExponent: x.sign ? 0x8000 : 0)
            : extendedResult(.finite(value), .extended, &env)
        return (result, complete ? UInt64(truncatingIfNeeded: quotient) : 0, complete)
    }

    /// The exponent reduction of one partial FPREM step for an exponent difference of 64 or
    /// more: the SDM leaves N between 32 and 63; this is what the host CPU does.
    @inlinable static func partialShift(_ difference: Int32) -> Int32 {
        (difference & 31) | 32
    }

    /// FXTRACT: the unbiased exponent and the significand with exponent 0, both with the
    /// operand's sign for the significand; a zero raises ZE and gives -infinity as exponent.
    public static func extract(_ a: Float80Bits, _ env: inout FloatEnvironment) -> (exponent: Float80Bits, significand: Float80Bits) {
        env.roundedUp = false
        let x = Operand(extended: a)
        if isSpecial(x) {
            let nan = extendedNaN(a, x, a, x, &env)
            return (nan, nan)
        }
        let sign: UInt16 = x.sign ? 0x8000 : 0
        switch x.kind {
        case .zero:
            env.flags.insert(.divideByZero)
            return (Float80Bits(significand: 1 << 63, signExponent: 0xFFFF), a)
        case .infinity:
            return (Float80Bits(significand: 1 << 63, signExponent: 0x7FFF), a)
        default:
            if x.isDenormal {
                env.flags.insert(.denormal)
                if !env.masks.contains(.denormal) { return (a, a) }
            }
            return (float80(fromInteger: Int64(x.value.exponent)),
                    Float80Bits(significand: x.value.significand64, signExponent: sign | 0x3FFF))
        }
    }
}
