@testable import Emu
import Testing

/// The relocatable header tag (Multiboot2 Specification 2.0, 3.1.13) and the load base address
/// information tag (3.6.14). The test image is Multiboot2Tests.addressImage: linked at 1 MiB,
/// 0x2000 bytes with its bss, entry right after the header.
@Suite struct Multiboot2RelocationTests {
    typealias T = TestImages

    /// Position-independent code: exits through port 0xf4 with the MiB it runs in
    /// (mov esp, 0x9000; call +0; pop eax; shr eax, 20; out 0xf4, al; hlt).
    static let whereAmI: [UInt8] = [0xBC, 0x00, 0x90, 0, 0, 0xE8, 0, 0, 0, 0, 0x58, 0xC1, 0xE8, 20, 0xE6, 0xF4, 0xF4]

    static func image(min: UInt32, max: UInt32, align: UInt32, preference: UInt32) -> [UInt8] {
        let tag = Multiboot2Tests.tag(10, T.le32(min) + T.le32(max) + T.le32(align) + T.le32(preference))
        return Multiboot2Tests.addressImage(code: whereAmI, extraTags: [tag])
    }

    /// The value of information tag `type`'s first payload word, if the tag is there.
    static func infoWord(_ m: PhysicalMemory, _ image: BootImage, type: UInt32) -> UInt32? {
        let info = UInt64(image.infoAddress)
        var p = info + 8
        while p < info + UInt64(T.ram32(m, info)) {
            let t = T.ram32(m, p), size = UInt64(T.ram32(m, p + 4))
            if t == 0 { return nil }
            if t == type { return T.ram32(m, p + 8) }
            p += (size + 7) & ~7
        }
        return nil
    }

    @Test func lowestPreferenceMovesTheImageUpToMinAddr() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        let bytes = Self.image(min: 0x30_0000, max: 0x100_0000, align: 0x20_0000, preference: 1)
        let image = try BootLoader.load(bytes, into: m, commandLine: "")
        // The lowest 2 MiB boundary at or above min_addr.
        #expect(image.loadedRanges == [0x40_0000..<0x40_2000])
        #expect(T.ram(m, 0x40_0000, bytes.count) == bytes)
        #expect(image.entry == 0x40_0000 + UInt32(bytes.count - Self.whereAmI.count))
        #expect(Self.infoWord(m, image, type: 21) == 0x40_0000)
        #expect(image.format == "Multiboot2 address tag, relocated to 0x400000")
    }

    @Test func highestPreferenceEndsTheImageAtMaxAddr() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        let image = try BootLoader.load(Self.image(min: 0, max: 0x80_0000, align: 0x1000, preference: 2), into: m, commandLine: "")
        #expect(image.loadedRanges == [0x7F_E000..<0x80_0000])
        #expect(Self.infoWord(m, image, type: 21) == 0x7F_E000)
    }

    @Test func noPreferenceKeepsAValidLinkedAddress() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        let image = try BootLoader.load(Self.image(min: 0x10_0000, max: 0x20_0000, align: 0x1000, preference: 0), into: m, commandLine: "")
        #expect(image.loadedRanges == [0x10_0000..<0x10_2000])
        #expect(image.format == "Multiboot2 address tag")
        #expect(Self.infoWord(m, image, type: 21) == 0x10_0000)
        let misaligned = try BootLoader.load(Self.image(min: 0x10_0000, max: 0x80_0000, align: 0x40_0000, preference: 0),
                                             into: m, commandLine: "")
        #expect(misaligned.loadedRanges == [0x40_0000..<0x40_2000])
    }

    @Test func imagesWithoutTheTagGetNoLoadBase() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        let image = try BootLoader.load(Multiboot2Tests.addressImage(code: Self.whereAmI), into: m, commandLine: "")
        #expect(Self.infoWord(m, image, type: 21) == nil)
        #expect(throws: BootError.badMultiboot2("requires the load base address tag (21), given only to relocatable images")) {
            try Multiboot2Header.find(in: Multiboot2Tests.header(tags: [Multiboot2Tests.tag(1, T.le32(21))]))
        }
    }

    @Test func rejectsImpossibleRanges() throws {
        let m = try #require(PhysicalMemory(size: 32 << 20))
        #expect(throws: BootError.badMultiboot2("relocatable image (8192 bytes) does not fit in RAM between min_addr 0x100000 and max_addr 0x101000")) {
            try BootLoader.load(Self.image(min: 0x10_0000, max: 0x10_1000, align: 1, preference: 1), into: m, commandLine: "")
        }
        #expect(throws: BootError.badMultiboot2("relocatable tag preference 3 is not 0, 1 or 2")) {
            try BootLoader.load(Self.image(min: 0, max: 0xFFFF_FFFF, align: 0, preference: 3), into: m, commandLine: "")
        }
        // max_addr beyond RAM: the highest place is the end of RAM.
        let image = try BootLoader.load(Self.image(min: 0, max: 0xFFFF_FFFF, align: 0, preference: 2), into: m, commandLine: "")
        #expect(image.loadedRanges == [0x1FF_E000..<0x200_0000])
    }

    @Test func relocatedCodeRunsWhereItWasPut() throws {
        let machine = try Machine(config: MachineConfig(memorySize: 32 << 20, serial: .none), serialSink: BufferSerialSink())
        _ = try machine.load(Self.image(min: 0x50_0000, max: 0x100_0000, align: 0x1000, preference: 1), name: "reloc")
        #expect(machine.run() == .debugExit(value: 5))
    }

    @Test func modulesFindRoomBelowAnImageAtTheTopOfRAM() throws {
        let machine = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        let image = try machine.load(Self.image(min: 0, max: 0xFFFF_FFFF, align: 0x1000, preference: 2), name: "reloc",
                                     modules: [BootModule(string: "m", bytes: [7, 7, 7])])
        #expect(image.loadedRanges == [0xFF_E000..<0x100_0000])
        let start = try #require(Self.infoWord(machine.memory, image, type: 3))
        #expect(start == 0x10_0000 && machine.memory.read(0x10_0000, size: 1) == 7)
    }
}
