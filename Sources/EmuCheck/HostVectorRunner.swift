import Emu

/// Replays host vectors on a `FlatMachine` and reports every difference in registers, RIP,
/// memory, the exception raised, and the RFLAGS bits the form defines.
public final class HostVectorRunner {
    public static let dataBase: UInt64 = 0x10_0000
    public static let dataSize = 0x1000
    public static let codeBase: UInt64 = 0x20_0000
    public static let initialRSP: UInt64 = 0x10_0800
    /// The host OS's interrupt tables, as far as user code can tell: DPL-3 gates for every
    /// vector to ring-0 handlers at `handlerBase + 16 * vector`, reached through the TSS stack.
    static let gdtBase: UInt64 = 0x30_0000
    static let idtBase: UInt64 = 0x30_1000
    static let tssBase: UInt64 = 0x30_2000
    static let kernelStackTop: UInt64 = 0x30_4000
    static let handlerBase: UInt64 = 0x30_5000

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
        installInterruptTables(m, mode: form.mode)
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
        cpu.gdtr = DescriptorTable(base: HostVectorRunner.gdtBase, limit: 0x2F)
        cpu.idtr = DescriptorTable(base: HostVectorRunner.idtBase, limit: form.mode == .long64 ? 0xFFF : 0x7FF)
        cpu.tr = SegmentCache(selector: 0x20, base: HostVectorRunner.tssBase, limit: 0x67, attributes: 0x8B)
        // The host process always ran with IF set (a PUSHF image shows it).
        cpu.rflags = v.flagsIn | RFlags.interrupt.rawValue
        cpu.rip = form.address
        // The host OS enables x87, MMX and SSE with native #MF and #XM reporting.
        cpu.cr0 = (cpu.cr0 | CR0.mp.rawValue | CR0.ne.rawValue) & ~(CR0.em.rawValue | CR0.ts.rawValue)
        cpu.cr4 |= CR4.osfxsr.rawValue | CR4.osxmmexcpt.rawValue
        var simd = HostSIMDSnapshot()
        simd.apply(v.simdIn)
        simd.load(into: cpu)

        var raised: Fault? = nil
        do throws(Fault) {
            try cpu.step()
        } catch {
            raised = error
        }

        var problems: [String] = []
        let handlers = HostVectorRunner.handlerBase..<HostVectorRunner.handlerBase + 256 * 16
        if raised == nil && handlers.contains(cpu.rip) {
            // An INT n, INT3 or INTO was delivered: the vector is the handler's, and the return
            // address is on top of the ring-0 stack.
            let vector = (cpu.rip - HostVectorRunner.handlerBase) / 16
            let size = form.mode == .long64 ? 8 : 4
            let pushedRIP = m.memory.read(cpu.registers[4] & 0xFFFF_FFFF, size: size)
            if v.exception != UInt8(vector) {
                problems.append("interrupt \(vector) delivered, expected \(v.exception.map { "exception \($0)" } ?? "none")")
            }
            if pushedRIP != v.ripOut { problems.append("pushed rip \(hex(pushedRIP)) expected \(hex(v.ripOut))") }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        }
        simd.apply(v.simdOut)
        let simdProblems = HostSIMDSnapshot(cpu).differences(from: simd, approximate: form.name.contains("_approx"))
        if let expected = v.exception {
            if raised?.vector != expected {
                problems.append("expected exception \(expected), got \(raised.map { "\($0.vector)" } ?? "none")")
            }
            if cpu.rip != v.ripOut { problems.append("rip \(hex(cpu.rip)) expected \(hex(v.ripOut))") }
            problems += simdProblems
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
        problems += simdProblems
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

    /// GDT: 0x08 64-bit ring-0 code, 0x10 ring-0 data, 0x18 32-bit ring-0 code, 0x20 TSS.
    /// IDT: interrupt gates with DPL 3. TSS: ring-0 stack (RSP0 / SS0:ESP0).
    func installInterruptTables(_ m: FlatMachine, mode: CodeMode) {
        var gdt = [UInt8](repeating: 0, count: 0x30)
        put(0x0020_9A00_0000_0000, at: 0x08, in: &gdt)
        put(0x00CF_9200_0000_FFFF, at: 0x10, in: &gdt)
        put(0x00CF_9A00_0000_FFFF, at: 0x18, in: &gdt)
        _ = m.memory.load(gdt, at: HostVectorRunner.gdtBase)
        let long = mode == .long64
        var idt = [UInt8](repeating: 0, count: long ? 0x1000 : 0x800)
        for vector in 0..<256 {
            let handler = HostVectorRunner.handlerBase + UInt64(vector) * 16
            let low = (handler & 0xFFFF) | UInt64(long ? 0x08 : 0x18) << 16 | 0xEE00 << 32
                | (handler >> 16 & 0xFFFF) << 48
            put(low, at: vector * (long ? 16 : 8), in: &idt)
            if long { put(handler >> 32, at: vector * 16 + 8, in: &idt) }
        }
        _ = m.memory.load(idt, at: HostVectorRunner.idtBase)
        var tss = [UInt8](repeating: 0, count: 0x68)
        if long {
            put(HostVectorRunner.kernelStackTop, at: 4, in: &tss)
        } else {
            put(HostVectorRunner.kernelStackTop | 0x10 << 32, at: 4, in: &tss)
        }
        put(0x68 << 48, at: 0x60, in: &tss)      // I/O map base beyond the limit: no bitmap
        _ = m.memory.load(tss, at: HostVectorRunner.tssBase)
    }

    func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<8 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
    }

    func place(_ bytes: [UInt8], at address: UInt64, in data: inout [UInt8]) {
        for (k, b) in bytes.enumerated() {
            let a = Int(address &- HostVectorRunner.dataBase) + k
            if a >= 0 && a < data.count { data[a] = b }
        }
    }

    func hex(_ v: UInt64) -> String { String(v, radix: 16) }
}
