@testable import Emu

/// Shared set-up for instruction unit tests: a 1 MiB flat machine with `code` at 0x1000.
enum InstructionHarness {
    static let codeAddress: UInt64 = 0x1000

    static func machine(_ code: [UInt8], _ regs: [Int: UInt64] = [:], flags: UInt64 = 0x2,
                        mode: CodeMode = .long64, vendor: Vendor = .intel) -> FlatMachine {
        guard let m = FlatMachine(memorySize: 1 << 20, mode: mode, vendor: vendor) else {
            preconditionFailure("cannot allocate 1 MiB of guest memory")
        }
        _ = m.memory.load(code, at: codeAddress)
        m.cpu.rip = codeAddress
        for (r, v) in regs { m.cpu.registers[r] = v }
        m.cpu.rflags = flags
        return m
    }

    /// Runs one instruction; the machine is returned so its state outlives the call.
    static func exec(_ code: [UInt8], _ regs: [Int: UInt64] = [:], flags: UInt64 = 0x2,
                     mode: CodeMode = .long64, vendor: Vendor = .intel) throws(Fault) -> FlatMachine {
        let m = machine(code, regs, flags: flags, mode: mode, vendor: vendor)
        try m.cpu.step()
        return m
    }
}

/// RFLAGS status bits, named as in the SDM.
let CF: UInt64 = 0x1, PF: UInt64 = 0x4, AF: UInt64 = 0x10, ZF: UInt64 = 0x40
let SF: UInt64 = 0x80, OF: UInt64 = 0x800
