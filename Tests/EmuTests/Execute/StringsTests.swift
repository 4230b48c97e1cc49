import Testing
@testable import Emu

/// String instructions with and without REP, expected values from the SDM operation sections.
private func machine(_ mode: CodeMode, _ code: [UInt8]) -> FlatMachine {
    let m = FlatMachine(memorySize: 1 << 20, mode: mode)!
    _ = m.memory.load(code, at: 0x1000)
    m.cpu.rip = 0x1000
    m.cpu.registers[4] = 0x8000
    return m
}

/// A port device that counts reads and records writes.
private final class RecordingPort: PortDevice {
    var reads = 0
    var written: [UInt32] = []
    func portRead(_ port: UInt16, size: Int) -> UInt32 { reads += 1; return UInt32(0x40 + reads) }
    func portWrite(_ port: UInt16, size: Int, value: UInt32) { written.append(value) }
}

@Suite struct StringsTests {
    @Test func repMovsbForward() throws {
        let m = machine(.long64, [0xF3, 0xA4])
        _ = m.memory.load([1, 2, 3, 4, 5], at: 0x2000)
        m.cpu.registers[6] = 0x2000; m.cpu.registers[7] = 0x3000; m.cpu.registers[1] = 5
        try m.cpu.step()
        #expect(m.memory.read(0x3000, size: 4) == 0x0403_0201)
        #expect(m.memory.read(0x3004, size: 1) == 5)
        #expect(m.cpu.registers[6] == 0x2005)
        #expect(m.cpu.registers[7] == 0x3005)
        #expect(m.cpu.registers[1] == 0)
        #expect(m.cpu.rip == 0x1002)
    }

    @Test func movsdBackwardsWithDF() throws {
        let m = machine(.protected32, [0xA5])
        m.memory.write(0x2000, size: 4, value: 0xCAFE_BABE)
        m.cpu.registers[6] = 0x2000; m.cpu.registers[7] = 0x3000
        m.cpu.rflags = 0x402
        try m.cpu.step()
        #expect(m.memory.read(0x3000, size: 4) == 0xCAFE_BABE)
        #expect(m.cpu.registers[6] == 0x1FFC)
        #expect(m.cpu.registers[7] == 0x2FFC)
    }

    @Test func repWithZeroCountDoesNothing() throws {
        let m = machine(.long64, [0x67, 0xF3, 0xAA])  // rep stosb, ECX counter
        m.cpu.registers[1] = 0xFFFF_FFFF_0000_0000
        m.cpu.registers[7] = 0xFFFF_FFFF_0000_3000
        try m.cpu.step()
        #expect(m.cpu.registers[1] == 0xFFFF_FFFF_0000_0000)
        #expect(m.cpu.registers[7] == 0xFFFF_FFFF_0000_3000)
        #expect(m.memory.read(0x3000, size: 1) == 0)
    }

    @Test func addressSize32ZeroExtendsIndexRegisters() throws {
        let m = machine(.long64, [0x67, 0xAA])  // stosb with EDI
        m.cpu.registers[7] = 0xFFFF_FFFF_0000_3000
        m.cpu.registers[0] = 0x5A
        try m.cpu.step()
        #expect(m.memory.read(0x3000, size: 1) == 0x5A)
        #expect(m.cpu.registers[7] == 0x3001)
    }

    @Test func addressSize16KeepsUpperBitsAndWraps() throws {
        let m = machine(.protected32, [0x67, 0xF3, 0xAB])  // rep stosd with DI/CX
        m.cpu.registers[7] = 0xABCD_FFFE
        m.cpu.registers[1] = 0x7777_0002
        m.cpu.registers[0] = 0x1122_3344
        m.cpu.segments[0].base = 0x10000   // ES limit is 4 GiB: only DI wraps, at 16 bits
        try m.cpu.step()
        #expect(m.memory.read(0x1FFFE, size: 4) == 0x1122_3344)
        #expect(m.memory.read(0x10002, size: 4) == 0x1122_3344)
        #expect(m.cpu.registers[7] == 0xABCD_0006)
        #expect(m.cpu.registers[1] == 0x7777_0000)
    }

    @Test func repFaultKeepsCompletedIterations() throws {
        // Real mode, ES limit 0xFFFF: rep stosw from DI = 0xFFFB; the word at 0xFFFF crosses
        // the limit (#GP), after two completed iterations.
        let m = machine(.real, [0xF3, 0xAB])
        m.cpu.registers[7] = 0xFFFB
        m.cpu.registers[1] = 5
        m.cpu.registers[0] = 0xBEEF
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        // 0xFFFB, 0xFFFD succeed; 0xFFFF faults.
        #expect(m.cpu.registers[7] == 0xFFFF)
        #expect(m.cpu.registers[1] == 3)
        #expect(m.cpu.rip == 0x1000)
        #expect(m.memory.read(0xFFFB, size: 2) == 0xBEEF)
        #expect(m.memory.read(0xFFFD, size: 2) == 0xBEEF)
    }

