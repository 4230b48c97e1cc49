/// The SSE4.1 integer instructions of the 0F 38 map (66 prefix, XMM only; SDM vol. 2):
/// PMULDQ, PCMPEQQ, PMIN/PMAX SB/SD/UW/UD, PMULLD, (SSE4.2) PCMPGTQ, PBLENDVB/BLENDVPS/BLENDVPD,
/// PTEST, PMOVSX/PMOVZX, MOVNTDQA, PHMINPOSUW; and the 0F 3A blends and MPSADBW.
extension CPU {
    /// One 64-bit lane of the element-wise SSE4.1/4.2 instruction `op` (0F 38 28-40).
    static func packedLaneSSE41(_ op: UInt8, _ a: UInt64, _ b: UInt64) -> UInt64 {
        switch op {
        case 0x28:                                                                      // PMULDQ
            let p = Int64(Int32(truncatingIfNeeded: a)) &* Int64(Int32(truncatingIfNeeded: b))
            return UInt64(bitPattern: p)
        case 0x29: return a == b ? ~0 : 0                                               // PCMPEQQ
        case 0x37: return Int64(bitPattern: a) > Int64(bitPattern: b) ? ~0 : 0          // PCMPGTQ
        case 0x38: return Lanes.bits(pointwiseMin(Lanes.s8(a), Lanes.s8(b)))            // PMINSB
        case 0x39: return Lanes.bits(pointwiseMin(Lanes.s32(a), Lanes.s32(b)))          // PMINSD
        case 0x3A: return Lanes.bits(pointwiseMin(Lanes.u16(a), Lanes.u16(b)))          // PMINUW
        case 0x3B: return Lanes.bits(pointwiseMin(Lanes.u32(a), Lanes.u32(b)))          // PMINUD
        case 0x3C: return Lanes.bits(pointwiseMax(Lanes.s8(a), Lanes.s8(b)))            // PMAXSB
        case 0x3D: return Lanes.bits(pointwiseMax(Lanes.s32(a), Lanes.s32(b)))          // PMAXSD
        case 0x3E: return Lanes.bits(pointwiseMax(Lanes.u16(a), Lanes.u16(b)))          // PMAXUW
        case 0x3F: return Lanes.bits(pointwiseMax(Lanes.u32(a), Lanes.u32(b)))          // PMAXUD
        default: return Lanes.bits(Lanes.u32(a) &* Lanes.u32(b))                        // PMULLD (40)
        }
    }

    /// PBLENDVB, BLENDVPS, BLENDVPD (0F 38 10, 14, 15): each byte, doubleword or quadword comes
    /// from the source where the sign bit of the matching element of XMM0 is set.
    func executeBlendVariable(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let m = xmmRegister(0)
        let low = CPU.signMask(op, m.low), high = CPU.signMask(op, m.high)
        setXMMRegister(i.reg, XMMValue(low: d.low & ~low | s.low & low, high: d.high & ~high | s.high & high))
    }

    /// All ones in each element (bytes for 10, doublewords for 14, quadwords for 15) of `v` whose
    /// sign bit is set.
    @inline(__always)
    static func signMask(_ op: UInt8, _ v: UInt64) -> UInt64 {
        switch op {
        case 0x10: return Lanes.mask(Lanes.s8(v) .< 0)
        case 0x14: return Lanes.mask(Lanes.s32(v) .< 0)
        default: return Int64(bitPattern: v) < 0 ? ~0 : 0
        }
    }

    /// PTEST (0F 38 17): ZF = (source AND destination) = 0, CF = (source AND NOT destination)
    /// = 0; AF, OF, PF, SF cleared.
    func executePackedTest(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        var f: UInt64 = 0
        if s.low & d.low | s.high & d.high == 0 { f |= RFlags.zero.rawValue }
        if s.low & ~d.low | s.high & ~d.high == 0 { f |= RFlags.carry.rawValue }
        flags.bits = f
    }

