/// The SSE3 floating-point instructions: ADDSUBPS/PD, HADDPS/PD and HSUBPS/PD (SDM vol. 2).
/// Legacy forms need a 16-byte aligned memory operand.
extension CPU {
    /// 0F D0: ADDSUBPD (66), ADDSUBPS (F2): even lanes a - b, odd lanes a + b.
    func executeAddSubtract(_ i: Instruction) throws(Fault) {
        let column = CPU.ssePrefixColumn(i)
        if column != 1 && column != 3 { throw .invalidOpcode }
        let a = xmmRegister(i.reg)
        let b = try readXMMOperand(i, aligned: true)
        var env = simdFloatEnvironment
        var r = XMMValue()
        if column == 1 {
            r.low = SoftFloat.sub(a.low, b.low, &env)
            r.high = SoftFloat.add(a.high, b.high, &env)
        } else {
            for k in 0..<4 {
                r.setBinary32(k, k & 1 == 0 ? SoftFloat.sub(a.binary32(k), b.binary32(k), &env)
                                            : SoftFloat.add(a.binary32(k), b.binary32(k), &env))
            }
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// 0F 7C/7D: HADDPD/HSUBPD (66) and HADDPS/HSUBPS (F2): adjacent lanes of the destination
    /// combined into its low half, those of the source into its high half (lane 2k op lane 2k+1).
    func executeHorizontal(_ i: Instruction, subtract: Bool) throws(Fault) {
        let column = CPU.ssePrefixColumn(i)
        if column != 1 && column != 3 { throw .invalidOpcode }
        let a = xmmRegister(i.reg)
        let b = try readXMMOperand(i, aligned: true)
        let op: SIMDFloatOperation = subtract ? .sub : .add
        var env = simdFloatEnvironment
        var r = XMMValue()
        if column == 1 {
            r.low = CPU.apply(op, a.low, a.high, &env)
            r.high = CPU.apply(op, b.low, b.high, &env)
        } else {
            r.setBinary32(0, CPU.apply(op, a.binary32(0), a.binary32(1), &env))
            r.setBinary32(1, CPU.apply(op, a.binary32(2), a.binary32(3), &env))
            r.setBinary32(2, CPU.apply(op, b.binary32(0), b.binary32(1), &env))
            r.setBinary32(3, CPU.apply(op, b.binary32(2), b.binary32(3), &env))
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }
}
