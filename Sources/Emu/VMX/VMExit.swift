/// VM exits (SDM vol. 3, chapter 28): one path records the exit information (28.2), saves the
/// guest state (28.3) and the VM-exit MSR-store list (28.4), loads the host state (28.5) and the
/// VM-exit MSR-load list (28.6), and returns to VMX root operation. A failure while loading host
/// state is a VMX abort (28.7). VM-entry failures after the checks of 26.2 (26.8) take the same
/// path without saving guest state.
extension Fault {
    /// Not an exception: thrown once an instruction (or an instruction boundary) has caused a VM
    /// exit, so that the rest of the instruction is skipped. It is trap-class so that `step()`
    /// keeps the host RIP the exit loaded, and `deliver` ignores it.
    public static let vmExitTaken = Fault(vector: 0xFF, trap: true)

    /// Not an exception: an access caused a VM exit (EPT violation or misconfiguration) that
    /// `vmx.pendingExit` describes. It is fault-class, so `step()` leaves RIP at the instruction
    /// (the RIP the exit saves), and `deliver` takes the VM exit.
    public static let accessVMExit = Fault(vector: 0xFE)
}

/// A VM exit recorded by the access that caused it and taken when the instruction has been
/// abandoned (see `Fault.accessVMExit`).
struct PendingVMExit {
    var reason: VMExitReason
    var info: VMExitInformation
    /// For an exit while an INT instruction delivered its event: the RIP after the instruction
    /// (the exit reports the instruction's length, 27.2.4).
    var nextRIP: UInt64? = nil
}

/// The exit-information fields of one VM exit (SDM 24.9, 28.2).
struct VMExitInformation {
    var qualification: UInt64 = 0
    var guestLinearAddress: UInt64? = nil
    var guestPhysicalAddress: UInt64? = nil
    /// VM-exit interruption information and error code (exits due to exceptions and interrupts).
    var interruptionInformation: UInt64 = 0
    var interruptionErrorCode: UInt64 = 0
    var instructionLength: UInt64 = 0
    var instructionInformation: UInt64 = 0
    /// IDT-vectoring information and error code: the event being delivered when the exit
    /// happened (27.2.4), else 0.
    var idtVectoringInformation: UInt64 = 0
    var idtVectoringErrorCode: UInt64 = 0
}

extension CPU {
    /// Cycles charged for a VM entry and for a VM exit (deterministic, like every other cost).
    static let vmEntryCycles: UInt64 = 100
    static let vmExitCycles: UInt64 = 100

    /// Takes a VM exit and ends the current instruction (the `Fault.vmExitTaken` throw).
    func takeVMExit(_ reason: VMExitReason, _ info: VMExitInformation = VMExitInformation()) throws(Fault) -> Never {
        vmExit(reason, info)
        throw .vmExitTaken
    }

    /// A VM exit caused by instruction `i`: the saved RIP is the instruction's own address and the
    /// VM-exit instruction-length field holds its length (SDM 28.2.4, 28.3.3).
    func vmExitForInstruction(_ i: Instruction, _ reason: VMExitReason, qualification: UInt64 = 0,
                              instructionInformation: UInt64 = 0, guestLinearAddress: UInt64? = nil) throws(Fault) -> Never {
        rip = (rip &- UInt64(i.length)) & ripMask
        controlFlags &= ~RFlags.resume.rawValue       // RF saved as 0 (28.3.3)
        var info = VMExitInformation()
        info.qualification = qualification
        info.instructionLength = UInt64(i.length)
        info.instructionInformation = instructionInformation
        info.guestLinearAddress = guestLinearAddress
        try takeVMExit(reason, info)
    }

