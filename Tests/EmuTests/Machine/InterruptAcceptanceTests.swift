@testable import Emu
import Testing

/// External interrupts at instruction boundaries (SDM vol. 3, 6.8.1, 6.8.3), HLT sleeping to
/// the next timer event, and the platform exits (reset, power-off).
@Suite struct InterruptAcceptanceTests {
    func machine() throws -> (Machine, BufferSerialSink) {
        let sink = BufferSerialSink()
        return (try Machine(config: MachineConfig(memorySize: 64 << 20, serial: .none), serialSink: sink), sink)
    }

    /// ICW1-4 (vectors 0x20/0x28) and an interrupt gate for `vector` at `handler` in the IDT
    /// the Multiboot loader leaves at 0 (CS = 0x10).
    func prepare(_ m: Machine, vector: Int = 0x20, handler: UInt32) {
        for (port, v) in [(0x20, 0x11), (0xA0, 0x11), (0x21, 0x20), (0xA1, 0x28), (0x21, 0x04), (0xA1, 0x02),
                          (0x21, 0x01), (0xA1, 0x01)] as [(UInt16, UInt8)] {
            m.ports.write(port, size: 1, value: UInt32(v))
        }
        let gate = UInt64(handler & 0xFFFF) | 0x10 << 16 | 0x8E00 << 32 | UInt64(handler >> 16) << 48
        m.memory.write(UInt64(vector * 8), size: 8, value: gate)
        m.cpu.registers[4] = 0x9_0000   // ESP: the loader leaves it 0
    }

    /// Handler at code offset 0x10: exits through port 0xf4 with the interrupted EIP.
    func image(_ body: [UInt8]) -> [UInt8] {
        let code = body + [UInt8](repeating: 0x90, count: 0x10 - body.count) + [0x8B, 0x04, 0x24, 0xE7, 0xF4]
        return TestImages.kludge(code: code)
    }

    @Test func stiShadowDelaysThePendingInterruptByOneInstruction() throws {
        let (m, _) = try machine()
        try m.load(image([0xFB, 0x90, 0xF4, 0xEB, 0xFE]), name: "t")   // sti; nop; hlt; jmp $
        prepare(m, handler: 0x10_0030)
        m.pic.setIRQ(0, true)
        #expect(m.run() == .debugExit(value: 0x10_0022))               // after the NOP, before HLT
    }

    @Test func movSSShadowAlsoBlocks() throws {
        let (m, _) = try machine()
        // mov ax, 0x18; sti; mov ss, ax; nop; nop; hlt: STI's shadow covers MOV SS, whose own
        // shadow covers the first NOP; the interrupt comes after it.
        try m.load(image([0x66, 0xB8, 0x18, 0x00, 0xFB, 0x8E, 0xD0, 0x90, 0x90, 0xF4]), name: "t")
        prepare(m, handler: 0x10_0030)
        m.pic.setIRQ(0, true)
        #expect(m.run() == .debugExit(value: 0x10_0028))
    }

    @Test func aPendingInterruptIsTakenBeforeTheFirstInstruction() throws {
        let (m, _) = try machine()
        try m.load(image([0x90, 0xF4]), name: "t")
        prepare(m, handler: 0x10_0030)
        m.cpu.rflags |= RFlags.interrupt.rawValue
        m.pic.setIRQ(0, true)
        #expect(m.run() == .debugExit(value: 0x10_0020))
    }

    @Test func interruptsWaitWhileIFIsClear() throws {
        let (m, _) = try machine()
        try m.load(image([0x90, 0x90, 0xFB, 0x90, 0x90]), name: "t")   // nop; nop; sti; nop
        prepare(m, handler: 0x10_0030)
        m.pic.setIRQ(0, true)
        #expect(m.run() == .debugExit(value: 0x10_0024))               // after STI's shadowed NOP
    }

    @Test func maskedInterruptsAreNotTaken() throws {
        let (m, _) = try machine()
        try m.load(image([0xFB, 0x90, 0x90, 0xFA, 0xF4]), name: "t")   // sti; nop; nop; cli; hlt
        prepare(m, handler: 0x10_0030)
        m.ports.write(0x21, size: 1, value: 0x01)
        m.pic.setIRQ(0, true)
        guard case .halted = m.run() else { Issue.record("expected halted"); return }
    }

    @Test func haltWithInterruptsOnAndNoTimerEndsTheRun() throws {
        let (m, _) = try machine()
        try m.load(TestImages.kludge(code: [0xFB, 0xF4]), name: "t")
        let exit = m.run()
        guard case .halted(let s) = exit else { Issue.record("got \(exit)"); return }
        #expect(s.interruptsEnabled && exit.status == 6)
    }

    @Test func haltSleepsToTheNextTimerInterrupt() throws {
        let (m, _) = try machine()
        // mode 2, N = 1193 on channel 0, unmask IRQ0, sti; hlt; the handler exits with EIP.
        try m.load(image([0xFB, 0xF4, 0xEB, 0xFE]), name: "t")
        m.ports.write(0x43, size: 1, value: 0x34)
        m.ports.write(0x40, size: 1, value: 1193 & 0xFF)
        m.ports.write(0x40, size: 1, value: 1193 >> 8)
        prepare(m, handler: 0x10_0030)   // after the mode write: ICW1 forgets its OUT0 edge
        m.ports.write(0x21, size: 1, value: 0xFE)
        #expect(m.run() == .debugExit(value: 0x10_0022))
        // The first edge: tick 1 + 1193, i.e. cycle ceil(1194 * 88000 / 105) = 1,000,686.
        #expect(m.cpu.cycles >= 1_000_686 && m.cpu.cycles < 1_000_686 + 5)
    }

    @Test func resetAndPowerOffEndTheRun() throws {
        let (m, _) = try machine()
        try m.load(TestImages.kludge(code: [0xB0, 0xFE, 0xE6, 0x64, 0xF4]), name: "t")
        let exit = m.run()
        guard case .reset(let source, _) = exit else { Issue.record("got \(exit)"); return }
        #expect(source == "keyboard controller command 0xfe" && exit.status == 8)
        let (p, _) = try machine()
        try p.load(TestImages.kludge(code: [0x66, 0xB8, 0x00, 0x20, 0xBA, 0x04, 0x06, 0x00, 0x00, 0x66, 0xEF, 0xF4]),
                   name: "t")
        #expect(p.run() == .powerOff)
        #expect(MachineExit.powerOff.status == 0 && MachineExit.powerOff.report == nil)
    }
}
