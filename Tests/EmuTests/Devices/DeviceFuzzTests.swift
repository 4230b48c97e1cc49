@testable import Emu
import Testing

/// Random port I/O, MMIO accesses of every size (local APIC page, IOAPIC, HPET, anywhere) and
/// APIC MSR writes, interleaved with running a two-processor machine whose kernel sleeps with
/// interrupts enabled and acknowledges every vector: whatever the guest programs, the devices
/// give some architectural result and the run ends with a `MachineExit`, never a host trap.
@Suite struct DeviceFuzzTests {
    typealias Random = SystemFuzzTests.Random

    /// Values a guest is likely to get wrong: the extremes, and random ones.
    static func value(_ r: inout Random) -> UInt64 {
        switch r.below(8) {
        case 0: return 0
        case 1: return .max
        case 2: return 0xFFFF_FFFF
        case 3: return 1 << r.below(64)
        case 4: return (1 << r.below(64)) &- 1
        case 5: return .max &- r.below(16)
        case 6: return r.below(0x100)
        default: return r.next()
        }
    }

    static let sizes = [1, 2, 4, 8]

    /// Ports with devices behind them (and the debug exit port 0xF4 left out, which only ends
    /// the run), and the whole space.
    static func port(_ r: inout Random) -> UInt16 {
        let ranges: [ClosedRange<UInt16>] = [0x20...0x21, 0x40...0x43, 0x60...0x64, 0x70...0x71, 0x92...0x92,
                                            0xA0...0xA1, 0x2E8...0x2EF, 0x2F8...0x2FF, 0x3E8...0x3EF, 0x3F8...0x3FF,
                                            0x510...0x511, 0x600...0x60B, 0xCF8...0xCFF]
        if r.below(8) == 0 {
            let p = UInt16(truncatingIfNeeded: r.next())
            return p == 0xF4 ? 0xF5 : p
        }
        let range = ranges[Int(r.below(UInt64(ranges.count)))]
        return range.lowerBound &+ UInt16(r.below(UInt64(range.count)))
    }

    /// A physical address: the APIC page where the current processor has it, the IOAPIC, the
    /// HPET, around the top of RAM, or anywhere.
    static func address(_ r: inout Random, _ m: Machine) -> UInt64 {
        switch r.below(6) {
        case 0, 1: return m.apics[m.apicBus.current].mmioBase &+ r.below(0x1010)
        case 2: return IOAPIC.defaultBase &+ r.below(0x20)
        case 3: return HPET.defaultBase &+ r.below(0x410)
        case 4: return m.memory.size &- 8 &+ r.below(16)
        default: return r.next()
        }
    }

    /// The kernel: sti; 1: nop; hlt; jmp 1b. Every vector goes to a handler that writes the
    /// xAPIC EOI register and returns.
    static let kernel: [UInt8] = {
        let loop: [UInt8] = [0xFB, 0x90, 0xF4, 0xEB, 0xFC]
        let handler: [UInt8] = [0xC7, 0x05, 0xB0, 0x00, 0xE0, 0xFE, 0, 0, 0, 0, 0xCF]
        return TestImages.kludge(code: loop + [UInt8](repeating: 0x90, count: 0x10 - loop.count) + handler)
    }()

    func machine(vendor: Vendor) throws -> Machine {
        var config = MachineConfig(vendor: vendor, memorySize: 16 << 20, serial: .none, maxCycles: DeviceFuzzTests.budget)
        config.cpuCount = 2
        let m = try Machine(config: config, serialSink: BufferSerialSink())
        try m.load(DeviceFuzzTests.kernel, name: "fuzz")
        for v in 0..<256 {
            let handler: UInt64 = 0x10_0030
            m.memory.write(UInt64(v * 8), size: 8, value: handler & 0xFFFF | 0x10 << 16 | 0x8E00 << 32 | (handler >> 16) << 48)
        }
        m.cpu.idtr = DescriptorTable(base: 0, limit: 0x7FF)
        m.cpu.registers[4] = 0x9_0000
        return m
    }

