import Testing
@testable import Emu

/// A guest entered in the shutdown activity state (SDM vol. 3, 24.4.2, 27.7.5, 27.7.6): a VM exit
/// saves activity state 2; interrupt-window exiting does not exit there; an injected NMI ends it.
@Suite struct ShutdownActivityStateTests {
    typealias G = VMXGuestMachine

    @Test func initExitSavesShutdown() {
        let g = G()
        g.cpu.vmx.write(.guestActivityState, 2)
        #expect(g.launch() == .succeed)
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted)
        g.cpu.vmxINITSignal()
        #expect(g.exitReason == 3)
        #expect(g.cpu.vmx.read(.guestActivityState) == 2)
    }

    @Test func noInterruptWindowExit() {
        let g = G()
        g.cpu.vmx.write(.guestActivityState, 2)
        g.cpu.vmx.write(.guestRFLAGS, 0x202)
        g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 2)
        #expect(g.launch() == .succeed)
        #expect(g.cpu.vmx.nonRoot)
    }

    /// An injected NMI leaves shutdown: the handler runs (its VMCALL exits, activity active).
    @Test func injectedNMIEndsShutdown() {
        let g = G()
        g.setGate(2, handler: G.guestCode + 0x100)
        _ = g.memory.load([0x0F, 0x01, 0xC1], at: G.guestCode + 0x100)
        #expect(g.exitOf([0x90]) {
            $0.cpu.vmx.write(.guestActivityState, 2)
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0202)
        } == 18)
        #expect(g.cpu.vmx.read(.guestActivityState) == 0)
    }
}
