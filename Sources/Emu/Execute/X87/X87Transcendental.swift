/// FSIN, FCOS, FSINCOS, FPTAN (SDM vol. 2 pages and vol. 1, 8.3.10).
enum X87TrigFunction {
    case sine, cosine
}

/// What a trigonometric instruction does with its operand before computing.
private enum X87TrigOperand {
    /// NaN, infinity or unsupported: every result is this value (nil: unmasked IE, no change).
    case finished(Float80Bits?)
    case zero
    /// |x| >= 2^63: C2 = 1 and the operand stays (SDM vol. 2, FSIN).
    case outOfRange
    /// Compute, with these flags so far (DE for a denormal).
    case compute(UInt16)
}

/// The transcendental instructions, computed in X87Wide (X87Series.swift) and rounded once by
/// FCW.RC to 64 bits. FSIN/FCOS/FSINCOS/FPTAN reduce their argument modulo pi/2 exactly with
/// the 66-bit pi of the processor (X87Series.reductionPi); FPATAN, FYL2X, FYL2XP1 and F2XM1
/// use 128-bit constants.
extension CPU {
    /// Rounds a computed result. PE is set for every non-zero result, as the hardware does for
    /// the values it computes (fixtures/x87: F2XM1(1) = 1 and F2XM1(-1) = -0.5 report PE).
    private func x87Round(_ w: X87Wide, _ flags: inout UInt16) -> Float80Bits {
        let rounding = FloatRounding(rawValue: UInt8(x87.control >> 10 & 3)) ?? .nearestEven
        let (v, f, up) = w.rounded(rounding, control: x87.control)
        flags |= f | (w.isZero ? 0 : X87Status.precision)
        if up { x87.status |= X87Status.c1 }
        return v
    }

    private func x87PrepareTrig(_ x: Float80Bits) -> X87TrigOperand {
        x87.status &= ~X87Status.c2
        switch X87Class(x) {
        case .unsupported, .infinity: return .finished(x87InvalidResult())
        case .quietNaN, .signalingNaN: return .finished(x87PropagateNaN(x))
        case .zero: return .zero
        case .denormal: return .compute(X87Status.denormal)
        case .normal:
            if x.x87Exponent >= 16383 + 63 {
                x87.status |= X87Status.c2
                return .outOfRange
            }
            return .compute(0)
        }
    }

    /// sin x and cos x: |x| = q pi/2 + r with 0 <= r < pi/2 (66-bit pi), then r or pi/2 - r,
    /// whichever is at most pi/4, goes into the series.
    private func x87SineAndCosine(_ x: Float80Bits) -> (sin: X87Wide, cos: X87Wide) {
        let e = x.x87Exponent - 16383
        var s: X87Wide, c: X87Wide
        var quadrant = 0
        if e < -1 {
            let r = X87Wide(x).magnitude
            (s, c) = (X87Series.sine(r), X87Series.cosine(r))
        } else {
            // |x| = significand * 2^(e - 63) and pi/2 = reductionPi * 2^-65: the remainder of
            // significand * 2^(e + 2) by reductionPi, by shift and subtract.
            let p = X87Series.reductionPi
            var remainder = UInt128(x.significand)
            for _ in 0..<(e + 2) {
                remainder <<= 1
                quadrant = (quadrant << 1) & 3
                if remainder >= p {
                    remainder -= p
                    quadrant |= 1
                }
            }
            if remainder << 1 > p {
                let r = X87Wide(integer: p - remainder, scale: -65)
                (s, c) = (X87Series.cosine(r), X87Series.sine(r))
            } else {
                let r = X87Wide(integer: remainder, scale: -65)
                (s, c) = (X87Series.sine(r), X87Series.cosine(r))
            }
        }
        var result: (sin: X87Wide, cos: X87Wide)
        switch quadrant {
        case 0: result = (s, c)
        case 1: result = (c, -s)
        case 2: result = (-s, -c)
        default: result = (-c, s)
        }
        if x.x87Negative { result.sin = -result.sin }
        return result
    }

    /// FSIN, FCOS.
    func x87Trigonometric(_ f: X87TrigFunction) {
        x87ClearC1()
        if stEmpty(0) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        let x = st(0)
        switch x87PrepareTrig(x) {
        case .finished(let v): if let v { setST(0, v) }
        case .outOfRange: break
        case .zero: setST(0, f == .sine ? x : X87Wide.one.rounded(.nearestEven, control: x87.control).0)
        case .compute(var flags):
            let (s, c) = x87SineAndCosine(x)
            let r = x87Round(f == .sine ? s : c, &flags)
            if x87Signal(flags) { setST(0, r) }
        }
    }

    /// FSINCOS: ST(0) = sin, then push cos.
    func x87SineCosine() {
        x87TwoResultTrigonometric { s, c, flags in
            let sine = x87Round(s, &flags)
            x87.status &= ~X87Status.c1
            return (sine, x87Round(c, &flags))
        }
    }

    /// FPTAN: ST(0) = tan, then push 1.0.
    func x87PartialTangent() {
        x87TwoResultTrigonometric { s, c, flags in (x87Round(s / c, &flags), .x87One) }
    }

    /// The common frame of FSINCOS and FPTAN, which replace ST(0) and push a second result:
    /// stack faults, NaN/unsupported/out-of-range operands, a zero operand (kept, 1.0 pushed);
    /// `compute` rounds the two results from the sine and cosine of ST(0).
    private func x87TwoResultTrigonometric(
        _ compute: (X87Wide, X87Wide, inout UInt16) -> (Float80Bits, Float80Bits)) {
        x87ClearC1()
        if x87TwoResultStackFault() { return }
        let x = st(0)
        switch x87PrepareTrig(x) {
        case .finished(let v):
            if let v { setST(0, v); x87Push(v) }
        case .outOfRange: break
        case .zero: x87Push(.x87One)
        case .compute(var flags):
            let (s, c) = x87SineAndCosine(x)
            let (first, second) = compute(s, c, &flags)
            if x87Signal(flags) {
                setST(0, first)
                x87Push(second)
            }
        }
    }

