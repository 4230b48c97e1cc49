/// The six basic operations of FADD..FDIVR, FIADD..FIDIVR and their P forms.
enum X87Operation {
    case add, multiply, subtract, subtractReversed, divide, divideReversed

    /// ModRM.reg of D8/DA/DC/DE memory forms and of D8 register forms.
    init(_ reg: Int) {
        switch reg {
        case 0: self = .add
        case 1: self = .multiply
        case 4: self = .subtract
        case 5: self = .subtractReversed
        case 6: self = .divide
        default: self = .divideReversed
        }
    }

    /// ModRM.reg of the DC/DE register forms, whose destination is ST(i): E0 is FSUBR ST(i),ST(0)
    /// and E8 FSUB, F0 FDIVR and F8 FDIV (SDM vol. 2, table A-14 and the FSUB/FDIV pages).
    init(reversing reg: Int) {
        switch reg {
        case 4: self = .subtractReversed
        case 5: self = .subtract
        case 6: self = .divideReversed
        case 7: self = .divide
        default: self.init(reg)
        }
    }
}

/// Arithmetic on the register stack through the soft-float library (Sources/Emu/Float).
extension CPU {
    /// The soft-float environment of FCW: rounding, precision control and masks.
    @inline(__always)
    func x87Environment() -> FloatEnvironment { FloatEnvironment(x87Control: x87.control) }

    /// Records exception flags (FSW layout); true when the result may be written: an unmasked
    /// IE, DE or ZE leaves the destination and the stack unchanged (SDM vol. 1, 8.5), while an
    /// unmasked OE, UE or PE still delivers the (exponent-adjusted) result.
    @discardableResult
    func x87Signal(_ flags: UInt16) -> Bool {
        x87Raise(flags)
        return flags & ~x87.control & (X87Status.invalid | X87Status.denormal | X87Status.zeroDivide) == 0
    }

    /// Records the flags an operation raised and sets C1 when its result was rounded up in
    /// magnitude (SDM vol. 1, 8.1.3.1); true when the result may be written.
    func x87Finish(_ env: FloatEnvironment) -> Bool {
        if env.roundedUp { x87.status |= X87Status.c1 }
        return x87Signal(UInt16(env.flags.rawValue))
    }

    private func x87Compute(_ op: X87Operation, _ a: Float80Bits, _ b: Float80Bits,
                            _ env: inout FloatEnvironment) -> Float80Bits {
        switch op {
        case .add: return SoftFloat.add(a, b, &env)
        case .multiply: return SoftFloat.mul(a, b, &env)
        case .subtract: return SoftFloat.sub(a, b, &env)
        case .subtractReversed: return SoftFloat.sub(b, a, &env)
        case .divide: return SoftFloat.div(a, b, &env)
        case .divideReversed: return SoftFloat.div(b, a, &env)
        }
    }

    /// ST(destination) = ST(destination) op ST(source), then pop for the P forms.
    func x87Arithmetic(_ op: X87Operation, destination d: Int, source s: Int, pop: Bool) {
        x87ClearC1()
        if stEmpty(d) || stEmpty(s) {
            if x87StackFault(overflow: false) {
                setST(d, X87Status.indefinite)
                if pop { x87Pop() }
            }
            return
        }
        var env = x87Environment()
        let r = x87Compute(op, st(d), st(s), &env)
        guard x87Finish(env) else { return }
        setST(d, r)
        if pop { x87Pop() }
    }

    /// D8/DC (m32/m64 real) and DA/DE (m32/m16 integer) memory forms: ST(0) = ST(0) op source,
    /// or FCOM/FCOMP, FICOM/FICOMP for reg 2 and 3.
    func x87ArithmeticMemory(_ reg: Int, _ source: X87Source) throws(Fault) {
        if reg == 2 || reg == 3 {
            return x87Compare(source, kind: .ordered, pops: reg == 3 ? 1 : 0)
        }
        x87ClearC1()
        if stEmpty(0) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        var env = x87Environment()
        env.flags = x87SourceFlags(source)
        var r = x87Compute(X87Operation(reg), st(0), source.value, &env)
        x87MemoryOperandFlags(&env, st(0), source.value)
        guard x87Finish(env) else { return }
        // A signaling NaN in memory beside a quiet NaN in ST(0): the quiet NaN is the result
        // (SDM vol. 1, table 4-7); the conversion has already quieted the memory operand.
        if source.flags & X87Status.invalid != 0 && X87Class(source.value).isNaN && X87Class(st(0)) == .quietNaN {
            r = st(0)
        }
        setST(0, r)
    }

