/// INIT and start-up IPIs in VMX operation (SDM vol. 3, 24.8 "INIT blocked in VMX root
/// operation", 25.2 "Other Causes of VM Exits", 24.4.2 activity states): INIT is blocked in VMX
/// root operation (the local APIC keeps it pending until VMXOFF or VM entry) and causes a VM
/// exit (reason 3) in non-root operation instead of initialising the processor; a start-up IPI
/// causes a VM exit (reason 4, the vector as qualification) when the guest is in the
/// wait-for-SIPI activity state, and is dropped otherwise. A guest in wait-for-SIPI takes no
/// interrupts (Machine/InterruptAcceptance.swift).
extension CPU {
    /// The activity-state values of shutdown and wait-for-SIPI (24.4.2).
    static let shutdownActivityState: UInt64 = 2
    static let waitForSIPIActivityState: UInt64 = 3

    /// An INIT signal reached the processor in VMX non-root operation.
    public func vmxINITSignal() {
        vmExit(.initSignal)
    }

    /// A start-up IPI reached the processor in VMX non-root operation.
    public func vmxStartupIPI(vector: UInt8) {
        guard vmx.guestWaitingForSIPI else { return }
        var info = VMExitInformation()
        info.qualification = UInt64(vector)
        vmExit(.startupIPI, info)
    }

    /// VM entry and VMXOFF unblock a pending INIT: the run loop looks at the local APIC again.
    func vmxINITUnblocked() {
        if let apic = localAPIC, apic.pendingINIT { apic.attention.pending |= Attention.interrupt }
    }
}
