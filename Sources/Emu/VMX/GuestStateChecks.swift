/// The checks VM entry makes on the guest-state area (SDM vol. 3, 26.3.1) after the control and
/// host-state checks passed. A failure is a VM exit with basic reason 33 and bit 31 set
/// ("VM-entry failure due to invalid guest state", 26.8), with exit qualification 0 (most
/// checks), 2 (PDPTEs, 26.3.1.6) or 4 (VMCS link pointer, 26.3.1.5).
extension CPU {
    /// The guest segment registers as the checks see them (selector, base, limit, AR).
    struct GuestSegment {
        var selector: UInt64, base: UInt64, limit: UInt64, ar: UInt64
        var unusable: Bool { ar & 0x1_0000 != 0 }
        var type: UInt64 { ar & 0xF }
        var s: Bool { ar & 0x10 != 0 }
        var dpl: UInt64 { (ar >> 5) & 3 }
        var present: Bool { ar & 0x80 != 0 }
        var l: Bool { ar & 0x2000 != 0 }
        var db: Bool { ar & 0x4000 != 0 }
        var g: Bool { ar & 0x8000 != 0 }
        var rpl: UInt64 { selector & 3 }
        /// Reserved AR bits 11:8 and 31:17 are zero.
        var reservedClear: Bool { ar & 0xFFFE_0F00 == 0 }
        /// Limit and G agree: limit[11:0] not all ones needs G = 0, limit[31:20] nonzero needs G = 1.
        var granularityConsistent: Bool {
            if limit & 0xFFF != 0xFFF && g { return false }
            if limit >> 20 != 0 && !g { return false }
            return true
        }
    }

    func guestSegment(_ f: (VMCSField, VMCSField, VMCSField, VMCSField)) -> GuestSegment {
        GuestSegment(selector: vmx.read(f.0), base: vmx.read(f.1), limit: vmx.read(f.2), ar: vmx.read(f.3))
    }

