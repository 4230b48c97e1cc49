/// BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR), BMI2 (BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX,
/// SHRX), ADX (ADCX, ADOX), MOVBE and CRC32 (SDM vol. 2).
///
/// The VEX forms take their operand size from VEX.W (`i.size` is 4 or 8). Flags the SDM leaves
/// undefined (AF and PF for ANDN, BEXTR, BLS*, BZHI; SF for BEXTR) are set by `bmiFlags` as the
/// AMD Zen 4 host produces them (fixtures/vectors/bmi.txt); the Intel model uses the same values.
extension CPU {
    /// The status flags of a flag-writing BMI instruction: `defined` holds CF, ZF, SF, OF as the
    /// SDM defines them. Undefined: PF = parity of the result's low byte; AF = 0, except BEXTR
    /// (`bextr`), which sets AF and clears SF.
    @inline(__always)
    func bmiFlags(_ defined: UInt64, result: UInt64, bextr: Bool = false) -> UInt64 {
        var f = defined
        if UInt8(truncatingIfNeeded: result).nonzeroBitCount & 1 == 0 { f |= RFlags.parity.rawValue }
        if bextr { f |= RFlags.auxiliaryCarry.rawValue }
        return f
    }

    func executeBMI(_ i: Instruction) throws(Fault) {
        let size = i.size
        let m = CPU.mask(size)
        let bits = UInt64(size) &* 8
        let zf = RFlags.zero.rawValue
        let sf = RFlags.sign.rawValue
        let cf = RFlags.carry.rawValue
        switch i.op {
        case .andn:
            let r = ~register(i.vvvv, size: size) & (try readRM(i, size: size)) & m
            setRegister(i.reg, size: size, r)
            var f: UInt64 = r == 0 ? zf : 0
            if r & CPU.signBit(size) != 0 { f |= sf }
            flags.bits = bmiFlags(f, result: r)
        case .bextr:
            let src = try readRM(i, size: size)
            let control = register(i.vvvv, size: size)
            let start = control & 0xFF
            let length = (control &>> 8) & 0xFF
            var r = CPU.shiftedRight(src, start)
            if length < 64 { r &= (1 &<< length) &- 1 }
            setRegister(i.reg, size: size, r)
            flags.bits = bmiFlags(r == 0 ? zf : 0, result: r, bextr: true)
        case .bzhi:
            let src = try readRM(i, size: size)
            let index = register(i.vvvv, size: size) & 0xFF
            var r = src
            var f: UInt64 = 0
            if index < bits {
                r &= (1 &<< index) &- 1
            } else {
                f |= cf
            }
            setRegister(i.reg, size: size, r)
            if r == 0 { f |= zf }
            if r & CPU.signBit(size) != 0 { f |= sf }
            flags.bits = bmiFlags(f, result: r)
        case .blsi, .blsmsk, .blsr:
            let src = try readRM(i, size: size)
            let r: UInt64
            var f: UInt64
            switch i.op {
            case .blsi:
                r = (0 &- src) & src & m
                f = src != 0 ? cf : 0
                if r == 0 { f |= zf }
            case .blsmsk:
                r = ((src &- 1) ^ src) & m
                f = src == 0 ? cf : 0
            default:
                r = (src &- 1) & src & m
                f = src == 0 ? cf : 0
                if r == 0 { f |= zf }
            }
            if r & CPU.signBit(size) != 0 { f |= sf }
            setRegister(i.vvvv, size: size, r)
            flags.bits = bmiFlags(f, result: r)
        case .mulx:
            let a = register(2, size: size)
            let b = try readRM(i, size: size)
            let low: UInt64
            let high: UInt64
            if size == 8 {
                let p = a.multipliedFullWidth(by: b)
                low = p.low
                high = p.high
            } else {
                let p = a &* b
                low = p & 0xFFFF_FFFF
                high = p &>> 32
            }
            // Low half first, so the high half wins when both destinations are one register.
            setRegister(i.vvvv, size: size, low)
            setRegister(i.reg, size: size, high)
        case .pdep:
            let src = register(i.vvvv, size: size)
            var mask = try readRM(i, size: size)
            var r: UInt64 = 0
            var k: UInt64 = 0
            while mask != 0 {
                let lowest = mask & (0 &- mask)
                if (src &>> k) & 1 != 0 { r |= lowest }
                k &+= 1
                mask &= mask &- 1
            }
            setRegister(i.reg, size: size, r)
        case .pext:
            let src = register(i.vvvv, size: size)
            var mask = try readRM(i, size: size)
            var r: UInt64 = 0
            var k: UInt64 = 0
            while mask != 0 {
                let lowest = mask & (0 &- mask)
                if src & lowest != 0 { r |= 1 &<< k }
                k &+= 1
                mask &= mask &- 1
            }
            setRegister(i.reg, size: size, r)
        case .rorx:
            let src = try readRM(i, size: size)
            let c = i.immediate & (bits &- 1)
            let r = (src &>> c | CPU.shiftedLeft(src, bits &- c)) & m
            setRegister(i.reg, size: size, r)
        default:  // .sarx, .shlx, .shrx
            let src = try readRM(i, size: size)
            let c = register(i.vvvv, size: size) & (bits &- 1)
            let r: UInt64
            switch i.op {
            case .shlx: r = (src &<< c) & m
            case .shrx: r = src &>> c
            default: r = UInt64(bitPattern: Int64(bitPattern: CPU.signExtend(src, size)) &>> Int64(c)) & m
            }
            setRegister(i.reg, size: size, r)
        }
    }

