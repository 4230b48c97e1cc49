/// ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR and SHLD, SHRD (SDM vol. 2, "RCL/RCR/ROL/ROR",
/// "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
///
/// Flags are computed eagerly. The count is masked to 5 bits (6 with a 64-bit operand); a masked
/// count of 0 changes no flag and writes no memory, but a memory operand is still checked for a
/// read-modify-write access, and a 32-bit register is still written (upper half cleared, as the
/// AMD Zen 4 host does; both vendors here).
///
/// Undefined results follow the AMD Zen 4 host (fixtures/vectors/shift.txt, all six status
/// flags match); the Intel model shares them except where noted:
/// - OF for counts other than 1 uses the count-1 formula on the final result (ROL, SHL, RCL:
///   MSB(result) XOR CF; ROR, RCR, SHR: XOR of the two most significant result bits; SAR: 0),
///   also for an 8/16-bit RCL/RCR whose count is a whole rotation (operand and CF unchanged).
/// - AF after SHL/SHR/SAR with a non-zero count: 1 on AMD, 0 in the Intel model
///   (`shiftAuxiliaryCarry`).
/// - SHL/SHR of an 8/16-bit operand by more than its width: result 0, CF 0 (the SDM loop).
/// - SHLD/SHRD of a 16-bit operand by 16..31: see `executeShiftDouble`.
extension CPU {
    /// ZF, SF and PF of `r` (already truncated to `size`) as RFLAGS bits.
    @inline(__always)
    static func zeroSignParityBits(_ r: UInt64, size: UInt8) -> UInt64 {
        var f: UInt64 = 0
        if r == 0 { f |= RFlags.zero.rawValue }
        if r & CPU.signBit(size) != 0 { f |= RFlags.sign.rawValue }
        if UInt8(truncatingIfNeeded: r).nonzeroBitCount & 1 == 0 { f |= RFlags.parity.rawValue }
        return f
    }

    /// `v << c`, 0 when `c >= 64` (Swift's `&<<` would take the count modulo 64).
    @inline(__always)
    static func shiftedLeft(_ v: UInt64, _ c: UInt64) -> UInt64 { c >= 64 ? 0 : v &<< c }

    /// `v >> c`, 0 when `c >= 64`.
    @inline(__always)
    static func shiftedRight(_ v: UInt64, _ c: UInt64) -> UInt64 { c >= 64 ? 0 : v &>> c }

    /// AF after SHL/SHR/SAR with a non-zero count (undefined in the SDM).
    @inline(__always)
    var shiftAuxiliaryCarry: UInt64 { vendor == .amd ? RFlags.auxiliaryCarry.rawValue : 0 }

    /// The count operand of a shift or rotate, before masking.
    @inline(__always)
    func shiftCountOperand(_ i: Instruction) -> UInt64 {
        switch i.form {
        case .rmOne: return 1
        case .rmCL, .rmRegCL: return registers[1] & 0xFF
        default: return i.immediate & 0xFF
        }
    }

    /// A shift by a masked count of 0 still writes a 32-bit register destination, so its upper
    /// half is cleared (AMD Zen 4 host: fixtures/vectors/shift.txt, `*_rm32_*_reg_c0`); memory
    /// and 8/16/64-bit registers are left untouched.
    @inline(__always)
    func zeroExtendUnshifted(_ i: Instruction, _ v: UInt64) {
        if i.size == 4 && i.mod == 3 { setRegister(i.rm, size: 4, v) }
    }

    func executeShift(_ i: Instruction) throws(Fault) {
        let size = i.size
        let count = shiftCountOperand(i) & (size == 8 ? 0x3F : 0x1F)
        let v = try readRMForUpdate(i, size: size)
        if count == 0 { zeroExtendUnshifted(i, v); return }
        let (r, f) = shifted(i.op, v, count: count, size: size)
        try writeRM(i, size: size, r)
        flags.bits = f
    }

