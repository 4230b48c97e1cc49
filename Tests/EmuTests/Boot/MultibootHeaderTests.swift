@testable import Emu
import Testing

@Suite struct MultibootHeaderTests {
    @Test func findsAlignedHeaderInTheFirst8KiB() throws {
        let bytes = [UInt8](repeating: 0, count: 8180) + TestImages.multibootHeader(flags: 3)
        let h = try #require(try MultibootHeader.find(in: bytes))
        #expect(h.offset == 8180)
        #expect(h.flags == [.pageAlignModules, .memoryInfo])
        #expect(h.addresses == nil)
    }

    @Test func ignoresHeaderBeyond8KiB() throws {
        let bytes = [UInt8](repeating: 0, count: 8184) + TestImages.multibootHeader(flags: 0)
        #expect(try MultibootHeader.find(in: bytes) == nil)
    }

    @Test func ignoresUnalignedMagic() throws {
        let bytes = [UInt8](repeating: 0, count: 2) + TestImages.multibootHeader(flags: 0) + [0, 0]
        #expect(try MultibootHeader.find(in: bytes) == nil)
    }

    @Test func rejectsBadChecksum() {
        let bytes = [0, 0, 0, 0] + TestImages.multibootHeader(flags: 0, checksumDelta: 1)
        #expect(throws: BootError.badChecksum(offset: 4)) { try MultibootHeader.find(in: bytes) }
    }

    @Test func rejectsUnknownRequiredFeatures() {
        let bytes = TestImages.multibootHeader(flags: 1 << 5)
        #expect(throws: BootError.unsupportedRequiredFlags(1 << 5)) { try MultibootHeader.find(in: bytes) }
    }

    @Test func acceptsUnknownOptionalFeatures() throws {
        let h = try #require(try MultibootHeader.find(in: TestImages.multibootHeader(flags: 1 << 20)))
        #expect(h.flags.rawValue == 1 << 20)
    }

    @Test func readsAOutKludgeFields() throws {
        let bytes = TestImages.kludge(code: [0xF4], loadAddress: 0x20_0000, bss: 0x1000)
        let h = try #require(try MultibootHeader.find(in: bytes))
        #expect(h.addresses == MultibootHeader.Addresses(headerAddress: 0x20_0000, loadAddress: 0x20_0000,
                                                         loadEndAddress: 0x20_0021, bssEndAddress: 0x20_1021,
                                                         entryAddress: 0x20_0020))
    }

    @Test func rejectsKludgeHeaderCutByEndOfFile() {
        let bytes = TestImages.multibootHeader(flags: 1 << 16) + [0, 0, 0, 0]
        #expect(throws: BootError.badKludge("header truncated by the end of the file")) {
            try MultibootHeader.find(in: bytes)
        }
    }
}
