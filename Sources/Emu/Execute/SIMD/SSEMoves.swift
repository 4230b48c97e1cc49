/// The MMX/SSE/SSE2/SSE3 data moves of the 0F map (SDM vol. 2): MOVUPS/UPD/APS/APD, MOVSS/SD,
/// MOVLPS/HPS/LPD/HPD, MOVHLPS/LHPS, MOVSLDUP/SHDUP/DDUP, MOVNTPS/PD, MOVDQA/DQU, LDDQU.
/// 128-bit memory operands are aligned (#GP(0) otherwise) except in the U forms and LDDQU;
/// 64- and 32-bit ones never need alignment.
extension CPU {
    /// Writes the r/m operand of an SSE store: XMM `rm` or 16 bytes of memory.
    @inline(__always)
    func writeXMMOperand(_ i: Instruction, _ v: XMMValue, aligned: Bool) throws(Fault) {
        if i.mod == 3 { setXMMRegister(i.rm, v); return }
        try writeMemory128(i.segment, effectiveAddress(i), v, aligned: aligned)
    }

    /// 0F 10: MOVUPS, MOVUPD, MOVSS, MOVSD loads. The scalar register forms merge into the
    /// destination; the scalar memory forms zero the rest of it.
    func executeMoveLoad(_ i: Instruction) throws(Fault) {
        try requireSSE()
        switch CPU.ssePrefixColumn(i) {
        case 2:
            if i.mod == 3 {
                let d = xmmRegister(i.reg)
                setXMMRegister(i.reg, XMMValue(low: d.low & ~0xFFFF_FFFF | xmmRegister(i.rm).low & 0xFFFF_FFFF, high: d.high))
            } else {
                setXMMRegister(i.reg, XMMValue(low: try read(i.segment, effectiveAddress(i), size: 4)))
            }
        case 3:
            if i.mod == 3 {
                setXMMRegister(i.reg, XMMValue(low: xmmRegister(i.rm).low, high: xmmRegister(i.reg).high))
            } else {
                setXMMRegister(i.reg, XMMValue(low: try read(i.segment, effectiveAddress(i), size: 8)))
            }
        default:
            setXMMRegister(i.reg, try readXMMOperand(i, aligned: false))
        }
    }

    /// 0F 11: MOVUPS, MOVUPD, MOVSS, MOVSD stores; the scalar register forms merge.
    func executeMoveStore(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let v = xmmRegister(i.reg)
        switch CPU.ssePrefixColumn(i) {
        case 2:
            if i.mod == 3 {
                let d = xmmRegister(i.rm)
                setXMMRegister(i.rm, XMMValue(low: d.low & ~0xFFFF_FFFF | v.low & 0xFFFF_FFFF, high: d.high))
            } else {
                try write(i.segment, effectiveAddress(i), size: 4, v.low)
            }
        case 3:
            if i.mod == 3 {
                setXMMRegister(i.rm, XMMValue(low: v.low, high: xmmRegister(i.rm).high))
            } else {
                try write(i.segment, effectiveAddress(i), size: 8, v.low)
            }
        default:
            try writeXMMOperand(i, v, aligned: false)
        }
    }

    /// 0F 12 and 0F 16: MOVLPS/MOVHPS and MOVLPD/MOVHPD (m64 into the low/high quadword),
    /// MOVHLPS/MOVLHPS (their register forms), MOVSLDUP/MOVSHDUP (F3) and MOVDDUP (F2, 0F 12).
    func executeMoveHalfLoad(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let high = i.opcode & 0xFF == 0x16
        switch CPU.ssePrefixColumn(i) {
        case 2:
            let s = try readXMMOperand(i, aligned: true)
            let shift: UInt64 = high ? 32 : 0
            let e0 = (s.low >> shift) & 0xFFFF_FFFF, e2 = (s.high >> shift) & 0xFFFF_FFFF
            setXMMRegister(i.reg, XMMValue(low: e0 | e0 << 32, high: e2 | e2 << 32))
        case 3:
            let s = try scalarOperand64(i)
            setXMMRegister(i.reg, XMMValue(low: s, high: s))
        default:
            var d = xmmRegister(i.reg)
            if i.mod == 3 {
                if high { d.high = xmmRegister(i.rm).low } else { d.low = xmmRegister(i.rm).high }
            } else {
                let m = try read(i.segment, effectiveAddress(i), size: 8)
                if high { d.high = m } else { d.low = m }
            }
            setXMMRegister(i.reg, d)
        }
    }

    /// 0F 13 / 0F 17: MOVLPS/MOVLPD and MOVHPS/MOVHPD m64, xmm.
    func executeMoveHalfStore(_ i: Instruction) throws(Fault) {
        try requireSSE()
        if i.mod == 3 { throw .invalidOpcode }
        let v = xmmRegister(i.reg)
        try write(i.segment, effectiveAddress(i), size: 8, i.opcode & 0xFF == 0x17 ? v.high : v.low)
    }

    /// 0F 28 / 0F 29: MOVAPS, MOVAPD (aligned).
    func executeMoveAligned(_ i: Instruction) throws(Fault) {
        try requireSSE()
        if i.opcode & 0xFF == 0x28 {
            setXMMRegister(i.reg, try readXMMOperand(i, aligned: true))
        } else {
            try writeXMMOperand(i, xmmRegister(i.reg), aligned: true)
        }
    }

    /// 0F 2B: MOVNTPS, MOVNTPD (aligned m128 stores; the non-temporal hint has no effect here).
    /// F3/F2 0F 2B are AMD's SSE4A MOVNTSS/MOVNTSD, which this CPU does not have.
    func executeMoveNonTemporalFloat(_ i: Instruction) throws(Fault) {
        if CPU.ssePrefixColumn(i) >= 2 || i.mod == 3 { throw .invalidOpcode }
        try requireSSE()
        try writeMemory128(i.segment, effectiveAddress(i), xmmRegister(i.reg), aligned: true)
    }

    /// 0F 50: MOVMSKPS (the four single-precision sign bits), MOVMSKPD (66: the two
    /// double-precision sign bits) into the general register, zero above.
    func executeMoveMask(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = xmmRegister(i.rm)
        let r: UInt64
        if i.prefixes.contains(.operandSize) {
            r = s.low >> 63 | (s.high >> 63) << 1
        } else {
            r = (s.low >> 31) & 1 | (s.low >> 63) << 1 | ((s.high >> 31) & 1) << 2 | (s.high >> 63) << 3
        }
        setRegister(i.reg, size: 8, r)
    }

    /// 0F F0 (F2): LDDQU, an unaligned 128-bit load.
    func executeLoadUnaligned(_ i: Instruction) throws(Fault) {
        if i.mod == 3 { throw .invalidOpcode }
        try requireSSE()
        setXMMRegister(i.reg, try readMemory128(i.segment, effectiveAddress(i), aligned: false))
    }
}
