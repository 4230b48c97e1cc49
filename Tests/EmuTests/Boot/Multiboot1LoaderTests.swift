@testable import Emu
import Testing

@Suite struct Multiboot1LoaderTests {
    func memory(_ size: UInt64 = 16 << 20) throws -> PhysicalMemory {
        try #require(PhysicalMemory(size: size))
    }

    func load(_ bytes: [UInt8], into m: PhysicalMemory, commandLine: String = "k.elf ") throws -> BootImage {
        try BootLoader.load(bytes, into: m, commandLine: commandLine)
    }

    @Test func loadsELF32SegmentsAndZeroFillsBss() throws {
        let m = try memory()
        _ = m.load([UInt8](repeating: 0xCC, count: 0x3000), at: 0x10_0000)   // stale bytes where bss goes
        let bytes = TestImages.elf32(code: [0x90, 0xF4], bss: 0x1000)
        let image = try load(bytes, into: m)
        #expect(image.format == "Multiboot1 ELF32")
        #expect(image.entry == 0x10_0000 + 108)
        #expect(TestImages.ram(m, 0x10_0000, bytes.count) == bytes)
        #expect(TestImages.ram(m, 0x10_0000 + UInt64(bytes.count), 0x1000).allSatisfy { $0 == 0 })
        #expect(TestImages.ram(m, 0x10_0000 + UInt64(bytes.count) + 0x1000, 1) == [0xCC])
        #expect(image.loadedRanges == [0x10_0000..<(0x10_0000 + UInt64(bytes.count) + 0x1000)])
    }

    @Test func loadsELF64ByProgramHeaders() throws {
        let m = try memory()
        let image = try load(TestImages.elf64(code: [0xF4]), into: m)
        #expect(image.format == "Multiboot1 ELF64")
        #expect(image.entry == 0x10_0000 + 132)
        #expect(TestImages.ram(m, 0x10_0000 + 132, 1) == [0xF4])
    }

    @Test func higherHalfELFEntersAtThePhysicalEntry() throws {
        let m = try memory()
        let image = try load(TestImages.elf32(code: [0xF4], physical: 0x10_0000, virtual: 0xC010_0000), into: m)
        #expect(image.entry == 0x10_0000 + 108)
    }

    @Test func aOutKludgeLoadsFromTheHeaderRelativeOffset() throws {
        let m = try memory()
        // 16 bytes of padding before the header: text starts 16 bytes before the header.
        let code: [UInt8] = [0xFA, 0xF4]
        var bytes = [UInt8](repeating: 0xAB, count: 16) + TestImages.multibootHeader(flags: 1 << 16)
        bytes += TestImages.le32(0x20_0010) + TestImages.le32(0x20_0000) + TestImages.le32(0)
            + TestImages.le32(0x20_2000) + TestImages.le32(0x20_0030) + code
        _ = m.load([UInt8](repeating: 0xCC, count: 0x3000), at: 0x20_0000)
        let image = try load(bytes, into: m)
        #expect(image.format == "Multiboot1 a.out kludge")
        #expect(image.entry == 0x20_0030)
        #expect(TestImages.ram(m, 0x20_0000, bytes.count) == bytes)
        #expect(TestImages.ram(m, 0x20_0000 + UInt64(bytes.count), 0x2000 - bytes.count).allSatisfy { $0 == 0 })
        #expect(TestImages.ram(m, 0x20_2000, 1) == [0xCC])
        #expect(image.loadedRanges == [0x20_0000..<0x20_2000])
    }

    @Test func aOutKludgeLoadEndLimitsTheCopy() throws {
        let m = try memory()
        let bytes = TestImages.kludge(code: [0x90, 0x90, 0x90, 0x90], loadEnd: 0x10_0022)
        _ = try load(bytes, into: m)
        #expect(TestImages.ram(m, 0x10_0020, 4) == [0x90, 0x90, 0, 0])
    }

    @Test func aOutKludgeWinsOverELFHeaders() throws {
        let m = try memory()
        let image = try load(try TestImages.rom("mb1-elf64.elf"), into: m)
        #expect(image.format == "Multiboot1 a.out kludge (ELF64)")
    }

