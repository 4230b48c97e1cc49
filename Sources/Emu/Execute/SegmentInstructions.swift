/// Segment-register moves and loads (MOV Sreg, LDS/LES/LFS/LGS/LSS), far transfers and IRET
/// (FarControlFlow.swift), and the descriptor instructions LLDT, SLDT, LTR, STR, LAR, LSL,
/// VERR, VERW and ARPL (SDM vol. 2; vol. 3, 2.4 and 5.10).
extension CPU {
    /// Segment loads, far transfers, IRET and the descriptor instructions.
    func executeSegmentInstruction(_ i: Instruction) throws(Fault) {
        switch i.op {
        case .movSreg: try executeMovFromSegment(i)
        case .movToSreg: try executeMovToSegment(i)
        case .lds, .les, .lfs, .lgs, .lss: try executeLoadFarPointer(i)
        case .jmpFar, .jmpFarIndirect: try executeFarJump(i)
        case .callFar, .callFarIndirect: try executeFarCall(i)
        case .retFar: try executeFarReturn(i)
        case .iret: try executeIret(i)
        case .sldt: try storeSystemSelector(i, ldtr.selector)
        case .str: try storeSystemSelector(i, tr.selector)
        case .lldt: try executeLldt(i)
        case .ltr: try executeLtr(i)
        case .lar, .lsl: try executeLarLsl(i)
        case .verr, .verw: try executeVerify(i)
        case .arpl: try executeArpl(i)
        default: throw .invalidOpcode
        }
    }

    /// The Sreg field of MOV Sreg: ES..GS; 6 and 7 are reserved (#UD). REX.R is ignored.
    func segmentRegisterField(_ i: Instruction) throws(Fault) -> SegmentRegister {
        guard let s = SegmentRegister(rawValue: i.reg & 7) else { throw .invalidOpcode }
        return s
    }

    /// MOV r/m16, Sreg: a memory destination is always 16 bits; a register destination with a
    /// 32/64-bit operand size gets the selector zero-extended (SDM vol. 2, MOV, note on
    /// Pentium Pro and later processors).
    func executeMovFromSegment(_ i: Instruction) throws(Fault) {
        let s = try segmentRegisterField(i)
        let selector = UInt64(segments[Int(s.rawValue)].selector)
        if i.mod == 3 {
            setRegister(i.rm, size: i.size, selector)
        } else {
            try write(i.segment, effectiveAddress(i), size: 2, selector)
        }
    }

    /// MOV Sreg, r/m16 (MOV CS is #UD). MOV SS inhibits interrupts and debug traps until the
    /// end of the next instruction (SDM 6.8.3).
    func executeMovToSegment(_ i: Instruction) throws(Fault) {
        let s = try segmentRegisterField(i)
        if s == .cs { throw .invalidOpcode }
        let selector = UInt16(truncatingIfNeeded: try readRM(i, size: 2))
        try loadSegment(s, selector)
        if s == .ss { beginInterruptShadow(movSS: true) }
    }

    /// LDS/LES/LFS/LGS/LSS r, m16:16/32/64: offset then selector; the segment is loaded (with
    /// its checks) before the register is written, so a fault changes nothing.
    func executeLoadFarPointer(_ i: Instruction) throws(Fault) {
        if i.mod == 3 { throw .invalidOpcode }
        let sreg: SegmentRegister
        switch i.op {
        case .lds: sreg = .ds
        case .les: sreg = .es
        case .lfs: sreg = .fs
        case .lgs: sreg = .gs
        default: sreg = .ss
        }
        let ea = effectiveAddress(i)
        let offset = try read(i.segment, ea, size: i.size)
        let selector = UInt16(truncatingIfNeeded: try read(i.segment, (ea &+ UInt64(i.size)) & CPU.mask(i.addressSize), size: 2))
        try loadSegment(sreg, selector)
        setRegister(i.reg, size: i.size, offset)
    }

    /// The descriptor instructions are not recognised in real-address and virtual-8086 mode.
    func requireProtectedMode() throws(Fault) {
        if !protectedMode { throw .invalidOpcode }
    }

    /// SLDT/STR: #GP(0) at CPL > 0 with CR4.UMIP; a register destination is zero-extended to
    /// the operand size, a memory one is 16 bits.
    func storeSystemSelector(_ i: Instruction, _ selector: UInt16) throws(Fault) {
        try requireProtectedMode()
        if cr4 & (1 << 11) != 0 && cpl > 0 { throw .generalProtection(0) }
        if vmx.nonRoot { try vmxDescriptorTableExit(i) }
        if i.mod == 3 {
            setRegister(i.rm, size: i.size, UInt64(selector))
        } else {
            try write(i.segment, effectiveAddress(i), size: 2, UInt64(selector))
        }
    }

    /// LLDT r/m16 (SDM vol. 2, LLDT): CPL 0; a null selector makes LDTR unusable; otherwise a
    /// present LDT descriptor in the GDT (16 bytes in IA-32e mode).
    func executeLldt(_ i: Instruction) throws(Fault) {
        try requireProtectedMode()
        if cpl != 0 { throw .generalProtection(0) }
        if vmx.nonRoot { try vmxDescriptorTableExit(i) }
        let selector = UInt16(truncatingIfNeeded: try readRM(i, size: 2))
        if selector.selectorIsNull {
            ldtr = SegmentCache(selector: selector, base: 0, limit: 0, attributes: 0)
            return
        }
        let code = selector.selectorErrorCode
        if selector.selectorIsLDT { throw .generalProtection(code) }
        var d = try readDescriptor(selector, orFault: 13)
        if !d.isSystem || d.type != SystemType.ldt { throw .generalProtection(code) }
        if !d.present { throw .segmentNotPresent(code) }
        if ia32e {
            try readDescriptorHigh(selector, &d, orFault: 13)
            if !d.highTypeIsZero || !isCanonical(d.base64) { throw .generalProtection(code) }
        }
        var c = d.cache(selector: selector)
        if ia32e { c.base = d.base64 }
        ldtr = c
    }

