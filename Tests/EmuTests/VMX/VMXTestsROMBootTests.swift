@testable import Emu
import Foundation
import Testing

/// roms/vmx-tests/*.elf booted in-process: self-checking test hypervisors that print one
/// "PASS name" / "FAIL name: detail" line per check and "# N checks, F failed", then exit through
/// isa-debug-exit with 0 when every check passed. Their expectations come from the SDM; Bochs
/// 2.7 (corei7_skylake_x) passes the same checks except where noted in the sources.
@Suite struct VMXTestsROMBootTests {
    @Test(arguments: ["ept.elf", "instructions.elf", "exits.elf", "entry-checks.elf", "apicv.elf",
                      "unrestricted.elf"])
    func everyCheckPasses(name: String) throws {
        var config = MachineConfig(memorySize: 128 << 20)
        config.vendor = .intel
        config.maxCycles = 200_000_000
        let sink = BufferSerialSink()
        let m = try Machine(config: config, serialSink: sink)
        try m.load(try TestImages.rom("vmx-tests/\(name)"), name: name)
        let exit = m.run()
        let text = sink.text
        let lines = text.split(separator: "\n")
        let checks = lines.filter { $0.hasPrefix("PASS ") || $0.hasPrefix("FAIL ") }
        #expect(checks.count >= 20, "\(name): \(checks.count) checks\n\(text)")
        for line in checks where !line.hasPrefix("PASS ") { Issue.record("\(name): \(line)") }
        #expect(lines.last == "# \(checks.count) checks, 0 failed", "\(text)")
        #expect(exit == .debugExit(value: 0), "\(name): \(exit)")
    }
}
