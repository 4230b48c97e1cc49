/// The element-wise MMX/SSE2 integer instructions of the 0F map (SDM vol. 2: PADD*, PSUB*,
/// PMUL*, PMADDWD, PSADBW, PAVG*, PMIN*/PMAX*, PAND/PANDN/POR/PXOR, PCMPEQ*/PCMPGT*). Each works
/// on every 64-bit lane alone, so the MMX form is one lane and the XMM form two.
extension CPU {
    /// An element-wise instruction: `dest = op(dest, source)` on MMn (no prefix) or XMM (66).
    func executePackedLanes(_ i: Instruction, _ op: UInt8) throws(Fault) {
        if i.prefixes.contains(.operandSize) {
            try requireSSE()
            let s = try readXMMOperand(i, aligned: true)
            let d = xmmRegister(i.reg)
            setXMMRegister(i.reg, XMMValue(low: CPU.packedLane(op, d.low, s.low), high: CPU.packedLane(op, d.high, s.high)))
        } else {
            try requireMMXExecution()
            let s = try readMMXOperand(i)
            setMMRegister(i.reg, CPU.packedLane(op, mmRegister(i.reg), s))
        }
    }

    /// ANDPS/ANDPD, ANDNPS/ANDNPD, ORPS/ORPD, XORPS/XORPD (0F 54-57, no prefix or 66): the
    /// bitwise operations of PAND, PANDN, POR and PXOR on XMM registers.
    func executeLogicPacked(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let r: XMMValue
        switch i.opcode & 0xFF {
        case 0x54: r = XMMValue(low: d.low & s.low, high: d.high & s.high)
        case 0x55: r = XMMValue(low: ~d.low & s.low, high: ~d.high & s.high)
        case 0x56: r = XMMValue(low: d.low | s.low, high: d.high | s.high)
        default: r = XMMValue(low: d.low ^ s.low, high: d.high ^ s.high)
        }
        setXMMRegister(i.reg, r)
    }

    /// One 64-bit lane of the element-wise instruction with 0F opcode byte `op`.
    static func packedLane(_ op: UInt8, _ a: UInt64, _ b: UInt64) -> UInt64 {
        switch op {
        case 0x64, 0x65, 0x66, 0x74, 0x75, 0x76: return compareLane(op, a, b)
        case 0xD4: return a &+ b                                                         // PADDQ
        case 0xD5: return Lanes.bits(Lanes.u16(a) &* Lanes.u16(b))                       // PMULLW
        case 0xD8: return Lanes.saturateU8(Lanes.wideU8(a) &- Lanes.wideU8(b))           // PSUBUSB
        case 0xD9: return Lanes.saturateU16(Lanes.wideU16(a) &- Lanes.wideU16(b))        // PSUBUSW
        case 0xDA: return Lanes.bits(pointwiseMin(Lanes.u8(a), Lanes.u8(b)))             // PMINUB
        case 0xDB: return a & b                                                          // PAND
        case 0xDC: return Lanes.saturateU8(Lanes.wideU8(a) &+ Lanes.wideU8(b))           // PADDUSB
        case 0xDD: return Lanes.saturateU16(Lanes.wideU16(a) &+ Lanes.wideU16(b))        // PADDUSW
        case 0xDE: return Lanes.bits(pointwiseMax(Lanes.u8(a), Lanes.u8(b)))             // PMAXUB
        case 0xDF: return ~a & b                                                         // PANDN
        case 0xE0: return Lanes.bits(SIMD8<UInt8>(truncatingIfNeeded: (Lanes.wideU8(a) &+ Lanes.wideU8(b) &+ 1) &>> 1)) // PAVGB
        case 0xE3: return Lanes.bits(SIMD4<UInt16>(truncatingIfNeeded: (Lanes.wideU16(a) &+ Lanes.wideU16(b) &+ 1) &>> 1)) // PAVGW
        case 0xE4: return Lanes.bits(SIMD4<UInt16>(truncatingIfNeeded: (Lanes.wideU16(a) &* Lanes.wideU16(b)) &>> 16)) // PMULHUW
        case 0xE5: return Lanes.bits(SIMD4<Int16>(truncatingIfNeeded: (Lanes.wideS16(a) &* Lanes.wideS16(b)) &>> 16))  // PMULHW
        case 0xE8: return Lanes.saturateS8(Lanes.wideS8(a) &- Lanes.wideS8(b))           // PSUBSB
        case 0xE9: return Lanes.saturateS16(Lanes.wideS16(a) &- Lanes.wideS16(b))        // PSUBSW
        case 0xEA: return Lanes.bits(pointwiseMin(Lanes.s16(a), Lanes.s16(b)))           // PMINSW
        case 0xEB: return a | b                                                          // POR
        case 0xEC: return Lanes.saturateS8(Lanes.wideS8(a) &+ Lanes.wideS8(b))           // PADDSB
        case 0xED: return Lanes.saturateS16(Lanes.wideS16(a) &+ Lanes.wideS16(b))        // PADDSW
        case 0xEE: return Lanes.bits(pointwiseMax(Lanes.s16(a), Lanes.s16(b)))           // PMAXSW
        case 0xEF: return a ^ b                                                          // PXOR
        case 0xF4: return (a & 0xFFFF_FFFF) &* (b & 0xFFFF_FFFF)                         // PMULUDQ
        case 0xF5:                                                                       // PMADDWD
            // The one overflow, all four words 8000h, wraps to 8000_0000h as the SDM states.
            let p = Lanes.wideS16(a) &* Lanes.wideS16(b)
            return Lanes.bits(p.evenHalf &+ p.oddHalf)
        case 0xF6: return sumOfAbsoluteDifferences(a, b)                                 // PSADBW
        case 0xF8: return Lanes.bits(Lanes.u8(a) &- Lanes.u8(b))                         // PSUBB
        case 0xF9: return Lanes.bits(Lanes.u16(a) &- Lanes.u16(b))                       // PSUBW
        case 0xFA: return Lanes.bits(Lanes.u32(a) &- Lanes.u32(b))                       // PSUBD
        case 0xFB: return a &- b                                                         // PSUBQ
        case 0xFC: return Lanes.bits(Lanes.u8(a) &+ Lanes.u8(b))                         // PADDB
        case 0xFD: return Lanes.bits(Lanes.u16(a) &+ Lanes.u16(b))                       // PADDW
        default: return Lanes.bits(Lanes.u32(a) &+ Lanes.u32(b))                         // PADDD (FE)
        }
    }

    /// PSADBW: the sum of the eight absolute byte differences in bits 15:0, zero above.
    static func sumOfAbsoluteDifferences(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let d = Lanes.wideU8(a) &- Lanes.wideU8(b)
        let magnitude = d.replacing(with: 0 &- d, where: d .< 0)
        return UInt64(UInt16(truncatingIfNeeded: magnitude.wrappedSum()))
    }
}
