/// The SSSE3 integer instructions (SDM vol. 2), MMX (no prefix) and XMM (66) forms: PSHUFB
/// (0F 38 00), PHADDW/D/SW and PHSUBW/D/SW (01-03, 05-07), PMADDUBSW (04), PSIGNB/W/D (08-0A),
/// PMULHRSW (0B), PABSB/W/D (1C-1E) and PALIGNR (0F 3A 0F).
extension CPU {
    /// One 64-bit lane of the element-wise 0F 38 instruction `op` (SSSE3 and SSE4.1).
    static func packedLane38(_ op: UInt8, _ a: UInt64, _ b: UInt64) -> UInt64 {
        switch op {
        case 0x04:                                                                // PMADDUBSW
            let p = Lanes.wideU8(a) &* Lanes.wideS8(b)
            let sums = SIMD4<Int32>(truncatingIfNeeded: p.evenHalf) &+ SIMD4<Int32>(truncatingIfNeeded: p.oddHalf)
            return Lanes.saturateS16(sums)
        case 0x08:                                                                // PSIGNB
            let x = Lanes.s8(a), s = Lanes.s8(b)
            return Lanes.bits(x.replacing(with: 0 &- x, where: s .< 0).replacing(with: 0, where: s .== 0))
        case 0x09:                                                                // PSIGNW
            let x = Lanes.s16(a), s = Lanes.s16(b)
            return Lanes.bits(x.replacing(with: 0 &- x, where: s .< 0).replacing(with: 0, where: s .== 0))
        case 0x0A:                                                                // PSIGND
            let x = Lanes.s32(a), s = Lanes.s32(b)
            return Lanes.bits(x.replacing(with: 0 &- x, where: s .< 0).replacing(with: 0, where: s .== 0))
        case 0x0B:                                                                // PMULHRSW
            let p = ((Lanes.wideS16(a) &* Lanes.wideS16(b)) &>> 14 &+ 1) &>> 1
            return Lanes.bits(SIMD4<Int16>(truncatingIfNeeded: p))
        case 0x1C: let s = Lanes.s8(b); return Lanes.bits(s.replacing(with: 0 &- s, where: s .< 0))   // PABSB
        case 0x1D: let s = Lanes.s16(b); return Lanes.bits(s.replacing(with: 0 &- s, where: s .< 0))  // PABSW
        case 0x1E: let s = Lanes.s32(b); return Lanes.bits(s.replacing(with: 0 &- s, where: s .< 0))  // PABSD
        default: return packedLaneSSE41(op, a, b)
        }
    }

    /// An element-wise 0F 38 instruction on MMn (no prefix) or XMM (66).
    func executePackedLanes38(_ i: Instruction, _ op: UInt8) throws(Fault) {
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d = xmmRegister(i.reg)
            setXMMRegister(i.reg, XMMValue(low: CPU.packedLane38(op, d.low, s.low), high: CPU.packedLane38(op, d.high, s.high)))
        } else {
            try requireMMXExecution()
            let s = try readMMXOperand(i)
            setMMRegister(i.reg, CPU.packedLane38(op, mmRegister(i.reg), s))
        }
    }

    /// PHADD*/PHSUB* of one 64-bit lane: the sums (differences) of adjacent element pairs in
    /// bits 31:0; `executePack` places the destination's pairs low and the source's high.
    static func horizontalLane(_ op: UInt8, _ v: UInt64) -> UInt64 {
        let r: UInt32
        switch op {
        case 0x01: let w = Lanes.u16(v); r = unsafeBitCast(w.evenHalf &+ w.oddHalf, to: UInt32.self)
        case 0x05: let w = Lanes.u16(v); r = unsafeBitCast(w.evenHalf &- w.oddHalf, to: UInt32.self)
        case 0x02: return (v &+ (v >> 32)) & 0xFFFF_FFFF
        case 0x06: return (v &- (v >> 32)) & 0xFFFF_FFFF
        case 0x03, 0x07:
            let w = Lanes.wideS16(v)
            let s = op == 0x03 ? w.evenHalf &+ w.oddHalf : w.evenHalf &- w.oddHalf
            let c = s.clamped(lowerBound: .init(repeating: -32768), upperBound: .init(repeating: 32767))
            r = unsafeBitCast(SIMD2<Int16>(truncatingIfNeeded: c), to: UInt32.self)
        default: return packLane(op, v)
        }
        return UInt64(r)
    }

    /// Byte `k` (0-15) of `v`.
    @inline(__always)
    static func xmmByte(_ v: XMMValue, _ k: UInt64) -> UInt64 { Lanes.byte(k & 8 == 0 ? v.low : v.high, k) }

    /// PSHUFB: byte j of the result is 0 when bit 7 of source byte j is set, else the
    /// destination byte the source byte's low 4 (XMM) or 3 (MMX) bits select.
    func executeShuffleBytes(_ i: Instruction) throws(Fault) {
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d = xmmRegister(i.reg)
            var r = XMMValue()
            for j: UInt64 in 0..<8 {
                let lo = Lanes.byte(s.low, j), hi = Lanes.byte(s.high, j)
                if lo & 0x80 == 0 { r.low |= CPU.xmmByte(d, lo & 15) << (j &* 8) }
                if hi & 0x80 == 0 { r.high |= CPU.xmmByte(d, hi & 15) << (j &* 8) }
            }
            setXMMRegister(i.reg, r)
        } else {
            try requireMMXExecution()
            let s = try readMMXOperand(i)
            let d = mmRegister(i.reg)
            var r: UInt64 = 0
            for j: UInt64 in 0..<8 {
                let k = Lanes.byte(s, j)
                if k & 0x80 == 0 { r |= Lanes.byte(d, k & 7) << (j &* 8) }
            }
            setMMRegister(i.reg, r)
        }
    }

    /// PALIGNR (0F 3A 0F): the destination:source concatenation (destination high) shifted
    /// right by imm8 bytes; its low half is the result (zero past the concatenation's end).
    func executeAlignRight(_ i: Instruction) throws(Fault) {
        let shift = i.immediate & 0xFF
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d = xmmRegister(i.reg)
            var r = XMMValue()
            for j: UInt64 in 0..<16 {
                let k = j &+ shift
                let b = k < 16 ? CPU.xmmByte(s, k) : k < 32 ? CPU.xmmByte(d, k &- 16) : 0
                if j < 8 { r.low |= b << (j &* 8) } else { r.high |= b << ((j &- 8) &* 8) }
            }
            setXMMRegister(i.reg, r)
        } else {
            try requireMMXExecution()
            let s = try readMMXOperand(i)
            let d = mmRegister(i.reg)
            var r: UInt64 = 0
            for j: UInt64 in 0..<8 {
                let k = j &+ shift
                let b = k < 8 ? Lanes.byte(s, k) : k < 16 ? Lanes.byte(d, k &- 8) : 0
                r |= b << (j &* 8)
            }
            setMMRegister(i.reg, r)
        }
    }
}
