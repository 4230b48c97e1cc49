@testable import Emu
import Testing

@Suite struct Multiboot2Tests {
    typealias T = TestImages

    /// A Multiboot 2 header with `tags` (each already 8-byte padded) and the end tag.
    static func header(tags: [[UInt8]], checksumDelta: UInt32 = 0, architecture: UInt32 = 0) -> [UInt8] {
        let body = tags.flatMap { $0 } + T.le16(0) + T.le16(0) + T.le32(8)
        let length = UInt32(16 + body.count)
        return T.le32(Multiboot2Header.magic) + T.le32(architecture) + T.le32(length)
            + T.le32((0 &- Multiboot2Header.magic &- architecture &- length) &+ checksumDelta) + body
    }

    static func tag(_ type: UInt16, optional: Bool = false, _ payload: [UInt8]) -> [UInt8] {
        var t = T.le16(type) + T.le16(optional ? 1 : 0) + T.le32(UInt32(8 + payload.count)) + payload
        while t.count % 8 != 0 { t.append(0) }
        return t
    }

    /// A raw image: the header at offset 0 with address and entry tags, loaded at 1 MiB; `code`
    /// follows the header and is the entry point.
    static func addressImage(code: [UInt8], extraTags: [[UInt8]] = []) -> [UInt8] {
        let headerSize = 16 + 24 + 16 + extraTags.reduce(0) { $0 + $1.count } + 8
        let entry = UInt32(0x10_0000 + headerSize)
        let address = tag(2, T.le32(0x10_0000) + T.le32(0x10_0000) + T.le32(0) + T.le32(0x10_2000))
        let entryTag = tag(3, T.le32(entry))
        let h = header(tags: [address, entryTag] + extraTags)
        return h + code
    }

    @Test func findsHeaderAndTags() throws {
        let bytes = [UInt8](repeating: 0, count: 16) + Multiboot2Tests.header(tags: [Multiboot2Tests.tag(3, T.le32(0x12345))])
        let h = try #require(try Multiboot2Header.find(in: bytes))
        #expect(h.offset == 16)
        #expect(h.entry == 0x12345)
        #expect(h.addresses == nil)
    }

