@testable import Emu
import Testing

@Suite struct MemorySizeTests {
    static let mib: UInt64 = 1 << 20
    static let valid: [(String, UInt64)] = [
        ("512M", 512 * mib), ("2G", 2048 * mib), ("64m", 64 * mib), ("256", 256 * mib),
        ("4096K", 4 * mib), ("1GiB", 1024 * mib), ("3MB", 3 * mib), ("1T", 1024 * 1024 * mib),
    ]

    @Test(arguments: MemorySizeTests.valid)
    func parses(text: String, bytes: UInt64) {
        #expect(MachineConfig.parseMemorySize(text) == .success(bytes))
    }

    @Test(arguments: ["", "M", "12X", "1.5G", "-5M", "0x10M", " 64M", "99999999999999999999G"])
    func rejectsMalformed(text: String) {
        #expect(MachineConfig.parseMemorySize(text) == .failure(.malformedMemorySize(text)))
    }

    @Test(arguments: ["1M", "0", "2T"])
    func rejectsOutOfRange(text: String) {
        #expect(MachineConfig.parseMemorySize(text) == .failure(.memorySizeOutOfRange(text)))
    }
}
