/// VM entry after the checks of 26.2 passed (SDM vol. 3, 26.3-26.7): guest-state checks,
/// loading guest state, the VM-entry MSR-load list, entering non-root operation, event
/// injection and the VM exits due at the start of the guest (preemption timer 0, open
/// interrupt/NMI windows).
extension CPU {
    /// Performs VM entry; on a VM-entry failure the CPU continues at the host RIP (26.8).
    func enterGuest(launch: Bool) throws(Fault) {
        cycles &+= CPU.vmEntryCycles
        if let qualification = checkGuestState() {
            vmEntryFailure(.vmEntryFailureInvalidGuestState, qualification: qualification)
            throw .vmExitTaken
        }
        loadControls()
        loadGuestState()
        let msr = loadMSRs(count: vmx.read(.vmEntryMSRLoadCount), address: vmx.read(.vmEntryMSRLoadAddress))
        if !msr.ok {
            vmEntryFailure(.vmEntryFailureMSRLoading, qualification: msr.failedEntry)
            throw .vmExitTaken
        }
        if launch { vmx.launched = true }
        vmx.nonRoot = true
        vmx.eptActive = vmx.secondary.contains(.enableEPT)
        vmx.pendingExit = nil
        loadAPICVirtualization()
        startTimers()
        loadPendingDebugExceptions()
        try injectEvent()
        try apicVirtualizationAtEntry()
        vmxINITUnblocked()
        try vmxExitsAtEntry()
    }

