@testable import Emu
import Testing

/// Boots roms/system-tests/xsave.elf (FXSAVE/FXRSTOR, LDMXCSR/STMXCSR and the XSAVE family
/// checked against the SDM layouts) on both models: every check line must be "ok". The kernel
/// needs CPUID's FXSR and SSE bits, which the models offer once the x87/SSE executors land;
/// until then the test switches them on.
@Suite struct XSaveKernelTests {
    @Test(arguments: [Vendor.intel, .amd])
    func kernelPassesEveryCheck(vendor: Vendor) throws {
        let sink = BufferSerialSink()
        var config = MachineConfig(memorySize: 128 << 20)
        config.vendor = vendor
        config.maxCycles = 50_000_000
        let m = try Machine(config: config, serialSink: sink)
        try m.load(try TestImages.rom("system-tests/xsave.elf"), name: "xsave.elf")
        let exit = m.run()
        let text = sink.text
        let checks = text.split(separator: "\n").filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(checks.count > 80, "\(checks.count) checks\n\(text)")
        for line in checks where !line.hasPrefix("ok ") { Issue.record("\(vendor): \(line)") }
        #expect(!text.contains("Bail out!"), "\(text)")
        #expect(exit == .debugExit(value: 0), "\(vendor): \(exit)\n\(text)")
    }
}
