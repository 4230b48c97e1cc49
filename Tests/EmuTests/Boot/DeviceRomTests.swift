@testable import Emu
import Testing

/// roms/devices booted in-process: every check passes, and runs are deterministic.
@Suite struct DeviceRomTests {
    func boot(_ name: String, rtc: Int64 = MachineConfig.defaultRTCTime, cpus: Int = 1) throws -> (MachineExit, String, UInt64) {
        let sink = BufferSerialSink()
        var config = MachineConfig(memorySize: 128 << 20, serial: .none, maxCycles: 10_000_000_000)
        config.rtcTime = rtc
        config.cpuCount = cpus
        let m = try Machine(config: config, serialSink: sink)
        try m.load(TestImages.rom("devices/\(name).elf"), name: name)
        let exit = m.run()
        return (exit, sink.text, m.cpu.cycles)
    }

    @Test(arguments: ["pic-pit", "rtc", "uart-irq", "apic-timer", "ioapic", "acpi", "fw-cfg", "vmx-extint"])
    func allChecksPass(_ name: String) throws {
        let (exit, text, _) = try boot(name)
        #expect(exit == .debugExit(value: 0), "\(text)")
        #expect(!text.contains("FAIL"))
        #expect(text.hasSuffix("\(name): all checks passed\n"))
    }

    @Test func picPitRunsAreDeterministic() throws {
        let a = try boot("pic-pit"), b = try boot("pic-pit")
        #expect(a.1 == b.1 && a.2 == b.2)
        #expect(a.1.split(separator: "\n").count == 12)
    }

    /// The APIC timer runs from the cycle clock: two runs print the same and end on the same cycle.
    @Test func apicTimerRunsAreDeterministic() throws {
        let a = try boot("apic-timer"), b = try boot("apic-timer")
        #expect(a.0 == .debugExit(value: 0) && a.1 == b.1 && a.2 == b.2)
        #expect(a.1.contains("tsc-deadline: fires at the deadline, not before: PASS\n"))
        #expect(a.1.contains("x2apic: SELF IPI delivered: PASS\n"))
    }

    /// INIT-SIPI-SIPI with 4 CPUs; round-robin quanta make the run reproducible to the cycle.
    @Test func smpBringUpIsDeterministic() throws {
        let a = try boot("smp", cpus: 4), b = try boot("smp", cpus: 4)
        #expect(a.0 == .debugExit(value: 0), "\(a.1)")
        #expect(a.1.hasSuffix("smp: all checks passed\n") && a.1 == b.1 && a.2 == b.2)
    }

    @Test func theRTCFlagSetsTheTime() throws {
        let (exit, text, _) = try boot("rtc", rtc: CMOSRTC.parseTime("2031-05-06T07:08:09")!)
        #expect(exit == .debugExit(value: 1))
        #expect(text.contains("rtc: date is 2024-01-01: FAIL\n"))
        #expect(text.contains("rtc: 64 periodic interrupts at 1024 Hz: PASS\n"))
    }
}
