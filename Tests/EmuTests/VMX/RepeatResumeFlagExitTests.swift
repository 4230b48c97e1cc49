import Testing
@testable import Emu

/// RF saved in the guest RFLAGS field by a VM exit for an event between two iterations of a
/// repeated string instruction (SDM vol. 3, 28.3.3: the value the event's delivery would have
/// pushed; 18.3.1.1: 1 after an iteration other than the last), and as it is elsewhere.
@Suite struct RepeatResumeFlagExitTests {
    typealias G = VMXGuestMachine
    static let rf: UInt64 = 1 << 16

    /// A guest with external-interrupt and NMI exiting at REP STOSB (RCX = `count`); one step runs.
    static func guestAfterOneStep(count: UInt64) -> G {
        let g = G()
        g.setControl(.pinBasedVMExecutionControls, 1 | 1 << 3)
        g.launch([0xF3, 0xAA, 0x90, 0x90])                    // rep stosb; nop; nop
        g.cpu.registers[1] = count
        g.cpu.registers[7] = 0x2_0000
        do throws(Fault) { try g.cpu.step() } catch { Issue.record("step faulted: \(error)") }
        return g
    }

    @Test func anInterruptBetweenIterationsSavesRF() {
        let g = Self.guestAfterOneStep(count: 3 * CPU.repeatChunk)
        #expect(g.cpu.rip == G.guestCode && g.cpu.registers[1] == 2 * CPU.repeatChunk)
        #expect(g.cpu.vmxExternalInterrupt(vector: 0x30))
        #expect(g.exitReason == 1)
        #expect(g.savedRIP == G.guestCode)
        #expect(g.cpu.vmx.read(.guestRFLAGS) & Self.rf != 0)
    }

    @Test func anInterruptAfterTheLastIterationSavesRFAsItIs() {
        let g = Self.guestAfterOneStep(count: 8)
        #expect(g.cpu.rip == G.guestCode + 2 && g.cpu.registers[1] == 0)
        #expect(g.cpu.vmxExternalInterrupt(vector: 0x30))
        #expect(g.cpu.vmx.read(.guestRFLAGS) & Self.rf == 0)
    }

    @Test func anNMIBetweenIterationsSavesRF() {
        let g = Self.guestAfterOneStep(count: 2 * CPU.repeatChunk)
        #expect(g.cpu.vmxNMI())
        #expect(g.exitReason == 0)
        #expect(g.cpu.vmx.read(.guestRFLAGS) & Self.rf != 0)
    }
}
