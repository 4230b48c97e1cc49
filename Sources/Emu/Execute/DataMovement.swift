/// MOV and friends: MOVZX/MOVSX/MOVSXD, CMOVcc, SETcc, XCHG, CMPXCHG, CMPXCHG8B/16B, XADD, BSWAP,
/// LEA, CBW/CWDE/CDQE, CWD/CDQ/CQO, LAHF/SAHF, XLAT (SDM vol. 2).
extension CPU {
    @inline(__always)
    func executeMov(_ i: Instruction) throws(Fault) {
        let size = i.size
        switch i.form {
        case .rmReg: try writeRM(i, size: size, register(i.reg, size: size))
        case .regRm: setRegister(i.reg, size: size, try readRM(i, size: size))
        default: try writeRM(i, size: size, i.immediate & CPU.mask(size))
        }
    }

    /// MOVZX/MOVSX (source size in `sub`: 1 or 2) and MOVSXD (32-bit source).
    func executeMovExtend(_ i: Instruction) throws(Fault) {
        let sourceSize: UInt8 = i.op == .movsxd ? 4 : i.sub
        var v = try readRM(i, size: sourceSize)
        if i.op != .movzx { v = CPU.signExtend(v, sourceSize) }
        setRegister(i.reg, size: i.size, v & CPU.mask(i.size))
    }

    /// CMOVcc reads its source even when the condition is false, and a 32-bit CMOV always
    /// zero-extends the destination (SDM vol. 2, CMOVcc).
    func executeCmov(_ i: Instruction) throws(Fault) {
        let v = try readRM(i, size: i.size)
        if flags.condition(i.sub) {
            setRegister(i.reg, size: i.size, v)
        } else if i.size == 4 {
            setRegister(i.reg, size: 4, register(i.reg, size: 4))
        }
    }

    func executeSetcc(_ i: Instruction) throws(Fault) {
        try writeRM(i, size: 1, flags.condition(i.sub) ? 1 : 0)
    }

    func executeXchg(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = try readRMForUpdate(i, size: size)
        let b = register(i.reg, size: size)
        try writeRM(i, size: size, b)
        setRegister(i.reg, size: size, a)
    }

    /// CMPXCHG: compare the accumulator with the destination; the destination is written in both
    /// cases (with its own value when unequal), as the processor does (SDM vol. 2, CMPXCHG).
    func executeCmpxchg(_ i: Instruction) throws(Fault) {
        let size = i.size
        let dst = try readRMForUpdate(i, size: size)
        let acc = register(0, size: size)
        flags.set(.sub, size: size, a: acc, b: dst, result: (acc &- dst) & CPU.mask(size))
        if acc == dst {
            try writeRM(i, size: size, register(i.reg, size: size))
        } else {
            // The SDM writes the old value back (DEST <- TEMP), which zero-extends a 32-bit
            // register destination on Intel parts; AMD parts leave a register destination alone.
            if i.mod != 3 || vendor == .intel { try writeRM(i, size: size, dst) }
            setRegister(0, size: size, dst)
        }
    }

    /// CMPXCHG8B / CMPXCHG16B (the 16-byte form needs a 16-byte aligned operand, else #GP(0)).
    func executeCmpxchgWide(_ i: Instruction) throws(Fault) {
        let half: UInt8 = i.op == .cmpxchg16b ? 8 : 4
        let offset = effectiveAddress(i)
        if half == 8, try linearAddress(i.segment, offset, size: 16) & 0xF != 0 {
            throw .generalProtection(0)
        }
        try probeWrite(i.segment, offset, size: half)
        try probeWrite(i.segment, (offset &+ UInt64(half)) & CPU.mask(i.addressSize), size: half)
        let lo = try read(i.segment, offset, size: half)
        let hi = try read(i.segment, (offset &+ UInt64(half)) & CPU.mask(i.addressSize), size: half)
        let zf: Bool
        if lo == register(0, size: half) && hi == register(2, size: half) {
            try write(i.segment, offset, size: half, register(3, size: half))
            try write(i.segment, (offset &+ UInt64(half)) & CPU.mask(i.addressSize), size: half, register(1, size: half))
            zf = true
        } else {
            try write(i.segment, offset, size: half, lo)
            try write(i.segment, (offset &+ UInt64(half)) & CPU.mask(i.addressSize), size: half, hi)
            setRegister(0, size: half, lo)
            setRegister(2, size: half, hi)
            zf = false
        }
        let others = flags.bits & ~RFlags.zero.rawValue
        flags.bits = others | (zf ? RFlags.zero.rawValue : 0)
    }

    func executeXadd(_ i: Instruction) throws(Fault) {
        let size = i.size
        let dst = try readRMForUpdate(i, size: size)
        let src = register(i.reg, size: size)
        let r = (dst &+ src) & CPU.mask(size)
        // The register receives the old destination first, so XADD r,r with the same register
        // ends with the sum (SDM vol. 2, XADD operation: TEMP <- SRC + DEST; SRC <- DEST; DEST <- TEMP).
        setRegister(i.reg, size: size, dst)
        try writeRM(i, size: size, r)
        flags.set(.add, size: size, a: dst, b: src, result: r)
    }

    /// BSWAP with a 16-bit operand is undefined; both vendors' parts clear the register's low word.
    func executeBswap(_ i: Instruction) {
        switch i.size {
        case 8: registers[Int(i.rm)] = registers[Int(i.rm)].byteSwapped
        case 4: setRegister(i.rm, size: 4, UInt64(UInt32(truncatingIfNeeded: registers[Int(i.rm)]).byteSwapped))
        default: setRegister(i.rm, size: 2, 0)
        }
    }

    func executeLea(_ i: Instruction) {
        setRegister(i.reg, size: i.size, effectiveAddress(i) & CPU.mask(i.size))
    }

    /// CBW / CWDE / CDQE.
    func executeCbw(_ i: Instruction) {
        let half = i.size / 2
        setRegister(0, size: i.size, CPU.signExtend(register(0, size: half), half) & CPU.mask(i.size))
    }

    /// CWD / CDQ / CQO.
    func executeCwd(_ i: Instruction) {
        let negative = register(0, size: i.size) & CPU.signBit(i.size) != 0
        setRegister(2, size: i.size, negative ? CPU.mask(i.size) : 0)
    }

    /// LAHF/SAHF are valid in 64-bit mode only when CPUID 8000_0001h:ECX.LAHF-SAHF is set (it is).
    func executeLahf(_ i: Instruction) throws(Fault) {
        setRegister(16, size: 1, (flags.bits & 0xD5) | 0x2)
    }

    func executeSahf(_ i: Instruction) throws(Fault) {
        let ah = register(16, size: 1)
        flags.bits = flags.bits & ~0xD5 | ah & 0xD5
    }

    func executeXlat(_ i: Instruction) throws(Fault) {
        let offset = (registers[3] &+ register(0, size: 1)) & CPU.mask(i.addressSize)
        setRegister(0, size: 1, try read(i.segment, offset, size: 1))
    }
}
