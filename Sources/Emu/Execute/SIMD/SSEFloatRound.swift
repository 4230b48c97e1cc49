/// The SSE4.1 floating-point instructions: ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD, DPPS and DPPD
/// (SDM vol. 2). Legacy packed forms need a 16-byte aligned memory operand; ROUNDSS/SD read
/// 4/8 bytes and keep the rest of the destination.
extension CPU {
    /// 66 0F 3A 08-0B ib: round to an integral value. imm8[1:0] is the rounding mode unless
    /// imm8[2] selects MXCSR.RC; imm8[3] suppresses the precision exception. Only IE (SNaN) and
    /// PE are signaled, never DE.
    func executeRound(_ i: Instruction) throws(Fault) {
        let imm = UInt8(truncatingIfNeeded: i.immediate)
        var env = simdFloatEnvironment
        let mode = imm & 4 != 0 ? env.rounding : FloatRounding(rawValue: imm & 3) ?? .nearestEven
        let quiet = imm & 8 != 0
        var r = xmmRegister(i.reg)
        switch i.opcode {
        case 0x308:
            let a = try readXMMOperand(i, aligned: true)
            for k in 0..<4 {
                r.setBinary32(k, SoftFloat.roundToIntegral(a.binary32(k), mode, suppressInexact: quiet, &env))
            }
        case 0x309:
            let a = try readXMMOperand(i, aligned: true)
            r.low = SoftFloat.roundToIntegral(a.low, mode, suppressInexact: quiet, &env)
            r.high = SoftFloat.roundToIntegral(a.high, mode, suppressInexact: quiet, &env)
        case 0x30A:
            r.setBinary32(0, SoftFloat.roundToIntegral(try scalarOperand32(i), mode, suppressInexact: quiet, &env))
        default:
            r.low = SoftFloat.roundToIntegral(try scalarOperand64(i), mode, suppressInexact: quiet, &env)
        }
        try signalSIMDFloatingPoint(env.flags.subtracting(.denormal))
        setXMMRegister(i.reg, r)
    }

    /// 66 0F 3A 40 ib: DPPS. The products of the lanes imm8[7:4] selects (+0.0 for the others)
    /// are summed as (p0 + p1) + (p2 + p3), and the sum goes to the lanes imm8[3:0] selects
    /// (+0.0 to the others). Exceptions are checked step by step, the multiplies, then the
    /// first additions, then the last one; an unmasked one leaves the destination unchanged.
    func executeDotProductSingle(_ i: Instruction) throws(Fault) {
        let imm = UInt8(truncatingIfNeeded: i.immediate)
        let a = xmmRegister(i.reg)
        let b = try readXMMOperand(i, aligned: true)
        var env = simdFloatEnvironment
        var p = XMMValue()
        for k in 0..<4 where imm & (0x10 << k) != 0 {
            p.setBinary32(k, SoftFloat.mul(a.binary32(k), b.binary32(k), &env))
        }
        try signalSIMDFloatingPoint(env.flags)
        env.flags = []
        let low = SoftFloat.add(p.binary32(0), p.binary32(1), &env)
        let high = SoftFloat.add(p.binary32(2), p.binary32(3), &env)
        try signalSIMDFloatingPoint(env.flags)
        env.flags = []
        let sum = SoftFloat.add(low, high, &env)
        try signalSIMDFloatingPoint(env.flags)
        var r = XMMValue()
        for k in 0..<4 where imm & (1 << k) != 0 { r.setBinary32(k, sum) }
        setXMMRegister(i.reg, r)
    }

    /// 66 0F 3A 41 ib: DPPD, the same with two lanes: imm8[5:4] selects the products, imm8[1:0]
    /// the lanes that receive their sum.
    func executeDotProductDouble(_ i: Instruction) throws(Fault) {
        let imm = UInt8(truncatingIfNeeded: i.immediate)
        let a = xmmRegister(i.reg)
        let b = try readXMMOperand(i, aligned: true)
        var env = simdFloatEnvironment
        let p0 = imm & 0x10 != 0 ? SoftFloat.mul(a.low, b.low, &env) : 0
        let p1 = imm & 0x20 != 0 ? SoftFloat.mul(a.high, b.high, &env) : 0
        try signalSIMDFloatingPoint(env.flags)
        env.flags = []
        let sum = SoftFloat.add(p0, p1, &env)
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, XMMValue(low: imm & 1 != 0 ? sum : 0, high: imm & 2 != 0 ? sum : 0))
    }
}
