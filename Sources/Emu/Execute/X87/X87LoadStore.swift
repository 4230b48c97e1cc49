/// A memory operand of an x87 instruction: segment, offset and the address-size wrap.
struct X87Memory {
    let segment: UInt8
    let offset: UInt64
    let mask: UInt64

    @inline(__always) func at(_ k: UInt64) -> UInt64 { (offset &+ k) & mask }
}

/// A source operand converted to double extended, with the exceptions the conversion raised
/// (FSW bit layout): IE for a signaling NaN, DE for a denormal (SDM vol. 1, 8.5).
struct X87Source {
    var value: Float80Bits
    var flags: UInt16 = 0

    static func value(_ v: Float80Bits) -> X87Source { X87Source(value: v) }
}

/// FLD/FILD/FBLD, FST/FSTP/FIST/FISTP/FISTTP/FBSTP, FXCH, FCMOVcc, FFREE (SDM vol. 2).
extension CPU {
    // MARK: Memory operands

    func x87ReadReal32(_ m: X87Memory) throws(Fault) -> X87Source {
        let bits = UInt32(truncatingIfNeeded: try read(m.segment, m.offset, size: 4))
        var env = x87Environment()
        let v = SoftFloat.float80(from: bits, &env)
        return X87Source(value: v, flags: UInt16(env.flags.rawValue))
    }

    func x87ReadReal64(_ m: X87Memory) throws(Fault) -> X87Source {
        let bits = try read(m.segment, m.offset, size: 8)
        var env = x87Environment()
        let v = SoftFloat.float80(from: bits, &env)
        return X87Source(value: v, flags: UInt16(env.flags.rawValue))
    }

    func x87ReadReal80(_ m: X87Memory) throws(Fault) -> Float80Bits {
        let low = try read(m.segment, m.offset, size: 8)
        let high = try read(m.segment, m.at(8), size: 2)
        return Float80Bits(significand: low, signExponent: UInt16(truncatingIfNeeded: high))
    }

    /// A 16-, 32- or 64-bit two's complement integer, converted exactly.
    func x87ReadInteger(_ m: X87Memory, bits: Int) throws(Fault) -> X87Source {
        let raw = try read(m.segment, m.offset, size: UInt8(bits / 8))
        let value = Int64(bitPattern: bits == 64 ? raw : CPU.signExtend(raw, UInt8(bits / 8)))
        return .value(SoftFloat.float80(fromInteger: value))
    }

    /// An 18-digit packed BCD integer (SDM vol. 1, 4.7): digits in bytes 0-8, low digit in the
    /// low nibble, sign in bit 7 of byte 9. Digits A-F give an undefined value (here, their
    /// weight times the digit's power of ten).
    func x87ReadBCD(_ m: X87Memory) throws(Fault) -> Float80Bits {
        let low = try read(m.segment, m.offset, size: 8)
        let high = try read(m.segment, m.at(8), size: 2)
        var value: Int64 = 0
        for k in stride(from: 1, through: 0, by: -1) {
            value = value &* 10 &+ Int64((high >> UInt64(k * 4)) & 0xF)
        }
        for k in stride(from: 15, through: 0, by: -1) {
            value = value &* 10 &+ Int64((low >> UInt64(k * 4)) & 0xF)
        }
        return SoftFloat.float80(fromInteger: value).x87WithSign(high & 0x8000 != 0)
    }

    func x87WriteReal80(_ m: X87Memory, _ v: Float80Bits) throws(Fault) {
        try probeWrite(m.segment, m.offset, size: 10)
        try write(m.segment, m.offset, size: 8, v.significand)
        try write(m.segment, m.at(8), size: 2, UInt64(v.signExponent))
    }

    // MARK: Loads

    /// FLD m32/m64/m80, FILD, FBLD: push the converted source. Stack overflow when ST(7) is in
    /// use; an unmasked IE (signaling NaN) leaves the stack alone, while a denormal source is
    /// loaded exactly even when DE is unmasked (host vectors, fixtures/vectors-simd/x87-move).
    func x87Load(_ s: X87Source) {
        x87ClearC1()
        if !stEmpty(7) {
            if x87StackFault(overflow: true) { x87Push(X87Status.indefinite) }
            return
        }
        guard x87Raise(s.flags) || s.flags & ~x87.control & X87Status.invalid == 0 else { return }
        x87Push(s.value)
    }

    /// FLD ST(i).
    func x87LoadRegister(_ i: Int) {
        x87ClearC1()
        if !stEmpty(7) {
            if x87StackFault(overflow: true) { x87Push(X87Status.indefinite) }
            return
        }
        if stEmpty(i) {
            if x87StackFault(overflow: false) { x87Push(X87Status.indefinite) }
            return
        }
        x87Push(st(i))
    }

