extension SoftFloat {
    /// The exact product of two finite values.
    @inlinable static func product(_ a: Unpacked, _ b: Unpacked) -> Unpacked {
        let sign = a.sign != b.sign
        if a.isZero || b.isZero { return Unpacked(sign: sign, exponent: 0, significand: 0) }
        let (high, low) = a.significand64.multipliedFullWidth(by: b.significand64)
        var result = Unpacked(sign: sign, exponent: a.exponent + b.exponent,
                              significand: UInt128(high) << 64 | UInt128(low))
        result.normalize()
        return result
    }

    /// The quotient of two finite values, b nonzero: 128 quotient bits and a sticky bit.
    @inlinable static func quotient(_ a: Unpacked, _ b: Unpacked) -> Unpacked {
        let sign = a.sign != b.sign
        if a.isZero { return Unpacked(sign: sign, exponent: 0, significand: 0) }
        let dividend = a.significand64, divisor = b.significand64
        let shift: Int32 = dividend >= divisor ? 63 : 64
        let first = divisor.dividingFullWidth(
            shift == 64 ? (high: dividend, low: 0) : (high: dividend >> 1, low: dividend << 63))
        let second = divisor.dividingFullWidth((high: first.remainder, low: 0))
        var result = Unpacked(sign: sign, exponent: a.exponent - b.exponent + 62 - shift,
                              significand: UInt128(first.quotient) << 64 | UInt128(second.quotient)
                                  | (second.remainder != 0 ? 1 : 0))
        result.normalize()
        return result
    }

    /// The four operations on non-NaN operands (SDM vol. 1, 4.9.1.2 invalid operations,
    /// 4.9.1.3 division by zero); `flags` receives IE or ZE.
    @inlinable static func arithmetic(_ operation: ArithmeticOperation, _ x: Operand, _ y: Operand,
                                      _ rounding: FloatRounding, _ flags: inout FloatFlags) -> ArithmeticResult {
        switch operation {
        case .add, .subtract:
            var second = y.value
            if operation == .subtract { second.sign.toggle() }
            if x.kind == .infinity {
                if y.kind == .infinity && x.sign != second.sign {
                    flags.insert(.invalid)
                    return .invalid
                }
                return .infinity(sign: x.sign)
            }
            if y.kind == .infinity { return .infinity(sign: second.sign) }
            return .finite(sum(x.value, second, rounding))
        case .multiply:
            let sign = x.sign != y.sign
            if x.kind == .infinity || y.kind == .infinity {
                if x.kind == .zero || y.kind == .zero {
                    flags.insert(.invalid)
                    return .invalid
                }
                return .infinity(sign: sign)
            }
            return .finite(product(x.value, y.value))
        case .divide:
            let sign = x.sign != y.sign
            if x.kind == .infinity {
                if y.kind == .infinity {
                    flags.insert(.invalid)
                    return .invalid
                }
                return .infinity(sign: sign)
            }
            if y.kind == .infinity { return .finite(Unpacked(sign: sign, exponent: 0, significand: 0)) }
            if y.kind == .zero {
                if x.kind == .zero {
                    flags.insert(.invalid)
                    return .invalid
                }
                flags.insert(.divideByZero)
                return .infinity(sign: sign)
            }
            return .finite(quotient(x.value, y.value))
        }
    }
}
