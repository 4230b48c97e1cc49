import Foundation
import Testing

/// `swemu boot --module` and `--vga` through the real executable, against roms/devices/modules
/// (whose output under QEMU's -initrd "FILE ARGS" is the same text).
@Suite struct ModuleCLITests {
    let cli = SwemuCLITests()

    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "swemu-\(getpid())-\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func modulesReachTheKernelInOrderWithTheirStrings() throws {
        let a = try temporaryFile("a.txt", "first line of A\nsecond\n")
        let b = try temporaryFile("b.txt", "B module text\n")
        defer { unlink(a); unlink(b) }
        let r = try cli.swemu(["boot", "roms/devices/modules.elf", "--module", "\(a),arg=1", "--module=\(b)", "--vga"])
        #expect(r.status == 1 && r.stderr == "", "\(r.stderr)")
        #expect(r.stdout.contains("modules: 2 module(s)\n"))
        #expect(r.stdout.contains("module 0: '\(a) arg=1', 23 bytes, first line: first line of A\n"))
        #expect(r.stdout.contains("module 1: '\(b)', 14 bytes, first line: B module text\n"))
        #expect(r.stdout.contains("modules: all checks passed\n"))
        // --vga: the screen after the serial output; row 0 is blank, row 1 holds the line.
        #expect(r.stdout.hasSuffix("all checks passed\n\nmodules: hello from the VGA text screen\n"))
    }

    @Test func badModulesAreUsageErrors() throws {
        let missing = try cli.swemu(["boot", "roms/devices/modules.elf", "--module", "/nonexistent/module"])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("swemu: cannot read /nonexistent/module") && cli.oneLine(missing.stderr))
        let big = try temporaryFile("big.bin", String(repeating: "x", count: 3 << 20))
        defer { unlink(big) }
        let r = try cli.swemu(["boot", "roms/devices/modules.elf", "-m", "2M", "--module", big])
        #expect(r.status == 2 && r.stderr.contains("module \(big)") && r.stderr.contains("does not fit") && cli.oneLine(r.stderr))
        let empty = try cli.swemu(["boot", "roms/devices/modules.elf", "--module", ",x"])
        #expect(empty.status == 2 && empty.stderr.hasPrefix("swemu: bad --module ',x'"))
        let vga = try cli.swemu(["boot", "roms/hello.elf", "--vga=1"])
        #expect(vga.status == 2 && vga.stderr == "swemu: option --vga takes no value\n")
    }
}

/// COM1 input from stdin (`--serial stdio`): a file on stdin reaches the guest whole and in
/// order, so the run is reproducible.
@Suite struct SerialInputCLITests {
    let cli = SwemuCLITests()

    @Test func stdinFeedsCOM1() throws {
        let path = NSTemporaryDirectory() + "swemu-\(getpid())-input.txt"
        try "hello world\nsecond line\nquit\nignored\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let r = try cli.swemu(["boot", "roms/devices/serial-echo.elf"], stdin: path)
        #expect(r.status == 1)
        #expect(r.stdout == "serial-echo: type lines\necho: HELLO WORLD\necho: SECOND LINE\nserial-echo: 2 line(s)\n")
        let none = try cli.swemu(["boot", "roms/devices/serial-echo.elf"], stdin: "/dev/null")
        #expect(none.stdout == "serial-echo: type lines\nserial-echo: 0 line(s)\n")
    }
}
