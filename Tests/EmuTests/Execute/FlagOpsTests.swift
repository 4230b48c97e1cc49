import Testing
@testable import Emu

/// CLC/STC/CMC/CLD/STD/CLI/STI, including the CLI/STI privilege rules of the SDM.
private func machine(_ mode: CodeMode, _ code: [UInt8]) -> FlatMachine {
    let m = FlatMachine(memorySize: 1 << 20, mode: mode)!
    _ = m.memory.load(code, at: 0x1000)
    m.cpu.rip = 0x1000
    return m
}

@Suite struct FlagOpsTests {
    @Test func carryAndDirection() throws {
        let m = machine(.long64, [0xF9, 0xF5, 0xF5, 0xF8, 0xFD, 0xFC])
        m.cpu.rflags = 0x8D4 | 0x2
        try m.cpu.step(); #expect(m.cpu.rflags == 0x8D7)
        try m.cpu.step(); #expect(m.cpu.rflags == 0x8D6)
        try m.cpu.step(); #expect(m.cpu.rflags == 0x8D7)
        try m.cpu.step(); #expect(m.cpu.rflags == 0x8D6)
        try m.cpu.step(); #expect(m.cpu.directionFlag); #expect(m.cpu.rflags == 0xCD6)
        try m.cpu.step(); #expect(!m.cpu.directionFlag); #expect(m.cpu.rflags == 0x8D6)
    }

    @Test func cliStiAtCPL0() throws {
        let m = machine(.protected32, [0xFB, 0xFA])
        try m.cpu.step(); #expect(m.cpu.rflags & 0x200 != 0)
        try m.cpu.step(); #expect(m.cpu.rflags & 0x200 == 0)
    }

    @Test func cliAtCPL3WithIOPL0Faults() throws {
        let m = machine(.protected32, [0xFA])
        m.cpu.cpl = 3
        m.cpu.rflags = 0x202
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        #expect(m.cpu.rflags & 0x200 != 0)
        m.cpu.rflags = 0x3202  // IOPL 3
        try m.cpu.step()
        #expect(m.cpu.rflags & 0x200 == 0)
    }

    @Test func stiWithPVIAtCPL3SetsVIF() throws {
        let m = machine(.protected32, [0xFB])
        m.cpu.cpl = 3
        m.cpu.cr4 |= 0x2
        try m.cpu.step()
        #expect(m.cpu.rflags & 0x8_0000 != 0)
        #expect(m.cpu.rflags & 0x200 == 0)
    }

    @Test func realModeIgnoresCPL() throws {
        let m = machine(.real, [0xFA])
        m.cpu.rflags = 0x202
        try m.cpu.step()
        #expect(m.cpu.rflags & 0x200 == 0)
    }
}
