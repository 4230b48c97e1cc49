@testable import Emu
import Testing

/// PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2), the reset control register,
/// QEMU's fw_cfg interface (docs/specs/fw_cfg.rst), and the HPET (IA-PC HPET 1.0a).
@Suite struct PlatformBusTests {
    func machine(cpus: Int = 1, memory: UInt64 = 32 << 20) throws -> Machine {
        var config = MachineConfig(memorySize: memory, serial: .none)
        config.cpuCount = cpus
        config.commandLine = "quiet"
        return try Machine(config: config, serialSink: BufferSerialSink())
    }

    func config(_ m: Machine, bus: UInt32 = 0, device: UInt32, function: UInt32 = 0, _ reg: UInt32, size: Int = 4) -> UInt32 {
        m.ports.write(0xCF8, size: 4, value: 1 << 31 | bus << 16 | device << 11 | function << 8 | (reg & 0xFC))
        return m.ports.read(0xCFC + UInt16(reg & 3), size: size)
    }

    @Test func pciHostBridgeAndISABridge() throws {
        let m = try machine()
        #expect(config(m, device: 0, 0) == 0x29C0_8086)
        #expect(config(m, device: 0, 8) >> 8 == 0x06_00_00)                       // host bridge
        #expect(config(m, device: 0x1F, 0) == 0x2918_8086)
        #expect(config(m, device: 0x1F, 8) >> 8 == 0x06_01_00)                    // ISA bridge
        #expect(config(m, device: 0x1F, 0x0E, size: 1) == 0x80)
        #expect(config(m, device: 0, 2, size: 2) == 0x29C0 && config(m, device: 0, 1, size: 1) == 0x80)
        #expect(config(m, device: 3, 0) == 0xFFFF_FFFF && config(m, device: 0, function: 1, 0) == 0xFFFF_FFFF)
        #expect(config(m, bus: 1, device: 0, 0) == 0xFFFF_FFFF)
        m.ports.write(0xCF8, size: 4, value: 0x8000_0000)
        #expect(m.ports.read(0xCF8, size: 4) == 0x8000_0000)
        m.ports.write(0xCF8, size: 4, value: 0)                                   // enable clear: no cycle
        #expect(m.ports.read(0xCFC, size: 4) == 0xFFFF_FFFF)
        m.ports.write(0xCF8, size: 4, value: 0x8000_0000)
        m.ports.write(0xCFC, size: 4, value: 0xFFFF_FFFF)                         // IDs are read-only
        #expect(m.ports.read(0xCFC, size: 4) == 0x29C0_8086)
    }

    @Test func resetControlRegister() throws {
        let m = try machine()
        m.ports.write(0xCF9, size: 1, value: 2)
        #expect(m.attention.platformRequest == nil)
        m.ports.write(0xCF9, size: 1, value: 6)                                   // RST_CPU 0 -> 1
        #expect(m.attention.platformRequest == .reset(source: "reset control register 0xCF9"))
    }

    func fwcfg(_ m: Machine, _ key: UInt16, _ n: Int) -> [UInt8] {
        m.ports.write(0x510, size: 2, value: UInt32(key))
        return (0..<n).map { _ in UInt8(m.ports.read(0x511, size: 1)) }
    }

