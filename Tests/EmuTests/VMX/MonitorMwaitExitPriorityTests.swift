import Testing
@testable import Emu

/// MONITOR and MWAIT exiting against the instructions' own faults (SDM vol. 3, 26.1.1): an
/// invalid-opcode exception has priority over the VM exit, so with IA32_MISC_ENABLE[18]
/// (ENABLE MONITOR FSM) = 0 both raise #UD (vol. 2, MONITOR/MWAIT: CPUID.01H:ECX.MONITOR = 0);
/// fault-like VM exits have priority over the other exceptions, so an invalid ECX exits.
@Suite struct MonitorMwaitExitPriorityTests {
    typealias G = VMXGuestMachine
    static let monitor: [UInt8] = [0x0F, 0x01, 0xC8]
    static let mwait: [UInt8] = [0x0F, 0x01, 0xC9]
    static let exiting: UInt64 = 1 << 10 | 1 << 29               // MWAIT exiting, MONITOR exiting

    func exit(_ code: [UInt8], monitorFSM: Bool, ecx: UInt64 = 0) -> G {
        let g = G()
        g.cpu.registers[1] = ecx
        _ = g.exitOf(code) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, Self.exiting)
            $0.cpu.vmx.write(.exceptionBitmap, 1 << 6 | 1 << 13)
            if !monitorFSM { $0.cpu.systemRegisters.miscEnable &= ~MiscEnable.monitorEnable }
        }
        return g
    }

    @Test func invalidOpcodeBeforeTheExit() {
        for code in [Self.monitor, Self.mwait] {
            let g = exit(code, monitorFSM: false)
            #expect(g.exitReason == 0 && g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0306)
            #expect(g.savedRIP == G.guestCode)
        }
    }

    @Test func exitBeforeGeneralProtection() {
        #expect(exit(Self.monitor, monitorFSM: true, ecx: 1).exitReason == 39)
        #expect(exit(Self.mwait, monitorFSM: true, ecx: 2).exitReason == 36)
    }
}
