@testable import Emu
import Testing

/// The IOAPIC against the Intel 82093AA datasheet: registers, redirection entries, edge and
/// level inputs with remote IRR and the EOI, polarity, destinations, ISA wiring (IRQ0 -> 2).
@Suite struct IOAPICTests {
    func machine(cpus: Int = 1) throws -> Machine {
        var config = MachineConfig(memorySize: 16 << 20, serial: .none)
        config.cpuCount = cpus
        return try Machine(config: config, serialSink: BufferSerialSink())
    }

    func read(_ m: Machine, _ r: UInt32) -> UInt32 {
        m.memory.write(0xFEC0_0000, size: 4, value: UInt64(r))
        return UInt32(truncatingIfNeeded: m.memory.read(0xFEC0_0010, size: 4))
    }

    func write(_ m: Machine, _ r: UInt32, _ v: UInt32) {
        m.memory.write(0xFEC0_0000, size: 4, value: UInt64(r))
        m.memory.write(0xFEC0_0010, size: 4, value: UInt64(v))
    }

    @Test func registersAfterReset() throws {
        let m = try machine()
        #expect(read(m, 0x01) == 0x0017_0011)              // version 11h, 24 entries (datasheet 3.2.2)
        write(m, 0x00, 0xFFFF_FFFF)
        #expect(read(m, 0x00) == 0x0F00_0000 && read(m, 0x02) == 0x0F00_0000)
        for n in 0..<24 { #expect(read(m, 0x10 + 2 * UInt32(n)) == 0x1_0000 && read(m, 0x11 + 2 * UInt32(n)) == 0) }
        m.memory.write(0xFEC0_0000, size: 4, value: 0x11)
        #expect(m.memory.read(0xFEC0_0000, size: 4) == 0x11)   // IOREGSEL reads back
        write(m, 0x12, 0xFFFF_FFFF)                          // delivery status, remote IRR read-only
        #expect(read(m, 0x12) == 0x0001_AFFF)
        write(m, 0x13, 0xFFFF_FFFF)
        #expect(read(m, 0x13) == 0xFF00_0000)
    }

    @Test func edgeInputsSendOnAssertionOnly() throws {
        let m = try machine()
        write(m, 0x10 + 2 * 5, 0x31)                         // input 5: vector 31h, fixed, physical APIC 0
        m.ioapic.setInput(5, true)
        #expect(m.apics[0].irr.contains(0x31))
        m.apics[0].acknowledge(0x31)
        m.ioapic.setInput(5, true)                           // no new edge
        #expect(!m.apics[0].irr.contains(0x31))
        m.ioapic.setInput(5, false)
        write(m, 0x10 + 2 * 5, 0x1_0031)                     // masked: the edge is lost
        m.ioapic.setInput(5, true)
        write(m, 0x10 + 2 * 5, 0x31)
        #expect(!m.apics[0].irr.contains(0x31))
    }

    @Test func levelInputsWaitForTheEOI() throws {
        let m = try machine()
        let a = m.apics[0]
        m.ioapic.setInput(9, true)                           // high = deasserted
        write(m, 0x10 + 2 * 9, 0xA041)                       // level, active low, vector 41h
        #expect(a.irr.isEmpty)
        m.ioapic.setInput(9, false)
        #expect(a.irr.contains(0x41) && a.tmr.contains(0x41) && read(m, 0x10 + 2 * 9) & (1 << 14) != 0)
        a.acknowledge(0x41)
        a.endOfInterrupt()                                   // still asserted: sent again
        #expect(a.irr.contains(0x41) && read(m, 0x10 + 2 * 9) & (1 << 14) != 0)
        m.ioapic.setInput(9, true)
        a.acknowledge(0x41)
        a.endOfInterrupt()
        #expect(a.irr.isEmpty && read(m, 0x10 + 2 * 9) & (1 << 14) == 0)
    }

    @Test func destinationsAndTheISAWiring() throws {
        let m = try machine(cpus: 2)
        m.apics[1].svr = 0x1FF
        m.apics[1].ldr = 0x0200_0000
        write(m, 0x10 + 2 * 2, 0x0850)                       // input 2: logical, vector 50h
        write(m, 0x11 + 2 * 2, 0x0200_0000)                  // logical destination 02h: APIC 1
        m.irqs.setIRQ(0, true)                               // ISA IRQ0 -> input 2
        #expect(m.apics[1].irr.contains(0x50) && m.apics[0].irr.isEmpty)
        write(m, 0x10 + 2 * 4, 0x0051)                       // IRQ4 -> input 4, physical 0
        m.irqs.setIRQ(4, true)
        #expect(m.apics[0].irr.contains(0x51))
    }
}
