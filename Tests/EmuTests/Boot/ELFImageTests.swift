@testable import Emu
import Testing

@Suite struct ELFImageTests {
    @Test func parsesELF32ProgramHeaders() throws {
        let bytes = TestImages.elf32(code: [0xF4], physical: 0x20_0000, bss: 0x100)
        let elf = try ELFImage(bytes)
        #expect(!elf.is64Bit)
        #expect(elf.machine == 3)
        #expect(elf.entry == 0x20_0000 + 108)
        #expect(elf.segments == [ELFImage.Segment(fileOffset: 0, virtualAddress: 0x20_0000, physicalAddress: 0x20_0000,
                                                  fileSize: 109, memorySize: 109 + 0x100)])
    }

    @Test func parsesELF64ProgramHeaders() throws {
        let elf = try ELFImage(TestImages.elf64(code: [0xF4], physical: 0x30_0000))
        #expect(elf.is64Bit)
        #expect(elf.machine == 62)
        #expect(elf.segments.count == 1)
        #expect(elf.segments[0].physicalAddress == 0x30_0000)
        #expect(elf.segments[0].fileSize == 133)
    }

    @Test func entryIsTranslatedFromVirtualToPhysical() throws {
        let elf = try ELFImage(TestImages.elf32(code: [0xF4], physical: 0x10_0000, virtual: 0xC010_0000))
        #expect(elf.entry == 0xC010_0000 + 108)
        #expect(elf.physicalEntry == 0x10_0000 + 108)
    }

    @Test func rejectsNonELF() {
        #expect(throws: BootError.notELF) { try ELFImage([0x4D, 0x5A, 0x90, 0x00, 1, 2, 3]) }
    }

    @Test func rejectsTruncatedProgramHeaders() {
        let bytes = Array(TestImages.elf32(code: []).prefix(60))
        #expect(throws: BootError.self) { try ELFImage(bytes) }
    }

    @Test func rejectsSegmentPastTheEndOfTheFile() {
        var bytes = TestImages.elf32(code: [0xF4])
        bytes[52 + 16] = 0xFF   // p_filesz low byte: larger than the file
        bytes[52 + 17] = 0xFF
        bytes[52 + 20] = 0xFF   // keep p_memsz >= p_filesz
        bytes[52 + 21] = 0xFF
        #expect(throws: BootError.badELF("PT_LOAD contents past the end of the file")) { try ELFImage(bytes) }
    }

    @Test func rejectsOtherMachines() {
        var bytes = TestImages.elf32(code: [0xF4])
        bytes[18] = 40   // EM_ARM
        #expect(throws: BootError.self) { try ELFImage(bytes) }
    }
}
