/// The conversions with an MMX register operand: CVTPI2PS, CVTPI2PD, CVTPS2PI, CVTTPS2PI,
/// CVTPD2PI and CVTTPD2PI (SDM vol. 2). They follow the MMX state rules (vol. 1, 9.5 and 11.6.7;
/// Execute/SIMD/MMXRegisters.swift): a pending x87 exception is taken first (#MF, as the x87
/// waiting instructions take it), and the instruction moves the x87 FPU to MMX operation, TOP = 0
/// and every tag valid, before any SIMD floating-point exception. CVTPI2PD and CVTPI2PS with a
/// memory source touch no MMX register and leave the x87 state alone: the SDM says so on the
/// CVTPI2PD page; its CVTPI2PS page still says every form makes the transition, but the
/// processors do not (AMD Zen 4 in fixtures/vectors-simd/sse-fp-cvt.txt).
extension CPU {
    /// 0F 2A without prefix (CVTPI2PS: the high quadword kept) or with 66 (CVTPI2PD).
    func executeConvertFromMMX(_ i: Instruction, double: Bool) throws(Fault) {
        let source: UInt64
        if i.mod == 3 {
            try x87CheckPending()
            source = mmRegister(i.rm)
            mmxTransition()
        } else {
            source = try read(i.segment, effectiveAddress(i), size: 8)
        }
        let lo = Int64(Int32(truncatingIfNeeded: source))
        let hi = Int64(Int32(truncatingIfNeeded: source >> 32))
        var env = simdFloatEnvironment
        var r = xmmRegister(i.reg)
        if double {
            r.low = SoftFloat.float64(fromInteger: lo, &env)
            r.high = SoftFloat.float64(fromInteger: hi, &env)
        } else {
            r.low = UInt64(SoftFloat.float32(fromInteger: lo, &env))
                | UInt64(SoftFloat.float32(fromInteger: hi, &env)) << 32
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// 0F 2C/2D without prefix (CVT(T)PS2PI: the low two singles, xmm/m64) or with 66
    /// (CVT(T)PD2PI: xmm/m128, aligned), into MMX register `reg`.
    func executeConvertToMMX(_ i: Instruction, double: Bool, truncate: Bool) throws(Fault) {
        try x87CheckPending()
        var env = simdFloatEnvironment
        let lo, hi: UInt32
        if double {
            let a = try readXMMOperand(i, aligned: true)
            lo = SoftFloat.int32(from: a.low, truncate: truncate, &env)
            hi = SoftFloat.int32(from: a.high, truncate: truncate, &env)
        } else {
            let a = try scalarOperand64(i)
            lo = SoftFloat.int32(from: UInt32(truncatingIfNeeded: a), truncate: truncate, &env)
            hi = SoftFloat.int32(from: UInt32(truncatingIfNeeded: a >> 32), truncate: truncate, &env)
        }
        mmxTransition()
        try signalSIMDFloatingPoint(env.flags)
        setMMRegister(i.reg, UInt64(lo) | UInt64(hi) << 32)
    }
}
