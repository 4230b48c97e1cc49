@testable import Emu
import Testing

/// The ACPI tables against ACPI 6.5 chapter 5: RSDP fields and both checksums, every table's
/// header and checksum, FADT fields at their table-5.9 offsets, MADT structures, the HPET
/// table, and the PM timer's rate.
@Suite struct ACPITablesTests {
    func machine(cpus: Int = 2) throws -> Machine {
        var config = MachineConfig(memorySize: 16 << 20, serial: .none)
        config.cpuCount = cpus
        let m = try Machine(config: config, serialSink: BufferSerialSink())
        try m.load(TestImages.rom("hello.elf"), name: "hello")
        return m
    }

    func bytes(_ m: Machine, _ a: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(m.memory.read(a + UInt64($0), size: 1)) } }
    func u32(_ m: Machine, _ a: UInt64) -> UInt32 { UInt32(m.memory.read(a, size: 4)) }
    func u64(_ m: Machine, _ a: UInt64) -> UInt64 { m.memory.read(a, size: 8) }
    func sum(_ b: [UInt8]) -> UInt8 { b.reduce(0, &+) }
    func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// Finds the RSDP as an OS does: "RSD PTR " on a 16-byte boundary in E0000h-FFFFFh (5.2.5.1).
    func rsdp(_ m: Machine) -> UInt64? {
        stride(from: UInt64(0xE_0000), to: 0x10_0000, by: 16).first { text(bytes(m, $0, 8)) == "RSD PTR " && sum(bytes(m, $0, 20)) == 0 }
    }

    /// The tables the XSDT lists, by signature, each checked for length and checksum.
    func tables(_ m: Machine) throws -> [String: UInt64] {
        let r = try #require(rsdp(m))
        let xsdt = u64(m, r + 24)
        #expect(text(bytes(m, xsdt, 4)) == "XSDT")
        let n = (Int(u32(m, xsdt + 4)) - 36) / 8
        var found: [String: UInt64] = [:]
        for k in 0..<n {
            let t = u64(m, xsdt + 36 + UInt64(8 * k))
            let len = Int(u32(m, t + 4))
            #expect(sum(bytes(m, t, len)) == 0, "checksum of \(text(bytes(m, t, 4)))")
            found[text(bytes(m, t, 4))] = t
        }
        return found
    }

    @Test func rsdpAndRootTables() throws {
        let m = try machine()
        let r = try #require(rsdp(m))
        #expect(r == 0xF_0000)
        #expect(bytes(m, r + 15, 1) == [2] && u32(m, r + 20) == 36 && sum(bytes(m, r, 36)) == 0)
        let rsdt = UInt64(u32(m, r + 16))
        #expect(text(bytes(m, rsdt, 4)) == "RSDT" && sum(bytes(m, rsdt, Int(u32(m, rsdt + 4)))) == 0)
        // RSDT and XSDT list the same tables.
        let t = try tables(m)
        #expect(Set(t.keys) == ["FACP", "APIC", "HPET"])
        let rsdtEntries = (0..<((Int(u32(m, rsdt + 4)) - 36) / 4)).map { UInt64(u32(m, rsdt + 36 + UInt64(4 * $0))) }
        #expect(Set(rsdtEntries) == Set(t.values))
    }

    @Test func fadtDescribesThePMBlocksAndTheResetRegister() throws {
        let m = try machine()
        let f = try #require(try tables(m)["FACP"])
        #expect(u32(m, f + 4) == 276 && bytes(m, f + 8, 1) == [6])
        let dsdt = UInt64(u32(m, f + 40))
        #expect(text(bytes(m, dsdt, 4)) == "DSDT" && sum(bytes(m, dsdt, Int(u32(m, dsdt + 4)))) == 0 && u64(m, f + 140) == dsdt)
        let facs = UInt64(u32(m, f + 36))
        #expect(text(bytes(m, facs, 4)) == "FACS" && facs % 64 == 0)
        #expect(m.memory.read(f + 46, size: 2) == 9)                              // SCI_INT
        #expect(u32(m, f + 56) == 0x600 && u32(m, f + 64) == 0x604 && u32(m, f + 76) == 0x608)
        #expect(bytes(m, f + 88, 4) == [4, 2, 0, 4])                              // PM1_EVT/CNT, PM2, PM_TMR lengths
        #expect(u32(m, f + 112) & (1 << 10) != 0)                                 // RESET_REG_SUP
        #expect(bytes(m, f + 116, 4) == [1, 8, 0, 1] && u64(m, f + 120) == 0xCF9 && bytes(m, f + 128, 1) == [6])
        #expect(bytes(m, f + 208, 2) == [1, 32] && u64(m, f + 212) == 0x608)     // X_PM_TMR_BLK
    }

    @Test func madtListsProcessorsIOAPICAndOverrides() throws {
        let m = try machine(cpus: 3)
        let a = try #require(try tables(m)["APIC"])
        #expect(u32(m, a + 36) == 0xFEE0_0000 && u32(m, a + 40) & 1 == 1)
        var p = a + 44
        let end = a + UInt64(u32(m, a + 4))
        var apicIDs: [UInt8] = [], ioapics: [UInt32] = [], overrides: [(UInt8, UInt32)] = [], nmis = 0
        while p < end {
            let type = bytes(m, p, 1)[0], len = UInt64(bytes(m, p + 1, 1)[0])
            switch type {
            case 0: if u32(m, p + 4) & 1 != 0 { apicIDs.append(bytes(m, p + 3, 1)[0]) }
            case 1: ioapics.append(u32(m, p + 4)); #expect(u32(m, p + 8) == 0)
            case 2: overrides.append((bytes(m, p + 3, 1)[0], u32(m, p + 4)))
            case 4: nmis += 1; #expect(bytes(m, p + 5, 1) == [1])
            default: Issue.record("unexpected MADT structure \(type)")
            }
            #expect(len > 0)
            p += len
        }
        #expect(p == end && apicIDs == [0, 1, 2] && ioapics == [0xFEC0_0000] && nmis == 1)
        #expect(overrides.contains { $0.0 == 0 && $0.1 == 2 })
    }

    @Test func hpetTableMatchesTheDevice() throws {
        let m = try machine()
        let h = try #require(try tables(m)["HPET"])
        #expect(u32(m, h + 36) == UInt32(truncatingIfNeeded: m.memory.read(0xFED0_0000, size: 4)))
        #expect(bytes(m, h + 40, 4) == [0, 64, 0, 0] && u64(m, h + 44) == 0xFED0_0000)
    }

    @Test func multiboot2GetsTheRSDPTags() throws {
        let m = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        let image = try m.load(TestImages.rom("mb2-hello.elf"), name: "mb2")
        var p = UInt64(image.infoAddress) + 8
        var seen: [UInt32: [UInt8]] = [:]
        while true {
            let type = u32(m, p), size = u32(m, p + 4)
            if type == 0 { break }
            seen[type] = bytes(m, p + 8, Int(size) - 8)
            p = (p + UInt64(size) + 7) & ~7
        }
        #expect(seen[14] == Array(m.acpiTables.rsdp.prefix(20)) && seen[15] == m.acpiTables.rsdp)
    }

    @Test func pmTimerRunsAt3579545Hz() throws {
        let m = try machine()
        m.cpu.cycles = 1_000_000_000
        #expect(m.ports.read(0x608, size: 4) == 3_579_545 & 0xFF_FFFF)
        m.cpu.cycles = 1_000
        #expect(m.ports.read(0x608, size: 4) == 3)                                // floor(3.579545)
        #expect(m.ports.read(0x604, size: 2) & 1 == 1)                            // SCI_EN
    }
}
