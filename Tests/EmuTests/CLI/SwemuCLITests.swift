import Foundation
import Testing

/// Runs the built `swemu` executable as a subprocess, as a user or a CI script does.
@Suite struct SwemuCLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `swemu` next to the test bundle (same build directory), else .build/debug/swemu.
    static var executable: URL? {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDirectory.appendingPathComponent("swemu"),
                          bundleDirectory.deletingLastPathComponent().appendingPathComponent("swemu"),
                          root.appendingPathComponent(".build/debug/swemu")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func swemu(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        if let stdin { process.standardInput = try #require(FileHandle(forReadingAtPath: stdin)) }
        process.executableURL = try #require(SwemuCLITests.executable, "swemu executable not built")
        process.arguments = arguments
        process.currentDirectoryURL = SwemuCLITests.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func oneLine(_ s: String) -> Bool { s.hasSuffix("\n") && s.dropLast().firstIndex(of: "\n") == nil }

    @Test func helloExitsWithStatusOne() throws {
        let r = try swemu(["boot", "roms/hello.elf", "--cmdline", "x=1"])
        #expect(r.status == 1)
        #expect(r.stdout == "Hello from swemu\nmultiboot: magic ok, info ok\ncmdline: roms/hello.elf x=1\nmemory: ok\n")
        #expect(r.stderr == "")
    }

    @Test func optionsMayPrecedeTheImage() throws {
        let r = try swemu(["boot", "--cpu=amd", "-m", "64M", "--serial", "none", "roms/mb1-elf64.elf"])
        #expect(r.status == 85)
        #expect(r.stdout == "")
    }

    @Test func missingFile() throws {
        let r = try swemu(["boot", "roms/no-such-kernel.elf"])
        #expect(r.status == 2)
        #expect(r.stderr == "swemu: cannot read roms/no-such-kernel.elf: No such file or directory\n")
    }

    @Test func notAnELF() throws {
        let r = try swemu(["boot", "roms/README.md"])
        #expect(r.status == 2)
        #expect(r.stderr == "swemu: not an ELF file and no Multiboot header\n")
    }

    @Test func maxCyclesStopsTheGuest() throws {
        let r = try swemu(["boot", "roms/hello.elf", "--max-cycles", "100"])
        #expect(r.status == 124)
        #expect(r.stderr.hasPrefix("swemu: cycle budget of 100 cycles exhausted at RIP=0x"))
        #expect(oneLine(r.stderr))
    }

    @Test func unknownOption() throws {
        let r = try swemu(["boot", "roms/hello.elf", "--frobnicate"])
        #expect(r.status == 2)
        #expect(r.stderr == "swemu: unknown option '--frobnicate' (see 'swemu boot --help')\n")
    }

    @Test(arguments: ["12X", "", "0x40M", "1M"])
    func malformedMemorySize(size: String) throws {
        let r = try swemu(["boot", "roms/hello.elf", "-m", size])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("swemu: "))
        #expect(r.stderr.contains("memory size '\(size)'"))
        #expect(oneLine(r.stderr))
    }

    @Test func badUsage() throws {
        for args in [["boot"], ["boot", "roms/hello.elf", "--cpu", "arm"], ["boot", "roms/hello.elf", "--max-cycles"],
                     ["boot", "roms/hello.elf", "--serial", "tcp:1"], ["boot", "a", "b"], ["frob"], []] {
            let r = try swemu(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.hasPrefix(args.isEmpty ? "usage: swemu" : "swemu: "), "\(args)")
        }
    }

    @Test func imageLargerThanRAM() throws {
        let path = NSTemporaryDirectory() + "swemu-big-\(UInt32.random(in: 0...UInt32.max)).elf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(count: 3 << 20).write(to: URL(fileURLWithPath: path))
        let r = try swemu(["boot", path, "-m", "2M"])
        #expect(r.status == 2)
        #expect(r.stderr == "swemu: image (3145728 bytes) is larger than RAM (2 MiB)\n")
    }

    @Test func verboseRunsAreDeterministic() throws {
        let a = try swemu(["boot", "roms/hello.elf", "--verbose"])
        let b = try swemu(["boot", "roms/hello.elf", "--verbose"])
        #expect(a.status == 1)
        #expect(a.stdout == b.stdout)
        #expect(a.stderr == b.stderr)
        #expect(a.stderr.contains("swemu: exit: debug exit 0x0, status 1; cycles "))
        #expect(a.stderr.contains(" instructions "))
    }

    @Test func help() throws {
        let top = try swemu(["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("boot IMAGE"))
        let boot = try swemu(["boot", "--help"])
        #expect(boot.status == 0)
        for text in ["--cpu intel|amd", "-m SIZE", "--cmdline", "--serial", "--max-cycles", "--verbose", "124"] {
            #expect(boot.stdout.contains(text), "\(text)")
        }
    }
}
