import Testing
@testable import Emu

/// The pending-debug-exceptions field at VM entry (SDM vol. 3, 27.7.3): valid when BS or the
/// enabled-breakpoint bit is set; delivered as a trap before the first guest instruction, with
/// priority over the preemption timer and below a pending MTF VM exit.
@Suite struct PendingDebugExceptionTests {
    typealias G = VMXGuestMachine
    static let handler = G.guestCode + 0x100

    @Test func interceptedWithTheConditionsAsQualification() {
        let g = G()
        #expect(g.exitOf([0x0F, 0xA2]) {
            $0.cpu.vmx.write(.exceptionBitmap, 1 << 1)
            $0.cpu.vmx.write(.guestPendingDebugExceptions, 0x1001)            // enabled breakpoint, B0
        } == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0301)
        #expect(g.qualification == 1)
        #expect(g.savedRIP == G.guestCode)
        #expect(g.cpu.vmx.read(.guestPendingDebugExceptions) == 0)
    }

    /// Blocking by MOV SS holds them until after the first instruction: an exit of that
    /// instruction saves them as still pending (28.3.4); else the #DB follows it.
    @Test func heldBehindMOVSSBlocking() {
        func run(_ code: [UInt8]) -> G {
            let g = G()
            _ = g.exitOf(code) {
                $0.cpu.vmx.write(.exceptionBitmap, 1 << 1)
                $0.cpu.vmx.write(.guestInterruptibilityState, 2)
                $0.cpu.vmx.write(.guestPendingDebugExceptions, 0x1001)
            }
            return g
        }
        let c = run([0x0F, 0xA2])                                               // CPUID
        #expect(c.exitReason == 10)
        #expect(c.cpu.vmx.read(.guestPendingDebugExceptions) == 0x1001)
        let n = run([0x90, 0x0F, 0xA2])                                         // NOP; CPUID
        #expect(n.exitReason == 0 && n.qualification == 1)
        #expect(n.savedRIP == G.guestCode + 1)
    }

    /// With TF, the held BS and the first instruction's single-step trap are one #DB.
    @Test func heldBehindMOVSSWithSingleStep() {
        let g = G()
        #expect(g.exitOf([0x90, 0x90]) {
            $0.cpu.vmx.write(.exceptionBitmap, 1 << 1)
            $0.cpu.vmx.write(.guestRFLAGS, 0x102)
            $0.cpu.vmx.write(.guestInterruptibilityState, 2)
            $0.cpu.vmx.write(.guestPendingDebugExceptions, 0x4000)
        } == 0)
        #expect(g.qualification == 0x4000)
        #expect(g.savedRIP == G.guestCode + 1)
    }

    /// B0 alone (no BS, no enabled breakpoint) is not a valid pending debug exception.
    @Test func matchedButNotEnabledBreakpointIsIgnored() {
        let g = G()
        #expect(g.exitOf([0x0F, 0xA2]) {
            $0.cpu.vmx.write(.exceptionBitmap, 1 << 1)
            $0.cpu.vmx.write(.guestPendingDebugExceptions, 1)
        } == 10)
    }

    /// Delivered through the guest IDT: DR6 receives BS, the frame returns to the first guest
    /// instruction; a preemption timer loaded with 0 exits after the delivery (27.7.4).
    @Test func deliveredBeforeTheTimerExit() {
        let g = G()
        g.setGate(1, handler: Self.handler)
        _ = g.memory.load([0x90], at: Self.handler)
        #expect(g.exitOf([0x0F, 0xA2]) {
            $0.cpu.vmx.write(.guestPendingDebugExceptions, 0x4000)
            $0.setControl(.pinBasedVMExecutionControls, 1 << 6)
            $0.cpu.vmx.write(.vmxPreemptionTimerValue, 0)
        } == 52)
        #expect(g.savedRIP == Self.handler)
        #expect(g.cpu.dr[6] & 0x4000 != 0)
        #expect(g.memory.read(g.cpu.vmx.read(.guestRSP), size: 8) == G.guestCode)
    }

    /// A single-step trap not intercepted: delivered through the guest IDT; a preemption timer
    /// that expired meanwhile exits after that delivery, before the handler's first instruction.
    @Test func singleStepTrapBeforeTheTimerExit() {
        let g = G()
        g.setGate(1, handler: Self.handler)
        _ = g.memory.load([0x90], at: Self.handler)
        g.cpu.vmx.write(.guestRFLAGS, 0x102)
        g.setControl(.pinBasedVMExecutionControls, 1 << 6)
        g.cpu.vmx.write(.vmxPreemptionTimerValue, 1)
        g.launch([0x90, 0x90, 0x90, 0x90])
        let rate = UInt64(VMXCapabilities().preemptionTimerRate)
        g.cpu.cycles |= (1 << rate) - 1                           // the timer expires with the first NOP
        #expect(g.runUntilExit() == 52)
        #expect(g.savedRIP == Self.handler)
        #expect(g.memory.read(g.cpu.vmx.read(.guestRSP), size: 8) == G.guestCode + 1)
    }
}