    @Test func rejectsBadHeaders() {
        #expect(throws: BootError.badChecksum(offset: 0)) {
            try Multiboot2Header.find(in: Multiboot2Tests.header(tags: [], checksumDelta: 1))
        }
        #expect(throws: BootError.badMultiboot2("architecture 4 is not i386 (0)")) {
            try Multiboot2Header.find(in: Multiboot2Tests.header(tags: [], architecture: 4))
        }
        #expect(throws: BootError.badMultiboot2("requires boot information tag 8, which swemu does not provide")) {
            try Multiboot2Header.find(in: Multiboot2Tests.header(tags: [Multiboot2Tests.tag(1, T.le32(8))]))
        }
        #expect(throws: BootError.badMultiboot2("requires header tag 7, which swemu does not support")) {
            try Multiboot2Header.find(in: Multiboot2Tests.header(tags: [Multiboot2Tests.tag(7, [])]))
        }
    }

    @Test func optionalRequestsAndTagsAreIgnored() throws {
        let tags = [Multiboot2Tests.tag(1, optional: true, T.le32(8)), Multiboot2Tests.tag(7, optional: true, [])]
        #expect(try Multiboot2Header.find(in: Multiboot2Tests.header(tags: tags)) != nil)
    }

    @Test func loadsByAddressTagAndBuildsTheTagList() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        let bytes = Multiboot2Tests.addressImage(code: [0xFA, 0xF4])
        let image = try BootLoader.load(bytes, into: m, commandLine: "k console=ttyS0")
        #expect(image.format == "Multiboot2 address tag")
        #expect(image.magic == 0x36D7_6289)
        #expect(image.entry == 0x10_0000 + UInt32(bytes.count - 2))
        #expect(T.ram(m, 0x10_0000, bytes.count) == bytes)
        #expect(image.loadedRanges == [0x10_0000..<0x10_2000])
        let info = UInt64(image.infoAddress)
        #expect(info % 8 == 0)
        let total = UInt64(T.ram32(m, info))
        var tags: [UInt32: UInt64] = [:]
        var p = info + 8
        while p < info + total {
            let type = T.ram32(m, p), size = UInt64(T.ram32(m, p + 4))
            tags[type] = p
            if type == 0 { #expect(size == 8); break }
            p += (size + 7) & ~7
        }
        #expect(Set(tags.keys) == [0, 1, 2, 4, 6])
        #expect(T.string(m, try #require(tags[1]) + 8) == "k console=ttyS0")
        #expect(T.string(m, try #require(tags[2]) + 8) == "swemu")
        let mem = try #require(tags[4])
        #expect(T.ram32(m, mem + 8) == 640 && T.ram32(m, mem + 12) == 31 * 1024)
        let mmap = try #require(tags[6])
        #expect(T.ram32(m, mmap + 4) == 16 + 3 * 24)   // size
        #expect(T.ram32(m, mmap + 8) == 24)            // entry_size
        #expect(m.read(mmap + 16 + 48, size: 8) == 0x10_0000)
        #expect(T.ram32(m, mmap + 16 + 48 + 16) == 1)
    }

    @Test func addressTagNeedsAnEntryTag() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        let address = Multiboot2Tests.tag(2, T.le32(0x10_0000) + T.le32(0x10_0000) + T.le32(0) + T.le32(0))
        #expect(throws: BootError.badMultiboot2("an address tag needs an entry address tag")) {
            try BootLoader.load(Multiboot2Tests.header(tags: [address]) + [0xF4], into: m, commandLine: "")
        }
    }

    @Test func bootsTheMultiboot2Rom() throws {
        let sink = BufferSerialSink()
        let machine = try Machine(config: MachineConfig(memorySize: 64 << 20, commandLine: "a=b"), serialSink: sink)
        let image = try machine.load(try T.rom("mb2-hello.elf"), name: "mb2-hello.elf")
        #expect(image.format == "Multiboot2 ELF32")
        let exit = machine.run()
        #expect(exit == .debugExit(value: 0))
        #expect(sink.text == """
            Hello from a Multiboot2 kernel
            multiboot2: magic ok
            cmdline: mb2-hello.elf a=b
            mmap: 0x0000000000000000 + 0x00000000000a0000 usable
            mmap: 0x00000000000a0000 + 0x0000000000060000 reserved
            mmap: 0x0000000000100000 + 0x0000000003f00000 usable

            """)
    }
}

/// Multiboot 2 module tags (3.6.6): mod_start, mod_end and the string, modules page-aligned
/// above the kernel.
@Suite struct Multiboot2ModuleTests {
    @Test func moduleTags() throws {
        let m = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        let image = try m.load(TestImages.rom("mb2-hello.elf"), name: "mb2",
                               modules: [BootModule(string: "one a=b", bytes: [1, 2, 3]), BootModule(string: "two", bytes: [9])])
        var p = UInt64(image.infoAddress) + 8
        var mods: [(UInt32, UInt32, String)] = []
        while true {
            let type = UInt32(m.memory.read(p, size: 4)), size = UInt32(m.memory.read(p + 4, size: 4))
            if type == 0 { break }
            if type == 3 {
                let s = (16..<UInt64(size - 1)).map { UInt8(m.memory.read(p + $0, size: 1)) }
                mods.append((UInt32(m.memory.read(p + 8, size: 4)), UInt32(m.memory.read(p + 12, size: 4)), String(decoding: s, as: UTF8.self)))
            }
            p = (p + UInt64(size) + 7) & ~7
        }
        let kernelEnd = image.loadedRanges.map(\.upperBound).max() ?? 0
        #expect(mods.count == 2 && mods[0].2 == "one a=b" && mods[1].2 == "two")
        #expect(mods[0].0 % 4096 == 0 && UInt64(mods[0].0) >= kernelEnd && mods[0].1 == mods[0].0 + 3)
        #expect(mods[1].0 % 4096 == 0 && mods[1].0 > mods[0].1 && m.memory.read(UInt64(mods[1].0), size: 1) == 9)
    }
}
