/// CMPPS, CMPPD, CMPSS, CMPSD (predicates 0-7 of imm8[2:0]) and COMISS, COMISD, UCOMISS,
/// UCOMISD (SDM vol. 2).
extension CPU {
    func executeCompare(_ i: Instruction) throws(Fault) {
        var env = simdFloatEnvironment
        let predicate = UInt8(truncatingIfNeeded: i.immediate) & 7
        // LT, LE, NLT and NLE signal invalid on QNaN operands too; EQ, UNORD, NEQ, ORD on SNaNs only.
        let signaling = predicate & 3 == 1 || predicate & 3 == 2
        var r = xmmRegister(i.reg)
        let a = r
        switch CPU.ssePrefixColumn(i) {
        case 0:
            let b = try readXMMOperand(i, aligned: true)
            for k in 0..<4 {
                let order = SoftFloat.compare(a.binary32(k), b.binary32(k), signaling: signaling, &env)
                r.setBinary32(k, CPU.holds(predicate, order) ? 0xFFFF_FFFF : 0)
            }
        case 1:
            let b = try readXMMOperand(i, aligned: true)
            for k in 0..<2 {
                let order = SoftFloat.compare(a.binary64(k), b.binary64(k), signaling: signaling, &env)
                r.setBinary64(k, CPU.holds(predicate, order) ? UInt64.max : 0)
            }
        case 2:
            let order = SoftFloat.compare(a.binary32(0), try scalarOperand32(i), signaling: signaling, &env)
            r.setBinary32(0, CPU.holds(predicate, order) ? 0xFFFF_FFFF : 0)
        default:
            let order = SoftFloat.compare(a.low, try scalarOperand64(i), signaling: signaling, &env)
            r.low = CPU.holds(predicate, order) ? UInt64.max : 0
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// Whether `order` satisfies a CMPPS predicate: EQ, LT, LE, UNORD and, for 4-7, their
    /// negations NEQ, NLT, NLE, ORD (true when unordered, except ORD).
    @inline(__always)
    static func holds(_ predicate: UInt8, _ order: FloatComparison) -> Bool {
        let base: Bool
        switch predicate & 3 {
        case 0: base = order == .equal
        case 1: base = order == .less
        case 2: base = order == .less || order == .equal
        default: base = order == .unordered
        }
        return base != (predicate & 4 != 0)
    }

    /// COMISS/COMISD (`signaling`: invalid on any NaN) and UCOMISS/UCOMISD (on SNaNs only):
    /// ZF, PF, CF = 111 unordered, 000 greater, 001 less, 100 equal; OF, SF and AF cleared.
    /// An unmasked exception leaves EFLAGS unchanged.
    func executeOrderedCompare(_ i: Instruction, signaling: Bool) throws(Fault) {
        var env = simdFloatEnvironment
        let order: FloatComparison
        if CPU.ssePrefixColumn(i) == 0 {
            let b = try scalarOperand32(i)
            order = SoftFloat.compare(UInt32(truncatingIfNeeded: xmm[Int(i.reg & 15) &* 2]), b,
                                      signaling: signaling, &env)
        } else {
            let b = try scalarOperand64(i)
            order = SoftFloat.compare(xmm[Int(i.reg & 15) &* 2], b, signaling: signaling, &env)
        }
        try signalSIMDFloatingPoint(env.flags)
        let zf = RFlags.zero.rawValue, pf = RFlags.parity.rawValue, cf = RFlags.carry.rawValue
        switch order {
        case .unordered: flags.bits = zf | pf | cf
        case .greater: flags.bits = 0
        case .less: flags.bits = cf
        case .equal: flags.bits = zf
        }
    }
}