    /// The VM exit: exit information, guest state, MSR store, host state, MSR load (SDM 28).
    func vmExit(_ reason: VMExitReason, _ info: VMExitInformation = VMExitInformation(), entryFailure: Bool = false) {
        cycles &+= CPU.vmExitCycles
        vmx.exitCount &+= 1
        // 28.2: basic exit reason, bit 31 for VM-entry failures; bit 28 (pending MTF) not used.
        vmx.write(.vmExitReason, UInt64(reason.rawValue) | (entryFailure ? 1 << 31 : 0))
        vmx.write(.exitQualification, info.qualification)
        if let l = info.guestLinearAddress { vmx.write(.guestLinearAddress, l) }
        if let p = info.guestPhysicalAddress { vmx.write(.guestPhysicalAddress, p) }
        vmx.write(.vmExitInterruptionInformation, info.interruptionInformation)
        vmx.write(.vmExitInterruptionErrorCode, info.interruptionErrorCode)
        vmx.write(.idtVectoringInformation, info.idtVectoringInformation)
        if info.idtVectoringInformation & 0x800 != 0 {
            vmx.write(.idtVectoringErrorCode, info.idtVectoringErrorCode)
        }
        vmx.write(.vmExitInstructionLength, info.instructionLength)
        vmx.write(.vmExitInstructionInformation, info.instructionInformation)
        // 28.2.? / 26.6: the valid bit of the VM-entry interruption-information field is cleared.
        let entryInfo = vmx.read(.vmEntryInterruptionInformation)
        vmx.write(.vmEntryInterruptionInformation, entryInfo & ~(1 << 31))

        if !entryFailure {
            if CPU.savesResumeFlag(reason, info) || betweenRepeatIterations && CPU.interruptsIteration(reason, info) {
                controlFlags |= RFlags.resume.rawValue
            }
            saveGuestState()
            vmx.write(.guestPendingDebugExceptions, savedPendingDebugExceptions(reason))
            if !storeMSRs() { vmxAbort(1); return }
        }
        tlbRecordContext()
        vmx.nonRoot = false
        vmx.guestWaitingForSIPI = false
        vmx.guestShutdown = false
        vmx.eptActive = false
        vmx.eventDeadline = .max
        vmx.mtfPending = false
        vmx.pendingDebugExceptions = 0
        guard loadHostState() else { vmxAbort(2); return }
        if !loadMSRs(count: vmx.read(.vmExitMSRLoadCount), address: vmx.read(.vmExitMSRLoadAddress)).ok {
            vmxAbort(4); return
        }
    }

    /// RFLAGS.RF as a VM exit saves it (28.3.3), where it differs from the current value: 1 for
    /// an exit caused directly by a fault-class hardware exception (as its pushed image would
    /// have it; #DB is left alone: its instruction-breakpoint form pushes RF = 0), for an EPT
    /// violation, EPT misconfiguration or APIC access outside event delivery, and for one during
    /// the delivery of such an exception.
    static func savesResumeFlag(_ reason: VMExitReason, _ info: VMExitInformation) -> Bool {
        func faultClass(_ information: UInt64) -> Bool {
            information >> 31 & 1 != 0 && (information >> 8) & 7 == 3 && information & 0xFF != 1
        }
        switch reason {
        case .exceptionOrNMI: return faultClass(info.interruptionInformation)
        case .eptViolation, .eptMisconfiguration, .apicAccess:
            return info.idtVectoringInformation >> 31 == 0 || faultClass(info.idtVectoringInformation)
        default: return false
        }
    }

    /// An exit for an event that would push RF = 1 when it comes between two iterations of a
    /// repeated string instruction (28.3.3 with 18.3.1.1): an external interrupt, an NMI, or a
    /// #DB trap of the iteration, as the exit's own event or as the event whose delivery exited.
    static func interruptsIteration(_ reason: VMExitReason, _ info: VMExitInformation) -> Bool {
        func interruptOrTrap(_ information: UInt64) -> Bool {
            guard information >> 31 & 1 != 0 else { return false }
            let type = (information >> 8) & 7
            return type == 0 || type == 2 || type == 3 && information & 0xFF == 1
        }
        switch reason {
        case .externalInterrupt: return true
        case .exceptionOrNMI: return interruptOrTrap(info.interruptionInformation)
        case .eptViolation, .eptMisconfiguration, .apicAccess: return interruptOrTrap(info.idtVectoringInformation)
        default: return false
        }
    }

