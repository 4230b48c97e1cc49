/// The SSE/SSE2 conversions between XMM registers, general registers and memory (SDM vol. 2,
/// CVT*; vol. 1, figure 11-8). Conversions to integers return the integer
/// indefinite (8000_0000h or 8000_0000_0000_0000h) for NaNs and out-of-range values, with IE;
/// CVTT* truncate, the others round by MXCSR.RC. The MMX-register forms are in
/// Execute/SIMD/SSEFloatMMXConversions.swift.
extension CPU {
    /// 0F 2A: CVTPI2PS, CVTPI2PD (MMX forms), CVTSI2SS, CVTSI2SD (REX.W: a 64-bit integer).
    func executeConvertToFloat(_ i: Instruction) throws(Fault) {
        let column = CPU.ssePrefixColumn(i)
        if column < 2 { return try executeConvertFromMMX(i, double: column == 1) }
        let size: UInt8 = i.prefixes.contains(.rexW) ? 8 : 4
        let v = Int64(bitPattern: CPU.signExtend(try readRM(i, size: size), size))
        var env = simdFloatEnvironment
        var r = xmmRegister(i.reg)
        if column == 2 {
            r.setBinary32(0, SoftFloat.float32(fromInteger: v, &env))
        } else {
            r.low = SoftFloat.float64(fromInteger: v, &env)
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// 0F 2C/2D: CVT(T)PS2PI, CVT(T)PD2PI (MMX forms), CVT(T)SS2SI and CVT(T)SD2SI into a
    /// general register (REX.W: 64 bits; a 32-bit result zero-extends).
    func executeConvertToInteger(_ i: Instruction, truncate: Bool) throws(Fault) {
        let column = CPU.ssePrefixColumn(i)
        if column < 2 { return try executeConvertToMMX(i, double: column == 1, truncate: truncate) }
        let wide = i.prefixes.contains(.rexW)
        var env = simdFloatEnvironment
        let v: UInt64
        if column == 2 {
            let a = try scalarOperand32(i)
            v = wide ? SoftFloat.int64(from: a, truncate: truncate, &env)
                : UInt64(SoftFloat.int32(from: a, truncate: truncate, &env))
        } else {
            let a = try scalarOperand64(i)
            v = wide ? SoftFloat.int64(from: a, truncate: truncate, &env)
                : UInt64(SoftFloat.int32(from: a, truncate: truncate, &env))
        }
        try signalSIMDFloatingPoint(env.flags)
        setRegister(i.reg, size: wide ? 8 : 4, v)
    }

    /// 0F 5A: CVTPS2PD (the low two singles, m64), CVTPD2PS (upper half zeroed), CVTSS2SD and
    /// CVTSD2SS (the rest of the destination kept).
    func executeConvertPrecision(_ i: Instruction) throws(Fault) {
        var env = simdFloatEnvironment
        var r = xmmRegister(i.reg)
        switch CPU.ssePrefixColumn(i) {
        case 0:
            let a = try scalarOperand64(i)
            r.low = SoftFloat.float64(from: UInt32(truncatingIfNeeded: a), &env)
            r.high = SoftFloat.float64(from: UInt32(truncatingIfNeeded: a >> 32), &env)
        case 1:
            let a = try readXMMOperand(i, aligned: true)
            let lo = SoftFloat.float32(from: a.low, &env)
            r.low = UInt64(lo) | UInt64(SoftFloat.float32(from: a.high, &env)) << 32
            r.high = 0
        case 2:
            r.low = SoftFloat.float64(from: try scalarOperand32(i), &env)
        default:
            r.setBinary32(0, SoftFloat.float32(from: try scalarOperand64(i), &env))
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// 0F 5B: CVTDQ2PS, CVTPS2DQ (66), CVTTPS2DQ (F3).
    func executeConvertPackedSingleIntegers(_ i: Instruction) throws(Fault) {
        let column = CPU.ssePrefixColumn(i)
        if column == 3 { throw .invalidOpcode }
        let a = try readXMMOperand(i, aligned: true)
        var env = simdFloatEnvironment
        var r = XMMValue()
        for k in 0..<4 {
            let x = a.binary32(k)
            r.setBinary32(k, column == 0 ? SoftFloat.float32(fromInteger: Int64(Int32(bitPattern: x)), &env)
                                         : SoftFloat.int32(from: x, truncate: column == 2, &env))
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// 0F E6: CVTTPD2DQ (66), CVTDQ2PD (F3, the low two doublewords, m64), CVTPD2DQ (F2); the
    /// PD2DQ forms zero the upper half.
    func executeConvertPackedDoubleIntegers(_ i: Instruction) throws(Fault) {
        let column = CPU.ssePrefixColumn(i)
        var env = simdFloatEnvironment
        var r = XMMValue()
        switch column {
        case 1, 3:
            let a = try readXMMOperand(i, aligned: true)
            let lo = SoftFloat.int32(from: a.low, truncate: column == 1, &env)
            r.low = UInt64(lo) | UInt64(SoftFloat.int32(from: a.high, truncate: column == 1, &env)) << 32
        case 2:
            let a = try scalarOperand64(i)
            r.low = SoftFloat.float64(fromInteger: Int64(Int32(truncatingIfNeeded: a)), &env)
            r.high = SoftFloat.float64(fromInteger: Int64(Int32(truncatingIfNeeded: a >> 32)), &env)
        default:
            throw .invalidOpcode
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }
}