    /// A VM exit caused by a VM-entry failure (26.8): no guest state is saved.
    func vmEntryFailure(_ reason: VMExitReason, qualification: UInt64) {
        // The controls decide how host state is loaded (address-space size, EFER, PAT).
        vmx.exitControls = VMExitControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.primaryVMExitControls)))
        var info = VMExitInformation()
        info.qualification = qualification
        vmExit(reason, info, entryFailure: true)
    }

    /// Copies the controls non-root operation consults into `VMXState` (see there).
    func loadControls() {
        func control(_ f: VMCSField) -> UInt32 { UInt32(truncatingIfNeeded: vmx.read(f)) }
        vmx.pin = PinBasedControls(rawValue: control(.pinBasedVMExecutionControls))
        vmx.primary = PrimaryProcessorBasedControls(rawValue: control(.primaryProcessorBasedVMExecutionControls))
        vmx.secondary = vmx.primary.contains(.activateSecondaryControls)
            ? SecondaryProcessorBasedControls(rawValue: control(.secondaryProcessorBasedVMExecutionControls)) : []
        vmx.exitControls = VMExitControls(rawValue: control(.primaryVMExitControls))
        vmx.entryControls = VMEntryControls(rawValue: control(.vmEntryControls))
        vmx.exceptionBitmap = control(.exceptionBitmap)
        vmx.cr0Mask = vmx.read(.cr0GuestHostMask)
        vmx.cr4Mask = vmx.read(.cr4GuestHostMask)
        vmx.cr0Shadow = vmx.read(.cr0ReadShadow)
        vmx.cr4Shadow = vmx.read(.cr4ReadShadow)
        vmx.tscOffset = vmx.primary.contains(.useTSCOffsetting) ? vmx.read(.tscOffset) : 0
        vmx.tscMultiplier = vmx.primary.contains(.useTSCOffsetting) && vmx.secondary.contains(.useTSCScaling)
            ? vmx.read(.tscMultiplier) : nil
        vmx.lastPauseCycle = nil
        vmx.eptPointer = vmx.read(.eptPointer)
    }

    /// A segment cache from the VMCS access-rights format (24.4.1): the CPU's attributes use the
    /// same bit positions (type, S, DPL, P, AVL, L, D/B, G); an unusable register is not present.
    func loadGuestSegment(_ f: (VMCSField, VMCSField, VMCSField, VMCSField)) -> SegmentCache {
        let ar = vmx.read(f.3)
        let unusable = ar & 0x1_0000 != 0
        return SegmentCache(selector: UInt16(truncatingIfNeeded: vmx.read(f.0)), base: vmx.read(f.1),
                            limit: UInt32(truncatingIfNeeded: vmx.read(f.2)),
                            attributes: unusable ? UInt16(ar & 0x7060) : UInt16(ar & 0xF0FF))
    }

    /// 26.4: control and debug registers, MSRs, segment and descriptor-table registers, RIP,
    /// RSP, RFLAGS, and the non-register state.
    func loadGuestState() {
        tlbRecordContext()
        let ia32e = vmx.entryControls.contains(.ia32eModeGuest)
        cr0 = vmx.read(.guestCR0) & 0xFFFF_FFFF | 0x10
        cr3 = vmx.read(.guestCR3)
        cr4 = vmx.read(.guestCR4)
        if vmx.entryControls.contains(.loadDebugControls) {
            dr[7] = CPU.dr7Value(vmx.read(.guestDR7))
            vmx.guestDebugCtl = vmx.read(.guestIA32DebugCtl)
        }
        systemRegisters.sysenterCS = vmx.read(.guestIA32SysenterCS) & 0xFFFF_FFFF
        systemRegisters.sysenterESP = vmx.read(.guestIA32SysenterESP)
        systemRegisters.sysenterEIP = vmx.read(.guestIA32SysenterEIP)
        if vmx.entryControls.contains(.loadIA32PAT) { systemRegisters.pat = vmx.read(.guestIA32PAT) }
        if vmx.entryControls.contains(.loadIA32EFER) {
            efer = vmx.read(.guestIA32EFER)
        } else {
            // 26.4.1: LMA from "IA-32e mode guest"; LME too when CR0.PG = 1.
            efer = ia32e ? efer | 0x400 : efer & ~0x400
            if cr0 & 0x8000_0000 != 0 { efer = ia32e ? efer | 0x100 : efer & ~0x100 }
        }
        for s in SegmentRegister.allCases { setSegment(s, loadGuestSegment(CPU.guestSegmentFields(s))) }
        ldtr = loadGuestSegment((.guestLDTRSelector, .guestLDTRBase, .guestLDTRLimit, .guestLDTRAccessRights))
        tr = loadGuestSegment((.guestTRSelector, .guestTRBase, .guestTRLimit, .guestTRAccessRights))
        gdtr = DescriptorTable(base: vmx.read(.guestGDTRBase), limit: UInt16(truncatingIfNeeded: vmx.read(.guestGDTRLimit)))
        idtr = DescriptorTable(base: vmx.read(.guestIDTRBase), limit: UInt16(truncatingIfNeeded: vmx.read(.guestIDTRLimit)))
        registers[4] = vmx.read(.guestRSP)
        rip = vmx.read(.guestRIP)
        rflags = vmx.read(.guestRFLAGS)
        refreshBreakpoints()    // guest DR7, CR4.DE and RF (CPU/DebugBreakpoints.swift)
        // CPL is SS.DPL (0 in real-address mode, 3 in virtual-8086 mode).
        let v86 = controlFlags & RFlags.virtual8086.rawValue != 0
        cpl = cr0 & 1 == 0 ? 0 : v86 ? 3 : segment(.ss).dpl
        updateCodeMode()
        // 26.6.? / 26.7.1: interruptibility holds for the first guest instruction.
        let interruptibility = vmx.read(.guestInterruptibilityState)
        let shadow = UInt8(interruptibility & 3)
        interruptShadow = shadow == 0 ? 0 : shadow | CPU.shadowSetNow
        nmiBlocked = interruptibility & 8 != 0
        halted = vmx.read(.guestActivityState) != 0
        vmx.guestWaitingForSIPI = vmx.read(.guestActivityState) == CPU.waitForSIPIActivityState
        vmx.guestShutdown = vmx.read(.guestActivityState) == CPU.shutdownActivityState
        // PDPTEs (26.4.1): checked by 26.3.1.6 already.
        if paePagingMode {
            if vmx.secondary.contains(.enableEPT) {
                systemRegisters.pdptes = (vmx.read(.guestPDPTE0), vmx.read(.guestPDPTE1),
                                          vmx.read(.guestPDPTE2), vmx.read(.guestPDPTE3))
            } else {
                try? loadPDPTEs(cr3)
            }
        }
        // VPID 0's mappings are invalidated, or the guest's VPID-tagged set is used (29.4.3.3).
        tlbEnterGuest()
    }

    // MARK: 26.6 Event injection

    /// Delivers the event of the VM-entry interruption-information field through the guest IDT.
    func injectEvent() throws(Fault) {
        let info = vmx.read(.vmEntryInterruptionInformation)
        guard info & 0x8000_0000 != 0 else { return }
        let vector = UInt8(info & 0xFF)
        let type = (info >> 8) & 7
        let errorCode: UInt32? = info & 0x800 != 0 ? UInt32(truncatingIfNeeded: vmx.read(.vmEntryExceptionErrorCode)) : nil
        let source: EventSource
        switch type {
        case 7:                                       // other event: pending MTF (26.6.2)
            vmx.mtfPending = true
            vmx.eventDeadline = cycles
            return
        case 0: source = .external                    // external interrupt
        case 2: source = .external; nmiBlocked = true // NMI
        case 3: source = .exception
        case 5: source = .privilegedSoftware          // INT1
        default: source = .software                   // INT n, INT3, INTO
        }
        let guestRIP = rip
        let softwareEvent = type == 4 || type == 5 || type == 6
        if softwareEvent {
            // RIP pushed is the address of the next instruction (26.6.1.3).
            rip = (rip &+ vmx.read(.vmEntryInstructionLength)) & ripMask
        }
        halted = false
        vmx.guestShutdown = false                     // an injected NMI or #MC ends shutdown
        vmx.injectedEventInformation = info
        // RFLAGS is pushed as loaded: RF is not set for fault-class exceptions (27.6.1.1), as a
        // trap-class event leaves it.
        let event = InterruptEvent(vector: vector, errorCode: source == .exception ? errorCode : nil,
                                   source: source, trap: true)
        let outcome = softwareEvent ? deliverInjectedSoftwareEvent(event, guestRIP: guestRIP) : deliverEvent(event)
        vmx.injectedEventInformation = 0
        if case .tripleFault = outcome { try takeVMExit(.tripleFault) }
        // An EPT violation or misconfiguration during delivery has already exited (27.2.4).
        if !vmx.nonRoot { throw .vmExitTaken }
        // An injected event makes MTF fire before the handler's first instruction (26.6.2).
        if vmx.primary.contains(.monitorTrapFlag) { vmx.mtfPending = true; vmx.eventDeadline = cycles }
    }

    /// An injected software interrupt or exception (RIP already past its "instruction"): an
    /// exception during its delivery that does not cause a VM exit is delivered with the guest
    /// RIP as loaded (27.6.1.1), as for an INT n instruction that faults.
    func deliverInjectedSoftwareEvent(_ e: InterruptEvent, guestRIP: UInt64) -> DeliveryOutcome {
        do throws(Fault) {
            try deliverThroughTable(e)
            return .delivered
        } catch {
            if error == .accessVMExit { return vmxExitDuringDelivery(e) }
            var f = error
            if e.source == .privilegedSoftware, (10...13).contains(f.vector) { f.errorCode = (f.errorCode ?? 0) | 1 }
            let next = InterruptEvent(vector: f.vector, errorCode: f.errorCode, source: .exception, trap: f.trap)
            if let exited = vmxExceptionDuringDelivery(e, next) { return exited }
            rip = guestRIP
            vmx.injectedEventInformation = 0
            return deliverEvent(next)
        }
    }
}
