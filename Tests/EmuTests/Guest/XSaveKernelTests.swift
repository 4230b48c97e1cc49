@testable import Emu
import Testing

/// Boots roms/system-tests/xsave.elf (FXSAVE/FXRSTOR, LDMXCSR/STMXCSR and the XSAVE family
/// checked against the SDM layouts) on both models: every check line must be "ok".
@Suite struct XSaveKernelTests {
    @Test(arguments: [Vendor.intel, .amd])
    func kernelPassesEveryCheck(vendor: Vendor) throws {
        let (exit, text) = try TestImages.boot("system-tests/xsave.elf", vendor: vendor)
        let checks = text.split(separator: "\n").filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(checks.count > 80, "\(checks.count) checks\n\(text)")
        for line in checks where !line.hasPrefix("ok ") { Issue.record("\(vendor): \(line)") }
        #expect(!text.contains("Bail out!"), "\(text)")
        #expect(exit == .debugExit(value: 0), "\(vendor): \(exit)\n\(text)")
    }
}
