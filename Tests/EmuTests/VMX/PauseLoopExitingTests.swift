import Testing
@testable import Emu

/// PAUSE-loop exiting (secondary bit 10; SDM vol. 3, 25.1.3 "PAUSE"): at CPL 0 a PAUSE more than
/// PLE_Gap ticks after the previous PAUSE (or the first after VM entry) starts a loop; a later
/// PAUSE of the loop exits (reason 40) once more than PLE_Window ticks have passed since that
/// start. "PAUSE exiting" takes precedence; at CPL > 0 the control is ignored. Time is the TSC
/// rate: swemu's cycle counter, which advances by one per instruction.
@Suite struct PauseLoopExitingTests {
    typealias G = VMXGuestMachine
    static let pause: [UInt8] = [0xF3, 0x90]
    static let nop: [UInt8] = [0x90]
    static let vmcall: [UInt8] = [0x0F, 0x01, 0xC1]

    func machine(gap: UInt64, window: UInt64) -> G {
        let g = G()
        g.setSecondary(1 << 10)
        g.cpu.vmx.write(.pleGap, gap)
        g.cpu.vmx.write(.pleWindow, window)
        return g
    }

    static func pauses(_ n: Int) -> [UInt8] { Array([[UInt8]](repeating: pause, count: n).joined()) }

    /// PAUSE k runs k ticks after PAUSE 0, so with gap 1 the first PAUSE with k > window exits.
    @Test(arguments: [0, 1, 10, 25] as [Int])
    func exitOnceTheWindowIsExceeded(window: Int) {
        let g = machine(gap: 1, window: UInt64(window))
        #expect(g.exitOf(Self.pauses(40) + Self.vmcall) == 40)
        #expect(g.savedRIP == G.guestCode + 2 * UInt64(window + 1))
        #expect(g.instructionLength == 2 && g.qualification == 0)
    }

    /// Gaps above PLE_Gap make every PAUSE the first of a loop: no exit, however long it spins.
    @Test func gapsAbovePLEGapNeverExit() {
        let spin = Array([[UInt8]](repeating: Self.pause + Self.nop, count: 40).joined())
        let g = machine(gap: 1, window: 0)
        #expect(g.exitOf(spin + Self.vmcall) == 18)
        // With PLE_Gap 2 the same loop is one loop: PAUSE k runs 2k ticks after PAUSE 0.
        let h = machine(gap: 2, window: 10)
        #expect(h.exitOf(spin + Self.vmcall) == 40)
        #expect(h.savedRIP == G.guestCode + 3 * 6)                           // 2 * 6 > 10
        // PLE_Gap 0: even back-to-back PAUSEs are 1 tick apart, more than the gap.
        #expect(machine(gap: 0, window: 0).exitOf(Self.pauses(40) + Self.vmcall) == 18)
    }

    /// Five PAUSEs, three NOPs (a gap of 4 > PLE_Gap 2), then PAUSEs: the gap started a new
    /// window, so the exit comes 7 PAUSEs (> window 6) into the second run, not at its start.
    @Test func aGapRestartsTheWindow() {
        let g = machine(gap: 2, window: 6)
        let code = Self.pauses(5) + Self.nop + Self.nop + Self.nop + Self.pauses(20) + Self.vmcall
        #expect(g.exitOf(code) == 40)
        #expect(g.savedRIP == G.guestCode + 5 * 2 + 3 + 7 * 2)
    }

    /// The first PAUSE after VM entry starts a loop even when the previous one (before the VM
    /// exit) was within PLE_Gap.
    @Test func firstPauseAfterVMEntryStartsALoop() {
        let g = machine(gap: 100_000, window: 3)
        #expect(g.exitOf(Self.pauses(20) + Self.vmcall) == 40)
        #expect(g.savedRIP == G.guestCode + 2 * 4)
        #expect(g.m.run(VMXTestMachine.vmresume) == .succeed)
        #expect(g.runUntilExit() == 40)
        #expect(g.savedRIP == G.guestCode + 2 * 4 + 2 * 4)
    }

    /// "PAUSE exiting" makes the first PAUSE exit, whatever the PLE fields say.
    @Test func pauseExitingTakesPrecedence() {
        let g = machine(gap: 100_000, window: 100_000)
        g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 30)
        #expect(g.exitOf(Self.pauses(4) + Self.vmcall) == 40)
        #expect(g.savedRIP == G.guestCode)
        #expect(machine(gap: 100_000, window: 100_000).exitOf(Self.pauses(40) + Self.vmcall) == 18)
    }

    /// A 64-bit guest at CPL 3 (CS 2BH, SS/DS/ES/FS/GS 33H, DPL 3).
    func ring3(_ g: G) {
        for s in SegmentRegister.allCases {
            let f = CPU.guestSegmentFields(s)
            g.cpu.vmx.write(f.0, s == .cs ? 0x2B : 0x33)
            g.cpu.vmx.write(f.3, s == .cs ? 0xA0FB : 0xC0F3)
        }
    }

    /// PAUSE-loop exiting is ignored at CPL > 0; "PAUSE exiting" still applies there.
    @Test func ignoredAboveCPL0() {
        let g = machine(gap: 100_000, window: 0)
        ring3(g)
        #expect(g.exitOf(Self.pauses(40) + Self.vmcall) == 18)
        let p = machine(gap: 100_000, window: 0)
        ring3(p)
        p.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 30)
        #expect(p.exitOf(Self.pauses(4) + Self.vmcall) == 40 && p.savedRIP == G.guestCode)
    }

    /// Without the control (or without "activate secondary controls") PAUSE runs.
    @Test func needsTheControl() {
        let g = G()
        g.cpu.vmx.write(.pleWindow, 0)
        g.cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, 1 << 10)
        #expect(g.exitOf(Self.pauses(40) + Self.vmcall) == 18)
    }
}
