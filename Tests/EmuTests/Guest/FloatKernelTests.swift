@testable import Emu
import Testing

/// Boots roms/float.elf on both models: compiler-generated SSE/SSE2/SSE4.1 and x87 code (built at
/// -O2 and at -O3 -msse4.1) whose results must equal, bit for bit, the host CPU's results that
/// roms/float/build recorded in roms/float/expected.txt. Every check line must be "ok".
@Suite struct FloatKernelTests {
    @Test(arguments: [Vendor.intel, .amd])
    func resultsMatchTheHost(vendor: Vendor) throws {
        let (exit, text) = try TestImages.boot("float.elf", vendor: vendor)
        let lines = text.split(separator: "\n")
        let checks = lines.filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(checks.count == 238, "\(vendor): \(checks.count) checks\n\(text)")
        for line in checks where !line.hasPrefix("ok ") { Issue.record("\(vendor): \(line)") }
        #expect(lines.last == "# \(checks.count) checks, 0 failed", "\(vendor)\n\(text)")
        #expect(exit == .debugExit(value: 0), "\(vendor): \(exit)")
    }
}