    /// VMX abort (SDM 28.7): the indicator is written to the current VMCS region (bytes 4-7) and
    /// the logical processor shuts down; `deliver` reports the shutdown to the run loop.
    /// Indicators: 1 saving guest MSRs failed, 2 loading the host PDPTEs failed, 4 loading host
    /// MSRs failed.
    func vmxAbort(_ indicator: UInt32) {
        memory.write(vmx.currentVMCS &+ VMCSLayout.abortIndicatorOffset, size: 4, value: UInt64(indicator))
        vmx.aborted = true
        vmx.nonRoot = false
        vmx.eptActive = false
        vmx.eventDeadline = .max
        halted = true
    }

    // MARK: 28.3 Saving guest state

    /// The VMCS fields of a segment register: selector, base, limit, access rights.
    static func guestSegmentFields(_ s: SegmentRegister) -> (VMCSField, VMCSField, VMCSField, VMCSField) {
        switch s {
        case .es: return (.guestESSelector, .guestESBase, .guestESLimit, .guestESAccessRights)
        case .cs: return (.guestCSSelector, .guestCSBase, .guestCSLimit, .guestCSAccessRights)
        case .ss: return (.guestSSSelector, .guestSSBase, .guestSSLimit, .guestSSAccessRights)
        case .ds: return (.guestDSSelector, .guestDSBase, .guestDSLimit, .guestDSAccessRights)
        case .fs: return (.guestFSSelector, .guestFSBase, .guestFSLimit, .guestFSAccessRights)
        case .gs: return (.guestGSSelector, .guestGSBase, .guestGSLimit, .guestGSAccessRights)
        }
    }

    /// Access rights with the "unusable" bit (16): a register whose cache is not present was
    /// loaded with a null selector or is otherwise unusable (SDM 24.4.1). `unusableIfAbsent`
    /// says whether that reading applies (the caller decides by register and mode).
    func saveSegment(_ cache: SegmentCache, _ fields: (VMCSField, VMCSField, VMCSField, VMCSField), unusableIfAbsent: Bool) {
        vmx.write(fields.0, UInt64(cache.selector))
        vmx.write(fields.1, cache.base)
        vmx.write(fields.2, UInt64(cache.limit))
        let unusable = unusableIfAbsent && !cache.present
        vmx.write(fields.3, unusable ? 1 << 16 : UInt64(cache.attributes & 0xF0FF))
    }

