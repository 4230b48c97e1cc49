@testable import Emu
import Testing

/// Interrupt acceptance with the local APIC (SDM vol. 3, 11.8.4; 11.4.3; 10.5.1): the 8259A's
/// INTR reaches the CPU only through an unmasked ExtINT LINT0 while the APIC is enabled, APIC
/// vectors come before the PIC's, and the taken vector is in service.
@Suite struct APICInterruptAcceptanceTests {
    let base = InterruptAcceptanceTests()

    @Test func maskedLINT0HoldsThePICBack() throws {
        let (m, _) = try base.machine()
        try m.load(base.image([0xFB, 0x90, 0x90, 0xFA, 0xF4]), name: "t")   // sti; nop; nop; cli; hlt
        base.prepare(m, handler: 0x10_0030)
        m.memory.write(0xFEE0_0350, size: 4, value: 0x1_0700)              // LINT0 ExtINT, masked
        m.pic.setIRQ(0, true)
        guard case .halted = m.run() else { Issue.record("expected halted"); return }
        #expect(m.pic.interruptRequested)                                    // still pending at the PIC
    }

    @Test func lint0FollowsTheGlobalEnable() throws {
        let (m, _) = try base.machine()
        try m.load(base.image([0xFB, 0x90, 0x90, 0xFA, 0xF4]), name: "t")
        base.prepare(m, handler: 0x10_0030)
        m.memory.write(0xFEE0_0350, size: 4, value: 0x1_0700)
        try m.cpu.writeMSR(MSR.apicBase, 0xFEE0_0100)                        // EN = 0: LINT0 is INTR
        m.pic.setIRQ(0, true)
        #expect(m.run() == .debugExit(value: 0x10_0022))                     // after the NOP in STI's shadow
    }

    @Test func apicVectorsComeBeforeThePIC() throws {
        let (m, _) = try base.machine()
        try m.load(base.image([0xFB, 0x90, 0xF4]), name: "t")
        base.prepare(m, vector: 0x50, handler: 0x10_0030)                    // the APIC's vector
        base.prepare(m, vector: 0x20, handler: 0x10_0040)                    // the PIC's would exit elsewhere
        m.pic.setIRQ(0, true)
        m.apics[0].accept(vector: 0x50, levelTriggered: false)
        #expect(m.run() == .debugExit(value: 0x10_0022))                     // after the NOP in STI's shadow
        #expect(m.apics[0].isr.contains(0x50) && m.pic.interruptRequested)
    }
}
