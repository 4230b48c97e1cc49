import Testing
@testable import Emu

/// Garbage descriptor tables, IDTs, TSSs and stacks fed to far JMP/CALL/RET, IRET, INT n, segment
/// loads and event delivery: whatever the guest puts there, the outcome is architectural (an
/// exception vector the SDM lists for these instructions, or success), never a host trap.
@Suite struct SystemFuzzTests {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
    }

    /// Vectors these instructions and delivery may raise.
    static let allowed: Set<UInt8> = [6, 10, 11, 12, 13, 14]

    @Test(arguments: [CodeMode.protected32, .protected16, .long64, .real])
    func garbageTablesGiveOnlyArchitecturalOutcomes(mode: CodeMode) throws {
        var r = Random(state: 0x5EED_0000 &+ UInt64(mode.rawValue))
        let programs: [[UInt8]] = [
            [0xEA], [0x9A], [0xFF, 0x28], [0xFF, 0x18], [0xCB], [0xCA, 0x10, 0x00], [0xCF], [0x48, 0xCF],
            [0xCD], [0xCC], [0xCE], [0xF1], [0x8E, 0xD0], [0x8E, 0xD8], [0x8E, 0xE0], [0x0F, 0xB2, 0x00],
            [0x17], [0x0F, 0xA9], [0x0F, 0x00, 0xD0], [0x0F, 0x00, 0xD8], [0x0F, 0x02, 0xC0], [0x0F, 0x03, 0xC0],
            [0x0F, 0x00, 0xE0], [0x0F, 0x00, 0xE8], [0x63, 0xC0], [0x66, 0xCF], [0x66, 0xCB],
        ]
        for iteration in 0..<1000 {
            let m = FlatMachine(memorySize: 1 << 20, mode: mode)!
            let cpu = m.cpu
            // Random bytes in the GDT, IDT, TSS, stack and pointer areas.
            for base: UInt64 in [0x10000, 0x11000, 0x12000, 0x7F00, 0x0000] {
                for k in stride(from: UInt64(0), to: 0x100, by: 8) { m.memory.write(base + k, size: 8, value: r.next()) }
            }
            // Mostly plausible descriptors: set P and S bits often.
            for k in stride(from: UInt64(0), to: 0x100, by: 8) where r.below(2) == 0 {
                let v = m.memory.read(0x10000 + k, size: 8) | 1 << 47
                m.memory.write(0x10000 + k, size: 8, value: v)
            }
            cpu.gdtr = DescriptorTable(base: r.below(8) == 0 ? r.next() : 0x10000, limit: UInt16(truncatingIfNeeded: r.next()))
            cpu.idtr = DescriptorTable(base: r.below(8) == 0 ? r.next() : 0x11000, limit: UInt16(truncatingIfNeeded: r.next()))
            cpu.tr = SegmentCache(selector: UInt16(truncatingIfNeeded: r.next()), base: 0x12000,
                                  limit: UInt32(truncatingIfNeeded: r.below(0x200)),
                                  attributes: r.below(2) == 0 ? 0x8B : 0x83)
            cpu.ldtr = SegmentCache(selector: UInt16(truncatingIfNeeded: r.next()), base: r.below(2) == 0 ? 0x10000 : r.next(),
                                    limit: UInt32(truncatingIfNeeded: r.below(0x400)), attributes: 0x82)
            if r.below(4) == 0 { cpu.enterUserMode() }
            if mode == .real && r.below(2) == 0 {
                cpu.cr0 = 0x11
                cpu.rflags = 0x2_0002 | (r.below(4) << 12)
                cpu.cpl = 3
                cpu.updateCodeMode()
            }
            cpu.rflags = cpu.rflags & ~0xFFFF | (r.next() & 0x7FD5) | 2
            if r.below(4) == 0 { cpu.rflags |= RFlags.nestedTask.rawValue }
            cpu.registers[4] = 0x7F80 &+ (r.below(4) == 0 ? r.next() : 0)
            cpu.registers[0] = r.next()
            var program = programs[Int(r.below(UInt64(programs.count)))]
            for _ in 0..<6 { program.append(UInt8(truncatingIfNeeded: r.next())) }
            _ = m.memory.load(program, at: 0x1000)
            cpu.rip = 0x1000
            do {
                try cpu.step()
            } catch {
                // INT n/INT3/INTO/INT1 raise their vector as a trap for the run loop to deliver.
                #expect(error.trap || SystemFuzzTests.allowed.contains(error.vector), "iteration \(iteration): \(error)")
                // The run loop's next move: deliver it. Either outcome is architectural.
                _ = cpu.deliver(error)
            }
            // Random event delivery on the same garbage.
            let vector = UInt8(truncatingIfNeeded: r.next())
            _ = r.below(2) == 0 ? cpu.deliverExternalInterrupt(vector: vector)
                : cpu.deliver(Fault(vector: vector, errorCode: r.below(2) == 0 ? UInt32(truncatingIfNeeded: r.next()) : nil))
        }
    }
}
