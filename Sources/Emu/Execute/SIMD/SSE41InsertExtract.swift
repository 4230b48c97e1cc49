/// The SSE4.1 element inserts and extracts (0F 3A, 66 prefix; SDM vol. 2): PEXTRB/PEXTRW/
/// PEXTRD/PEXTRQ/EXTRACTPS (14-17) to a general register (zero-extended) or memory, and
/// PINSRB/INSERTPS/PINSRD/PINSRQ (20-22).
extension CPU {
    func executeExtractElement(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        let v = xmmRegister(i.reg)
        let imm = i.immediate & 0xFF
        let size: UInt8
        let value: UInt64
        switch op {
        case 0x14: size = 1; value = CPU.xmmByte(v, imm & 15)
        case 0x15: size = 2; value = Lanes.word(imm & 4 == 0 ? v.low : v.high, imm)
        case 0x16 where i.prefixes.contains(.rexW): size = 8; value = imm & 1 == 0 ? v.low : v.high
        default: size = 4; value = Lanes.dword(v, imm)
        }
        if i.mod == 3 {
            setRegister(i.rm, size: 8, value)
        } else {
            try write(i.segment, effectiveAddress(i), size: size, value)
        }
    }

    func executeInsertElement(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        var d = xmmRegister(i.reg)
        let imm = i.immediate & 0xFF
        switch op {
        case 0x20:
            let b = i.mod == 3 ? registers[Int(i.rm & 15)] & 0xFF : try read(i.segment, effectiveAddress(i), size: 1)
            CPU.insertField(&d, b, bits: 8, at: (imm & 15) &* 8)
        case 0x21:
            // INSERTPS: source doubleword imm8[7:6] (register) or m32, into doubleword imm8[5:4];
            // then the doublewords whose imm8[3:0] bit is set are zeroed.
            let e = i.mod == 3 ? Lanes.dword(xmmRegister(i.rm), imm >> 6) : try read(i.segment, effectiveAddress(i), size: 4)
            CPU.insertField(&d, e, bits: 32, at: ((imm >> 4) & 3) &* 32)
            for k: UInt64 in 0..<4 where (imm >> k) & 1 != 0 { CPU.insertField(&d, 0, bits: 32, at: k &* 32) }
        default:
            if i.prefixes.contains(.rexW) {
                let q = try readRM(i, size: 8)
                if imm & 1 == 0 { d.low = q } else { d.high = q }
            } else {
                CPU.insertField(&d, try readRM(i, size: 4), bits: 32, at: (imm & 3) &* 32)
            }
        }
        setXMMRegister(i.reg, d)
    }

    /// Replaces the `bits`-wide field of `v` at bit `at` (within one quadword) with `value`.
    @inline(__always)
    static func insertField(_ v: inout XMMValue, _ value: UInt64, bits: UInt64, at: UInt64) {
        let shift = at & 63
        let mask = (UInt64.max >> (64 &- bits)) << shift
        if at < 64 {
            v.low = v.low & ~mask | (value << shift) & mask
        } else {
            v.high = v.high & ~mask | (value << shift) & mask
        }
    }
}
