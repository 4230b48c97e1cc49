/// The MMX/SSE2 integer moves (SDM vol. 2): MOVD/MOVQ (0F 6E, 7E, 66 0F D6, F3 0F 7E),
/// MOVQ/MOVDQA/MOVDQU (0F 6F, 7F), MOVQ2DQ/MOVDQ2Q (F3/F2 0F D6), MOVNTQ/MOVNTDQ (0F E7),
/// PMOVMSKB (0F D7), MASKMOVQ/MASKMOVDQU (0F F7), PINSRW/PEXTRW (0F C4, C5).
extension CPU {
    /// 0F 6E: MOVD/MOVQ mm or xmm (66) from r/m32 or r/m64 (REX.W), zero-extended.
    func executeMoveToVector(_ i: Instruction) throws(Fault) {
        let size: UInt8 = i.prefixes.contains(.rexW) ? 8 : 4
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            setXMMRegister(i.reg, XMMValue(low: try readRM(i, size: size)))
        } else {
            try requireMMXExecution()
            setMMRegister(i.reg, try readRM(i, size: size))
        }
    }

    /// 0F 7E: MOVD/MOVQ r/m32 or r/m64 from mm or xmm (66); F3 0F 7E: MOVQ xmm, xmm/m64
    /// (zero-extended to 128 bits).
    func executeMoveFromVector(_ i: Instruction) throws(Fault) {
        let size: UInt8 = i.prefixes.contains(.rexW) ? 8 : 4
        switch CPU.ssePrefixColumn(i) {
        case 0:
            try requireMMXExecution()
            try writeRM(i, size: size, mmRegister(i.reg))
            mmxTransition()
        case 1:
            try requireSSE()
            try writeRM(i, size: size, xmmRegister(i.reg).low)
        default:
            try requireSSE()
            setXMMRegister(i.reg, XMMValue(low: try scalarOperand64(i)))
        }
    }

    /// 0F 6F: MOVQ mm, mm/m64; MOVDQA (66, aligned) and MOVDQU (F3) loads.
    func executeMoveVectorLoad(_ i: Instruction) throws(Fault) {
        switch CPU.ssePrefixColumn(i) {
        case 0:
            try requireMMXExecution()
            setMMRegister(i.reg, try readMMXOperand(i))
        case 1:
            try requireSSE()
            setXMMRegister(i.reg, try readXMMOperand(i, aligned: true))
        default:
            try requireSSE()
            setXMMRegister(i.reg, try readXMMOperand(i, aligned: false))
        }
    }

    /// 0F 7F: MOVQ mm/m64, mm; MOVDQA (66, aligned) and MOVDQU (F3) stores.
    func executeMoveVectorStore(_ i: Instruction) throws(Fault) {
        switch CPU.ssePrefixColumn(i) {
        case 0:
            try requireMMXExecution()
            try writeMMXOperand(i, mmRegister(i.reg))
        case 1:
            try requireSSE()
            try writeXMMOperand(i, xmmRegister(i.reg), aligned: true)
        default:
            try requireSSE()
            try writeXMMOperand(i, xmmRegister(i.reg), aligned: false)
        }
    }

    /// Writes the r/m operand of an MMX store (MMn or m64) and applies the MMX state transition.
    @inline(__always)
    func writeMMXOperand(_ i: Instruction, _ v: UInt64) throws(Fault) {
        if i.mod == 3 {
            setMMRegister(i.rm, v)
        } else {
            try write(i.segment, effectiveAddress(i), size: 8, v)
            mmxTransition()
        }
    }

    /// 0F D6: MOVQ xmm/m64, xmm (66; the register form zeroes bits 127:64), MOVQ2DQ xmm, mm (F3)
    /// and MOVDQ2Q mm, xmm (F2). The last two are MMX instructions too (#MF, x87 transition).
    func executeMoveQuadword(_ i: Instruction) throws(Fault) {
        try requireSSE()
        switch CPU.ssePrefixColumn(i) {
        case 1:
            let v = xmmRegister(i.reg).low
            if i.mod == 3 {
                setXMMRegister(i.rm, XMMValue(low: v))
            } else {
                try write(i.segment, effectiveAddress(i), size: 8, v)
            }
        case 2:
            try requireMMXExecution()
            setXMMRegister(i.reg, XMMValue(low: mmRegister(i.rm)))
            mmxTransition()
        default:
            try requireMMXExecution()
            setMMRegister(i.reg, xmmRegister(i.rm).low)
        }
    }

    /// 0F E7: MOVNTQ m64, mm; MOVNTDQ m128, xmm (66, aligned).
    func executeMoveNonTemporalInteger(_ i: Instruction) throws(Fault) {
        if i.mod == 3 { throw .invalidOpcode }
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            try writeMemory128(i.segment, effectiveAddress(i), xmmRegister(i.reg), aligned: true)
        } else {
            try requireMMXExecution()
            try write(i.segment, effectiveAddress(i), size: 8, mmRegister(i.reg))
            mmxTransition()
        }
    }

    /// 0F D7: PMOVMSKB, the most significant bit of each byte of mm or xmm (66) into the
    /// general register, zero above.
    func executeMoveByteMask(_ i: Instruction) throws(Fault) {
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = xmmRegister(i.rm)
            setRegister(i.reg, size: 8, CPU.byteSignBits(s.low) | CPU.byteSignBits(s.high) << 8)
        } else {
            try requireMMXExecution()
            setRegister(i.reg, size: 8, CPU.byteSignBits(mmRegister(i.rm)))
            mmxTransition()
        }
    }

    /// Bit k = bit 7 of byte k of `v`, for k = 0...7.
    @inline(__always)
    static func byteSignBits(_ v: UInt64) -> UInt64 {
        var r: UInt64 = 0
        for k: UInt64 in 0..<8 { r |= ((v >> (k &* 8 &+ 7)) & 1) << k }
        return r
    }

    /// 0F F7: MASKMOVQ mm1, mm2 and MASKMOVDQU xmm1, xmm2 (66): the bytes of the first operand
    /// whose mask byte (second operand) has bit 7 set are stored at DS:rDI (segment
    /// overridable); the others are not written. With an all-zero mask nothing is accessed.
    func executeMaskedMove(_ i: Instruction) throws(Fault) {
        let data: XMMValue, mask: XMMValue, bytes: UInt8
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            data = xmmRegister(i.reg)
            mask = xmmRegister(i.rm)
            bytes = 16
        } else {
            try requireMMXExecution()
            data = XMMValue(low: mmRegister(i.reg))
            mask = XMMValue(low: mmRegister(i.rm))
            bytes = 8
        }
        let selected = CPU.byteSignBits(mask.low) | CPU.byteSignBits(mask.high) << 8
        if selected != 0 {
            let base = registers[7] & CPU.mask(i.addressSize)
            try probeWrite(i.segment, base, size: bytes)
            for k: UInt64 in 0..<UInt64(bytes) where (selected >> k) & 1 != 0 {
                let lane = k < 8 ? data.low : data.high
                try write(i.segment, (base &+ k) & CPU.mask(i.addressSize), size: 1, Lanes.byte(lane, k))
            }
        }
        if bytes == 8 { mmxTransition() }
    }

    /// 0F C4: PINSRW mm/xmm (66), r32/m16, imm8: the word selected by imm8 (mod 4 / mod 8).
    func executeInsertWord(_ i: Instruction) throws(Fault) {
        let xmmForm = i.prefixes.contains(.operandSize)
        if xmmForm { try requireSSE() } else { try requireMMXExecution() }
        let w = i.mod == 3 ? register(i.rm, size: 2) : try read(i.segment, effectiveAddress(i), size: 2)
        let imm = i.immediate & 0xFF
        if xmmForm {
            var d = xmmRegister(i.reg)
            let shift = (imm & 3) << 4
            if imm & 4 == 0 {
                d.low = d.low & ~(0xFFFF << shift) | w << shift
            } else {
                d.high = d.high & ~(0xFFFF << shift) | w << shift
            }
            setXMMRegister(i.reg, d)
        } else {
            let shift = (imm & 3) << 4
            setMMRegister(i.reg, mmRegister(i.reg) & ~(0xFFFF << shift) | w << shift)
        }
    }

    /// 0F C5: PEXTRW r32, mm/xmm (66), imm8: the selected word, zero-extended.
    func executeExtractWord(_ i: Instruction) throws(Fault) {
        let imm = i.immediate & 0xFF
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = xmmRegister(i.rm)
            setRegister(i.reg, size: 8, Lanes.word(imm & 4 == 0 ? s.low : s.high, imm))
        } else {
            try requireMMXExecution()
            setRegister(i.reg, size: 8, Lanes.word(mmRegister(i.rm), imm))
            mmxTransition()
        }
    }
}