    /// The result and the new status flags (as RFLAGS bits) of shift or rotate `op` of `v` by a
    /// masked count other than 0.
    @inline(__always)
    func shifted(_ op: Op, _ v: UInt64, count: UInt64, size: UInt8) -> (UInt64, UInt64) {
        let n = UInt64(size) &* 8
        let m = CPU.mask(size)
        let msb = n &- 1
        let of = RFlags.overflow.rawValue
        let r: UInt64
        var cf: UInt64
        var f: UInt64
        switch op {
        case .rol, .ror:
            let c = count & msb
            if op == .rol {
                r = (v &<< c | CPU.shiftedRight(v, n &- c)) & m
                cf = r & 1
                f = ((r &>> msb) ^ cf) != 0 ? of : 0
            } else {
                r = (v &>> c | CPU.shiftedLeft(v, n &- c)) & m
                cf = r &>> msb
                f = ((r &>> msb) ^ (r &>> (msb &- 1))) & 1 != 0 ? of : 0
            }
            f |= flags.parityAuxiliaryZeroSign
        case .rcl, .rcr:
            let c: UInt64 = size == 1 ? count % 9 : size == 2 ? count % 17 : count
            let oldCF: UInt64 = flags.carry ? 1 : 0
            if c == 0 {
                // A whole rotation (8/16-bit, masked count 9/18/27 or 17): the operand and CF stay
                // as they are; OF (undefined) still follows the count-1 formula (AMD Zen 4 host).
                r = v
                cf = oldCF
                if op == .rcl {
                    f = ((r &>> msb) ^ cf) != 0 ? of : 0
                } else {
                    f = ((r &>> msb) ^ (r &>> (msb &- 1))) & 1 != 0 ? of : 0
                }
            } else if op == .rcl {
                r = (CPU.shiftedLeft(v, c) | oldCF &<< (c &- 1) | CPU.shiftedRight(v, n &+ 1 &- c)) & m
                cf = (v &>> (n &- c)) & 1
                f = ((r &>> msb) ^ cf) != 0 ? of : 0
            } else {
                r = (CPU.shiftedRight(v, c) | oldCF &<< (n &- c) | CPU.shiftedLeft(v, n &+ 1 &- c)) & m
                cf = (v &>> (c &- 1)) & 1
                f = ((r &>> msb) ^ (r &>> (msb &- 1))) & 1 != 0 ? of : 0
            }
            f |= flags.parityAuxiliaryZeroSign
        case .shl:
            r = CPU.shiftedLeft(v, count) & m
            cf = count <= n ? (v &>> (n &- count)) & 1 : 0
            f = ((r &>> msb) ^ cf) != 0 ? of : 0
            f |= CPU.zeroSignParityBits(r, size: size) | shiftAuxiliaryCarry
        case .shr:
            r = CPU.shiftedRight(v, count)
            cf = CPU.shiftedRight(v, count &- 1) & 1
            f = ((r &>> msb) ^ (r &>> (msb &- 1))) & 1 != 0 ? of : 0
            f |= CPU.zeroSignParityBits(r, size: size) | shiftAuxiliaryCarry
        default:  // .sar
            let s = Int64(bitPattern: CPU.signExtend(v, size))
            r = UInt64(bitPattern: s &>> Int64(count)) & m
            cf = UInt64(bitPattern: s &>> Int64(count &- 1)) & 1
            f = CPU.zeroSignParityBits(r, size: size) | shiftAuxiliaryCarry
        }
        return (r, f | cf)
    }

    func executeShiftDouble(_ i: Instruction) throws(Fault) {
        let size = i.size
        let count = shiftCountOperand(i) & (size == 8 ? 0x3F : 0x1F)
        let d = try readRMForUpdate(i, size: size)
        if count == 0 { zeroExtendUnshifted(i, d); return }
        let s = register(i.reg, size: size)
        let n = UInt64(size) &* 8
        let m = CPU.mask(size)
        let msb = n &- 1
        let r: UInt64
        let cf: UInt64
        let overflow: Bool
        if count > n {
            // 16-bit operand, count 17..31 (undefined). The AMD Zen 4 host shifts through
            // DEST:SRC:SRC (SHLD) or SRC:SRC:DEST (SHRD), 48 bits, and clears CF. The Intel model
            // follows Bochs' description of P6 and later parts: DEST:SRC:DEST (SHLD) or
            // DEST:SRC:DEST with DEST lowest (SHRD), CF = the last bit shifted out.
            let third = vendor == .amd ? s : d
            if i.op == .shld {
                let wide = d &<< 32 | s &<< 16 | third
                r = (wide &>> (32 &- count)) & m
                cf = vendor == .amd ? 0 : (wide &>> (48 &- count)) & 1
            } else {
                let wide = third &<< 32 | s &<< 16 | d
                r = (wide &>> count) & m
                cf = vendor == .amd ? 0 : (wide &>> (count &- 1)) & 1
            }
        } else if i.op == .shld {
            r = (d &<< count | CPU.shiftedRight(s, n &- count)) & m
            cf = (d &>> (n &- count)) & 1
        } else {
            r = (d &>> count | CPU.shiftedLeft(s, n &- count)) & m
            cf = (d &>> (count &- 1)) & 1
        }
        if i.op == .shld {
            // OF (undefined for counts above 1): MSB(result) XOR CF; on the AMD Zen 4 host a
            // 16-bit SHLD by 16 gives OF = CF and by 17..31 gives OF = 0.
            if size == 2 && count >= 16 && vendor == .amd {
                overflow = count == 16 && cf != 0
            } else {
                overflow = (r &>> msb) ^ cf != 0
            }
        } else {
            overflow = ((r &>> msb) ^ (r &>> (msb &- 1))) & 1 != 0
        }
        try writeRM(i, size: size, r)
        flags.bits = cf | (overflow ? RFlags.overflow.rawValue : 0)
            | CPU.zeroSignParityBits(r, size: size) | shiftAuxiliaryCarry
    }
}
