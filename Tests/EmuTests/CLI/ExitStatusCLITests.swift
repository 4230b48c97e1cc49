import Foundation
import Testing

/// The statuses with which the guest ends a run, through the built `swemu` executable
/// (`swemu boot --help`, MachineExit): power-off 0, triple fault 4 with a one-line report,
/// halted 6, reset 8.
@Suite struct ExitStatusCLITests {
    let cli = SwemuCLITests()

    /// Runs a Multiboot 1 a.out-kludge image made of `code` (32-bit protected mode at entry).
    func boot(code: [UInt8]) throws -> SwemuCLITests.Run {
        let path = NSTemporaryDirectory() + "swemu-exit-\(UInt32.random(in: 0...UInt32.max)).elf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(TestImages.kludge(code: code)).write(to: URL(fileURLWithPath: path))
        return try cli.swemu(["boot", path, "--serial", "none"])
    }

    @Test func acpiPowerOffExitsZero() throws {
        // mov dx, 0x604; mov ax, 0x2000 (SLP_EN, SLP_TYP 0 = \_S5); out dx, ax; hlt
        let r = try boot(code: [0x66, 0xBA, 0x04, 0x06, 0x66, 0xB8, 0x00, 0x20, 0x66, 0xEF, 0xF4])
        #expect(r.status == 0)
        #expect(r.stderr == "")
    }

    @Test func tripleFaultReportsTheChain() throws {
        let r = try cli.swemu(["boot", "roms/system-tests/triple.elf"])
        #expect(r.status == 4)
        #expect(r.stdout == "T\n")
        #expect(r.stderr.hasPrefix("swemu: triple fault: "))
        #expect(r.stderr.contains(" could not be delivered (") && r.stderr.contains(" -> #DF(0x0) -> "))
        for register in ["RIP=0x", "CR0=0x", "CR3=0x", "CR4=0x", "EFER=0x"] { #expect(r.stderr.contains(register)) }
        #expect(cli.oneLine(r.stderr))
    }

    @Test func haltWithNothingToWakeExitsSix() throws {
        let r = try boot(code: [0xFA, 0xF4])   // cli; hlt
        #expect(r.status == 6)
        #expect(r.stderr.hasPrefix("swemu: guest halted with interrupts disabled at RIP=0x"))
        #expect(cli.oneLine(r.stderr))
    }

    @Test func keyboardControllerResetExitsEight() throws {
        let r = try boot(code: [0xB0, 0xFE, 0xE6, 0x64, 0xF4])   // mov al, 0xfe; out 0x64, al; hlt
        #expect(r.status == 8)
        #expect(r.stderr.hasPrefix("swemu: guest reset the machine (keyboard controller command 0xfe) at RIP=0x"))
        #expect(cli.oneLine(r.stderr))
    }
}
