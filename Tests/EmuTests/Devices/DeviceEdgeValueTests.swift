@testable import Emu
import Testing

/// Guest values at the edges of the devices' ranges, each driven through the device's registers
/// and checked against the datasheet's outcome.
@Suite struct DeviceEdgeValueTests {
    func machine() throws -> Machine {
        try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
    }

    /// IA-PC HPET 1.0a: the 64-bit main counter rolls over to zero and a comparator matches
    /// when the counter equals it, so a comparator just past the wrap fires after the wrap.
    @Test func hpetComparatorAfterTheCounterWrapped() throws {
        let m = try machine()
        m.memory.write(0xFED0_00F0, size: 8, value: UInt64.max - 4)        // halted: writable
        m.memory.write(0xFED0_0010, size: 4, value: 1)                     // enable at cycle 0
        m.cpu.cycles = 100                                                 // 10 ticks: wrapped
        #expect(m.memory.read(0xFED0_00F0, size: 8) == 5)
        // Timer 2, one-shot, edge, IOAPIC input 20 -> vector 33h; comparator 8 (13 ticks in).
        m.memory.write(0xFEC0_0000, size: 4, value: 0x10 + 2 * 20)
        m.memory.write(0xFEC0_0010, size: 4, value: 0x33)
        m.memory.write(0xFED0_0100 + 0x40, size: 4, value: 1 << 2 | 20 << 9)
        m.memory.write(0xFED0_0108 + 0x40, size: 8, value: 8)
        #expect(m.clock.deadline(of: .hpet) == 130)
        m.cpu.cycles = 130
        m.clock.fireDue()
        #expect(m.apics[0].irr.contains(0x33))
    }
}
