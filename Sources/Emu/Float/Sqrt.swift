extension SoftFloat {
    /// The square root of a non-NaN operand, unrounded, and the exceptions it raises: sqrt(-0)
    /// is -0; a negative nonzero operand is invalid (DE is then not reported); DE for a
    /// denormal operand otherwise.
    @inlinable static func squareRootResult(_ x: Operand) -> (ArithmeticResult, FloatFlags) {
        let denormal: FloatFlags = x.isDenormal ? .denormal : []
        if x.kind == .zero { return (.finite(x.value), denormal) }
        if x.sign { return (.invalid, .invalid) }
        if x.kind == .infinity { return (.infinity(sign: false), denormal) }
        return (.finite(squareRoot(x.value)), denormal)
    }

    /// The square root of a positive finite nonzero value: 67 root bits by the restoring
    /// digit-by-digit method, and a sticky bit from the remainder.
    @inlinable static func squareRoot(_ a: Unpacked) -> Unpacked {
        let odd = a.exponent & 1 != 0
        var window = UInt128(a.significand64) << (odd ? 64 : 63)
        var remainder: UInt128 = 0
        var root: UInt128 = 0
        for _ in 0..<67 {
            remainder = (remainder << 2) | (window >> 126)
            window <<= 2
            let trial = (root << 2) | 1
            if remainder >= trial {
                remainder -= trial
                root = (root << 1) | 1
            } else {
                root <<= 1
            }
        }
        return Unpacked(sign: false, exponent: a.exponent >> 1, significand: root << 60 | (remainder != 0 ? 1 : 0))
    }
}
