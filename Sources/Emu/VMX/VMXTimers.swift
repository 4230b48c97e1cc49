/// VM exits at instruction boundaries: the VMX-preemption timer (reason 52, SDM 26.5.1), the
/// monitor trap flag (37, 26.5.2), the interrupt window (7) and the NMI window (8) (26.7.5,
/// 26.7.6). The deadline is the earliest cycle at which one of these may be due, and all ones
/// when none is armed; `CPU.step()` checks it after an instruction through `CPU.eventCycle`,
/// which is never later (Execute/Dispatch.swift).
extension CPU {
    /// Arms the preemption timer (its value counts down each time bit X of the TSC changes, X =
    /// IA32_VMX_MISC[4:0]) and the per-instruction checks.
    func startTimers() {
        vmx.mtfPending = false
        if vmx.pin.contains(.activateVMXPreemptionTimer) {
            let value = vmx.read(.vmxPreemptionTimerValue) & 0xFFFF_FFFF
            vmx.preemptionTimerExpiry = (cycles >> UInt64(vmx.capabilities.preemptionTimerRate)) &+ value
        } else {
            vmx.preemptionTimerExpiry = .max
        }
        recomputeEventDeadline()
    }

    /// The cycle at which the preemption timer reaches zero; all ones when it is not active.
    var preemptionTimerDeadline: UInt64 {
        let expiry = vmx.preemptionTimerExpiry
        guard expiry != .max else { return .max }
        let rate = UInt64(vmx.capabilities.preemptionTimerRate)
        return expiry >> (64 - rate) != 0 ? .max : expiry << rate
    }

    /// `insideInstruction`: called during VMLAUNCH/VMRESUME, whose own retirement still adds a
    /// cycle before the first guest instruction runs.
    func recomputeEventDeadline(insideInstruction: Bool = false) {
        guard vmx.nonRoot else { vmx.eventDeadline = .max; return }
        var deadline = UInt64.max
        if vmx.mtfPending || vmx.primary.contains(.monitorTrapFlag) || vmx.virtualInterruptPending
            || vmx.pendingDebugExceptions != 0
            || !vmx.primary.isDisjoint(with: [.interruptWindowExiting, .nmiWindowExiting]) {
            deadline = cycles &+ (insideInstruction ? 2 : 1)   // the end of the next instruction
        }
        deadline = min(deadline, preemptionTimerDeadline)
        vmx.eventDeadline = deadline
        eventCycle = min(eventCycle, deadline)
    }

    /// The VM exits due before the first guest instruction (26.7.4-26.7.6).
    func vmxExitsAtEntry() throws(Fault) {
        if vmx.mtfPending { try takeVMExit(.monitorTrapFlag) }
        try deliverPendingDebugExceptions()
        try boundaryExits()
        try deliverPendingVirtualInterrupt()
        recomputeEventDeadline(insideInstruction: true)
    }

    /// Called at an instruction boundary when `cycles >= vmx.eventDeadline`: an instruction has
    /// completed. `singleStep`: EFLAGS.TF was set when it began (Execute/Dispatch.swift).
    @inline(never)
    func vmxEventDeadline(singleStep: Bool) throws(Fault) {
        guard vmx.nonRoot else { vmx.eventDeadline = .max; return }
        // The single-step #DB the caller raises next (none after MOV SS or when the instruction
        // cleared TF): below trap-like and MTF VM exits, above the preemption timer and the
        // windows (SDM 26.5.2, 27.7.4-27.7.6, table 7-2).
        let debugTrap = singleStep && interruptShadow & 2 == 0 && controlFlags & RFlags.trap.rawValue != 0
        // Trap-like exits of the instruction come before MTF (26.5.2): APIC-write emulation.
        try apicWriteEmulation(singleStep: debugTrap)
        // MTF after each instruction when the control is 1 (or once after an injected event);
        // the exit saves the single-step trap as pending (BS, 28.3.4).
        if vmx.mtfPending || vmx.primary.contains(.monitorTrapFlag) {
            vmx.mtfPending = false
            if debugTrap { vmx.pendingDebugExceptions |= 0x4000 }
            try takeVMExit(.monitorTrapFlag)
        }
        // Debug exceptions VM entry held back behind MOV SS blocking: delivered now, or with the
        // single-step trap (DR6 receives both).
        if vmx.pendingDebugExceptions != 0 && interruptShadow & 2 == 0 {
            if debugTrap {
                dr[6] |= vmx.pendingDebugExceptions & CPU.pendingDebugConditionBits
                vmx.pendingDebugExceptions = 0
            } else {
                try deliverPendingDebugExceptions()
            }
        }
        // The lower-priority exits follow the #DB's delivery (`vmxExitsAfterDelivery`).
        if debugTrap { return }
        try boundaryExits()
        try deliverPendingVirtualInterrupt()
        recomputeEventDeadline()
    }

    /// Preemption timer, NMI window, interrupt window, in that priority (SDM 7.9 table 7-2 and
    /// 26.7.5/26.7.6).
    func boundaryExits() throws(Fault) {
        if let reason = boundaryExitReason() { try takeVMExit(reason) }
    }

    /// None in the wait-for-SIPI state: the timer counts down there without exiting (25.2,
    /// 26.5.1) and the windows do not open (27.7.5, 27.7.6).
    func boundaryExitReason() -> VMExitReason? {
        if vmx.guestWaitingForSIPI { return nil }
        if cycles >= preemptionTimerDeadline { return .vmxPreemptionTimerExpired }
        if vmx.primary.contains(.nmiWindowExiting) && !nmiBlocked && interruptShadow & 2 == 0 {
            return .nmiWindow
        }
        // Not in the shutdown state, which only NMIs end (27.7.5).
        if vmx.primary.contains(.interruptWindowExiting) && controlFlags & RFlags.interrupt.rawValue != 0
            && interruptShadow & 3 == 0 && !vmx.guestShutdown {
            return .interruptWindow
        }
        return nil
    }

    /// An event was delivered through the guest IDT (a fault of the instruction or any nested
    /// exception, a debug trap, an interrupt or NMI) without a VM exit: the boundary before the
    /// handler's first instruction. With "monitor trap flag" an MTF VM exit is pending there
    /// (26.5.2); else the preemption timer and the windows are checked. A TPR-below-threshold
    /// exit held back by shutdown comes first (the delivered NMI ended shutdown, 27.7.7).
    func vmxExitsAfterDelivery() {
        guard vmx.nonRoot else { return }
        if vmx.tprExitAfterShutdown {
            vmx.tprExitAfterShutdown = false
            vmExit(.tprBelowThreshold)
        } else if vmx.primary.contains(.monitorTrapFlag) {
            vmExit(.monitorTrapFlag)
        } else if let reason = boundaryExitReason() {
            vmExit(reason)
        }
    }

    /// A halted processor sleeps until `wake` (its next clock event, or the end of the run
    /// loop's turn). In VMX non-root operation in the HLT or shutdown activity state the
    /// preemption timer wakes it first when it expires earlier, with its VM exit (as an NMI
    /// would; in wait-for-SIPI it counts down without exiting: 25.2, 26.5.1). `interruptible`:
    /// an interrupt may come at `wake`. False when nothing can wake the processor.
    func sleepUntil(_ wake: UInt64, interruptible: Bool) -> Bool {
        let timer = vmx.nonRoot && !vmx.guestWaitingForSIPI ? preemptionTimerDeadline : .max
        guard interruptible || timer != .max else { return false }
        cycles = max(cycles, min(wake, timer))
        if cycles >= timer { vmExit(.vmxPreemptionTimerExpired) }
        return true
    }
}
