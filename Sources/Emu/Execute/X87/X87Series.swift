/// The elementary functions behind the x87 transcendental instructions, evaluated in X87Wide
/// (128-bit significands) by argument reduction and Taylor series; each result is within a
/// few units of 2^-120 relative, far below the 2^-64 ulp of the result.
enum X87Series {
    // Constants to 128 bits, rounded to nearest (computed with bc -l at scale 90).
    static let pi = X87Wide(1, 0xC90F_DAA2_2168_C234, 0xC4C6_628B_80DC_1CD1)
    static let ln2 = X87Wide(-1, 0xB172_17F7_D1CF_79AB, 0xC9E3_B398_03F2_F6AF)
    static let log2e = X87Wide(0, 0xB8AA_3B29_5C17_F0BB, 0xBE87_FED0_691D_3E89)
    /// atan(k/8) for k = 1...8.
    static let arctangents: [X87Wide] = [
        X87Wide(-4, 0xFEAD_D4D5_617B_6E32, 0xC897_989F_3E88_8EF8),
        X87Wide(-3, 0xFADB_AFC9_6406_EB15, 0x6DC7_9EF5_F7A2_17E6),
        X87Wide(-2, 0xB7B0_CA0F_26F7_8473, 0x8AA3_2122_DCFE_4483),
        X87Wide(-2, 0xED63_382B_0DDA_7B45, 0x6FE4_45EC_BC3A_8D03),
        X87Wide(-1, 0x8F00_5D5E_F7F5_9F9B, 0x5C83_5E16_65C4_3748),
        X87Wide(-1, 0xA4BC_7D19_34F7_0924, 0x19A8_7F2A_457D_AC9F),
        X87Wide(-1, 0xB805_3E2B_C231_9E73, 0xCB2D_A552_10A4_443D),
        X87Wide(-1, 0xC90F_DAA2_2168_C234, 0xC4C6_628B_80DC_1CD1),
    ]

    /// The pi the processor reduces trigonometric arguments with: 66 bits (SDM vol. 1,
    /// 8.3.10: "an internal value of pi that has a 66-bit mantissa"), pi * 2^64 rounded to an
    /// integer. Reducing with it reproduces the hardware's results near multiples of pi.
    static let reductionPi: UInt128 = 0x3_243F_6A88_85A3_08D3

    /// `total` plus a term too small to change its 128-bit mantissa: one unit of its last
    /// place in the term's direction, so the rounding to 64 bits sees an inexact value on the
    /// correct side.
    private static func sticky(_ total: X87Wide, _ term: X87Wide) -> X87Wide {
        total + X87Wide(negative: term.negative, exponent: total.exponent, mantissa: 1)
    }

    /// Sums a series whose terms shrink: `next(term, n)` gives term n from term n - 1.
    private static func sum(first: X87Wide, _ next: (X87Wide, Int) -> X87Wide) -> X87Wide {
        var total = first
        var term = first
        var n = 1
        while n < 200 {
            term = next(term, n)
            if term.isZero { break }
            if term.exponent < total.exponent &- 130 { return sticky(total, term) }
            total = total + term
            n += 1
        }
        return total
    }

    private static func integer(_ v: Int) -> X87Wide { X87Wide(integer: UInt128(v)) }

    /// sin r for 0 <= r <= pi/4.
    static func sine(_ r: X87Wide) -> X87Wide {
        let r2 = -(r * r)
        return sum(first: r) { t, n in t * r2 / integer((2 * n) * (2 * n + 1)) }
    }

    /// cos r for 0 <= r <= pi/4.
    static func cosine(_ r: X87Wide) -> X87Wide {
        let r2 = -(r * r)
        return sum(first: .one) { t, n in t * r2 / integer((2 * n - 1) * (2 * n)) }
    }

    /// atan t for 0 <= t <= 1: atan t = atan(k/8) + atan((t - k/8) / (1 + t k/8)), the second
    /// argument below 1/16, by its Taylor series.
    static func arctangent(_ t: X87Wide) -> X87Wide {
        // round(8t) = floor((16t + 1) / 2).
        let eighths = t.scaled(by: 3)
        let halves = eighths.exponent >= -1 ? eighths.mantissa >> UInt128(126 - eighths.exponent) : 0
        let k = Int(min((halves + 1) >> 1, 8))
        guard k > 0 else { return arctangentSeries(t) }
        let c = integer(k).scaled(by: -3)
        let u = (t - c) / (.one + t * c)
        return arctangents[k - 1] + arctangentSeries(u)
    }

    /// atan u = u - u^3/3 + u^5/5 - ... for |u| <= 1/16.
    private static func arctangentSeries(_ u: X87Wide) -> X87Wide {
        let u2 = -(u * u)
        var power = u
        var total = u
        for n in 1..<60 {
            power = power * u2
            let term = power / integer(2 * n + 1)
            if term.isZero { break }
            if term.exponent < total.exponent &- 130 { return sticky(total, term) }
            total = total + term
        }
        return total
    }

    /// ln((1 + s) / (1 - s)) = 2 (s + s^3/3 + s^5/5 + ...) for |s| <= 3 - 2 sqrt(2).
    static func logRatio(_ s: X87Wide) -> X87Wide {
        let s2 = s * s
        var power = s
        var total = s
        for n in 1..<80 {
            power = power * s2
            let term = power / integer(2 * n + 1)
            if term.isZero { break }
            if term.exponent < total.exponent &- 130 {
                total = sticky(total, term)
                break
            }
            total = total + term
        }
        return total.scaled(by: 1)
    }

    /// log2 x for a finite x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m from
    /// `logRatio((m - 1) / (m + 1))`.
    static func log2(_ x: X87Wide) -> X87Wide {
        var m = x
        m.exponent = 0
        var e = x.exponent
        // sqrt(2) = 1.0110101000001001111...b: compare the top bits.
        if m.mantissa > 0xB504_F333_F9DE_6484_597D_89B3_754A_BE9F {
            m.exponent = -1
            e += 1
        }
        let ln = logRatio((m - .one) / (m + .one))
        let fraction = ln * log2e
        let whole = X87Wide(integer: UInt128(e.magnitude), negative: e < 0)
        return whole + fraction
    }

    /// log2(1 + x) for x > -1, without forming 1 + x: 1 + x = (1 + s) / (1 - s) with
    /// s = x / (2 + x).
    static func log2OnePlus(_ x: X87Wide) -> X87Wide {
        if x.magnitude.exponent >= -2 { return log2(.one + x) }
        let s = x / (integer(2) + x)
        return logRatio(s) * log2e
    }

    /// 2^x - 1, exact in form for small x: e^z - 1 = z + z^2/2! + ... with z = x ln 2, after
    /// taking out the integer part of x (outside the architectural domain -1 <= x <= 1).
    static func twoToXMinusOne(_ x: X87Wide) -> X87Wide {
        if x.isZero { return x }
        if x.exponent >= 15 {
            // |x| >= 2^15: 2^x overflows, or 2^x - 1 rounds to -1.
            return x.negative ? -.one : X87Wide.one.scaled(by: 1 << 16)
        }
        if x.exponent >= 0 {
            let n = Int(x.mantissa >> UInt128(127 - x.exponent))
            let whole = X87Wide(integer: UInt128(n), negative: x.negative)
            let power = (twoToXMinusOne(x - whole) + .one).scaled(by: x.negative ? -n : n)
            return power - .one
        }
        let z = x * ln2
        return sum(first: z) { t, n in t * z / integer(n + 1) }
    }
}