    /// PMOVSXBW/BD/BQ/WD/WQ/DQ (0F 38 20-25) and PMOVZX* (30-35): the low elements of the source
    /// (XMM or m64/m32/m16, unaligned) sign- or zero-extended to fill 128 bits.
    func executeMoveExtend(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        let kind = op & 7
        let from: UInt64 = kind < 3 ? 1 : kind < 5 ? 2 : 4
        let to: UInt64 = kind == 0 ? 2 : kind == 1 || kind == 3 ? 4 : 8
        let count = 16 / to
        let s: UInt64
        if i.mod == 3 {
            s = xmmRegister(i.rm).low
        } else {
            s = try read(i.segment, effectiveAddress(i), size: UInt8(truncatingIfNeeded: from &* count))
        }
        let signed = op < 0x30
        var r = XMMValue()
        for k: UInt64 in 0..<count {
            var e = (s >> (k &* from &* 8)) & CPU.mask(UInt8(from))
            if signed { e = CPU.signExtend(e, UInt8(from)) & CPU.mask(UInt8(to)) }
            let bit = k &* to &* 8
            if bit < 64 { r.low |= e << bit } else { r.high |= e << (bit &- 64) }
        }
        setXMMRegister(i.reg, r)
    }

    /// MOVNTDQA (0F 38 2A): an aligned 128-bit load.
    func executeLoadNonTemporal(_ i: Instruction) throws(Fault) {
        if i.mod == 3 { throw .invalidOpcode }
        try requireSSE()
        setXMMRegister(i.reg, try readMemory128(i.segment, effectiveAddress(i), aligned: true))
    }

    /// PHMINPOSUW (0F 38 41): the smallest unsigned word of the source in bits 15:0, its index
    /// (the lowest on a tie) in bits 18:16, zero above.
    func executeMinimumPosition(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        var best = Lanes.word(s.low, 0), index: UInt64 = 0
        for k: UInt64 in 1..<8 {
            let w = Lanes.word(k < 4 ? s.low : s.high, k)
            if w < best { best = w; index = k }
        }
        setXMMRegister(i.reg, XMMValue(low: best | index << 16))
    }

    /// BLENDPS, BLENDPD, PBLENDW (0F 3A 0C, 0D, 0E): element k from the source where imm8 bit k
    /// is set.
    func executeBlendImmediate(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let imm = i.immediate & 0xFF
        var low: UInt64 = 0, high: UInt64 = 0
        switch op {
        case 0x0C:
            low = (imm & 1 != 0 ? 0xFFFF_FFFF : 0) | (imm & 2 != 0 ? 0xFFFF_FFFF_0000_0000 : 0)
            high = (imm & 4 != 0 ? 0xFFFF_FFFF : 0) | (imm & 8 != 0 ? 0xFFFF_FFFF_0000_0000 : 0)
        case 0x0D:
            low = imm & 1 != 0 ? ~0 : 0
            high = imm & 2 != 0 ? ~0 : 0
        default:
            for k: UInt64 in 0..<4 {
                if (imm >> k) & 1 != 0 { low |= 0xFFFF << (k &* 16) }
                if (imm >> (k &+ 4)) & 1 != 0 { high |= 0xFFFF << (k &* 16) }
            }
        }
        setXMMRegister(i.reg, XMMValue(low: d.low & ~low | s.low & low, high: d.high & ~high | s.high & high))
    }

    /// MPSADBW (0F 3A 42): word j = sum over k < 4 of |destination byte (o1 + j + k) - source
    /// byte (o2 + k)|, with o1 = imm8[2] * 4 and o2 = imm8[1:0] * 4.
    func executeMultipleSAD(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let imm = i.immediate & 0xFF
        let destOffset = ((imm >> 2) & 1) &* 4, sourceOffset = (imm & 3) &* 4
        var r = XMMValue()
        for j: UInt64 in 0..<8 {
            var sum: UInt64 = 0
            for k: UInt64 in 0..<4 {
                let a = CPU.xmmByte(d, destOffset &+ j &+ k), b = CPU.xmmByte(s, sourceOffset &+ k)
                sum &+= a > b ? a &- b : b &- a
            }
            if j < 4 { r.low |= sum << (j &* 16) } else { r.high |= sum << ((j &- 4) &* 16) }
        }
        setXMMRegister(i.reg, r)
    }

    /// PCLMULQDQ (0F 3A 44): the carry-less product of the destination quadword imm8[0] and the
    /// source quadword imm8[4].
    func executeCarrylessMultiply(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let imm = i.immediate & 0xFF
        let a = imm & 1 == 0 ? d.low : d.high, b = imm & 0x10 == 0 ? s.low : s.high
        var r = XMMValue()
        for k: UInt64 in 0..<64 where (b >> k) & 1 != 0 {
            r.low ^= a << k
            if k != 0 { r.high ^= a >> (64 &- k) }
        }
        setXMMRegister(i.reg, r)
    }
}
