/// SYSCALL/SYSRET (SDM vol. 2; APM vol. 3 and vol. 2, 6.1.1), SYSENTER/SYSEXIT (SDM vol. 2) and
/// SWAPGS. These load CS and SS with fixed flat descriptors instead of reading the GDT.
extension CPU {
    /// Flat 4 GiB segment attributes in `SegmentCache` form: G (15), D/B (14), L (13), P (7),
    /// DPL (6:5), S (4), type (3:0).
    static func flatCode(dpl: UInt16, long: Bool) -> UInt16 {
        0x8000 | (long ? 0x2000 : 0x4000) | 0x80 | dpl << 5 | 0x10 | 0xB
    }
    static func flatStack(dpl: UInt16) -> UInt16 { 0x8000 | 0x4000 | 0x80 | dpl << 5 | 0x10 | 0x3 }

    private func loadFlat(_ s: SegmentRegister, selector: UInt16, attributes: UInt16) {
        setSegment(s, SegmentCache(selector: selector, base: 0, limit: 0xFFFF_FFFF, attributes: attributes))
    }

    /// CPL moves between 3 and 0: the software TLB caches permission decisions made at the old
    /// CPL, so it is invalidated.
    private func setCPL(_ new: UInt8) {
        if (new == 3) != (cpl == 3) { flushTLB() }
        cpl = new
    }

    func executeSyscall() throws(Fault) {
        let regs = systemRegisters
        if efer & EFER.sce.rawValue == 0 { throw .invalidOpcode }
        let long = longModeActive
        // Intel: only in 64-bit mode; AMD also in compatibility and legacy protected mode.
        if vendor == .intel && codeMode != .long64 { throw .invalidOpcode }
        if cr0 & CR0.pe.rawValue == 0 || controlFlags & RFlags.virtual8086.rawValue != 0 { throw .invalidOpcode }
        let selector = UInt16(truncatingIfNeeded: regs.star >> 32) & 0xFFFC
        let flags = rflags
        if long {
            registers[1] = rip
            registers[11] = flags & ~RFlags.resume.rawValue
            rflags = flags & ~regs.fmask & ~RFlags.resume.rawValue
            rip = codeMode == .long64 ? regs.lstar : regs.cstar
            loadFlat(.cs, selector: selector, attributes: CPU.flatCode(dpl: 0, long: true))
        } else {
            // AMD legacy mode: ECX = return EIP, EIP = STAR[31:0]; VM, IF, RF cleared.
            registers[1] = rip & 0xFFFF_FFFF
            rflags = flags & ~(RFlags.virtual8086.rawValue | RFlags.interrupt.rawValue | RFlags.resume.rawValue)
            rip = regs.star & 0xFFFF_FFFF
            loadFlat(.cs, selector: selector, attributes: CPU.flatCode(dpl: 0, long: false))
        }
        loadFlat(.ss, selector: selector &+ 8, attributes: CPU.flatStack(dpl: 0))
        setCPL(0)
        updateCodeMode()
    }

