@testable import Emu
import Foundation
import Testing

/// Boots kernels in-process through `Machine` and checks what a user of `swemu boot` sees:
/// the COM1 text and the exit.
@Suite struct MachineBootTests {
    func machine(_ config: MachineConfig = MachineConfig(memorySize: 64 << 20)) throws -> (Machine, BufferSerialSink) {
        let sink = BufferSerialSink()
        return (try Machine(config: config, serialSink: sink), sink)
    }

    @Test func helloPrintsAndExitsWithStatusOne() throws {
        var config = MachineConfig(memorySize: 64 << 20)
        config.commandLine = "console=ttyS0 debug"
        let (m, sink) = try machine(config)
        let image = try m.load(try TestImages.rom("hello.elf"), name: "hello.elf")
        #expect(image.format == "Multiboot1 ELF32")
        let exit = m.run()
        #expect(exit == .debugExit(value: 0))
        #expect(exit.status == 1)
        #expect(exit.report == nil)
        #expect(sink.text == """
            Hello from swemu
            multiboot: magic ok, info ok
            cmdline: hello.elf console=ttyS0 debug
            memory: ok

            """)
    }

    @Test func elf64KludgeImageExitsWithItsValue() throws {
        let (m, sink) = try machine()
        try m.load(try TestImages.rom("mb1-elf64.elf"), name: "mb1-elf64.elf")
        let exit = m.run()
        #expect(exit == .debugExit(value: 0x2A))
        #expect(exit.status == 85)
        #expect(sink.text.hasPrefix("Hello from a Multiboot1 ELF64 image"))
        #expect(sink.text.contains("bss zero-filled: ok\n"))
    }

    @Test func runsAreDeterministic() throws {
        var counts: [UInt64] = []
        var outputs: [String] = []
        for _ in 0..<2 {
            let (m, sink) = try machine()
            try m.load(try TestImages.rom("hello.elf"), name: "hello.elf")
            _ = m.run()
            counts.append(m.cpu.cycles)
            outputs.append(sink.text)
        }
        #expect(counts[0] == counts[1])
        #expect(counts[0] > 100)
        #expect(outputs[0] == outputs[1])
    }

    static let debugExitCases: [([UInt8], UInt32)] = [
        ([0xB0, 0x05, 0xE6, 0xF4], 5),                                  // out 0xf4, al
        ([0x66, 0xB8, 0x34, 0x12, 0x66, 0xE7, 0xF5], 0x1234),           // out 0xf5, ax
        ([0xB8, 0x78, 0x56, 0x34, 0x12, 0xE7, 0xF4], 0x1234_5678),      // out 0xf4, eax
        ([0xB0, 0x00, 0xE6, 0xF4, 0xFA, 0xF4], 0),                      // out, then cli; hlt
    ]

    @Test(arguments: MachineBootTests.debugExitCases)
    func debugExitTakesTheWrittenValue(code: [UInt8], value: UInt32) throws {
        let (m, _) = try machine()
        try m.load(TestImages.kludge(code: code), name: "t")
        let exit = m.run()
        #expect(exit == .debugExit(value: value))
        #expect(exit.status == Int32(truncatingIfNeeded: (UInt64(value) << 1) | 1))
    }

    /// The Multiboot entry state has IDTR = 0:3FF over zeroed memory, so every gate is invalid:
    /// #UD -> #GP(6*8+2+EXT) -> #GP(13*8+2+EXT) is contributory after contributory -> #DF ->
    /// #GP(8*8+2+EXT) while delivering #DF -> shutdown (SDM vol. 3, 6.13 and 6.15, table 6-5):
    /// #UD's gate is not usable (#GP(6*8+2+EXT)), #UD being benign that #GP is delivered next, its
    /// gate fails too (#GP(13*8+2+EXT), contributory after contributory: #DF), and #DF's gate fails.
    @Test func aFaultWithoutUsableGatesTripleFaults() throws {
        let (m, _) = try machine()
        try m.load(TestImages.kludge(code: [0x90, 0x0F, 0x0B]), name: "t")   // nop; ud2
        let exit = m.run()
        guard case .shutdown(let fault, let chain, let state) = exit else { Issue.record("got \(exit)"); return }
        #expect(fault == .generalProtection(0x43))
        #expect(chain == ["#UD", "#GP(0x33)", "#DF(0x0)", "#GP(0x43)"])
        #expect(state.rip == 0x10_0021)
        #expect(exit.status == 4)
        #expect(exit.report == "triple fault: #GP(0x43) (vector 13) could not be delivered (#UD -> #GP(0x33) -> #DF(0x0) -> #GP(0x43)) "
                + "at RIP=0x100021 CR0=0x11 CR3=0x0 CR4=0x0 EFER=0x0")
    }

    @Test func aSegmentLimitFaultAlsoEndsInShutdown() throws {
        let (m, _) = try machine()
        // mov eax, [0xFFFFFFFF]: the last three bytes lie past DS's limit: #GP(0), then as above.
        try m.load(TestImages.kludge(code: [0x8B, 0x05, 0xFF, 0xFF, 0xFF, 0xFF]), name: "t")
        let exit = m.run()
        guard case .shutdown(let fault, let chain, let state) = exit else { Issue.record("got \(exit)"); return }
        #expect(fault == .generalProtection(0x43))
        #expect(chain == ["#GP(0x0)", "#DF(0x0)", "#GP(0x43)"])   // the #GP(0x6b) of #GP(0x0)'s gate became the #DF
        #expect(state.rip == 0x10_0020)
    }

    @Test func haltWithInterruptsOffStopsTheMachine() throws {
        let (m, _) = try machine()
        try m.load(TestImages.kludge(code: [0xFA, 0xF4]), name: "t")   // cli; hlt
        let exit = m.run()
        guard case .halted(let state) = exit else { Issue.record("got \(exit)"); return }
        #expect(state.rip == 0x10_0022)
        #expect(exit.status == 6)
        #expect(exit.report == "guest halted with interrupts disabled at RIP=0x100022 CR0=0x11 CR3=0x0 CR4=0x0 EFER=0x0")
    }

    @Test func cycleBudgetStopsAnEndlessLoop() throws {
        var config = MachineConfig(memorySize: 64 << 20)
        config.maxCycles = 1000
        let (m, _) = try machine(config)
        try m.load(TestImages.kludge(code: [0xEB, 0xFE]), name: "t")   // jmp $
        let exit = m.run()
        #expect(exit == .cycleBudgetExhausted(cycles: 1000, state: CPUStateSummary(m.cpu)))
        #expect(m.cpu.cycles == 1000)
        #expect(exit.status == 124)
    }

    /// Records when output is flushed, relative to the bytes written.
    final class FlushRecorder: SerialSink {
        var bytes: [UInt8] = []
        var flushedCounts: [Int] = []
        func put(_ byte: UInt8) { bytes.append(byte) }
        func flush() { flushedCounts.append(bytes.count) }
    }

    @Test func partialLinesAreFlushedWhileTheGuestRuns() throws {
        let sink = FlushRecorder()
        let m = try Machine(config: MachineConfig(memorySize: 64 << 20, maxCycles: 3 * Machine.flushQuantum), serialSink: sink)
        // mov dx, 0x3f8; mov al, 'A'; out dx, al; jmp $
        try m.load(TestImages.kludge(code: [0x66, 0xBA, 0xF8, 0x03, 0xB0, 0x41, 0xEE, 0xEB, 0xFE]), name: "t")
        let exit = m.run()
        #expect(exit.status == 124)
        #expect(sink.bytes == [0x41])
        #expect(sink.flushedCounts == [1, 1, 1])   // two quantum boundaries, then the exit
    }

    @Test func unassignedPortsReadAllOnes() throws {
        let (m, _) = try machine()
        #expect(m.ports.read(0x80, size: 1) == 0xFF)
        #expect(m.ports.read(0x3F8 + 5, size: 1) == 0x60)
        #expect(m.ports.read(0xF4, size: 4) == 0)
    }

    /// COM1-COM4 at the PC's addresses: each has its own scratch register (16550 datasheet:
    /// register 7 holds what was written) and after reset LSR = 60h (THRE and TEMT).
    @Test func fourSerialPorts() throws {
        let (m, _) = try machine()
        let bases: [UInt16] = [0x3F8, 0x2F8, 0x3E8, 0x2E8]
        for (n, base) in bases.enumerated() { m.ports.write(base + 7, size: 1, value: UInt32(0x50 + n)) }
        for (n, base) in bases.enumerated() {
            #expect(m.ports.read(base + 7, size: 1) == UInt32(0x50 + n))
            #expect(m.ports.read(base + 5, size: 1) == 0x60)
        }
    }

    @Test func serialFileOutput() throws {
        let path = "/tmp/swemu-serial-\(UInt32.random(in: 0...UInt32.max)).txt"
        defer { _ = path.withCString { unlink($0) } }
        var config = MachineConfig(memorySize: 64 << 20)
        config.serial = .file(path)
        let m = try Machine(config: config)
        try m.load(try TestImages.rom("mb1-elf64.elf"), name: "x")
        _ = m.run()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("Hello from a Multiboot1 ELF64 image"))
    }

    @Test func machineErrorsAreOneLine() {
        #expect(throws: MachineError.cannotOpenSerialFile(path: "/nonexistent/dir/x", reason: "No such file or directory")) {
            _ = try Machine(config: MachineConfig(memorySize: 64 << 20, serial: .file("/nonexistent/dir/x")))
        }
    }
}

/// What the firmware leaves is still there after the boot protocol's entry state.
@Suite struct FirmwareStateAfterLoadTests {
    @Test func featureControlAndTheAPICSurviveLoading() throws {
        let m = try Machine(config: MachineConfig(memorySize: 16 << 20, serial: .none), serialSink: BufferSerialSink())
        try m.load(TestImages.rom("hello.elf"), name: "hello")
        // SDM vol. 3, 24.7: locked (bit 0) with VMX outside SMX (bit 2), as a BIOS leaves it.
        #expect((try m.cpu.readMSR(MSR.featureControl)) == 0x5)
        #expect((try m.cpu.readMSR(MSR.apicBase)) == 0xFEE0_0900 && m.apics[0].acceptsExtINT)
    }
}
