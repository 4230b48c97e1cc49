/// The conversions with an MMX register operand: CVTPI2PS, CVTPI2PD, CVTPS2PI, CVTTPS2PI,
/// CVTPD2PI and CVTTPD2PI (SDM vol. 2). They follow the MMX state rules (vol. 1, 9.5 and 11.6.7):
/// a pending x87 exception is taken first (#MF), and the instruction moves the x87 FPU to MMX
/// operation, TOP = 0 and every tag valid; an MMX register is the significand of the x87
/// register of its number, whose sign and exponent a write sets to all ones. CVTPI2PD and
/// CVTPI2PS with a memory source touch no MMX register and leave the x87 state alone: the SDM
/// says so on the CVTPI2PD page; its CVTPI2PS page still says every form makes the transition,
/// but the processors do not (AMD Zen 4 in fixtures/vectors-simd/sse-fp-cvt.txt).
extension CPU {
    /// 0F 2A without prefix (CVTPI2PS: the high quadword kept) or with 66 (CVTPI2PD).
    func executeConvertFromMMX(_ i: Instruction, double: Bool) throws(Fault) {
        let source: UInt64
        if i.mod == 3 {
            try takePendingX87Exception()
            source = x87.registers[Int(i.rm & 7)].significand
            enterMMXOperation()
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
        try takePendingX87Exception()
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
        enterMMXOperation()
        try signalSIMDFloatingPoint(env.flags)
        x87.registers[Int(i.reg & 7)] = Float80Bits(significand: UInt64(lo) | UInt64(hi) << 32, signExponent: 0xFFFF)
    }

    /// #MF when an unmasked x87 exception is pending (FSW.ES set) and CR0.NE selects native
    /// reporting; with CR0.NE clear swemu does not model FERR# and raises nothing (vol. 1, 8.7).
    @inline(__always)
    private func takePendingX87Exception() throws(Fault) {
        if x87.status & 0x80 != 0 && cr0 & CR0.ne.rawValue != 0 { throw .x87 }
    }

    /// The x87-to-MMX transition: TOP = 0, all tags valid (00).
    @inline(__always)
    private func enterMMXOperation() {
        x87.status &= ~0x3800
        x87.tags = 0
    }
}