    func saveGuestState() {
        vmx.write(.guestCR0, cr0)
        vmx.write(.guestCR3, cr3)
        vmx.write(.guestCR4, cr4)
        if vmx.exitControls.contains(.saveDebugControls) {
            vmx.write(.guestDR7, CPU.dr7Value(dr[7]))
            vmx.write(.guestIA32DebugCtl, vmx.guestDebugCtl)
        }
        vmx.write(.guestIA32SysenterCS, systemRegisters.sysenterCS & 0xFFFF_FFFF)
        vmx.write(.guestIA32SysenterESP, systemRegisters.sysenterESP)
        vmx.write(.guestIA32SysenterEIP, systemRegisters.sysenterEIP)
        if vmx.exitControls.contains(.saveIA32PAT) { vmx.write(.guestIA32PAT, systemRegisters.pat) }
        if vmx.exitControls.contains(.saveIA32EFER) { vmx.write(.guestIA32EFER, efer) }
        for s in SegmentRegister.allCases {
            saveSegment(segment(s), CPU.guestSegmentFields(s), unusableIfAbsent: s != .cs && cr0 & 1 != 0)
        }
        // LDTR keeps the state VM entry gave it outside protected mode (LLDT is #UD in real-address
        // and virtual-8086 mode), so an unusable LDTR of a real-mode guest is saved unusable.
        saveSegment(ldtr, (.guestLDTRSelector, .guestLDTRBase, .guestLDTRLimit, .guestLDTRAccessRights),
                    unusableIfAbsent: true)
        saveSegment(tr, (.guestTRSelector, .guestTRBase, .guestTRLimit, .guestTRAccessRights), unusableIfAbsent: false)
        vmx.write(.guestGDTRBase, gdtr.base)
        vmx.write(.guestGDTRLimit, UInt64(gdtr.limit))
        vmx.write(.guestIDTRBase, idtr.base)
        vmx.write(.guestIDTRLimit, UInt64(idtr.limit))
        vmx.write(.guestRSP, registers[4])
        vmx.write(.guestRIP, rip)
        vmx.write(.guestRFLAGS, rflags)
        // 28.3.4: activity state, interruptibility state (STI, MOV SS, NMI blocking); `vmExit`
        // saves the pending debug exceptions.
        let activity = vmx.guestWaitingForSIPI ? CPU.waitForSIPIActivityState : vmx.guestShutdown ? CPU.shutdownActivityState : 1
        vmx.write(.guestActivityState, halted ? activity : 0)
        var interruptibility: UInt64 = 0
        if interruptShadow & 1 != 0 { interruptibility |= 1 }
        if interruptShadow & 2 != 0 { interruptibility |= 2 }
        if nmiBlocked { interruptibility |= 8 }
        vmx.write(.guestInterruptibilityState, interruptibility)
        if vmx.exitControls.contains(.saveVMXPreemptionTimerValue) {
            let now = cycles >> UInt64(vmx.capabilities.preemptionTimerRate)
            let left = vmx.preemptionTimerExpiry > now ? vmx.preemptionTimerExpiry - now : 0
            vmx.write(.vmxPreemptionTimerValue, min(left, 0xFFFF_FFFF))
        }
        // IA32_VMX_MISC[5]: the "IA-32e mode guest" entry control receives EFER.LMA.
        let entry = vmx.read(.vmEntryControls)
        vmx.write(.vmEntryControls, efer & 0x400 != 0 ? entry | 0x200 : entry & ~0x200)
        if vmx.secondary.contains(.enableEPT) && paePagingMode {
            let p = systemRegisters.pdptes
            vmx.write(.guestPDPTE0, p.0); vmx.write(.guestPDPTE1, p.1)
            vmx.write(.guestPDPTE2, p.2); vmx.write(.guestPDPTE3, p.3)
        }
    }

    // MARK: 28.4, 26.4 MSR lists

    /// Whether an MSR-list entry may name `index` (SDM 26.4, 28.4, 28.6): not FS/GS base through
    /// the load lists, not the x2APIC range, not IA32_SMBASE, the microcode MSRs or
    /// IA32_SMM_MONITOR_CTL.
    static func msrListAllows(_ index: UInt32, load: Bool) -> Bool {
        if index >> 8 == 0x8 { return false }                      // x2APIC MSRs 800H-8FFH
        if index == 0x9E || index == 0x79 || index == 0x8B || index == 0x9B { return false }
        if load && (index == 0xC000_0100 || index == 0xC000_0101) { return false }
        return true
    }

    /// Loads an MSR-load list; on failure, the 1-based number of the failing entry.
    func loadMSRs(count: UInt64, address: UInt64) -> (ok: Bool, failedEntry: UInt64) {
        guard count > 0 else { return (true, 0) }
        for k in 0..<min(count, 512 * UInt64(vmx.capabilities.msrListSizeFactor + 1)) {
            let entry = address &+ k &* 16
            let header = memory.read(entry, size: 8)
            let index = UInt32(truncatingIfNeeded: header)
            guard header >> 32 == 0, CPU.msrListAllows(index, load: true) else { return (false, k + 1) }
            do { try writeMSR(index, memory.read(entry &+ 8, size: 8)) } catch { return (false, k + 1) }
        }
        return (true, 0)
    }

    /// The VM-exit MSR-store list (28.4).
    func storeMSRs() -> Bool {
        let count = vmx.read(.vmExitMSRStoreCount), address = vmx.read(.vmExitMSRStoreAddress)
        guard count > 0 else { return true }
        for k in 0..<min(count, 512 * UInt64(vmx.capabilities.msrListSizeFactor + 1)) {
            let entry = address &+ k &* 16
            let header = memory.read(entry, size: 8)
            let index = UInt32(truncatingIfNeeded: header)
            guard header >> 32 == 0, CPU.msrListAllows(index, load: false) else { return false }
            guard let v = try? readMSR(index) else { return false }
            memory.write(entry &+ 8, size: 8, value: v)
        }
        return true
    }

