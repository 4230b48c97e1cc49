/// Ordered comparisons (FCOM, FICOM, FTST, FCOMI) raise IE for any NaN operand; unordered
/// ones (FUCOM, FUCOMI) only for a signaling NaN (SDM vol. 2, FCOM and FUCOM pages).
enum X87CompareKind {
    case ordered, unordered
}

/// FCOM/FCOMP/FCOMPP, FUCOM/FUCOMP/FUCOMPP, FICOM/FICOMP, FTST (condition codes) and
/// FCOMI/FCOMIP/FUCOMI/FUCOMIP (EFLAGS).
extension CPU {
    /// Compares ST(0) with ST(i), then pops `pops` times.
    func x87Compare(st0With i: Int, kind: X87CompareKind, pops: Int) {
        if stEmpty(i) {
            x87CompareUnderflow(pops: pops)
            return
        }
        x87Compare(.value(st(i)), kind: kind, pops: pops)
    }

    /// Compares ST(0) with `source` (a register, a converted memory operand, or +0.0 for FTST):
    /// C3, C2, C0 = 000 greater, 001 less, 100 equal, 111 unordered; C1 = 0. The codes are set
    /// even when IE or DE is unmasked, but then nothing is popped (host vectors,
    /// fixtures/vectors-simd/x87-cmp).
    func x87Compare(_ source: X87Source, kind: X87CompareKind, pops: Int) {
        if stEmpty(0) {
            x87CompareUnderflow(pops: pops)
            return
        }
        var env = x87Environment()
        env.flags = x87SourceFlags(source)
        let result = SoftFloat.compare(st(0), source.value, signaling: kind == .ordered, &env)
        x87MemoryOperandFlags(&env, st(0), source.value)
        x87ClearC1()
        switch result {
        case .greater: x87SetConditionCodes(0)
        case .less: x87SetConditionCodes(X87Status.c0)
        case .equal: x87SetConditionCodes(X87Status.c3)
        case .unordered: x87SetConditionCodes(X87Status.c3 | X87Status.c2 | X87Status.c0)
        }
        guard x87Finish(env) else { return }
        for _ in 0..<pops { x87Pop() }
    }

    /// FTST: compares ST(0) with +0.0.
    func x87Test() {
        x87Compare(.value(Float80Bits()), kind: .ordered, pops: 0)
    }

    private func x87CompareUnderflow(pops: Int) {
        x87SetConditionCodes(X87Status.c3 | X87Status.c2 | X87Status.c0)
        guard x87StackFault(overflow: false) else { return }
        for _ in 0..<pops { x87Pop() }
    }

    /// FCOMI/FCOMIP/FUCOMI/FUCOMIP ST(0), ST(i): ZF, PF, CF = 000 greater, 001 less, 100 equal,
    /// 111 unordered; OF, SF and AF are cleared (SDM vol. 2, FCOMI). As with the condition
    /// codes, EFLAGS is set even when IE or DE is unmasked, without the pop; C1 changes only
    /// on stack underflow (host vectors).
    func x87CompareEFLAGS(_ i: Int, kind: X87CompareKind, pop: Bool) {
        let unordered: UInt64 = 0x40 | 0x4 | 0x1
        if stEmpty(0) || stEmpty(i) {
            x87SetCompareFlags(unordered)
            if x87StackFault(overflow: false) && pop { x87Pop() }
            return
        }
        var env = x87Environment()
        let result = SoftFloat.compare(st(0), st(i), signaling: kind == .ordered, &env)
        switch result {
        case .greater: x87SetCompareFlags(0)
        case .less: x87SetCompareFlags(0x1)
        case .equal: x87SetCompareFlags(0x40)
        case .unordered: x87SetCompareFlags(unordered)
        }
        guard x87Finish(env) else { return }
        if pop { x87Pop() }
    }

    private func x87SetCompareFlags(_ zfPfCf: UInt64) {
        flags.bits = flags.bits & ~0x8D5 | zfPfCf
    }
}