    @Test func rejectsInconsistentKludges() throws {
        let m = try memory()
        #expect(throws: BootError.badKludge("header_addr below load_addr")) {
            try load(TestImages.kludge(code: [0xF4], loadAddress: 0x10_0000, headerAddress: 0xF_0000), into: m)
        }
        #expect(throws: BootError.badKludge("load_addr is before the start of the file")) {
            try load(TestImages.kludge(code: [0xF4], loadAddress: 0x10_0000, headerAddress: 0x10_0010), into: m)
        }
        #expect(throws: BootError.badKludge("load_end_addr is past the end of the file")) {
            try load(TestImages.kludge(code: [0xF4], loadEnd: 0x10_1000), into: m)
        }
        #expect(throws: BootError.badKludge("load_end_addr below load_addr")) {
            try load(TestImages.kludge(code: [0xF4], loadEnd: 0xF_0000), into: m)
        }
    }

    @Test func rejectsBadInputs() throws {
        let m = try memory()
        #expect(throws: BootError.emptyImage) { try load([], into: m) }
        #expect(throws: BootError.noMultibootHeader(isELF: false)) { try load(Array("hello world".utf8), into: m) }
        var elf = TestImages.elf32(code: [0xF4])
        elf[96] = 0   // break the magic
        #expect(throws: BootError.noMultibootHeader(isELF: true)) { try load(elf, into: m) }
        #expect(throws: BootError.notELF) { try load(TestImages.multibootHeader(flags: 0) + [0xF4], into: m) }
    }

    @Test func rejectsImagesThatDoNotFitInRAM() throws {
        let small = try memory(2 << 20)
        #expect(throws: BootError.imageLargerThanRAM(imageSize: 3 << 20, ramSize: 2 << 20)) {
            try load(TestImages.kludge(code: [UInt8](repeating: 0x90, count: (3 << 20) - 32)), into: small)
        }
        #expect(throws: BootError.doesNotFit(what: "image segment", start: 0x40_0000, end: 0x40_0000 + 109,
                                            ramSize: 2 << 20)) {
            try load(TestImages.elf32(code: [0xF4], physical: 0x40_0000), into: small)
        }
        #expect(throws: BootError.doesNotFit(what: "image segment", start: 0x10_0000, end: 0x10_0021 + 0x20_0000,
                                            ramSize: 2 << 20)) {
            try load(TestImages.kludge(code: [0xF4], bss: 0x20_0000), into: small)
        }
    }

    @Test func bootInformationFollowsTheSpecification() throws {
        let m = try memory(64 << 20)
        let image = try load(TestImages.elf32(code: [0xF4]), into: m, commandLine: "k.elf console=ttyS0")
        #expect(image.magic == 0x2BAD_B002)
        let info = UInt64(image.infoAddress)
        #expect(info >= 0x1000 && info < 0xA_0000)
        let flags = TestImages.ram32(m, info)
        #expect(flags == (1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9))
        #expect(TestImages.ram32(m, info + 4) == 640)                   // mem_lower
        #expect(TestImages.ram32(m, info + 8) == (64 - 1) * 1024)       // mem_upper
        #expect(TestImages.string(m, UInt64(TestImages.ram32(m, info + 16))) == "k.elf console=ttyS0")
        #expect(TestImages.ram32(m, info + 20) == 0)                    // mods_count
        #expect(TestImages.string(m, UInt64(TestImages.ram32(m, info + 64))) == "swemu")
        // mmap: size, base, length, type per entry.
        let length = TestImages.ram32(m, info + 44)
        let address = UInt64(TestImages.ram32(m, info + 48))
        #expect(length == 3 * 24)
        var entries: [(UInt64, UInt64, UInt32)] = []
        var a = address
        while a < address + UInt64(length) {
            #expect(TestImages.ram32(m, a) == 20)
            entries.append((m.read(a + 4, size: 8), m.read(a + 12, size: 8), TestImages.ram32(m, a + 20)))
            a += 24
        }
        #expect(entries.map(\.0) == [0, 0xA_0000, 0x10_0000])
        #expect(entries.map(\.1) == [0xA_0000, 0x6_0000, (64 << 20) - 0x10_0000])
        #expect(entries.map(\.2) == [1, 2, 1])
    }

    @Test func bootInformationAvoidsTheImage() throws {
        let m = try memory()
        // An image loaded over the usual place of the boot information (0x1000-0x9FFFF).
        let image = try load(TestImages.kludge(code: [0xF4], loadAddress: 0x1000, bss: 0x2000), into: m)
        let info = UInt64(image.infoAddress)
        for r in image.loadedRanges { #expect(!r.contains(info)) }
        #expect(info == 0x4000)
        #expect(TestImages.ram32(m, info + 4) == 640)
    }

    @Test func entryStateFollowsTheSpecification() throws {
        let m = try memory()
        let cpu = CPU(vendor: .intel, memory: m, ports: PortBus())
        cpu.rflags = 0x202
        let image = try load(TestImages.elf32(code: [0xF4]), into: m)
        image.enter(cpu)
        #expect(cpu.registers[0] == 0x2BAD_B002)
        #expect(cpu.registers[3] == UInt64(image.infoAddress))
        #expect(cpu.rip == 0x10_0000 + 108)
        #expect(cpu.segment(.cs) == SegmentCache(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC09B))
        for s in [SegmentRegister.ds, .es, .fs, .gs, .ss] {
            #expect(cpu.segment(s) == SegmentCache(selector: 0x18, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC093))
        }
        #expect(cpu.cr0 & 1 == 1)                 // PE
        #expect(cpu.cr0 & (1 << 31) == 0)         // PG
        #expect(cpu.rflags & (1 << 9) == 0)       // IF
        #expect(cpu.rflags & (1 << 17) == 0)      // VM
        #expect(cpu.efer == 0)
        #expect(cpu.codeMode == .protected32)
        #expect(cpu.cpl == 0)
        // The GDT left behind describes the same flat segments.
        #expect(cpu.gdtr.limit == 31)
        #expect(m.read(cpu.gdtr.base + 0x10, size: 8) == 0x00CF_9B00_0000_FFFF)
        #expect(m.read(cpu.gdtr.base + 0x18, size: 8) == 0x00CF_9300_0000_FFFF)
    }
}
