/// Unpacks, packs and shuffles (SDM vol. 2): PUNPCKL*/PUNPCKH* (0F 60-62, 68-6A, 6C, 6D),
/// UNPCKLPS/PD and UNPCKHPS/PD (0F 14, 15), PACKSSWB/PACKUSWB/PACKSSDW (0F 63, 67, 6B),
/// PSHUFW/PSHUFD/PSHUFHW/PSHUFLW (0F 70), SHUFPS/SHUFPD (0F C6).
extension CPU {
    /// PUNPCKL* and PUNPCKH*: the MMX low forms read only mm/m32, the XMM forms m128 (aligned).
    func executeUnpack(_ i: Instruction) throws(Fault) {
        let op = UInt8(truncatingIfNeeded: i.opcode)
        let high = op == 0x68 || op == 0x69 || op == 0x6A || op == 0x6D
        let width = op == 0x6C || op == 0x6D ? 8 : 1 << (op & 3)
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d = xmmRegister(i.reg)
            setXMMRegister(i.reg, high ? CPU.interleaveLanes(d.high, s.high, width) : CPU.interleaveLanes(d.low, s.low, width))
        } else {
            try requireMMXExecution()
            let s: UInt64
            if i.mod == 3 { s = mmRegister(i.rm) } else { s = try read(i.segment, effectiveAddress(i), size: high ? 8 : 4) }
            let r = CPU.interleaveLanes(mmRegister(i.reg), s, width)
            setMMRegister(i.reg, high ? r.high : r.low)
        }
    }

    /// UNPCKLPS/UNPCKHPS (no prefix) and UNPCKLPD/UNPCKHPD (66): PUNPCKLDQ/HDQ and PUNPCKLQDQ/HQDQ.
    func executeUnpackFloat(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let width = i.prefixes.contains(.operandSize) ? 8 : 4
        setXMMRegister(i.reg, i.opcode & 0xFF == 0x15 ? CPU.interleaveLanes(d.high, s.high, width) : CPU.interleaveLanes(d.low, s.low, width))
    }

    /// The elements (`width` bytes) of `a` and `b` interleaved, starting with `a`'s first.
    static func interleaveLanes(_ a: UInt64, _ b: UInt64, _ width: Int) -> XMMValue {
        switch width {
        case 1:
            var r = SIMD16<UInt8>()
            r.evenHalf = Lanes.u8(a)
            r.oddHalf = Lanes.u8(b)
            return unsafeBitCast(r, to: XMMValue.self)
        case 2:
            var r = SIMD8<UInt16>()
            r.evenHalf = Lanes.u16(a)
            r.oddHalf = Lanes.u16(b)
            return unsafeBitCast(r, to: XMMValue.self)
        case 4:
            return XMMValue(low: a & 0xFFFF_FFFF | b << 32, high: a >> 32 | b & 0xFFFF_FFFF_0000_0000)
        default:
            return XMMValue(low: a, high: b)
        }
    }

    /// PACKSSWB, PACKUSWB, PACKSSDW (0F 63, 67, 6B), PACKUSDW (66 0F 38 2B) and the SSSE3
    /// PHADD*/PHSUB* (0F 38 01-03, 05-07): each 64-bit lane of the destination, then of the
    /// source, yields 32 bits of the result (`horizontalLane`), low to high.
    func executePack(_ i: Instruction, _ op: UInt8) throws(Fault) {
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d = xmmRegister(i.reg)
            setXMMRegister(i.reg, XMMValue(low: CPU.horizontalLane(op, d.low) | CPU.horizontalLane(op, d.high) << 32,
                                           high: CPU.horizontalLane(op, s.low) | CPU.horizontalLane(op, s.high) << 32))
        } else {
            try requireMMXExecution()
            let s = try readMMXOperand(i)
            setMMRegister(i.reg, CPU.horizontalLane(op, mmRegister(i.reg)) | CPU.horizontalLane(op, s) << 32)
        }
    }

    /// The four words (or two doublewords) of `v` narrowed with saturation, in bits 31:0.
    static func packLane(_ op: UInt8, _ v: UInt64) -> UInt64 {
        switch op {
        case 0x63:
            let w = Lanes.s16(v).clamped(lowerBound: .init(repeating: -128), upperBound: .init(repeating: 127))
            return UInt64(unsafeBitCast(SIMD4<UInt8>(truncatingIfNeeded: w), to: UInt32.self))
        case 0x67:
            let w = Lanes.s16(v).clamped(lowerBound: .init(repeating: 0), upperBound: .init(repeating: 255))
            return UInt64(unsafeBitCast(SIMD4<UInt8>(truncatingIfNeeded: w), to: UInt32.self))
        case 0x6B:
            let d = Lanes.s32(v).clamped(lowerBound: .init(repeating: -32768), upperBound: .init(repeating: 32767))
            return UInt64(unsafeBitCast(SIMD2<UInt16>(truncatingIfNeeded: d), to: UInt32.self))
        default:
            let d = Lanes.s32(v).clamped(lowerBound: .init(repeating: 0), upperBound: .init(repeating: 65535))
            return UInt64(unsafeBitCast(SIMD2<UInt16>(truncatingIfNeeded: d), to: UInt32.self))
        }
    }

    /// 0F 70: PSHUFW mm (no prefix), PSHUFD (66), PSHUFHW (F3), PSHUFLW (F2).
    func executePackedShuffle(_ i: Instruction) throws(Fault) {
        let imm = i.immediate & 0xFF
        switch CPU.ssePrefixColumn(i) {
        case 0:
            try requireMMXExecution()
            setMMRegister(i.reg, CPU.shuffleWords(try readMMXOperand(i), imm))
        case 1:
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d0 = Lanes.dword(s, imm), d1 = Lanes.dword(s, imm >> 2)
            let d2 = Lanes.dword(s, imm >> 4), d3 = Lanes.dword(s, imm >> 6)
            setXMMRegister(i.reg, XMMValue(low: d0 | d1 << 32, high: d2 | d3 << 32))
        case 2:
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            setXMMRegister(i.reg, XMMValue(low: s.low, high: CPU.shuffleWords(s.high, imm)))
        default:
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            setXMMRegister(i.reg, XMMValue(low: CPU.shuffleWords(s.low, imm), high: s.high))
        }
    }

    /// The four words of `v` chosen by the 2-bit fields of `imm`.
    static func shuffleWords(_ v: UInt64, _ imm: UInt64) -> UInt64 {
        Lanes.word(v, imm) | Lanes.word(v, imm >> 2) << 16 | Lanes.word(v, imm >> 4) << 32 | Lanes.word(v, imm >> 6) << 48
    }

    /// SHUFPS (no prefix): two doublewords of the destination then two of the source, chosen by
    /// imm8's 2-bit fields; SHUFPD (66): one quadword of each, chosen by imm8 bits 0 and 1.
    func executeShuffleFloat(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let imm = i.immediate & 0xFF
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        if i.prefixes.contains(.operandSize) {
            setXMMRegister(i.reg, XMMValue(low: imm & 1 == 0 ? d.low : d.high, high: imm & 2 == 0 ? s.low : s.high))
        } else {
            setXMMRegister(i.reg, XMMValue(low: Lanes.dword(d, imm) | Lanes.dword(d, imm >> 2) << 32,
                                           high: Lanes.dword(s, imm >> 4) | Lanes.dword(s, imm >> 6) << 32))
        }
    }
}