    @Test func fwCfgItemsAndFileDirectory() throws {
        let m = try machine(cpus: 4)
        #expect(fwcfg(m, 0x0000, 4) == Array("QEMU".utf8))
        #expect(fwcfg(m, 0x0001, 4) == [1, 0, 0, 0])                              // traditional, no DMA
        #expect(fwcfg(m, 0x0003, 8) == [0, 0, 0, 2, 0, 0, 0, 0])                  // 32 MiB
        #expect(fwcfg(m, 0x0005, 2) == [4, 0] && fwcfg(m, 0x000F, 2) == [4, 0])
        #expect(fwcfg(m, 0x0014, 4) == [6, 0, 0, 0] && fwcfg(m, 0x0015, 6) == Array("quiet\0".utf8))
        let dir = fwcfg(m, 0x0019, 4 + 64)
        #expect(dir[0..<4] == [0, 0, 0, 1])                                       // big-endian count
        let size = Int(dir[4]) << 24 | Int(dir[5]) << 16 | Int(dir[6]) << 8 | Int(dir[7])
        let select = UInt16(dir[8]) << 8 | UInt16(dir[9])
        #expect(String(decoding: dir[12..<20], as: UTF8.self) == "etc/e820" && dir[20] == 0)
        #expect(size == 3 * 20)
        let e820 = fwcfg(m, select, size)
        func u64(_ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(e820[o + $1]) << (8 * UInt64($1)) } }
        #expect(u64(40) == 0x10_0000 && u64(48) == (32 << 20) - 0x10_0000 && e820[56] == 1)
        #expect(fwcfg(m, 0x1234, 2) == [0, 0])                                    // no such item
    }

    @Test func hpetCountsAndFires() throws {
        let m = try machine()
        let cap = m.memory.read(0xFED0_0000, size: 8)
        #expect(cap >> 32 == 10_000_000 && (cap >> 8) & 0x1F == 2 && cap & (1 << 13) != 0 && cap & 0xFF == 1)
        #expect(m.memory.read(0xFED0_00F0, size: 8) == 0)
        m.cpu.cycles = 1000
        m.memory.write(0xFED0_0010, size: 4, value: 1)                           // ENABLE_CNF
        m.cpu.cycles = 1000 + 12_345
        #expect(m.memory.read(0xFED0_00F0, size: 8) == 1234)                     // 10 ns per tick
        // Timer 2, one-shot, edge, route to IOAPIC input 20, comparator 2000 ticks.
        m.memory.write(0xFED0_0100 + 0x40, size: 4, value: 1 << 2 | 20 << 9)
        m.memory.write(0xFED0_0108 + 0x40, size: 8, value: 2000)
        #expect(m.clock.deadline(of: .hpet) == 1000 + 20_000)
        m.memory.write(0xFEC0_0000, size: 4, value: 0x10 + 2 * 20)
        m.memory.write(0xFEC0_0010, size: 4, value: 0x33)
        m.cpu.cycles = 1000 + 20_000
        m.clock.fireDue()
        #expect(m.apics[0].irr.contains(0x33))
    }
}

/// HPET periodic mode and guest values at the edge of the counter's range.
@Suite struct HPETPeriodicTests {
    @Test func periodicComparatorAdvancesByThePeriod() throws {
        let m = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        m.memory.write(0xFED0_0100, size: 4, value: 1 << 2 | 1 << 3 | 1 << 6 | 21 << 9)   // periodic, VAL_SET, input 21
        m.memory.write(0xFED0_0108, size: 8, value: 100)                                  // comparator 100
        m.memory.write(0xFED0_0108, size: 8, value: 100)                                  // period 100
        m.memory.write(0xFED0_0010, size: 4, value: 1)
        #expect(m.clock.deadline(of: .hpet) == 1000)
        m.cpu.cycles = 1000
        m.clock.fireDue()
        #expect(m.memory.read(0xFED0_0108, size: 8) == 200 && m.clock.deadline(of: .hpet) == 2000)
        m.cpu.cycles = 5500                                                               // missed periods
        m.clock.fireDue()
        #expect(m.memory.read(0xFED0_0108, size: 8) == 600)
    }

    @Test func aCounterNearItsLimitDoesNotHang() throws {
        let m = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        m.memory.write(0xFED0_00F0, size: 8, value: UInt64.max - 1)
        m.memory.write(0xFED0_0100, size: 4, value: 1 << 2 | 1 << 3 | 1 << 6)
        m.memory.write(0xFED0_0108, size: 8, value: UInt64.max - 1)
        m.memory.write(0xFED0_0108, size: 8, value: 1)
        m.memory.write(0xFED0_0010, size: 4, value: 1)
        m.clock.fireDue()                                   // due at once: counter = comparator
        #expect(m.memory.read(0xFED0_0108, size: 8) == UInt64.max)
    }
}

/// HPET legacy replacement (IA-PC HPET 1.0a, 2.3.9.2.2): timer 0 drives IRQ0 instead of the PIT.
@Suite struct HPETLegacyRoutingTests {
    @Test func timer0ReplacesThePIT() throws {
        let m = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        // IOAPIC input 2 (IRQ0) -> vector 40h, edge.
        m.memory.write(0xFEC0_0000, size: 4, value: 0x14)
        m.memory.write(0xFEC0_0010, size: 4, value: 0x40)
        m.memory.write(0xFED0_0010, size: 4, value: 3)                     // ENABLE_CNF | LEG_RT_CNF
        m.irqs.setIRQ(0, false)
        m.irqs.setIRQ(0, true)                                             // the PIT's edge: disconnected
        #expect(m.apics[0].irr.isEmpty)
        m.memory.write(0xFED0_0100, size: 4, value: 1 << 2)                // timer 0: interrupts on
        m.memory.write(0xFED0_0108, size: 8, value: 5)
        m.cpu.cycles = 50
        m.clock.fireDue()
        #expect(m.apics[0].irr.contains(0x40))
        m.memory.write(0xFED0_0010, size: 4, value: 1)                     // legacy routing off
        m.apics[0].acknowledge(0x40)
        m.irqs.setIRQ(0, false)
        m.irqs.setIRQ(0, true)
        #expect(m.apics[0].irr.contains(0x40))                             // the PIT again
    }
}
