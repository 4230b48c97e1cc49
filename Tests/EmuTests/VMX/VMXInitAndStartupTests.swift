@testable import Emu
import Testing

/// INIT and SIPI in VMX operation (SDM vol. 3, 24.8, 25.2, 24.4.2): the wait-for-SIPI activity
/// state (IA32_VMX_MISC[8]), INIT-signal exits (reason 3), SIPI exits (reason 4, the vector as
/// qualification), INIT blocked in VMX root operation until VMXOFF.
@Suite struct VMXInitAndStartupTests {
    typealias G = VMXGuestMachine

    @Test func waitForSIPIIsAdvertised() throws {
        #expect(try G().cpu.readMSR(0x485) >> 8 & 1 == 1)
    }

    /// A guest entered in wait-for-SIPI executes nothing; a SIPI exits with its vector and the
    /// saved activity state is still wait-for-SIPI.
    @Test func startupIPIExit() {
        let g = G()
        g.cpu.vmx.write(.guestActivityState, 3)
        g.launch([0x0F, 0xA2])
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted && g.cpu.vmx.guestWaitingForSIPI)
        g.cpu.vmxStartupIPI(vector: 0x9A)
        #expect(!g.cpu.vmx.nonRoot && g.exitReason == 4 && g.qualification == 0x9A)
        #expect(g.cpu.vmx.read(.guestActivityState) == 3 && g.savedRIP == G.guestCode)
    }

    /// A SIPI to an active guest is dropped; an INIT exits with qualification 0.
    @Test func initSignalExit() {
        let g = G()
        g.launch([0x0F, 0xA2])
        g.cpu.vmxStartupIPI(vector: 0x10)
        #expect(g.cpu.vmx.nonRoot)
        g.cpu.vmxINITSignal()
        #expect(!g.cpu.vmx.nonRoot && g.exitReason == 3 && g.qualification == 0)
        #expect(g.cpu.vmx.read(.guestActivityState) == 0 && g.savedRIP == G.guestCode)
    }

    /// INIT in VMX root operation stays pending in the local APIC and is acted on once the
    /// processor leaves VMX operation.
    @Test func initIsBlockedInVMXRoot() throws {
        var config = MachineConfig(memorySize: 16 << 20, serial: .none)
        config.cpuCount = 1
        let m = try Machine(config: config, serialSink: BufferSerialSink())
        m.cpu.rip = 0x1234
        m.cpu.vmx.inVMXOperation = true
        m.memory.write(0xFEE0_0300, size: 4, value: 0x4_4500)      // INIT to self
        #expect(m.apics[0].pendingINIT && m.cpu.rip == 0x1234)
        _ = m.acceptInterrupt(m.cpu, m.apics[0])
        #expect(m.apics[0].pendingINIT && m.cpu.rip == 0x1234)
        m.cpu.vmx.inVMXOperation = false
        _ = m.acceptInterrupt(m.cpu, m.apics[0])
        #expect(!m.apics[0].pendingINIT && m.cpu.rip == 0xFFF0)     // table 9-1
    }
}
