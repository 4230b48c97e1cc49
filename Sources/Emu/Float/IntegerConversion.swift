extension SoftFloat {
    /// Rounds a finite value to a `bits`-wide two's-complement integer (returned zero-extended
    /// to 64 bits); nil when the rounded value does not fit (the caller's invalid case).
    @inlinable static func integer(_ value: Unpacked, bits: Int, _ rounding: FloatRounding,
                                   _ env: inout FloatEnvironment) -> UInt64? {
        if value.isZero { return 0 }
        if value.exponent >= 64 { return nil }
        let (magnitude, inexact, up) = rounding.round(value.significand, shift: 126 - Int(value.exponent), sign: value.sign)
        let limit = UInt128(1) << UInt128(bits - 1)
        if value.sign ? magnitude > limit : magnitude >= limit { return nil }
        if inexact { env.flags.insert(.inexact) }
        env.roundedUp = up
        let low = UInt64(truncatingIfNeeded: magnitude)
        let result = value.sign ? 0 &- low : low
        return bits == 64 ? result : result & ((1 << UInt64(bits)) - 1)
    }

    /// Rounds a finite value to an integral value in the same representation; `inexact`
    /// reports lost fraction bits.
    @inlinable static func integral(_ value: Unpacked, _ rounding: FloatRounding) -> (Unpacked, inexact: Bool, up: Bool) {
        if value.isZero || value.exponent >= 126 { return (value, false, false) }
        let (magnitude, inexact, up) = rounding.round(value.significand, shift: 126 - Int(value.exponent), sign: value.sign)
        if magnitude == 0 { return (Unpacked(sign: value.sign, exponent: 0, significand: 0), inexact, up) }
        var result = Unpacked(sign: value.sign, exponent: 126, significand: magnitude)
        result.normalize()
        return (result, inexact, up)
    }
}