    /// Runs every processor for `cycles` more (the run loop's round, as `Machine.runLoop` does).
    func run(_ m: Machine, cycles: UInt64) -> MachineExit? {
        let end = (m.cpus.map(\.cycles).max() ?? 0) &+ cycles
        var flush = UInt64.max
        defer {
            m.apicBus.select(0)
            m.clock.cpu = m.cpus[0]
        }
        for i in m.cpus.indices {
            m.apicBus.select(i)
            m.clock.cpu = m.cpus[i]
            switch m.runProcessor(i, until: end, nextFlush: &flush) {
            case .exit(let e): return e
            case .stuck: if m.cpus[i].cycles < end { m.cpus[i].cycles = end }
            case .reachedEnd: break
            }
        }
        return nil
    }

    /// One random device access from processor `i`'s point of view.
    func poke(_ m: Machine, _ r: inout Random) {
        let i = Int(r.below(UInt64(m.cpus.count)))
        m.apicBus.select(i)
        m.clock.cpu = m.cpus[i]
        let size = DeviceFuzzTests.sizes[Int(r.below(4))]
        switch r.below(10) {
        case 0, 1:
            let p = DeviceFuzzTests.port(&r)
            _ = m.ports.read(p, size: min(size, 4))
        case 2, 3:
            let p = DeviceFuzzTests.port(&r)
            m.ports.write(p, size: min(size, 4), value: UInt32(truncatingIfNeeded: DeviceFuzzTests.value(&r)))
        case 4:
            _ = m.memory.read(DeviceFuzzTests.address(&r, m), size: size)
        case 5, 6:
            m.memory.write(DeviceFuzzTests.address(&r, m), size: size, value: DeviceFuzzTests.value(&r))
        case 7:
            // Mostly legal APIC bases, so that the page keeps moving around.
            let base = r.below(2) == 0 ? r.next() : (r.below(4) == 0 ? r.next() : LocalAPIC.defaultBase)
                & 0xF_FFFF_F000 | r.below(2) << 11 | r.below(4) << 10 | r.below(2) << 8
            _ = try? m.cpus[i].writeMSR(MSR.apicBase, base)
        case 8:
            let index = r.below(4) == 0 ? LocalAPIC.tscDeadlineMSR : 0x800 + UInt32(r.below(0x100))
            _ = try? m.cpus[i].writeMSR(index, DeviceFuzzTests.value(&r))
        default:
            let index = r.below(4) == 0 ? LocalAPIC.tscDeadlineMSR : 0x800 + UInt32(r.below(0x100))
            _ = try? m.cpus[i].readMSR(index)
        }
    }

    /// Each machine runs to this budget; the last stretch goes through `Machine.run`.
    static let budget: UInt64 = 4_000_000

    @Test(arguments: [Vendor.intel, .amd])
    func randomDeviceAccessesNeverTrap(vendor: Vendor) throws {
        var r = Random(state: 0xDE71_CE00 &+ (vendor == .intel ? 0 : 1))
        var m = try machine(vendor: vendor)
        var machines = 1
        for _ in 0..<3000 {
            for _ in 0..<Int(1 + r.below(16)) { poke(m, &r) }
            let ended = run(m, cycles: 1 + r.below(r.below(2) == 0 ? 1000 : 50_000)) != nil
            if ended || m.cpu.cycles > DeviceFuzzTests.budget - 1_000_000 {
                if !ended {
                    // The run loop proper, from whatever state the devices are in, to an exit.
                    if case .cycleBudgetExhausted(let cycles, _) = m.run() { #expect(cycles >= DeviceFuzzTests.budget) }
                }
                m = try machine(vendor: vendor)
                machines += 1
            }
        }
        #expect(machines > 1)
    }
}
