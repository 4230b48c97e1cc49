/// PSRLW/D/Q, PSRAW/D, PSLLW/D/Q by an MMX/XMM/memory count (0F D1-D3, E1, E2, F1-F3) or by an
/// immediate (the 0F 71-73 groups), and PSRLDQ/PSLLDQ (66 0F 73 /3, /7) (SDM vol. 2). A count
/// above the element width clears logical shifts and fills arithmetic ones with the sign.
extension CPU {
    /// The count is bits 63:0 of the source (MMn, XMM or m64/m128); every lane uses it.
    func executePackedShift(_ i: Instruction, _ op: UInt8) throws(Fault) {
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let count = try readXMMOperand(i, aligned: true).low
            let d = xmmRegister(i.reg)
            setXMMRegister(i.reg, XMMValue(low: CPU.shiftLane(op, d.low, count), high: CPU.shiftLane(op, d.high, count)))
        } else {
            try requireMMXExecution()
            let count = try readMMXOperand(i)
            setMMRegister(i.reg, CPU.shiftLane(op, mmRegister(i.reg), count))
        }
    }

    /// 0F 71 (words), 72 (doublewords), 73 (quadwords) with ModRM.reg 2 (PSRL), 4 (PSRA),
    /// 6 (PSLL), and 66 0F 73 /3 PSRLDQ, /7 PSLLDQ: the register `rm` shifted by imm8.
    func executeShiftImmediate(_ i: Instruction) throws(Fault) {
        let count = i.immediate & 0xFF
        let group = UInt8(truncatingIfNeeded: i.opcode) &- 0x70
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let d = xmmRegister(i.rm)
            let r: XMMValue
            switch i.reg & 7 {
            case 3: r = CPU.shiftRightBytes(d, count)
            case 7: r = CPU.shiftLeftBytes(d, count)
            default:
                let op = CPU.shiftOpcode(reg: i.reg, group: group)
                r = XMMValue(low: CPU.shiftLane(op, d.low, count), high: CPU.shiftLane(op, d.high, count))
            }
            setXMMRegister(i.rm, r)
        } else {
            try requireMMXExecution()
            let op = CPU.shiftOpcode(reg: i.reg, group: group)
            setMMRegister(i.rm, CPU.shiftLane(op, mmRegister(i.rm), count))
        }
    }

    /// The register-count opcode (D1-F3) equal to group 0F 7x /reg.
    @inline(__always)
    static func shiftOpcode(reg: UInt8, group: UInt8) -> UInt8 {
        switch reg & 7 {
        case 2: return 0xD0 &+ group
        case 4: return 0xE0 &+ group
        default: return 0xF0 &+ group
        }
    }

    /// One 64-bit lane shifted as the register-count opcode `op` does.
    static func shiftLane(_ op: UInt8, _ v: UInt64, _ count: UInt64) -> UInt64 {
        switch op {
        case 0xD1: return count > 15 ? 0 : Lanes.bits(Lanes.u16(v) &>> UInt16(count))
        case 0xD2: return count > 31 ? 0 : Lanes.bits(Lanes.u32(v) &>> UInt32(count))
        case 0xD3: return count > 63 ? 0 : v &>> count
        case 0xE1: return Lanes.bits(Lanes.s16(v) &>> Int16(min(count, 15)))
        case 0xE2: return Lanes.bits(Lanes.s32(v) &>> Int32(min(count, 31)))
        case 0xF1: return count > 15 ? 0 : Lanes.bits(Lanes.u16(v) &<< UInt16(count))
        case 0xF2: return count > 31 ? 0 : Lanes.bits(Lanes.u32(v) &<< UInt32(count))
        default: return count > 63 ? 0 : v &<< count                              // F3 PSLLQ
        }
    }

    /// PSRLDQ: the 128-bit value shifted right by `bytes` bytes (all zero above 15).
    static func shiftRightBytes(_ v: XMMValue, _ bytes: UInt64) -> XMMValue {
        if bytes > 15 { return XMMValue() }
        let n = bytes &* 8
        if n == 0 { return v }
        if n >= 64 { return XMMValue(low: v.high &>> (n &- 64), high: 0) }
        return XMMValue(low: v.low &>> n | v.high &<< (64 &- n), high: v.high &>> n)
    }

    /// PSLLDQ: the 128-bit value shifted left by `bytes` bytes (all zero above 15).
    static func shiftLeftBytes(_ v: XMMValue, _ bytes: UInt64) -> XMMValue {
        if bytes > 15 { return XMMValue() }
        let n = bytes &* 8
        if n == 0 { return v }
        if n >= 64 { return XMMValue(low: 0, high: v.low &<< (n &- 64)) }
        return XMMValue(low: v.low &<< n, high: v.high &<< n | v.low &>> (64 &- n))
    }
}
