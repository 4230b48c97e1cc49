/// BT, BTS, BTR, BTC, BSF, BSR, TZCNT, LZCNT, POPCNT (SDM vol. 2).
///
/// Undefined flags (the SDM leaves them undefined), as the AMD Zen host produces them; see
/// `BitOpsTests.swift`:
/// - BT/BTS/BTR/BTC: CF = the selected bit; ZF unaffected; OF, SF, AF, PF: `bitTestFlags`.
/// - BSF/BSR: ZF = source is zero; CF, OF, SF, AF, PF: `bitScanFlags`.
/// - TZCNT/LZCNT: CF, ZF per SDM; OF, SF, AF, PF: `bitCountFlags`.
/// The Intel model uses the same values (no Intel host vectors to compare against).
extension CPU {
    /// BT/BTS/BTR/BTC. With a register bit offset and a memory operand, the offset is signed
    /// and may select any bit of memory relative to the effective address: the operand is read
    /// at EA + (offset SAR log2(width)) * (width / 8); otherwise the offset is taken modulo the
    /// operand width.
    func executeBitTest(_ i: Instruction) throws(Fault) {
        let size = i.size
        let bits = UInt64(size) &* 8
        let offset: UInt64
        if i.form == .rmReg {
            offset = register(i.reg, size: size)
        } else {
            offset = i.immediate & 0xFF
        }
        let bit = offset & (bits &- 1)
        let v: UInt64
        var address: UInt64 = 0
        let memory = i.mod != 3
        if memory {
            address = effectiveAddress(i)
            if i.form == .rmReg {
                // Signed displacement in whole operands: offset SAR log2(bits), times size bytes.
                let shift: Int64 = size == 2 ? 4 : size == 4 ? 5 : 6
                let words = Int64(bitPattern: CPU.signExtend(offset, size)) &>> shift
                address = (address &+ UInt64(bitPattern: words) &* UInt64(size)) & CPU.mask(i.addressSize)
            }
            if i.op == .bt {
                v = try read(i.segment, address, size: size)
            } else {
                try probeWrite(i.segment, address, size: size)
                v = try read(i.segment, address, size: size)
            }
        } else {
            v = register(i.rm, size: size)
        }
        let cf = (v &>> bit) & 1
        let selected: UInt64 = 1 &<< bit
        let r: UInt64
        switch i.op {
        case .bts: r = v | selected
        case .btr: r = v & ~selected
        case .btc: r = v ^ selected
        default: r = v
        }
        if i.op != .bt {
            if memory {
                try write(i.segment, address, size: size, r)
            } else {
                setRegister(i.rm, size: size, r)
            }
        }
        flags.bits = bitTestFlags(carry: cf)
    }

    /// Flags after BT*: CF = the bit; the others as the host leaves them (unchanged).
    @inline(__always)
    func bitTestFlags(carry: UInt64) -> UInt64 {
        flags.bits & ~RFlags.carry.rawValue | carry
    }

    /// BSF/BSR: a zero source sets ZF and leaves the destination unchanged (both vendors; all 64
    /// bits, even with a 32-bit operand).
    func executeBitScan(_ i: Instruction) throws(Fault) {
        let size = i.size
        let src = try readRM(i, size: size)
        if src == 0 {
            flags.bits = bitScanFlags(source: src, result: 0)
            return
        }
        let r: UInt64 = i.op == .bsf
            ? UInt64(src.trailingZeroBitCount)
            : 63 &- UInt64(src.leadingZeroBitCount)
        setRegister(i.reg, size: size, r)
        flags.bits = bitScanFlags(source: src, result: r)
    }

    /// Flags after BSF/BSR: ZF = source is zero. CF, OF, SF, AF, PF are undefined: AMD clears CF,
    /// OF, SF, AF and sets PF from the result's low byte (as if the result were 0 for a zero
    /// source: PF = 1); the Intel model does the same.
    @inline(__always)
    func bitScanFlags(source: UInt64, result: UInt64) -> UInt64 {
        var f: UInt64 = source == 0 ? RFlags.zero.rawValue : 0
        if UInt8(truncatingIfNeeded: result).nonzeroBitCount & 1 == 0 { f |= RFlags.parity.rawValue }
        return f
    }

    /// TZCNT, LZCNT (CF = source is zero, ZF = result is zero) and POPCNT (ZF = source is zero,
    /// the other five flags cleared).
    func executeBitCount(_ i: Instruction) throws(Fault) {
        let size = i.size
        let bits = UInt64(size) &* 8
        let src = try readRM(i, size: size)
        let r: UInt64
        switch i.op {
        case .tzcnt:
            r = src == 0 ? bits : UInt64(src.trailingZeroBitCount)
        case .lzcnt:
            r = UInt64(src.leadingZeroBitCount) &- (64 &- bits)
        default:
            r = UInt64(src.nonzeroBitCount)
            setRegister(i.reg, size: size, r)
            flags.bits = src == 0 ? RFlags.zero.rawValue : 0
            return
        }
        setRegister(i.reg, size: size, r)
        flags.bits = bitCountFlags(source: src, result: r)
    }

    /// Flags after TZCNT/LZCNT: CF = source is zero, ZF = result is zero. OF, SF, AF, PF are
    /// undefined: AMD keeps OF and clears SF, AF, PF; the Intel model does the same.
    @inline(__always)
    func bitCountFlags(source: UInt64, result: UInt64) -> UInt64 {
        var f = flags.bits & RFlags.overflow.rawValue
        if source == 0 { f |= RFlags.carry.rawValue }
        if result == 0 { f |= RFlags.zero.rawValue }
        return f
    }
}