    // MARK: Two-operand instructions: ST(1) = f(ST(1), ST(0)), then pop

    /// The common frame of FPATAN, FYL2X, FYL2XP1: stack underflow, NaNs and unsupported
    /// operands; `compute` returns the result (or nil for an unmasked exception).
    private func x87Binary(_ compute: (Float80Bits, Float80Bits, inout UInt16) -> Float80Bits?) {
        x87ClearC1()
        if stEmpty(0) || stEmpty(1) {
            if x87StackFault(overflow: false) {
                setST(1, X87Status.indefinite)
                x87Pop()
            }
            return
        }
        let x = st(0), y = st(1)
        let cx = X87Class(x), cy = X87Class(y)
        let result: Float80Bits?
        if cx.isNaN || cy.isNaN {
            result = x87PropagateNaN(y, x)
        } else if cx == .unsupported || cy == .unsupported {
            result = x87InvalidResult()
        } else {
            var flags: UInt16 = cx == .denormal || cy == .denormal ? X87Status.denormal : 0
            let r = compute(x, y, &flags)
            result = x87Signal(flags) ? r : nil
        }
        guard let result else { return }
        setST(1, result)
        x87Pop()
    }

    /// FPATAN: ST(1) = arctan(ST(1) / ST(0)) in the quadrant of (ST(0), ST(1)), with the
    /// special cases of the SDM's FPATAN table.
    func x87PartialArctangent() {
        x87Binary { x, y, flags in
            let cx = X87Class(x), cy = X87Class(y)
            let pi = X87Series.pi, halfPi = X87Series.pi.scaled(by: -1)
            var angle: X87Wide
            if cy == .zero {
                angle = x.x87Negative ? pi : .zero
            } else if cy == .infinity {
                angle = cx == .infinity ? (x.x87Negative ? pi * X87Wide(integer: 3).scaled(by: -2) : pi.scaled(by: -2)) : halfPi
            } else if cx == .zero {
                angle = halfPi
            } else if cx == .infinity {
                angle = x.x87Negative ? pi : .zero
            } else {
                let ax = X87Wide(x).magnitude, ay = X87Wide(y).magnitude
                if (ay.exponent, ay.mantissa) <= (ax.exponent, ax.mantissa) {
                    angle = X87Series.arctangent(ay / ax)
                } else {
                    angle = halfPi - X87Series.arctangent(ax / ay)
                }
                if x.x87Negative { angle = pi - angle }
            }
            angle.negative = y.x87Negative
            return x87Round(angle, &flags)
        }
    }

    /// FYL2X: ST(1) = ST(1) * log2(ST(0)); FYL2XP1: ST(1) = ST(1) * log2(ST(0) + 1). The special
    /// cases follow the SDM's tables: a negative argument is invalid, log2(+-0) = -inf (ZE
    /// with a finite non-zero multiplier), 0 * inf is invalid.
    func x87LogarithmBinary(plusOne: Bool) {
        x87Binary { x, y, flags in
            let cx = X87Class(x), cy = X87Class(y)
            // log2 of the argument: nil = -inf when `infinite` and negative, +inf when not.
            var log: X87Wide? = nil
            var logNegative = false
            switch cx {
            case .zero:
                if plusOne {
                    log = X87Wide.zero
                    logNegative = x.x87Negative
                } else {
                    logNegative = true
                    if cy != .zero && cy != .infinity { flags |= X87Status.zeroDivide }
                }
            case .infinity:
                if x.x87Negative { flags |= X87Status.invalid; return X87Status.indefinite }
            default:
                let w = X87Wide(x)
                if plusOne {
                    if w.negative && w.exponent >= 0 { flags |= X87Status.invalid; return X87Status.indefinite }
                    log = X87Series.log2OnePlus(w)
                } else {
                    if w.negative { flags |= X87Status.invalid; return X87Status.indefinite }
                    log = X87Series.log2(w)
                }
                logNegative = log?.negative ?? false
            }
            let negative = logNegative != y.x87Negative
            guard let log else {
                if cy == .zero { flags |= X87Status.invalid; return X87Status.indefinite }
                return .x87Infinity(negative: negative)
            }
            if cy == .infinity {
                if log.isZero { flags |= X87Status.invalid; return X87Status.indefinite }
                return .x87Infinity(negative: negative)
            }
            if cy == .zero || log.isZero { return .x87Zero(negative: negative) }
            return x87Round(X87Wide(y) * log, &flags)
        }
    }

    /// F2XM1: ST(0) = 2^ST(0) - 1 (architecturally for -1 <= ST(0) <= 1; beyond, the value is
    /// computed all the same). -inf gives -1, +inf stays.
    func x87TwoToXMinusOne() {
        x87ClearC1()
        if stEmpty(0) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        let x = st(0)
        var flags: UInt16 = 0
        switch X87Class(x) {
        case .quietNaN, .signalingNaN:
            if let v = x87PropagateNaN(x) { setST(0, v) }
        case .unsupported:
            if let v = x87InvalidResult() { setST(0, v) }
        case .zero:
            break
        case .infinity:
            if x.x87Negative { setST(0, Float80Bits(significand: 1 << 63, signExponent: 0xBFFF)) }
        case .denormal, .normal:
            if X87Class(x) == .denormal { flags |= X87Status.denormal }
            let r = x87Round(X87Series.twoToXMinusOne(X87Wide(x)), &flags)
            if x87Signal(flags) { setST(0, r) }
        }
    }
}
