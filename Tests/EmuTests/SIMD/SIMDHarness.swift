@testable import Emu

/// Set-up for the MMX/SSE instruction tests: the flat 64-bit machine of `InstructionHarness`
/// with CR4.OSFXSR set, XMM/MMX registers preloaded and data at `SIMDHarness.data` (RBX points
/// there unless `regs` says otherwise).
enum SIMDHarness {
    static let data: UInt64 = 0x2000

    static func machine(_ code: [UInt8], xmm: [UInt8: XMMValue] = [:], mm: [UInt8: UInt64] = [:],
                        regs: [Int: UInt64] = [:], memory: [UInt8] = []) -> FlatMachine {
        var r = regs
        if r[3] == nil { r[3] = data }
        let m = InstructionHarness.machine(code, r)
        m.cpu.cr4 |= 0x200
        for (n, v) in xmm { m.cpu.setXMMRegister(n, v) }
        for (n, v) in mm { m.cpu.x87.registers[Int(n)].significand = v }
        _ = m.memory.load(memory, at: data)
        return m
    }

    /// Runs the one instruction `code` and returns the machine.
    static func exec(_ code: [UInt8], xmm: [UInt8: XMMValue] = [:], mm: [UInt8: UInt64] = [:],
                     regs: [Int: UInt64] = [:], memory: [UInt8] = []) throws(Fault) -> FlatMachine {
        let m = machine(code, xmm: xmm, mm: mm, regs: regs, memory: memory)
        try m.cpu.step()
        return m
    }

    /// XMM0 after `op xmm0, xmm1` with the given operands.
    static func xmm0(_ code: [UInt8], _ a: XMMValue, _ b: XMMValue) throws(Fault) -> XMMValue {
        try exec(code, xmm: [0: a, 1: b]).cpu.xmmRegister(0)
    }

    /// MM0 after `op mm0, mm1` with the given operands.
    static func mm0(_ code: [UInt8], _ a: UInt64, _ b: UInt64) throws(Fault) -> UInt64 {
        try exec(code, mm: [0: a, 1: b]).cpu.x87.registers[0].significand
    }

    /// 16 bytes 01h, 02h, ... 10h.
    static let counting: [UInt8] = (1...16).map { UInt8($0) }
}

/// Shorthand for a 128-bit value, low quadword first.
func x(_ low: UInt64, _ high: UInt64 = 0) -> XMMValue { XMMValue(low: low, high: high) }
