import Emu

/// Replays host vectors on a `FlatMachine` and reports every difference in registers, RIP,
/// memory, the exception raised, and the RFLAGS bits the form defines.
public final class HostVectorRunner {
    public static let dataBase: UInt64 = 0x10_0000
    public static let dataSize = 0x1000
    public static let codeBase: UInt64 = 0x20_0000
    public static let initialRSP: UInt64 = 0x10_0800

    public struct Mismatch: CustomStringConvertible {
        public var form: String
        public var line: Int
        public var detail: String
        public var description: String { "\(form) (line \(line)): \(detail)" }
    }

    let vendor: Vendor
    var machines: [CodeMode: FlatMachine] = [:]

    public init(vendor: Vendor = .amd) { self.vendor = vendor }

    func machine(for mode: CodeMode) -> FlatMachine? {
        if let m = machines[mode] { return m }
        guard let m = FlatMachine(memorySize: 4 << 20, mode: mode, vendor: vendor) else { return nil }
        machines[mode] = m
        return m
    }

    /// Runs every vector of `form`; returns the mismatches (empty when all agree).
    public func run(_ form: HostVectorForm) -> [Mismatch] {
        guard let m = machine(for: form.mode) else {
            return [Mismatch(form: form.name, line: 0, detail: "cannot allocate guest memory")]
        }
        var code = [UInt8](repeating: 0xCC, count: 0x1000)
        let offset = Int(form.address &- HostVectorRunner.codeBase)
        guard offset >= 0, offset + form.bytes.count <= code.count else {
            return [Mismatch(form: form.name, line: 0, detail: "instruction outside the code page")]
        }
        code.replaceSubrange(offset..<offset + form.bytes.count, with: form.bytes)
        _ = m.memory.load(code, at: HostVectorRunner.codeBase)
        var mismatches: [Mismatch] = []
        for v in form.vectors {
            if let detail = run(v, form: form, on: m) {
                mismatches.append(Mismatch(form: form.name, line: v.line, detail: detail))
            }
        }
        return mismatches
    }

    func run(_ v: HostVector, form: HostVectorForm, on m: FlatMachine) -> String? {
        let cpu = m.cpu
        cpu.enterFlatMode(form.mode)
        // The host ran the instruction as a user process: CPL 3, IOPL 0.
        cpu.enterUserMode()
        var data = [UInt8](repeating: 0, count: HostVectorRunner.dataSize)
        for (address, bytes) in v.memoryIn { place(bytes, at: address, in: &data) }
        // The data page never holds code, so it is written directly into RAM.
        let ram = m.memory.base + Int(HostVectorRunner.dataBase)
        data.withUnsafeBytes { ram.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        for r in 0..<16 { cpu.registers[r] = 0 }
        cpu.registers[4] = HostVectorRunner.initialRSP
        for (r, value) in v.registersIn { cpu.registers[r] = value }
        // The host process always ran with IF set (a PUSHF image shows it).
        cpu.rflags = v.flagsIn | RFlags.interrupt.rawValue
        cpu.rip = form.address

        var raised: Fault? = nil
        do throws(Fault) {
            try cpu.step()
        } catch {
            raised = error
        }

        var problems: [String] = []
        if let expected = v.exception {
            if raised?.vector != expected {
                problems.append("expected exception \(expected), got \(raised.map { "\($0.vector)" } ?? "none")")
            }
            if cpu.rip != v.ripOut { problems.append("rip \(hex(cpu.rip)) expected \(hex(v.ripOut))") }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        }
        if let f = raised { problems.append("unexpected exception \(f.mnemonic)") }

        var expected = [UInt64](repeating: 0, count: 16)
        expected[4] = HostVectorRunner.initialRSP
        for (r, value) in v.registersIn { expected[r] = value }
        for (r, value) in v.registersOut { expected[r] = value }
        for r in 0..<16 where cpu.registers[r] != expected[r] {
            problems.append("\(HostVectorFile.registerNames[r]) \(hex(cpu.registers[r])) expected \(hex(expected[r]))")
        }
        if cpu.rip != v.ripOut { problems.append("rip \(hex(cpu.rip)) expected \(hex(v.ripOut))") }
        let flagDiff = (cpu.rflags ^ v.flagsOut) & form.flagMask
        if flagDiff != 0 {
            problems.append("flags \(hex(cpu.rflags)) expected \(hex(v.flagsOut)) (differ in \(hex(flagDiff)))")
        }
        var expectedData = data
        for (address, bytes) in v.memoryOut { place(bytes, at: address, in: &expectedData) }
        let actual = Array(UnsafeRawBufferPointer(start: ram, count: HostVectorRunner.dataSize))
        if actual != expectedData {
            let first = (0..<actual.count).first { actual[$0] != expectedData[$0] } ?? 0
            problems.append("memory differs first at \(hex(HostVectorRunner.dataBase + UInt64(first))): "
                            + "\(hex(UInt64(actual[first]))) expected \(hex(UInt64(expectedData[first])))")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    func place(_ bytes: [UInt8], at address: UInt64, in data: inout [UInt8]) {
        for (k, b) in bytes.enumerated() {
            let a = Int(address &- HostVectorRunner.dataBase) + k
            if a >= 0 && a < data.count { data[a] = b }
        }
    }

    func hex(_ v: UInt64) -> String { String(v, radix: 16) }
}