    /// FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (D9 E8-EE). The processor holds the
    /// constants to 66 bits and rounds them to 64 by FCW.RC (SDM vol. 1, 8.3.8): the values
    /// below are rounded to nearest; L2T rounds down to nearest, so rounding up adds one ulp;
    /// L2E, PI, LG2 and LN2 round up to nearest, so rounding down or toward zero subtracts one.
    func x87LoadConstant(_ k: Int) {
        let (exponent, nearest) = CPU.x87Constants[k]
        let rounding = (x87.control >> 10) & 3
        var significand = nearest
        if k == 1 && rounding == FloatRounding.up.rawValue { significand &+= 1 }
        if (2...5).contains(k) && (rounding == FloatRounding.down.rawValue || rounding == FloatRounding.towardZero.rawValue) {
            significand &-= 1
        }
        x87Load(.value(Float80Bits(significand: significand, signExponent: exponent)))
    }

    /// FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ rounded to nearest (sign+exponent,
    /// significand); fixtures/x87/host.txt shows each under every rounding control.
    static let x87Constants: [(UInt16, UInt64)] = [
        (0x3FFF, 0x8000_0000_0000_0000), (0x4000, 0xD49A_784B_CD1B_8AFE),
        (0x3FFF, 0xB8AA_3B29_5C17_F0BC), (0x4000, 0xC90F_DAA2_2168_C235),
        (0x3FFD, 0x9A20_9A84_FBCF_F799), (0x3FFE, 0xB172_17F7_D1CF_79AC), (0, 0),
    ]

    // MARK: Stores

    /// FST/FSTP m32.
    func x87StoreReal32(_ m: X87Memory, pop: Bool) throws(Fault) {
        try x87StoreConverted(m, size: 4, pop: pop, indefinite: 0xFFC0_0000) { v, env in
            UInt64(SoftFloat.float32(from: v, &env))
        }
    }

    /// FST/FSTP m64.
    func x87StoreReal64(_ m: X87Memory, pop: Bool) throws(Fault) {
        try x87StoreConverted(m, size: 8, pop: pop, indefinite: 0xFFF8_0000_0000_0000) { v, env in
            SoftFloat.float64(from: v, &env)
        }
    }

    /// FIST/FISTP (rounding by FCW.RC) and FISTTP (truncating, SSE3) to m16/m32/m64; the
    /// integer indefinite is the most negative integer (SDM vol. 1, 4.2.1.2).
    func x87StoreInteger(_ m: X87Memory, bits: Int, truncate: Bool, pop: Bool) throws(Fault) {
        try x87StoreConverted(m, size: UInt8(bits / 8), pop: pop, indefinite: 1 << UInt64(bits - 1)) { v, env in
            // A denormal source rounds to 0 or +-1 without DE, as the hardware does.
            let r = SoftFloat.integer(from: v, bits: bits, truncate: truncate, &env)
            env.flags.remove(.denormal)
            return r
        }
    }

    /// The shared body of the converting stores: stack underflow stores `indefinite` when IE is
    /// masked; an unmasked exception other than PE stores nothing and does not pop (SDM vol. 1,
    /// 8.5.1, 4.9.1.4-5). C1 tells whether the stored value was rounded up in magnitude.
    private func x87StoreConverted(_ m: X87Memory, size: UInt8, pop: Bool, indefinite: UInt64,
                                   convert: (Float80Bits, inout FloatEnvironment) -> UInt64) throws(Fault) {
        if stEmpty(0) {
            if x87.control & X87Status.invalid != 0 { try write(m.segment, m.offset, size: size, indefinite) }
            if x87StackFault(overflow: false) && pop { x87Pop() }
            return
        }
        var env = x87Environment()
        let result = convert(st(0), &env)
        var towardZero = env
        towardZero.rounding = .towardZero
        towardZero.flags = []
        let truncated = convert(st(0), &towardZero)
        let flags = UInt16(env.flags.rawValue)
        let stores = flags & ~x87.control & (X87Status.exceptionFlags & ~X87Status.precision) == 0
        if stores { try write(m.segment, m.offset, size: size, result) }
        x87ClearC1()
        if flags & X87Status.precision != 0 && result != truncated && flags & X87Status.invalid == 0 {
            x87.status |= X87Status.c1
        }
        x87Raise(flags)
        if stores && pop { x87Pop() }
    }

    /// FSTP m80: no conversion, no exception but stack underflow.
    func x87StoreReal80(_ m: X87Memory) throws(Fault) {
        x87ClearC1()
        if stEmpty(0) {
            if x87.control & X87Status.invalid != 0 { try x87WriteReal80(m, X87Status.indefinite) }
            if x87StackFault(overflow: false) { x87Pop() }
            return
        }
        try x87WriteReal80(m, st(0))
        x87Pop()
    }