    /// Returns nil if the guest state passes 26.3.1, else the exit qualification.
    public func checkGuestState() -> UInt64? {
        let caps = vmx.capabilities
        let entry = VMEntryControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.vmEntryControls)))
        let primary = PrimaryProcessorBasedControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.primaryProcessorBasedVMExecutionControls)))
        let secondary: SecondaryProcessorBasedControls = primary.contains(.activateSecondaryControls)
            ? SecondaryProcessorBasedControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.secondaryProcessorBasedVMExecutionControls))) : []
        let pin = PinBasedControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.pinBasedVMExecutionControls)))
        let unrestricted = secondary.contains(.unrestrictedGuest)
        let ia32e = entry.contains(.ia32eModeGuest)
        let width = UInt64(vmxPhysicalAddressWidth)
        let cr0 = vmx.read(.guestCR0), cr4 = vmx.read(.guestCR4)
        let rflags = vmx.read(.guestRFLAGS)
        let injection = vmx.read(.vmEntryInterruptionInformation)
        let injecting = injection & 0x8000_0000 != 0
        let injectionType = (injection >> 8) & 7

        // 26.3.1.1 Control registers, debug registers and MSRs.
        let cr0Fixed0 = caps.cr0Fixed0 & ~(unrestricted ? 0x8000_0001 : 0)
        guard cr0 & cr0Fixed0 == cr0Fixed0, cr0 & ~caps.cr0Fixed1 == 0,
              cr4 & caps.cr4Fixed0 == caps.cr4Fixed0, cr4 & ~vmxCR4Fixed1 == 0 else { return 0 }
        if cr0 & 0x8000_0000 != 0 && cr0 & 1 == 0 { return 0 }               // PG without PE
        if entry.contains(.loadDebugControls) {
            // IA32_DEBUGCTL: bits 0, 1 and 6-14 may be 1 (BTF, LBR, TR, BTS...); DR7[63:32] = 0.
            if vmx.read(.guestIA32DebugCtl) & ~0x7FC3 != 0 { return 0 }
            if vmx.read(.guestDR7) >> 32 != 0 { return 0 }
        }
        if ia32e {
            if cr0 & 0x8000_0000 == 0 || cr4 & 0x20 == 0 { return 0 }
        } else if cr4 & 0x2_0000 != 0 {
            return 0                                                          // PCIDE outside IA-32e
        }
        if vmx.read(.guestCR3) >> width != 0 { return 0 }
        if !isCanonical(vmx.read(.guestIA32SysenterESP)) || !isCanonical(vmx.read(.guestIA32SysenterEIP)) { return 0 }
        if entry.contains(.loadIA32PAT) && !isValidPAT(vmx.read(.guestIA32PAT)) { return 0 }
        if entry.contains(.loadIA32EFER) {
            let e = vmx.read(.guestIA32EFER)
            if e & ~0xD01 != 0 { return 0 }
            if (e & 0x400 != 0) != ia32e { return 0 }
            if cr0 & 0x8000_0000 != 0 && (e & 0x100 != 0) != ia32e { return 0 }
        }

        // 26.3.1.2 Segment registers.
        let tr = guestSegment((.guestTRSelector, .guestTRBase, .guestTRLimit, .guestTRAccessRights))
        let ldtr = guestSegment((.guestLDTRSelector, .guestLDTRBase, .guestLDTRLimit, .guestLDTRAccessRights))
        let cs = guestSegment(CPU.guestSegmentFields(.cs)), ss = guestSegment(CPU.guestSegmentFields(.ss))
        let ds = guestSegment(CPU.guestSegmentFields(.ds)), es = guestSegment(CPU.guestSegmentFields(.es))
        let fs = guestSegment(CPU.guestSegmentFields(.fs)), gs = guestSegment(CPU.guestSegmentFields(.gs))
        let v86 = rflags & 0x2_0000 != 0
        if tr.selector & 4 != 0 { return 0 }                                  // TR.TI
        if !ldtr.unusable && ldtr.selector & 4 != 0 { return 0 }              // LDTR.TI
        if !v86 && !unrestricted && ss.rpl != cs.rpl { return 0 }
        if v86 {
            for seg in [cs, ss, ds, es, fs, gs] {
                if seg.base != seg.selector << 4 || seg.limit != 0xFFFF || seg.ar != 0xF3 { return 0 }
            }
        }
        // Bases: TR, FS, GS (and a usable LDTR) canonical; CS, and usable SS/DS/ES, below 4 GiB.
        if !isCanonical(tr.base) || !isCanonical(fs.base) || !isCanonical(gs.base) { return 0 }
        if !ldtr.unusable && !isCanonical(ldtr.base) { return 0 }
        if cs.base >> 32 != 0 { return 0 }
        for seg in [ss, ds, es] where !seg.unusable && seg.base >> 32 != 0 { return 0 }
        if !v86 {
            // CS: accessed code (9, 11, 13, 15), or accessed read/write data (3) with unrestricted guest.
            switch cs.type {
            case 9, 11, 13, 15: break
            case 3 where unrestricted: break
            default: return 0
            }
            guard cs.s, cs.present, cs.reservedClear, cs.granularityConsistent else { return 0 }
            switch cs.type {
            case 3: if cs.dpl != 0 { return 0 }
            case 9, 11: if cs.dpl != ss.dpl { return 0 }
            default: if cs.dpl > ss.dpl { return 0 }
            }
            if ia32e && cs.l && cs.db { return 0 }
            // SS: DPL = RPL without unrestricted guest; DPL 0 with a type-3 CS or CR0.PE = 0.
            if !unrestricted && ss.dpl != ss.rpl { return 0 }
            if (cs.type == 3 || cr0 & 1 == 0) && ss.dpl != 0 { return 0 }
            if !ss.unusable {
                guard ss.type == 3 || ss.type == 7, ss.s, ss.present, ss.reservedClear, ss.granularityConsistent
                else { return 0 }
            }
            for seg in [ds, es, fs, gs] where !seg.unusable {
                // Accessed; a code segment must be readable; DPL >= RPL for data and
                // non-conforming code without unrestricted guest.
                guard seg.type & 1 != 0, seg.type & 8 == 0 || seg.type & 2 != 0, seg.s, seg.present,
                      seg.reservedClear, seg.granularityConsistent else { return 0 }
                if !unrestricted && seg.type <= 11 && seg.dpl < seg.rpl { return 0 }
            }
        }
        // TR: busy 16-bit TSS (outside IA-32e) or busy 32/64-bit TSS, system, present, usable.
        guard tr.type == 11 || (tr.type == 3 && !ia32e), !tr.s, tr.present, tr.reservedClear,
              tr.granularityConsistent, !tr.unusable else { return 0 }
        if !ldtr.unusable {
            guard ldtr.type == 2, !ldtr.s, ldtr.present, ldtr.reservedClear, ldtr.granularityConsistent else { return 0 }
        }

        // 26.3.1.3 GDTR and IDTR.
        if !isCanonical(vmx.read(.guestGDTRBase)) || !isCanonical(vmx.read(.guestIDTRBase)) { return 0 }
        if vmx.read(.guestGDTRLimit) >> 16 != 0 || vmx.read(.guestIDTRLimit) >> 16 != 0 { return 0 }

        // 26.3.1.4 RIP and RFLAGS.
        let rip = vmx.read(.guestRIP)
        if !(ia32e && cs.l) && rip >> 32 != 0 { return 0 }
        if ia32e && cs.l && !isCanonical(rip) { return 0 }
        // Reserved bits 63:22, 15, 5, 3 clear, bit 1 set.
        if rflags & 0xFFFF_FFFF_FFC0_8028 != 0 || rflags & 2 == 0 { return 0 }
        if (ia32e || cr0 & 1 == 0) && v86 { return 0 }
        if injecting && injectionType == 0 && rflags & 0x200 == 0 { return 0 }

        // 26.3.1.5 Non-register state.
        let activity = vmx.read(.guestActivityState)
        guard activity <= 3, activity == 0 || caps.activityStates >> (activity - 1) & 1 != 0 else { return 0 }
        if activity == 1 && ss.dpl != 0 { return 0 }
        let interruptibility = vmx.read(.guestInterruptibilityState)
        if interruptibility & ~0x1F != 0 { return 0 }
        if interruptibility & 3 == 3 { return 0 }
        if rflags & 0x200 == 0 && interruptibility & 1 != 0 { return 0 }
        if interruptibility & 4 != 0 { return 0 }                             // blocking by SMI: not in SMM
        if interruptibility & 0x10 != 0 { return 0 }                          // enclave interruption: no SGX
        if activity != 0 && interruptibility & 3 != 0 { return 0 }
        if injecting {
            if injectionType == 0 && interruptibility & 3 != 0 { return 0 }
            if injectionType == 2 {
                if interruptibility & 2 != 0 { return 0 }
                if pin.contains(.virtualNMIs) && interruptibility & 8 != 0 { return 0 }
            }
            // Events allowed in the HLT and shutdown activity states; none in wait-for-SIPI (26.3.1.5).
            let vector = injection & 0xFF
            switch activity {
            case 1:
                let ok = injectionType == 0 || injectionType == 2 || (injectionType == 3 && (vector == 1 || vector == 18))
                    || (injectionType == 7 && vector == 0)
                if !ok { return 0 }
            case 2:
                if !(injectionType == 2 || (injectionType == 3 && vector == 18)) { return 0 }
            case 3:
                return 0
            default: break
            }
        }
        let pending = vmx.read(.guestPendingDebugExceptions)
        if pending & ~0x1_500F != 0 { return 0 }                              // bits 3:0, 12, 14, 16
        if interruptibility & 3 != 0 || activity == 1 {
            let tf = rflags & 0x100 != 0
            let btf = vmx.read(.guestIA32DebugCtl) & 2 != 0
            let bs = pending & 0x4000 != 0
            if tf && !btf && !bs { return 0 }
            if (!tf || btf) && bs { return 0 }
        }
        // VMCS link pointer: all ones, or a valid pointer to a VMCS with the right revision.
        let link = vmx.read(.vmcsLinkPointer)
        if link != UInt64.max {
            guard isValidVMXPointer(link) else { return 4 }
            let revision = memory.read(link, size: 4)
            guard revision & 0x7FFF_FFFF == UInt64(caps.revisionIdentifier & 0x7FFF_FFFF),
                  revision >> 31 == (secondary.contains(.vmcsShadowing) ? 1 : 0) else { return 4 }
        }

        // 26.3.1.6 PDPTEs: PAE paging outside IA-32e mode; from the VMCS with EPT, else from
        // the table at guest CR3 (26.4.1).
        if cr0 & 0x8000_0000 != 0 && cr4 & 0x20 != 0 && !ia32e {
            let entries: [UInt64]
            if secondary.contains(.enableEPT) {
                entries = [vmx.read(.guestPDPTE0), vmx.read(.guestPDPTE1), vmx.read(.guestPDPTE2), vmx.read(.guestPDPTE3)]
            } else {
                let table = vmx.read(.guestCR3) & 0xFFFF_FFE0
                entries = (0..<4).map { memory.read(table &+ UInt64(8 * $0), size: 8) }
            }
            for e in entries where e & 1 != 0 && (e & 0x1E6 != 0 || e >> width != 0) { return 2 }
        }
        return nil
    }
}
