/// The pending-debug-exceptions field (SDM vol. 3, table 25-4: B3-B0 in bits 3:0, enabled
/// breakpoint in bit 12, BS in bit 14): debug exceptions VM entry delivers (27.7.3) and VM exits
/// save when a higher-priority VM exit came first (28.3.4).
extension CPU {
    /// Bits of the field a #DB reports in DR6 and in the exit qualification: B3-B0 and BS.
    static let pendingDebugConditionBits: UInt64 = 0x400F

    /// At VM entry, before event injection: the field's pending debug exceptions, if valid (BS or
    /// enabled breakpoint set), are pending for the guest unless the entry is vectoring or the
    /// guest enters shutdown or wait-for-SIPI. Blocking by MOV SS holds them until the boundary
    /// after the first guest instruction, as it holds a debug trap of MOV SS.
    func loadPendingDebugExceptions() {
        vmx.pendingDebugExceptions = 0
        let pending = vmx.read(.guestPendingDebugExceptions)
        let injection = vmx.read(.vmEntryInterruptionInformation)
        let vectoring = injection >> 31 & 1 != 0 && (injection >> 8) & 7 != 7
        let activity = vmx.read(.guestActivityState)
        guard pending & 0x5000 != 0, !vectoring, activity <= 1 else { return }
        vmx.pendingDebugExceptions = pending & 0x500F
    }

    /// Delivers the pending debug exceptions after VM entry with the priority of a trap on the
    /// previous instruction (below a pending MTF VM exit and TPR-threshold exits, above the
    /// preemption timer and the NMI and interrupt windows): a VM exit (reason 0, the conditions
    /// as qualification) if the exception bitmap intercepts #DB, else DR6 receives them and the
    /// #DB goes through the guest IDT, followed by an MTF VM exit when that control is 1.
    func deliverPendingDebugExceptions() throws(Fault) {
        let pending = vmx.pendingDebugExceptions
        guard pending != 0, interruptShadow & 2 == 0 else { return }
        vmx.pendingDebugExceptions = 0
        let conditions = pending & CPU.pendingDebugConditionBits
        if vmxExceptionExits(Fault(vector: 1, trap: true)) {
            var info = VMExitInformation()
            info.interruptionInformation = 1 | 3 << 8 | 1 << 31
            info.qualification = conditions
            try takeVMExit(.exceptionOrNMI, info)
        }
        dr[6] |= conditions
        try finishBoundaryDelivery(deliverEvent(InterruptEvent(vector: 1, errorCode: nil, source: .exception, trap: true)))
    }

    /// Inside an instruction: whether its single-step trap is due when it completes (RFLAGS.TF
    /// was 1 when it began and still is; a MOV SS shadow left by the previous instruction ends
    /// with this one and does not hold the trap).
    var instructionSingleStep: Bool { singleStepping && controlFlags & RFlags.trap.rawValue != 0 }

    /// A trap-like VM exit (TPR below threshold, virtualized EOI, APIC write: 29.1.2, 29.1.4,
    /// 29.4.3.3) happens once the instruction has completed, in place of its debug traps: the
    /// exit saves them as pending (28.3.4), BS when `singleStep`, and for the enabled data or
    /// I/O breakpoints it hit their B0-B3 bits and bit 12; the next VM entry delivers them
    /// before any guest instruction (27.7.3).
    func takeTrapLikeVMExit(_ reason: VMExitReason, _ info: VMExitInformation = VMExitInformation(),
                            singleStep: Bool) throws(Fault) -> Never {
        if singleStep { vmx.pendingDebugExceptions |= 0x4000 }
        let hits = UInt64(systemRegisters.breakpoints.hits)
        if hits != 0 { vmx.pendingDebugExceptions |= hits | 0x1000 }
        try takeVMExit(reason, info)
    }

    /// The value a VM exit saves in the field: the pending debug exceptions for exits that leave
    /// them pending (MTF, the trap-like TPR-below-threshold, virtualized-EOI and APIC-write
    /// exits, INIT) and for exits other than #DB while MOV SS blocks debug exceptions, else 0
    /// (28.3.4).
    func savedPendingDebugExceptions(_ reason: VMExitReason) -> UInt64 {
        switch reason {
        case .monitorTrapFlag, .tprBelowThreshold, .virtualizedEOI, .apicWrite, .initSignal:
            return vmx.pendingDebugExceptions
        default: return interruptShadow & 2 != 0 ? vmx.pendingDebugExceptions : 0
        }
    }
}
