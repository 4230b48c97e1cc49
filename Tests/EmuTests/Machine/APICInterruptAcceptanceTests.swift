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

    /// SDM vol. 3, 6.7.1: while an NMI handler runs, further NMIs are blocked until the next
    /// IRET. The handler sends itself an NMI through the ICR (self, delivery mode NMI); it is
    /// taken only after the handler's IRET. The exit value is ECX (EBX when the handler ran the
    /// instructions after the ICR write) << 8 | EBX (the handler's runs): 1 << 8 | 2.
    @Test func nmiIsBlockedUntilIRET() throws {
        let (m, _) = try base.machine()
        let main: [UInt8] = [0xFA, 0xEB, 0xFE]                              // cli; jmp $
        let handler: [UInt8] = [
            0x43, 0x83, 0xFB, 0x02, 0x74, 0x13,                             // inc ebx; cmp ebx, 2; je done
            0xC7, 0x05, 0x00, 0x03, 0xE0, 0xFE, 0x00, 0x44, 0x04, 0x00,     // ICR = self NMI
            0x90, 0x90, 0x90, 0x90, 0x89, 0xD9, 0xCF, 0x90, 0x90,           // nops; mov ecx, ebx; iret
            0x89, 0xC8, 0xC1, 0xE0, 0x08, 0x09, 0xD8, 0xE7, 0xF4, 0xEB, 0xFE, // done: out 0xf4, ecx << 8 | ebx
        ]
        let code = main + [UInt8](repeating: 0x90, count: 0x10 - main.count) + handler
        try m.load(TestImages.kludge(code: code), name: "t")
        base.prepare(m, vector: 2, handler: 0x10_0030)
        m.cpu.registers[3] = 0
        m.cpu.registers[1] = 0
        m.apics[0].acceptNMI()
        #expect(m.run() == .debugExit(value: 0x102))
        #expect(m.cpu.nmiBlocked)                                           // the second handler has not returned
    }
}