    // MARK: 28.5 Loading host state

    /// Loads the host-state area; false if the host PDPTEs cannot be loaded (VMX abort 2).
    func loadHostState() -> Bool {
        let hostSize = vmx.exitControls.contains(.hostAddressSpaceSize)
        // 28.5.1: CR0 keeps ET (set), CD, NW and its reserved bits.
        let keep: UInt64 = (1 << 30) | (1 << 29) | 0x1FF8_0000 | (1 << 17) | 0xFFC0
        cr0 = (vmx.read(.hostCR0) & ~keep & 0xFFFF_FFFF) | (cr0 & keep) | 0x10
        cr3 = vmx.read(.hostCR3)
        cr4 = vmx.read(.hostCR4)
        dr[7] = 0x400
        refreshBreakpoints()    // the guest's breakpoints are off (CPU/DebugBreakpoints.swift)
        vmx.guestDebugCtl = 0
        systemRegisters.sysenterCS = vmx.read(.hostIA32SysenterCS) & 0xFFFF_FFFF
        systemRegisters.sysenterESP = vmx.read(.hostIA32SysenterESP)
        systemRegisters.sysenterEIP = vmx.read(.hostIA32SysenterEIP)
        if vmx.exitControls.contains(.loadIA32PAT) { systemRegisters.pat = vmx.read(.hostIA32PAT) }
        if vmx.exitControls.contains(.loadIA32EFER) {
            efer = vmx.read(.hostIA32EFER)
        } else {
            efer = hostSize ? efer | 0x500 : efer & ~0x500
        }
        // 28.5.2: flat segments, DPL 0; CS is a 64-bit code segment with "host address-space size".
        let cs = SegmentCache(selector: UInt16(vmx.read(.hostCSSelector)), base: 0, limit: 0xFFFF_FFFF,
                              attributes: hostSize ? 0xA09B : 0xC09B)
        setSegment(.cs, cs)
        func loadData(_ s: SegmentRegister, _ field: VMCSField, base: UInt64 = 0) {
            let selector = UInt16(truncatingIfNeeded: vmx.read(field))
            // A null selector makes the register unusable; SS stays usable (a 64-bit host may
            // run with a null SS, which the stack accesses here treat as flat).
            let usable = selector != 0 || s == .ss
            setSegment(s, SegmentCache(selector: selector, base: base, limit: usable ? 0xFFFF_FFFF : 0,
                                       attributes: usable ? 0xC093 : 0))
        }
        loadData(.es, .hostESSelector)
        loadData(.ss, .hostSSSelector)
        loadData(.ds, .hostDSSelector)
        loadData(.fs, .hostFSSelector, base: vmx.read(.hostFSBase))
        loadData(.gs, .hostGSSelector, base: vmx.read(.hostGSBase))
        tr = SegmentCache(selector: UInt16(vmx.read(.hostTRSelector)), base: vmx.read(.hostTRBase),
                          limit: 0x67, attributes: 0x8B)
        ldtr = SegmentCache(selector: 0, base: 0, limit: 0, attributes: 0)
        gdtr = DescriptorTable(base: vmx.read(.hostGDTRBase), limit: 0xFFFF)
        idtr = DescriptorTable(base: vmx.read(.hostIDTRBase), limit: 0xFFFF)
        registers[4] = vmx.read(.hostRSP)
        rip = vmx.read(.hostRIP)
        rflags = 0x2
        cpl = 0
        halted = false
        interruptShadow = 0
        updateCodeMode()
        // Back to VPID 0's set, invalidated unless the guest had a VPID of its own (29.4.3.3).
        tlbExitToRoot()
        if !hostSize && cr0 & 0x8000_0000 != 0 && cr4 & 0x20 != 0 {
            do { try loadPDPTEs(cr3) } catch { return false }
        }
        return true
    }
}