    /// FBSTP: ST(0) rounded to an integer by FCW.RC, stored as 18 packed BCD digits; NaNs,
    /// infinities and values beyond 18 digits are invalid and store the packed BCD indefinite
    /// (FFFF C000 0000 0000 0000h, SDM vol. 1, 4.7).
    func x87StoreBCD(_ m: X87Memory) throws(Fault) {
        let indefinite = Float80Bits(significand: 0xC000_0000_0000_0000, signExponent: 0xFFFF)
        x87ClearC1()
        if stEmpty(0) {
            if x87.control & X87Status.invalid != 0 { try x87WriteReal80(m, indefinite) }
            if x87StackFault(overflow: false) { x87Pop() }
            return
        }
        let v = st(0)
        var env = x87Environment()
        var flags: UInt16 = 0
        var digits: UInt64 = 0
        switch X87Class(v) {
        case .zero, .denormal, .normal:
            let r = x87RoundToIntegral(v, &env)
            if env.roundedUp { x87.status |= X87Status.c1 }
            flags = UInt16(env.flags.subtracting(.denormal).rawValue)   // no DE, as FIST
            let e = r.x87Exponent - 16383
            if r.x87Exponent == 0 || e < 0 {
                digits = 0
            } else if e > 59 || r.significand >> UInt64(63 - e) > 999_999_999_999_999_999 {
                flags = X87Status.invalid
            } else {
                digits = r.significand >> UInt64(63 - e)
            }
        default:
            flags = X87Status.invalid
        }
        let stores = flags & ~x87.control & (X87Status.invalid | X87Status.denormal) == 0
        if stores {
            if flags & X87Status.invalid != 0 {
                try x87WriteReal80(m, indefinite)
            } else {
                var low: UInt64 = 0
                for k in 0..<16 { low |= (digits % 10) << UInt64(k * 4); digits /= 10 }
                let high = digits % 10 | (digits / 10 % 10) << 4 | (v.x87Negative ? 0x8000 : 0)
                try x87WriteReal80(m, Float80Bits(significand: low, signExponent: UInt16(high)))
            }
        }
        x87Raise(flags)
        if stores { x87Pop() }
    }

    /// FST/FSTP ST(i) (and the FSTP1/FSTP8/FSTP9 aliases).
    func x87StoreRegister(_ i: Int, pop: Bool) {
        x87ClearC1()
        if stEmpty(0) {
            if x87StackFault(overflow: false) {
                setST(i, X87Status.indefinite)
                if pop { x87Pop() }
            }
            return
        }
        setST(i, st(0))
        if pop { x87Pop() }
    }

    // MARK: Register moves

    /// FXCH ST(i): empty operands underflow; the masked response fills them with the indefinite.
    func x87Exchange(_ i: Int) {
        x87ClearC1()
        if stEmpty(0) || stEmpty(i) {
            guard x87StackFault(overflow: false) else { return }
            if stEmpty(0) { setST(0, X87Status.indefinite) }
            if stEmpty(i) { setST(i, X87Status.indefinite) }
        }
        let a = st(0)
        setST(0, st(i))
        setST(i, a)
    }

    /// FCMOVcc ST(0), ST(i): C1 changes only on stack underflow (host vectors).
    func x87ConditionalMove(_ i: Int, _ condition: Bool) {
        if stEmpty(0) || stEmpty(i) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        if condition { setST(0, st(i)) }
    }

    /// FFREE ST(i), FFREEP ST(i) (DF C0+i: free, then pop). C1 is undefined in the SDM and
    /// cleared by the hardware (host vectors).
    func x87Free(_ i: Int, pop: Bool) {
        x87ClearC1()
        x87SetTag(physical: x87Physical(i), X87Tag.empty)
        if pop { x87Pop() }
    }

    /// FCHS, FABS: sign operations, no exception but stack underflow (SDM vol. 2).
    func x87ChangeSign(_ f: (Float80Bits) -> Float80Bits) {
        x87ClearC1()
        if stEmpty(0) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        setST(0, f(st(0)))
    }

    /// FXAM: C1 = sign; C3, C2, C0 = the class (SDM vol. 2, FXAM table).
    func x87Examine() {
        let v = st(0)
        var codes: UInt16 = v.x87Negative ? X87Status.c1 : 0
        if stEmpty(0) {
            codes |= X87Status.c3 | X87Status.c0
        } else {
            switch X87Class(v) {
            case .unsupported: break
            case .quietNaN, .signalingNaN: codes |= X87Status.c0
            case .normal: codes |= X87Status.c2
            case .infinity: codes |= X87Status.c2 | X87Status.c0
            case .zero: codes |= X87Status.c3
            case .denormal: codes |= X87Status.c3 | X87Status.c2
            }
        }
        x87SetConditionCodes(codes)
    }
}