    @Test func repeCmpsStopsOnDifference() throws {
        let m = machine(.long64, [0xF3, 0xA6])
        _ = m.memory.load([1, 2, 3, 9, 5], at: 0x2000)
        _ = m.memory.load([1, 2, 3, 4, 5], at: 0x3000)
        m.cpu.registers[6] = 0x2000; m.cpu.registers[7] = 0x3000; m.cpu.registers[1] = 5
        try m.cpu.step()
        #expect(m.cpu.registers[1] == 1)
        #expect(m.cpu.registers[6] == 0x2004)
        #expect(m.cpu.registers[7] == 0x3004)
        // Flags of 9 - 4: not zero, no carry.
        #expect(!m.cpu.flags.zero)
        #expect(!m.cpu.flags.carry)
    }

    @Test func repneScasFindsByte() throws {
        let m = machine(.long64, [0xF2, 0xAE])
        _ = m.memory.load(Array("hello\0".utf8), at: 0x3000)
        m.cpu.registers[0] = 0
        m.cpu.registers[7] = 0x3000
        m.cpu.registers[1] = UInt64.max
        try m.cpu.step()
        #expect(m.cpu.registers[7] == 0x3006)
        #expect(m.cpu.registers[1] == UInt64.max - 6)
        #expect(m.cpu.flags.zero)
    }

    @Test func scasFlagsAsSub() throws {
        let m = machine(.protected32, [0x66, 0xAF])  // scasw
        m.memory.write(0x3000, size: 2, value: 0x0001)
        m.cpu.registers[0] = 0x0000
        m.cpu.registers[7] = 0x3000
        try m.cpu.step()
        // 0 - 1 = FFFF: CF, SF, AF, PF set; ZF, OF clear.
        #expect(m.cpu.flags.bits == 0x95)
        #expect(m.cpu.registers[7] == 0x3002)
    }

    @Test func lodsUsesSegmentOverrideAndZeroExtends() throws {
        let m = machine(.long64, [0x64, 0xAD])  // lods eax, fs:[rsi]
        m.cpu.segments[4].base = 0x1_0000
        m.memory.write(0x1_2000, size: 4, value: 0x8765_4321)
        m.cpu.registers[0] = 0xFFFF_FFFF_FFFF_FFFF
        m.cpu.registers[6] = 0x2000
        try m.cpu.step()
        #expect(m.cpu.registers[0] == 0x8765_4321)
        #expect(m.cpu.registers[6] == 0x2004)
    }

    @Test func movsDestinationIgnoresOverride() throws {
        let m = machine(.protected32, [0x26, 0xA4])  // es: movsb -> source ES, destination ES
        m.cpu.segments[0].base = 0x1_0000
        m.memory.write(0x1_2000, size: 1, value: 0x77)
        m.cpu.registers[6] = 0x2000; m.cpu.registers[7] = 0x3000
        try m.cpu.step()
        #expect(m.memory.read(0x1_3000, size: 1) == 0x77)
    }

    @Test func repInsAndOuts() throws {
        let m = machine(.protected32, [0xF3, 0x6C, 0xF3, 0x6E])  // rep insb; rep outsb
        let dev = RecordingPort()
        m.ports.attach(dev, ports: 0x60...0x60)
        m.cpu.registers[2] = 0x60
        m.cpu.registers[7] = 0x3000
        m.cpu.registers[1] = 3
        try m.cpu.step()
        #expect(dev.reads == 3)
        #expect(m.memory.read(0x3000, size: 4) & 0xFF_FFFF == 0x43_4241)
        #expect(m.cpu.registers[1] == 0)
        m.cpu.registers[6] = 0x3000
        m.cpu.registers[1] = 2
        try m.cpu.step()
        #expect(dev.written == [0x41, 0x42])
        #expect(m.cpu.registers[6] == 0x3002)
    }

    @Test func insChecksDestinationBeforeReadingPort() throws {
        let m = machine(.real, [0x6D])  // insw at ES:FFFF crosses the limit
        let dev = RecordingPort()
        m.ports.attach(dev, ports: 0x60...0x60)
        m.cpu.registers[2] = 0x60
        m.cpu.registers[7] = 0xFFFF
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        #expect(dev.reads == 0)
    }

    @Test func outsAtCPL3WithoutPermissionFaults() throws {
        let m = machine(.protected32, [0x6E])
        m.cpu.cpl = 3
        m.cpu.registers[2] = 0x60
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
    }
}
