import Emu

/// `swemu-dev fuzz-machine [COUNT] [SEED] [CYCLES]`: boots COUNT random kernels on full
/// two-processor machines (Intel and AMD models in turn) and prints how the runs ended.
/// Reaching the summary means nothing trapped.
///
/// A kernel is a sequence of 32-byte blocks at 100020h, each one device access or a few random
/// bytes: MMIO loads and stores of 1, 2 and 4 bytes to the local APIC page, the IOAPIC, the
/// HPET or anywhere; IN and OUT of every size to the platform's ports; RDMSR and WRMSR of the
/// x2APIC range, IA32_APIC_BASE and IA32_TSC_DEADLINE; STI; HLT. The last block jumps back to
/// the first. Every vector has a handler that drops the error code if there is one, writes the
/// xAPIC EOI register and returns to the start of the next block, so a faulting access does
/// not end the run.
enum MachineFuzzCommand {
    static let blockSize = 32
    static let entry: UInt32 = 0x10_0020
    static let handlers: UInt64 = 0x18_0000
    static let handlerSize: UInt64 = 32
    static let stackTop: UInt32 = 0x9_0000
    /// Vectors whose exceptions push an error code (SDM vol. 3, table 6-1).
    static let errorCodeVectors: Set<Int> = [8, 10, 11, 12, 13, 14, 17, 21, 29, 30]

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
        mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: value()) }
        /// Extremes more often than chance gives them.
        mutating func value() -> UInt64 {
            switch below(6) {
            case 0: return 0
            case 1: return .max
            case 2: return 1 << below(64)
            case 3: return .max &- below(16)
            case 4: return below(0x100)
            default: return next()
            }
        }
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(v >> 8)] }

    static func address(_ r: inout Random) -> UInt32 {
        switch r.below(6) {
        case 0, 1: return 0xFEE0_0000 + UInt32(r.below(0x40)) << 4 + UInt32(r.below(2) == 0 ? 0 : r.below(16))
        case 2: return 0xFEC0_0000 + UInt32(r.below(0x20))
        case 3: return 0xFED0_0000 + UInt32(r.below(0x400))
        default: return UInt32(truncatingIfNeeded: r.next())
        }
    }

    static func port(_ r: inout Random) -> UInt16 {
        let ports: [UInt16] = [0x20, 0x21, 0x40, 0x41, 0x42, 0x43, 0x61, 0x70, 0x71, 0xA0, 0xA1, 0x3F8, 0x3F9, 0x3FA,
                               0x3FB, 0x3FC, 0x3FD, 0x2F8, 0x2FC, 0x510, 0x511, 0x600, 0x601, 0x602, 0x603, 0x608,
                               0x609, 0x60A, 0x60B, 0xCF8, 0xCF9, 0xCFC, 0xCFD, 0xCFE, 0xCFF]
        // Not the debug exit, the reset and power-off ports: they only end the run.
        let p = r.below(8) == 0 ? UInt16(truncatingIfNeeded: r.next()) : ports[Int(r.below(UInt64(ports.count)))]
        return [0xF4, 0x64, 0x92, 0x604, 0xCF9].contains(p) ? 0x80 : p
    }

    static func msr(_ r: inout Random) -> UInt32 {
        switch r.below(6) {
        case 0: return 0x1B
        case 1: return 0x6E0
        default: return 0x800 + UInt32(r.below(0x100))
        }
    }

    /// One block's instructions (at most `blockSize` bytes).
    static func block(_ r: inout Random) -> [UInt8] {
        switch r.below(12) {
        case 0, 1:
            let a = le32(address(&r))
            switch r.below(3) {
            case 0: return [0xC6, 0x05] + a + [UInt8(truncatingIfNeeded: r.value())]
            case 1: return [0x66, 0xC7, 0x05] + a + le16(UInt16(truncatingIfNeeded: r.value()))
            default: return [0xC7, 0x05] + a + le32(r.u32())
            }
        case 2:
            let a = le32(address(&r))
            switch r.below(3) {
            case 0: return [0xA0] + a
            case 1: return [0x66, 0xA1] + a
            default: return [0xA1] + a
            }
        case 3, 4:
            let setup = [0x66, 0xBA] + le16(port(&r)) + [0xB8] + le32(r.u32())
            return setup + [[0xEE], [0x66, 0xEF], [0xEF]][Int(r.below(3))]
        case 5:
            return [0x66, 0xBA] + le16(port(&r)) + [[0xEC], [0x66, 0xED], [0xED]][Int(r.below(3))]
        case 6, 7:
            return [0xB9] + le32(msr(&r)) + [0xB8] + le32(r.u32()) + [0xBA] + le32(r.u32()) + [0x0F, 0x30]
        case 8:
            return [0xB9] + le32(msr(&r)) + [0x0F, 0x32]
        case 9:
            return r.below(4) == 0 ? [0xFB, 0x90, 0xF4] : [0xFB, 0x90, 0x90, 0xFA]
        default:
            return (0..<Int(1 + r.below(12))).map { _ in UInt8(truncatingIfNeeded: r.next()) }
        }
    }

    /// The kernel: a Multiboot a.out-kludge image loaded at 1 MiB.
    static func kernel(_ r: inout Random, blocks: Int) -> [UInt8] {
        var code: [UInt8] = []
        func pad() { code += [UInt8](repeating: 0x90, count: blockSize - code.count % blockSize) }
        code += [0xBC] + le32(stackTop)                                 // mov esp, 90000h
        pad()
        for _ in 0..<blocks {
            code += block(&r)
            pad()
        }
        // jmp to the second block.
        let next = entry + UInt32(code.count) + 5
        code += [0xE9] + le32(entry + UInt32(blockSize) &- next)
        let magic: UInt32 = 0x1BAD_B002, flags: UInt32 = 1 << 16
        let end = 0x10_0000 + 32 + UInt32(code.count)
        return le32(magic) + le32(flags) + le32(0 &- magic &- flags) + le32(0x10_0000) + le32(0x10_0000) + le32(end)
            + le32(0) + le32(entry) + code
    }

    /// Interrupt gates (CS 10h) to one handler per vector.
    static func installHandlers(_ m: Machine) {
        for v in 0..<256 {
            let h = handlers + UInt64(v) * handlerSize
            var code: [UInt8] = errorCodeVectors.contains(v) ? [0x83, 0xC4, 0x04] : []   // add esp, 4
            code += [0x83, 0x04, 0x24, UInt8(blockSize)]                                 // add [esp], 32
            code += [0x83, 0x24, 0x24, UInt8(truncatingIfNeeded: -blockSize)]           // and [esp], -32
            code += [0xC7, 0x05, 0xB0, 0x00, 0xE0, 0xFE, 0, 0, 0, 0, 0xCF]              // EOI; iret
            _ = m.memory.load(code, at: h)
            let gate = h & 0xFFFF | 0x10 << 16 | 0x8E00 << 32 | (h >> 16) << 48
            m.memory.write(UInt64(v * 8), size: 8, value: gate)
        }
        m.cpu.idtr = DescriptorTable(base: 0, limit: 0x7FF)
    }

    static func run(_ arguments: [String]) -> Int32 {
        let count = arguments.first.flatMap { Int($0) } ?? 1000
        let seed = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 1
        let cycles = arguments.dropFirst(2).first.flatMap { UInt64($0) } ?? 2_000_000
        var r = Random(state: seed)
        var outcomes: [String: Int] = [:]
        var totalCycles: UInt64 = 0
        for k in 0..<count {
            var config = MachineConfig(vendor: k % 2 == 0 ? .intel : .amd, memorySize: 16 << 20, serial: .none,
                                       maxCycles: cycles)
            config.cpuCount = 2
            do {
                let m = try Machine(config: config, serialSink: NullSerialSink())
                _ = try m.load(kernel(&r, blocks: Int(1 + r.below(64))), name: "fuzz-\(k)")
                installHandlers(m)
                let exit = m.run()
                let name = String(describing: exit).prefix { $0 != "(" }
                outcomes[String(name), default: 0] += 1
                totalCycles &+= m.cpus.map(\.cycles).reduce(0, &+)
            } catch {
                print("kernel \(k): \(error)")
                return 1
            }
        }
        print("\(count) machines, \(totalCycles) processor cycles")
        for (name, n) in outcomes.sorted(by: { $0.key < $1.key }) { print("  \(name): \(n)") }
        return 0
    }
}
