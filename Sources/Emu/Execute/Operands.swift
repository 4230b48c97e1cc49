/// Operand access for handlers: registers with x86 partial-write rules, the r/m operand
/// (register or memory), effective addresses and size masks.
extension CPU {
    /// All-ones mask of an operand size in bytes.
    @inline(__always)
    static func mask(_ size: UInt8) -> UInt64 { UInt64.max &>> (64 &- UInt64(size) &* 8) }

    /// The sign bit of an operand size in bytes.
    @inline(__always)
    static func signBit(_ size: UInt8) -> UInt64 { 1 &<< (UInt64(size) &* 8 &- 1) }

    /// Sign-extends the low `size` bytes of `v` to 64 bits.
    @inline(__always)
    static func signExtend(_ v: UInt64, _ size: UInt8) -> UInt64 {
        let shift = 64 &- UInt64(size) &* 8
        return UInt64(bitPattern: Int64(bitPattern: v &<< shift) &>> shift)
    }

    /// Reads register `n` (normalised numbering, see `Instruction`) at operand size `size`.
    @inline(__always)
    public func register(_ n: UInt8, size: UInt8) -> UInt64 {
        if size == 1 {
            return n < 16 ? registers[Int(n)] & 0xFF : (registers[Int(n &- 16)] >> 8) & 0xFF
        }
        return registers[Int(n)] & CPU.mask(size)
    }

    /// Writes register `n`: 8- and 16-bit writes keep the other bits, 32-bit writes zero the
    /// upper half (SDM vol. 1, 3.4.1.1).
    @inline(__always)
    public func setRegister(_ n: UInt8, size: UInt8, _ v: UInt64) {
        switch size {
        case 1:
            if n < 16 {
                registers[Int(n)] = registers[Int(n)] & ~0xFF | v & 0xFF
            } else {
                let r = Int(n &- 16)
                registers[r] = registers[r] & ~0xFF00 | (v & 0xFF) << 8
            }
        case 2: registers[Int(n)] = registers[Int(n)] & ~0xFFFF | v & 0xFFFF
        case 4: registers[Int(n)] = v & 0xFFFF_FFFF
        default: registers[Int(n)] = v
        }
    }

    /// The offset (effective address) of the memory operand, truncated to the address size.
    @inline(__always)
    public func effectiveAddress(_ i: Instruction) -> UInt64 {
        let a = UInt64(bitPattern: i.displacement) &+ registers[Int(i.base)]
            &+ (registers[Int(i.index)] &<< UInt64(i.scale))
        return a & CPU.mask(i.addressSize)
    }

    /// Reads the r/m operand at size `size`.
    @inline(__always)
    public func readRM(_ i: Instruction, size: UInt8) throws(Fault) -> UInt64 {
        if i.mod == 3 { return register(i.rm, size: size) }
        return try read(i.segment, effectiveAddress(i), size: size)
    }

    /// Writes the r/m operand at size `size`.
    @inline(__always)
    public func writeRM(_ i: Instruction, size: UInt8, _ v: UInt64) throws(Fault) {
        if i.mod == 3 { setRegister(i.rm, size: size, v); return }
        try write(i.segment, effectiveAddress(i), size: size, v)
    }

    /// Reads the r/m operand of a read-modify-write instruction, checking first that the
    /// destination is writable so a fault leaves memory untouched.
    @inline(__always)
    public func readRMForUpdate(_ i: Instruction, size: UInt8) throws(Fault) -> UInt64 {
        if i.mod == 3 { return register(i.rm, size: size) }
        let offset = effectiveAddress(i)
        try probeWrite(i.segment, offset, size: size)
        return try read(i.segment, offset, size: size)
    }

    /// The source operand of two-operand forms (reg, immediate, r/m) at size `size`.
    @inline(__always)
    func sourceOperand(_ i: Instruction, size: UInt8) throws(Fault) -> UInt64 {
        switch i.form {
        case .rmReg: return register(i.reg, size: size)
        case .regRm: return try readRM(i, size: size)
        default: return i.immediate & CPU.mask(size)
        }
    }

    /// Reads the destination of two-operand forms; for memory destinations it checks
    /// writability first.
    @inline(__always)
    func destinationOperand(_ i: Instruction, size: UInt8) throws(Fault) -> UInt64 {
        if i.form == .regRm { return register(i.reg, size: size) }
        return try readRMForUpdate(i, size: size)
    }

    @inline(__always)
    func writeDestination(_ i: Instruction, size: UInt8, _ v: UInt64) throws(Fault) {
        if i.form == .regRm { setRegister(i.reg, size: size, v); return }
        try writeRM(i, size: size, v)
    }
}