    @inline(__always)
    func x87SourceFlags(_ source: X87Source) -> FloatFlags {
        FloatFlags(rawValue: UInt8(source.flags & X87Status.exceptionFlags))
    }

    /// The flags of an operation on a converted memory operand as the hardware reports them
    /// (host vectors, fixtures/vectors-simd/x87-arith and x87-cmp): beside a NaN operand or an
    /// invalid operation a denormal memory operand raises no DE; an unmasked DE stops the
    /// instruction before it computes, so no PE, UE or OE and no C1.
    func x87MemoryOperandFlags(_ env: inout FloatEnvironment, _ a: Float80Bits, _ b: Float80Bits) {
        if env.flags.contains(.invalid) || X87Class(a).isNaN || X87Class(b).isNaN {
            env.flags.remove(.denormal)
        }
        if env.flags.contains(.denormal) && !env.masks.contains(.denormal) {
            env.flags.formIntersection(FloatFlags.preComputation)
            env.roundedUp = false
        }
    }

    /// A one-operand operation on ST(0) (FSQRT, FRNDINT).
    private func x87Unary(_ f: (Float80Bits, inout FloatEnvironment) -> Float80Bits) {
        x87ClearC1()
        if stEmpty(0) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        var env = x87Environment()
        let r = f(st(0), &env)
        guard x87Finish(env) else { return }
        setST(0, r)
    }

    func x87SquareRoot() { x87Unary { v, env in SoftFloat.sqrt(v, &env) } }

    /// FRNDINT: rounds by FCW.RC to an integral value (precision control does not apply); C1
    /// tells whether the magnitude grew.
    func x87RoundToIntegral() {
        x87Unary { v, env in x87RoundToIntegral(v, &env) }
    }

    /// `SoftFloat.roundToIntegral` with `env.roundedUp` set when the magnitude grew.
    func x87RoundToIntegral(_ v: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        let r = SoftFloat.roundToIntegral(v, &env)
        if env.flags.contains(.inexact) && (r.x87Exponent, r.significand) > (v.x87Exponent, v.significand) {
            env.roundedUp = true
        }
        return r
    }

    /// FSCALE: ST(0) = ST(0) * 2^trunc(ST(1)).
    func x87Scale() {
        x87ClearC1()
        if stEmpty(0) || stEmpty(1) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        var env = x87Environment()
        let r = SoftFloat.scale(st(0), by: st(1), &env)
        guard x87Finish(env) else { return }
        setST(0, r)
    }

    /// FPREM/FPREM1: the partial remainder of ST(0) / ST(1); C2 = 1 when the reduction is
    /// incomplete, otherwise C0, C3, C1 = quotient bits 2, 1, 0 (SDM vol. 2, FPREM). A NaN
    /// result (NaN operand, invalid operation, stack underflow) clears C1 and C2 and leaves C0
    /// and C3 as they were (host vectors, fixtures/vectors-simd/x87-arith).
    func x87PartialRemainder(nearest: Bool) {
        x87.status &= ~(X87Status.c1 | X87Status.c2)
        if stEmpty(0) || stEmpty(1) {
            if x87StackFault(overflow: false) { setST(0, X87Status.indefinite) }
            return
        }
        var env = x87Environment()
        let (r, quotient, complete) = SoftFloat.remainder(st(0), st(1), nearest: nearest, &env)
        guard x87Finish(env) else { return }
        setST(0, r)
        if X87Class(r).isNaN { return }
        var codes: UInt16 = 0
        if !complete {
            codes = X87Status.c2
        } else {
            if quotient & 4 != 0 { codes |= X87Status.c0 }
            if quotient & 2 != 0 { codes |= X87Status.c3 }
            if quotient & 1 != 0 { codes |= X87Status.c1 }
        }
        x87SetConditionCodes(codes)
    }

    /// The masked response of an instruction that replaces ST(0) and pushes (FXTRACT, FPTAN,
    /// FSINCOS) to an empty ST(0) or a full stack; true when it handled the fault.
    func x87TwoResultStackFault() -> Bool {
        let underflow = stEmpty(0)
        guard underflow || !stEmpty(7) else { return false }
        if x87StackFault(overflow: !underflow) {
            setST(0, X87Status.indefinite)
            x87Push(X87Status.indefinite)
        }
        return true
    }

    /// FXTRACT: ST(0) = the unbiased exponent, then push the significand (SDM vol. 2).
    func x87Extract() {
        x87ClearC1()
        if x87TwoResultStackFault() { return }
        var env = x87Environment()
        let (exponent, significand) = SoftFloat.extract(st(0), &env)
        guard x87Finish(env) else { return }
        setST(0, exponent)
        x87Push(significand)
    }
}