    /// LTR r/m16 (SDM vol. 2, LTR): CPL 0; an available TSS in the GDT, which becomes busy.
    func executeLtr(_ i: Instruction) throws(Fault) {
        try requireProtectedMode()
        if cpl != 0 { throw .generalProtection(0) }
        if vmx.nonRoot { try vmxDescriptorTableExit(i) }
        let selector = UInt16(truncatingIfNeeded: try readRM(i, size: 2))
        if selector.selectorIsNull { throw .generalProtection(0) }
        let code = selector.selectorErrorCode
        if selector.selectorIsLDT { throw .generalProtection(code) }
        var d = try readDescriptor(selector, orFault: 13)
        let available = ia32e ? d.type == SystemType.tssAvailable
            : d.type == SystemType.tssAvailable || d.type == SystemType.tss16Available
        if !d.isSystem || !available { throw .generalProtection(code) }
        if !d.present { throw .segmentNotPresent(code) }
        if ia32e {
            try readDescriptorHigh(selector, &d, orFault: 13)
            if !d.highTypeIsZero || !isCanonical(d.base64) { throw .generalProtection(code) }
        }
        try writeDescriptorTypeByte(selector, UInt8(truncatingIfNeeded: d.low >> 40) | 2)
        var c = d.cache(selector: selector)
        c.attributes |= 2
        if ia32e { c.base = d.base64 }
        tr = c
    }

    /// The descriptor LAR/LSL/VERR/VERW look at, or nil when they report failure (ZF = 0):
    /// null selector, beyond the table limit. Memory faults still fault.
    func probeDescriptor(_ selector: UInt16) throws(Fault) -> Descriptor? {
        if selector.selectorIsNull { return nil }
        guard let address = descriptorAddress(selector) else { return nil }
        return Descriptor(low: try readLinear(address, size: 8))
    }

    func setZeroFlag(_ z: Bool) {
        let b = flags.bits
        flags.bits = z ? b | RFlags.zero.rawValue : b & ~RFlags.zero.rawValue
    }

    /// LAR and LSL (SDM vol. 2): ZF = 1 and the access rights (second doubleword AND
    /// 00FFFF00H) or the byte-granular limit when the descriptor is visible at CPL and RPL
    /// (conforming code is always visible) and of an allowed type; otherwise ZF = 0 and the
    /// destination is unchanged.
    func executeLarLsl(_ i: Instruction) throws(Fault) {
        try requireProtectedMode()
        let selector = UInt16(truncatingIfNeeded: try readRM(i, size: 2))
        guard let d = try probeDescriptor(selector) else { setZeroFlag(false); return }
        let lar = i.op == .lar
        var valid: Bool
        if d.isSystem {
            let types: [UInt8]
            if ia32e {
                types = lar ? [2, 9, 0xB, 0xC] : [2, 9, 0xB]
            } else {
                types = lar ? [1, 2, 3, 4, 5, 9, 0xB, 0xC] : [1, 2, 3, 9, 0xB]
            }
            valid = types.contains(d.type)
        } else {
            valid = true
        }
        let conformingCode = d.isCode && d.conforming
        if valid && !conformingCode && (d.dpl < cpl || d.dpl < selector.selectorRPL) { valid = false }
        if !valid { setZeroFlag(false); return }
        let value = lar ? (d.low >> 32) & 0x00FF_FF00 : UInt64(d.limit)
        setRegister(i.reg, size: i.size, value)
        setZeroFlag(true)
    }

    /// VERR/VERW (SDM vol. 2): ZF = 1 when the segment is readable (VERR: data or readable
    /// code) or writable (VERW: writable data) at CPL and RPL; conforming code skips the
    /// privilege check.
    func executeVerify(_ i: Instruction) throws(Fault) {
        try requireProtectedMode()
        let selector = UInt16(truncatingIfNeeded: try readRM(i, size: 2))
        guard let d = try probeDescriptor(selector), !d.isSystem else { setZeroFlag(false); return }
        let privileged = d.dpl >= cpl && d.dpl >= selector.selectorRPL
        let ok: Bool
        if i.op == .verr {
            ok = d.isData ? privileged : d.readableCode && (d.conforming || privileged)
        } else {
            ok = d.writableData && privileged
        }
        setZeroFlag(ok)
    }

    /// ARPL r/m16, r16: raises the destination RPL to the source RPL (ZF = 1), else ZF = 0.
    func executeArpl(_ i: Instruction) throws(Fault) {
        try requireProtectedMode()
        let dest = try readRMForUpdate(i, size: 2)
        let src = register(i.reg, size: 2)
        if dest & 3 < src & 3 {
            try writeRM(i, size: 2, dest & ~3 | src & 3)
            setZeroFlag(true)
        } else {
            setZeroFlag(false)
        }
    }

    /// MOV SS / POP SS (and STI) block interrupts, and MOV SS / POP SS also debug traps, until
    /// the next instruction completes (SDM 6.8.3). The run loop owns the shadow once CPU.swift
    /// has the `interruptShadow` property (see the report of issue 4); until then this hook
    /// records nothing.
    func beginInterruptShadow(movSS: Bool) { interruptShadow |= (movSS ? 2 : 1) | CPU.shadowSetNow }
}
