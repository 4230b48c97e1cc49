import Testing
@testable import Emu

/// "NMI exiting" (SDM vol. 3, 26.2, 28.2.2): an NMI in non-root operation is a VM exit with
/// reason 0 and interruption information vector 2, type NMI; without the control it goes
/// through the guest IDT and blocks NMIs.
@Suite struct NMIExitingTests {
    typealias G = VMXGuestMachine

    @Test func nmiExits() {
        let g = G()
        g.setControl(.pinBasedVMExecutionControls, 1 << 3)
        g.launch([0x90, 0x90])
        #expect(g.cpu.vmx.nonRoot)
        #expect(g.cpu.vmxNMI())
        #expect(g.exitReason == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0202)
        #expect(g.savedRIP == G.guestCode)
    }

    @Test func withoutNMIExitingTheGuestTakesIt() {
        let g = G()
        g.setGate(2, handler: G.guestCode + 0x100)
        _ = g.memory.load([0x0F, 0x01, 0xC1], at: G.guestCode + 0x100)        // VMCALL
        g.launch([0x90, 0x90])
        #expect(!g.cpu.vmxNMI())
        g.cpu.nmiBlocked = true
        #expect(g.cpu.deliverExternalInterrupt(vector: 2) == .delivered)
        #expect(g.runUntilExit() == 18)
        #expect(g.cpu.vmx.read(.guestInterruptibilityState) & 8 != 0)
        #expect(g.memory.read(g.cpu.vmx.read(.guestRSP), size: 8) == G.guestCode)
    }
}
