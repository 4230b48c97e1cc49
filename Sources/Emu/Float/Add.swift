extension SoftFloat {
    /// The exact sum of two finite values (sticky bit in bit 0). An exact zero sum of operands
    /// with opposite signs is +0, or -0 when rounding down (IEEE 754 6.3).
    @inlinable static func sum(_ a: Unpacked, _ b: Unpacked, _ rounding: FloatRounding) -> Unpacked {
        if b.isZero {
            if a.isZero && a.sign != b.sign {
                return Unpacked(sign: rounding == .down, exponent: 0, significand: 0)
            }
            return a
        }
        if a.isZero { return b }
        var big = a
        var small = b
        if b.exponent > a.exponent || (b.exponent == a.exponent && b.significand > a.significand) {
            big = b
            small = a
        }
        let aligned = small.significand.shiftedRightSticky(Int(big.exponent - small.exponent))
        if a.sign == b.sign {
            big.significand += aligned
        } else {
            big.significand -= aligned
            if big.significand == 0 { return Unpacked(sign: rounding == .down, exponent: 0, significand: 0) }
        }
        big.normalize()
        return big
    }
}
