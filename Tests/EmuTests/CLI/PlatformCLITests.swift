import Foundation
import Testing

/// `swemu boot` and the PC platform: --rtc, the device roms, and the help text.
@Suite struct PlatformCLITests {
    let cli = SwemuCLITests()

    @Test func deviceRomsPassUnderTheCLI() throws {
        for name in ["pic-pit", "rtc", "uart-irq", "apic-timer", "ioapic", "acpi", "fw-cfg"] {
            let r = try cli.swemu(["boot", "roms/devices/\(name).elf", "-m", "128M"])
            #expect(r.status == 1, "\(name): \(r.stdout)")
            #expect(r.stdout.hasSuffix("\(name): all checks passed\n"))
            #expect(r.stderr == "")
        }
    }

    @Test func smpBringsUpTheAPs() throws {
        let r = try cli.swemu(["boot", "roms/devices/smp.elf", "-m", "128M", "--smp", "4"])
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stdout.hasSuffix("smp: all checks passed\n") && r.stderr == "")
        let one = try cli.swemu(["boot", "roms/devices/smp.elf", "-m", "128M"])
        #expect(one.status == 3 && one.stdout.contains("smp: fw_cfg reports 2 or more CPUs: FAIL\n"))
        for bad in ["0", "65", "two"] {
            let e = try cli.swemu(["boot", "roms/hello.elf", "--smp", bad])
            #expect(e.status == 2 && e.stderr.hasPrefix("swemu: bad --smp '\(bad)'") && cli.oneLine(e.stderr))
        }
    }

    @Test func rtcFlagSetsTheClock() throws {
        let r = try cli.swemu(["boot", "roms/devices/rtc.elf", "-m", "128M", "--rtc", "2030-06-01T12:00:00"])
        #expect(r.status == 3)
        #expect(r.stdout.contains("rtc: date is 2024-01-01: FAIL\n"))
        let same = try cli.swemu(["boot", "roms/devices/rtc.elf", "-m", "128M", "--rtc=2024-01-01"])
        #expect(same.status == 1)
    }

    @Test func badRTCValuesAreUsageErrors() throws {
        for bad in ["2024-02-30", "yesterday", "2024-01-01T25:00:00"] {
            let r = try cli.swemu(["boot", "roms/hello.elf", "--rtc", bad])
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("swemu: bad --rtc '\(bad)'"))
            #expect(cli.oneLine(r.stderr))
        }
        let missing = try cli.swemu(["boot", "roms/hello.elf", "--rtc"])
        #expect(missing.status == 2 && missing.stderr == "swemu: option --rtc needs a value\n")
    }

    @Test func helpDescribesThePlatform() throws {
        let boot = try cli.swemu(["boot", "--help"])
        for text in ["--rtc TIME", "2024-01-01T00:00:00", "8259A", "8254", "MC146818", "0x604", "0x92",
                     "1 cycle = 1 ns", "the guest powered off", "the guest reset the machine",
                     "--smp N", "x2APIC", "0xfec00000", "0xcf9", "fw_cfg", "HPET", "RSDP"] {
            #expect(boot.stdout.contains(text), "\(text)")
        }
    }
}