    func executeSysret(_ i: Instruction) throws(Fault) {
        let regs = systemRegisters
        if efer & EFER.sce.rawValue == 0 { throw .invalidOpcode }
        if vendor == .intel && codeMode != .long64 { throw .invalidOpcode }
        if cr0 & CR0.pe.rawValue == 0 || controlFlags & RFlags.virtual8086.rawValue != 0 || cpl != 0 {
            throw .generalProtection(0)
        }
        let base = UInt16(truncatingIfNeeded: regs.star >> 48)
        let to64 = i.size == 8
        if longModeActive {
            // Intel checks RCX before changing anything; AMD faults later, at the fetch.
            if to64 && vendor == .intel && !isCanonicalAddress(registers[1]) { throw .generalProtection(0) }
            rflags = (registers[11] & 0x3C_7FD7) | 0x2
            rip = to64 ? registers[1] : registers[1] & 0xFFFF_FFFF
            loadFlat(.cs, selector: (to64 ? base &+ 16 : base) | 3, attributes: CPU.flatCode(dpl: 3, long: to64))
        } else {
            // AMD legacy mode: EIP = ECX, IF set.
            rflags = rflags | RFlags.interrupt.rawValue
            rip = registers[1] & 0xFFFF_FFFF
            loadFlat(.cs, selector: base | 3, attributes: CPU.flatCode(dpl: 3, long: false))
        }
        let ssSelector = (base &+ 8) | 3
        if vendor == .intel {
            loadFlat(.ss, selector: ssSelector, attributes: CPU.flatStack(dpl: 3))
        } else {
            // AMD loads only the SS selector and DPL; the rest of the hidden part stays as it was
            // (APM vol. 3, SYSRET: "SS.attr unchanged" apart from the selector).
            var ss = segment(.ss)
            ss.selector = ssSelector
            ss.attributes = ss.attributes & ~0x60 | 0x60
            setSegment(.ss, ss)
        }
        setCPL(3)
        updateCodeMode()
    }

    func executeSysenter() throws(Fault) {
        let regs = systemRegisters
        // AMD: SYSENTER/SYSEXIT are #UD in long mode (APM vol. 3, SYSENTER).
        if vendor == .amd && longModeActive { throw .invalidOpcode }
        if cr0 & CR0.pe.rawValue == 0 || regs.sysenterCS & 0xFFFC == 0 { throw .generalProtection(0) }
        let cs = UInt16(truncatingIfNeeded: regs.sysenterCS) & 0xFFFC
        rflags = rflags & ~(RFlags.virtual8086.rawValue | RFlags.interrupt.rawValue | RFlags.resume.rawValue)
        let long = longModeActive
        if long {
            registers[4] = regs.sysenterESP
            rip = regs.sysenterEIP
        } else {
            registers[4] = regs.sysenterESP & 0xFFFF_FFFF
            rip = regs.sysenterEIP & 0xFFFF_FFFF
        }
        loadFlat(.cs, selector: cs, attributes: CPU.flatCode(dpl: 0, long: long))
        loadFlat(.ss, selector: cs &+ 8, attributes: CPU.flatStack(dpl: 0))
        setCPL(0)
        updateCodeMode()
    }

    func executeSysexit(_ i: Instruction) throws(Fault) {
        let regs = systemRegisters
        if vendor == .amd && longModeActive { throw .invalidOpcode }
        if cr0 & CR0.pe.rawValue == 0 || regs.sysenterCS & 0xFFFC == 0 || cpl != 0 {
            throw .generalProtection(0)
        }
        let cs = UInt16(truncatingIfNeeded: regs.sysenterCS)
        let to64 = i.size == 8 && codeMode == .long64
        if to64 {
            if !isCanonicalAddress(registers[1]) || !isCanonicalAddress(registers[2]) { throw .generalProtection(0) }
            registers[4] = registers[1]
            rip = registers[2]
        } else {
            registers[4] = registers[1] & 0xFFFF_FFFF
            rip = registers[2] & 0xFFFF_FFFF
        }
        loadFlat(.cs, selector: (cs &+ (to64 ? 32 : 16)) | 3, attributes: CPU.flatCode(dpl: 3, long: to64))
        loadFlat(.ss, selector: (cs &+ (to64 ? 40 : 24)) | 3, attributes: CPU.flatStack(dpl: 3))
        setCPL(3)
        updateCodeMode()
    }

    /// SWAPGS: exchanges GS.base with IA32_KERNEL_GS_BASE (64-bit mode, CPL 0).
    func executeSwapgs() throws(Fault) {
        if codeMode != .long64 { throw .invalidOpcode }
        if cpl != 0 { throw .generalProtection(0) }
        var gs = segment(.gs)
        let kernel = systemRegisters.kernelGSBase
        systemRegisters.kernelGSBase = gs.base
        gs.base = kernel
        setSegment(.gs, gs)
    }
}