    /// ADCX (carry in and out through CF) and ADOX (through OF); no other flag changes.
    func executeADX(_ i: Instruction) throws(Fault) {
        let size = i.size
        let m = CPU.mask(size)
        let src = try readRM(i, size: size)
        let dst = register(i.reg, size: size)
        let old = flags.bits
        let flag = i.op == .adcx ? RFlags.carry.rawValue : RFlags.overflow.rawValue
        let carryIn: UInt64 = old & flag != 0 ? 1 : 0
        let sum = (dst &+ src) & m
        let r = (sum &+ carryIn) & m
        let carryOut = sum < dst || r < sum
        setRegister(i.reg, size: size, r)
        flags.bits = old & ~flag | (carryOut ? flag : 0)
    }

    /// MOVBE: load (`.regRm`) or store (`.rmReg`) with the bytes reversed. The 16-bit load keeps
    /// the upper bits of the destination register.
    func executeMovbe(_ i: Instruction) throws(Fault) {
        let size = i.size
        if i.form == .regRm {
            let v = try readRM(i, size: size)
            setRegister(i.reg, size: size, CPU.byteSwapped(v, size: size))
        } else {
            try writeRM(i, size: size, CPU.byteSwapped(register(i.reg, size: size), size: size))
        }
    }

    /// The low `size` bytes of `v` in reverse order.
    @inline(__always)
    static func byteSwapped(_ v: UInt64, size: UInt8) -> UInt64 {
        v.byteSwapped &>> (64 &- UInt64(size) &* 8)
    }

    /// CRC32 (F2 0F 38 F0 /r: byte source; F1: 16/32/64-bit source): accumulates CRC-32C
    /// (polynomial 11EDC6F41h) in the bit-reflected form of the SDM, without the initial and final
    /// inversions. The destination is the low 32 bits of the register; the result is
    /// zero-extended to 64 bits.
    func executeCRC32(_ i: Instruction) throws(Fault) {
        let sourceSize: UInt8
        if i.opcode & 0xFF == 0xF0 {
            sourceSize = 1
        } else if i.size == 8 {
            sourceSize = 8
        } else {
            sourceSize = i.prefixes.contains(.operandSize) ? 2 : 4
        }
        var data = try readRM(i, size: sourceSize)
        var crc = UInt32(truncatingIfNeeded: register(i.reg, size: 4))
        var n = UInt64(sourceSize) &* 8
        while n != 0 {
            let bit = UInt32(truncatingIfNeeded: data) & 1
            crc = (crc &>> 1) ^ (0x82F6_3B78 & (0 &- ((crc ^ bit) & 1)))
            data &>>= 1
            n &-= 1
        }
        setRegister(i.reg, size: 4, UInt64(crc))
    }
}
