import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// The conversions with an MMX operand: values, and the x87-to-MMX transition (TOP = 0, all
/// tags valid) the SDM describes on each instruction's page.
@Suite struct SSEFloatMMXConversionTests {
    /// A machine whose x87 state shows whether the transition happened: TOP = 5, all tags empty.
    static func machine(_ code: [UInt8], xmm: [Int: XMMValue] = [:], mmx: [Int: UInt64] = [:],
                        regs: [Int: UInt64] = [:]) -> FlatMachine {
        let m = S.machine(code, xmm: xmm, regs: regs)
        m.cpu.x87.status = 5 << 11
        m.cpu.x87.tags = 0xFFFF
        for (n, v) in mmx { m.cpu.x87.registers[n] = Float80Bits(significand: v, signExponent: 0xFFFF) }
        return m
    }

    @Test func convertFromMMXRegister() throws {
        // CVTPI2PS xmm0, mm1: (3, -4) as singles; the high quadword is kept.
        let m = Self.machine([0x0F, 0x2A, 0xC1], xmm: [0: S.ps(9, 9, 7, 8)], mmx: [1: 3 | 0xFFFF_FFFC << 32])
        try m.cpu.step()
        #expect(m.cpu.xmmRegister(0) == S.ps(3, -4, 7, 8))
        #expect(m.cpu.x87.top == 0)
        #expect(m.cpu.x87.tags == 0)
        // CVTPI2PD xmm0, mm1.
        let d = Self.machine([0x66, 0x0F, 0x2A, 0xC1], mmx: [1: 3 | 0xFFFF_FFFC << 32])
        try d.cpu.step()
        #expect(d.cpu.xmmRegister(0) == S.pd(3, -4))
        #expect(d.cpu.x87.top == 0)
    }

    @Test func convertPackedIntegersFromMemory() throws {
        // CVTPI2PD xmm0, [rax] and CVTPI2PS xmm0, [rax] touch no MMX register: no transition.
        let bytes: [UInt8] = [2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        let d = Self.machine([0x66, 0x0F, 0x2A, 0x00], regs: [0: S.dataAddress + 4])
        _ = d.memory.load(bytes, at: S.dataAddress + 4)
        try d.cpu.step()
        #expect(d.cpu.xmmRegister(0) == S.pd(2, -1))
        #expect(d.cpu.x87.top == 5)
        #expect(d.cpu.x87.tags == 0xFFFF)
        let s = Self.machine([0x0F, 0x2A, 0x00], regs: [0: S.dataAddress + 4])
        _ = s.memory.load(bytes, at: S.dataAddress + 4)
        try s.cpu.step()
        #expect(s.cpu.xmmRegister(0).low == S.ps(2, -1, 0, 0).low)
        #expect(s.cpu.x87.top == 5)
        #expect(s.cpu.x87.tags == 0xFFFF)
    }

    @Test func convertToMMXRegister() throws {
        // CVTPS2PI mm2, xmm1: 1.5 -> 2, -2.5 -> -2 (nearest even); the register's exponent
        // field becomes all ones.
        let m = Self.machine([0x0F, 0x2D, 0xD1], xmm: [1: S.ps(1.5, -2.5, 0, 0)])
        try m.cpu.step()
        #expect(m.cpu.x87.registers[2] == Float80Bits(significand: 2 | 0xFFFF_FFFE << 32, signExponent: 0xFFFF))
        #expect(m.cpu.x87.top == 0 && m.cpu.x87.tags == 0)
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.PE)
        // CVTTPS2PI truncates; CVTPD2PI / CVTTPD2PI take two doubles.
        let t = Self.machine([0x0F, 0x2C, 0xC1], xmm: [1: S.ps(1.5, -2.5, 0, 0)])
        try t.cpu.step()
        #expect(t.cpu.x87.registers[0].significand == UInt64(1) | 0xFFFF_FFFE << 32)
        let pd = Self.machine([0x66, 0x0F, 0x2D, 0xC1], xmm: [1: S.pd(-0.5, 1e10)])
        try pd.cpu.step()
        #expect(pd.cpu.x87.registers[0].significand == UInt64(0x8000_0000) << 32)
        #expect(pd.cpu.mxcsr == S.defaultMXCSR | S.IE | S.PE)
        let tpd = Self.machine([0x66, 0x0F, 0x2C, 0xC1], xmm: [1: S.pd(-0.5, 7.9)])
        try tpd.cpu.step()
        #expect(tpd.cpu.x87.registers[0].significand == UInt64(7) << 32)
    }

    @Test func pendingX87ExceptionFirst() throws {
        // FSW.ES set with CR0.NE: #MF before anything changes; CVTPI2PD from memory does not
        // look at it.
        let m = Self.machine([0x0F, 0x2D, 0xC1], xmm: [1: S.ps(1, 2, 0, 0)])
        m.cpu.x87.status |= 0x80
        m.cpu.cr0 |= CR0.ne.rawValue
        #expect(throws: Fault.x87) { try m.cpu.step() }
        #expect(m.cpu.x87.top == 5)
        let d = Self.machine([0x66, 0x0F, 0x2A, 0x00], regs: [0: S.dataAddress])
        d.cpu.x87.status |= 0x80
        d.cpu.cr0 |= CR0.ne.rawValue
        try d.cpu.step()
    }
}
