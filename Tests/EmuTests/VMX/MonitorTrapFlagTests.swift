import Testing
@testable import Emu

/// The monitor trap flag (SDM vol. 3, 26.5.2): an MTF VM exit on the boundary after an
/// instruction, after the delivery of a fault it raised through the guest IDT (before the
/// handler's first instruction), and after an injected event's delivery.
@Suite struct MonitorTrapFlagTests {
    typealias G = VMXGuestMachine
    static let handler = G.guestCode + 0x100
    static let mtf: UInt64 = 1 << 27

    @Test func afterAFaultDeliveredThroughTheGuestIDT() {
        let g = G()
        g.setGate(6, handler: Self.handler)
        _ = g.memory.load([0x90, 0x90], at: Self.handler)
        #expect(g.exitOf([0x0F, 0x0B]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, Self.mtf) } == 37)
        #expect(g.savedRIP == Self.handler)
        let rsp = g.cpu.vmx.read(.guestRSP)
        #expect(rsp == G.guestStack - 40)                                    // the 64-bit frame
        #expect(g.memory.read(rsp, size: 8) == G.guestCode)                  // #UD: RIP of UD2
    }

    @Test func afterAnInjectedInterrupt() {
        let g = G()
        g.setGate(0x30, handler: Self.handler)
        _ = g.memory.load([0x90], at: Self.handler)
        #expect(g.exitOf([0x90]) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, Self.mtf)
            $0.cpu.vmx.write(.guestRFLAGS, 0x202)
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0030)
        } == 37)
        #expect(g.savedRIP == Self.handler)
        #expect(g.cpu.vmx.read(.guestPendingDebugExceptions) == 0)
    }

    /// An MTF VM exit has priority over the single-step trap of the instruction (26.5.2); the
    /// exit saves it as a pending debug exception (BS, 28.3.4), which the next VM entry
    /// delivers (27.7.3): here intercepted, with BS as the qualification.
    @Test func singleStepTrapHeldPendingByMTF() {
        let g = G()
        #expect(g.exitOf([0x90, 0x0F, 0xA2]) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, Self.mtf)
            $0.cpu.vmx.write(.guestRFLAGS, 0x102)                           // TF
        } == 37)
        #expect(g.savedRIP == G.guestCode + 1)
        #expect(g.cpu.vmx.read(.guestPendingDebugExceptions) == 0x4000)
        let v = g.cpu.vmx
        v.write(.primaryProcessorBasedVMExecutionControls, v.read(.primaryProcessorBasedVMExecutionControls) & ~Self.mtf)
        v.write(.exceptionBitmap, 1 << 1)
        #expect(g.m.run(VMXTestMachine.vmresume) == .fault(.vmExitTaken))
        #expect(g.exitReason == 0)
        #expect(v.read(.vmExitInterruptionInformation) == 0x8000_0301)
        #expect(g.qualification == 0x4000)
        #expect(g.savedRIP == G.guestCode + 1)
    }
}
