@testable import Emu
import Foundation
import Testing

/// Boots the self-checking system-test kernels of roms/system-tests (issue 4) in-process: every
/// check line must be "ok" and the kernel must exit through isa-debug-exit with 0 failures
/// (status 1). triple.elf must end in a triple fault (status 4).
@Suite struct SystemTestKernels {
    static let kernels = ["debug.elf", "exceptions.elf", "modes.elf", "paging.elf", "segmentation.elf"]

    func boot(_ name: String) throws -> (MachineExit, String) { try TestImages.boot("system-tests/\(name)") }

    @Test(arguments: SystemTestKernels.kernels)
    func kernelPassesEveryCheck(name: String) throws {
        let (exit, text) = try boot(name)
        let lines = text.split(separator: "\n")
        let checks = lines.filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(checks.count > 20, "\(name): \(checks.count) checks\n\(text)")
        for line in checks where !line.hasPrefix("ok ") { Issue.record("\(name): \(line)") }
        #expect(!text.contains("Bail out!"), "\(text)")
        #expect(lines.last == "# \(checks.count) checks, 0 failed")
        #expect(exit == .debugExit(value: 0), "\(name): \(exit)")
        #expect(exit.status == 1)
    }

    @Test func tripleFaultEndsWithStatusFour() throws {
        let (exit, text) = try boot("triple.elf")
        #expect(text == "T\n")
        guard case .shutdown = exit else { Issue.record("got \(exit)"); return }
        #expect(exit.status == 4)
    }
}
