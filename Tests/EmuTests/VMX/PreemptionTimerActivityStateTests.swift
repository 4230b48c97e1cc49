import Testing
@testable import Emu

/// The VMX-preemption timer in the inactive activity states (SDM vol. 3, 25.2, 26.5.1, 27.7.4):
/// its VM exit wakes the processor from HLT and from shutdown as an NMI would (the exit saves
/// the activity state); in wait-for-SIPI it counts down but causes no VM exit.
@Suite struct PreemptionTimerActivityStateTests {
    typealias G = VMXGuestMachine
    static let activateTimer: UInt64 = 1 << 6
    static let saveTimerValue: UInt64 = 1 << 22

    /// A guest entered in `activity` with the timer loaded with `value`.
    func guest(activity: UInt64, value: UInt64) -> G {
        let g = G()
        g.cpu.vmx.write(.guestActivityState, activity)
        g.setControl(.pinBasedVMExecutionControls, Self.activateTimer)
        g.setControl(.primaryVMExitControls, Self.saveTimerValue)
        g.cpu.vmx.write(.vmxPreemptionTimerValue, value)
        return g
    }

    var timerValue: (G) -> UInt64 { { $0.cpu.vmx.read(.vmxPreemptionTimerValue) } }

    /// Timer 0: the exit comes right after VM entry in shutdown, never in wait-for-SIPI.
    @Test func zeroAtEntry() {
        let s = guest(activity: 2, value: 0)
        #expect(s.exitOf([0x90]) == 52)
        #expect(s.cpu.vmx.read(.guestActivityState) == 2 && s.savedRIP == G.guestCode)
        let w = guest(activity: 3, value: 0)
        w.launch([0x90])
        #expect(w.cpu.vmx.nonRoot && w.cpu.halted)
    }

    /// A sleeping guest in shutdown or HLT: the timer ends the sleep at its expiry with its
    /// exit, before a later wake-up event, whether or not an interrupt could wake it.
    @Test func wakesShutdownAndHLT() {
        for activity: UInt64 in [1, 2] {
            let g = guest(activity: activity, value: 5)
            g.launch([0x90])
            #expect(g.cpu.vmx.nonRoot && g.cpu.halted)
            #expect(g.cpu.sleepUntil(.max, interruptible: false))
            #expect(!g.cpu.vmx.nonRoot && g.exitReason == 52)
            #expect(g.cpu.vmx.read(.guestActivityState) == activity && timerValue(g) == 0)
        }
    }

    /// HLT executed by the guest (no HLT exiting) sleeps the same way: the exit saves activity
    /// state HLT and RIP past the HLT.
    @Test func wakesAfterTheHLTInstruction() {
        let g = guest(activity: 0, value: 5)
        g.launch([0xF4, 0x90])
        #expect(g.runUntilExit(limit: 1) == nil && g.cpu.halted)
        #expect(g.cpu.sleepUntil(.max, interruptible: false))
        #expect(g.exitReason == 52 && g.cpu.vmx.read(.guestActivityState) == 1 && g.savedRIP == G.guestCode + 1)
    }

    /// Wait-for-SIPI: no exit however long the guest sleeps, yet the timer counts down: the SIPI
    /// exit saves it as 0 (the activity state stays wait-for-SIPI).
    @Test func countsWithoutExitInWaitForSIPI() {
        let g = guest(activity: 3, value: 5)
        g.launch([0x90])
        #expect(!g.cpu.sleepUntil(.max, interruptible: false))           // nothing else can wake it
        #expect(g.cpu.sleepUntil(g.cpu.cycles + (1 << 20), interruptible: true))
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted)
        g.cpu.vmxStartupIPI(vector: 0x9A)
        #expect(g.exitReason == 4 && g.cpu.vmx.read(.guestActivityState) == 3 && timerValue(g) == 0)
    }

    /// Before expiry the timer exit waits; the saved value is what is left.
    @Test func sleepShorterThanTheTimer() {
        let g = guest(activity: 2, value: 1000)
        g.launch([0x90])
        let rate = UInt64(VMXCapabilities().preemptionTimerRate)
        #expect(g.cpu.sleepUntil(g.cpu.cycles + (10 << rate), interruptible: true))
        #expect(g.cpu.vmx.nonRoot)
        g.cpu.vmxINITSignal()
        #expect(g.exitReason == 3 && timerValue(g) > 0 && timerValue(g) <= 990)
    }
}
