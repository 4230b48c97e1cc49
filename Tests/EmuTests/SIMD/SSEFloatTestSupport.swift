@testable import Emu

/// Set-up for the SSE floating-point tests: the instruction harness's flat 64-bit machine with
/// CR4.OSFXSR and CR4.OSXMMEXCPT set, XMM registers and MXCSR loaded.
enum SSEFloatHarness {
    /// MXCSR at reset: every exception masked, round to nearest.
    static let defaultMXCSR: UInt32 = 0x1F80
    static let dataAddress: UInt64 = 0x8000

    static func machine(_ code: [UInt8], xmm: [Int: XMMValue] = [:], mxcsr: UInt32 = defaultMXCSR,
                        regs: [Int: UInt64] = [:], osxmmexcpt: Bool = true,
                        mode: CodeMode = .long64) -> FlatMachine {
        let m = InstructionHarness.machine(code, regs, mode: mode)
        m.cpu.cr4 |= CR4.osfxsr.rawValue | (osxmmexcpt ? CR4.osxmmexcpt.rawValue : 0)
        m.cpu.mxcsr = mxcsr
        for (n, v) in xmm { m.cpu.setXMMRegister(UInt8(n), v) }
        return m
    }

    /// Runs one instruction and returns the machine.
    static func run(_ code: [UInt8], xmm: [Int: XMMValue] = [:], mxcsr: UInt32 = defaultMXCSR,
                    regs: [Int: UInt64] = [:]) throws(Fault) -> FlatMachine {
        let m = machine(code, xmm: xmm, mxcsr: mxcsr, regs: regs)
        try m.cpu.step()
        return m
    }

    /// Runs one instruction expected to fault; returns the machine, to check what stayed
    /// unchanged, and the fault (nil when there was none).
    static func fault(_ code: [UInt8], xmm: [Int: XMMValue] = [:],
                      mxcsr: UInt32 = defaultMXCSR, regs: [Int: UInt64] = [:],
                      osxmmexcpt: Bool = true) -> (FlatMachine, Fault?) {
        let m = machine(code, xmm: xmm, mxcsr: mxcsr, regs: regs, osxmmexcpt: osxmmexcpt)
        do {
            try m.cpu.step()
            return (m, nil)
        } catch {
            return (m, error)
        }
    }

    /// Bit patterns of IEEE values, so expected results read as numbers.
    static func bits(_ x: Float) -> UInt32 { x.bitPattern }
    static func bits(_ x: Double) -> UInt64 { x.bitPattern }

    /// Four single-precision lanes given as bit patterns, lane 0 first.
    static func lanes(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> XMMValue {
        XMMValue(low: UInt64(a) | UInt64(b) << 32, high: UInt64(c) | UInt64(d) << 32)
    }

    /// Four single-precision lanes, lane 0 first.
    static func ps(_ a: Float, _ b: Float, _ c: Float, _ d: Float) -> XMMValue {
        lanes(a.bitPattern, b.bitPattern, c.bitPattern, d.bitPattern)
    }

    /// Two double-precision lanes, lane 0 first.
    static func pd(_ a: Double, _ b: Double) -> XMMValue { XMMValue(low: a.bitPattern, high: b.bitPattern) }

    /// MXCSR flag bits (SDM vol. 1, figure 10-3).
    static let IE: UInt32 = 0x01, DE: UInt32 = 0x02, ZE: UInt32 = 0x04
    static let OE: UInt32 = 0x08, UE: UInt32 = 0x10, PE: UInt32 = 0x20
    /// Special single-precision encodings.
    static let qnan32: UInt32 = 0x7FC0_0000, snan32: UInt32 = 0x7FA0_0000, indefinite32: UInt32 = 0xFFC0_0000
    static let denormal32: UInt32 = 0x0000_0001
    static let qnan64: UInt64 = 0x7FF8_0000_0000_0000, snan64: UInt64 = 0x7FF4_0000_0000_0000
}
