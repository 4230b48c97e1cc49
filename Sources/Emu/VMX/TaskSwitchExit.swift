/// Task switches in VMX non-root operation (SDM vol. 3, 26.4.2): never performed; once the
/// checks on the gate and on the new TSS descriptor (type, P, S, limit) have passed, the attempt
/// is a VM exit with reason 9. The exit is fault-like: RIP stays at the CALL, JMP or IRET (whose
/// length the exit reports), or the event that used a task gate in the IDT is reported in the
/// IDT-vectoring fields (28.2.3, 28.2.5).
extension CPU {
    /// Exit qualification (table "Exit Qualification for Task Switch"): bits 15:0 the selector
    /// of the new TSS, bits 31:30 the source (0 CALL, 1 IRET, 2 JMP, 3 task gate in the IDT).
    /// The exit is recorded as pending and taken where the instruction or the event delivery
    /// is abandoned (`Fault.accessVMExit`), which fills in the length and IDT-vectoring fields.
    func vmxTaskSwitch(to selector: UInt16, reason: TaskSwitchReason) throws(Fault) -> Never {
        let source: UInt64
        switch reason {
        case .call: source = 0
        case .iret: source = 1
        case .jump: source = 2
        case .interrupt: source = 3
        }
        var info = VMExitInformation()
        info.qualification = UInt64(selector) | source << 30
        vmx.pendingExit = PendingVMExit(reason: .taskSwitch, info: info, nextRIP: reason == .interrupt ? nil : rip)
        throw .accessVMExit
    }
}
