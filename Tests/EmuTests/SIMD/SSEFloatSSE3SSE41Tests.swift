import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// SSE3 ADDSUB/HADD/HSUB and SSE4.1 ROUND*/DPPS/DPPD on exact operands, from the operation
/// sections of the SDM's pages.
@Suite struct SSEFloatSSE3SSE41Tests {
    @Test func horizontalSingle() throws {
        let x: [Int: XMMValue] = [0: S.ps(1, 2, 3, 4), 1: S.ps(10, 20, 30, 40)]
        #expect(try S.run([0xF2, 0x0F, 0x7C, 0xC1], xmm: x).cpu.xmmRegister(0) == S.ps(3, 7, 30, 70))
        #expect(try S.run([0xF2, 0x0F, 0x7D, 0xC1], xmm: x).cpu.xmmRegister(0) == S.ps(-1, -1, -10, -10))
    }

    @Test func horizontalDouble() throws {
        let x: [Int: XMMValue] = [0: S.pd(1, 2), 1: S.pd(10, 20)]
        #expect(try S.run([0x66, 0x0F, 0x7C, 0xC1], xmm: x).cpu.xmmRegister(0) == S.pd(3, 30))
        #expect(try S.run([0x66, 0x0F, 0x7D, 0xC1], xmm: x).cpu.xmmRegister(0) == S.pd(-1, -10))
    }

    @Test func addSubtract() throws {
        let p = try S.run([0xF2, 0x0F, 0xD0, 0xC1], xmm: [0: S.ps(1, 2, 3, 4), 1: S.ps(0.5, 0.5, 0.5, 0.5)])
        #expect(p.cpu.xmmRegister(0) == S.ps(0.5, 2.5, 2.5, 4.5))
        let d = try S.run([0x66, 0x0F, 0xD0, 0xC1], xmm: [0: S.pd(1, 2), 1: S.pd(0.5, 0.5)])
        #expect(d.cpu.xmmRegister(0) == S.pd(0.5, 2.5))
        // Legacy SSE3 memory operands must be 16-byte aligned.
        let (_, f) = S.fault([0xF2, 0x0F, 0x7C, 0x00], regs: [0: S.dataAddress + 8])
        #expect(f == .generalProtection(0))
    }

    @Test(arguments: [
        (UInt8(0), Float(2.5), Float(2)), (0, -2.5, -2), (0, 3.5, 4),
        (1, 2.5, 2), (1, -2.5, -3),
        (2, 2.5, 3), (2, -2.5, -2),
        (3, 2.7, 2), (3, -2.7, -2),
    ])
    func roundScalarSingle(imm: UInt8, x: Float, expected: Float) throws {
        // ROUNDSS xmm0, xmm1, imm: imm8[1:0] picks the mode; inexact results raise PE; lanes
        // 1-3 of the destination are kept.
        let m = try S.run([0x66, 0x0F, 0x3A, 0x0A, 0xC1, imm], xmm: [0: S.ps(0, 5, 6, 7), 1: S.ps(x, 0, 0, 0)])
        #expect(m.cpu.xmmRegister(0) == S.ps(expected, 5, 6, 7))
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.PE)
    }

    @Test func roundControls() throws {
        // imm8[3] suppresses PE; imm8[2] takes the mode from MXCSR.RC (up here).
        let quiet = try S.run([0x66, 0x0F, 0x3A, 0x0A, 0xC1, 0x08], xmm: [1: S.ps(2.5, 0, 0, 0)])
        #expect(quiet.cpu.xmmRegister(0).binary32(0) == S.bits(Float(2)))
        #expect(quiet.cpu.mxcsr == S.defaultMXCSR)
        let mx = try S.run([0x66, 0x0F, 0x3A, 0x0A, 0xC1, 0x04], xmm: [1: S.ps(2.1, 0, 0, 0)], mxcsr: S.defaultMXCSR | 0x4000)
        #expect(mx.cpu.xmmRegister(0).binary32(0) == S.bits(Float(3)))
        // ROUNDPS, nearest: 0.5 -> 0, 1.5 -> 2, -0.5 -> -0, 2 -> 2 (exact).
        let p = try S.run([0x66, 0x0F, 0x3A, 0x08, 0xC1, 0x00], xmm: [1: S.ps(0.5, 1.5, -0.5, 2)])
        #expect(p.cpu.xmmRegister(0) == S.ps(0, 2, -0.0, 2))
        // ROUNDPD down, ROUNDSD of an SNaN: quieted with IE, the high quadword kept.
        let pd = try S.run([0x66, 0x0F, 0x3A, 0x09, 0xC1, 0x01], xmm: [1: S.pd(-0.5, 7.75)])
        #expect(pd.cpu.xmmRegister(0) == S.pd(-1, 7))
        let sn = try S.run([0x66, 0x0F, 0x3A, 0x0B, 0xC1, 0x00], xmm: [0: S.pd(0, 9), 1: XMMValue(low: S.snan64, high: 0)])
        #expect(sn.cpu.xmmRegister(0) == XMMValue(low: 0x7FFC_0000_0000_0000, high: S.bits(9.0)))
        #expect(sn.cpu.mxcsr == S.defaultMXCSR | S.IE)
        // ROUND never signals DE, even unmasked.
        let d = try S.run([0x66, 0x0F, 0x3A, 0x0A, 0xC1, 0x08], xmm: [1: S.lanes(S.denormal32, 0, 0, 0)], mxcsr: S.defaultMXCSR & ~0x100)
        #expect(d.cpu.xmmRegister(0).binary32(0) == 0)
        #expect(d.cpu.mxcsr & 0x3F == 0)
    }

    @Test func dotProducts() throws {
        // DPPS: (1, 2, 3, 4) . (5, 6, 7, 8) = 70; imm8[7:4] selects products, imm8[3:0] the
        // lanes written (others +0).
        let x: [Int: XMMValue] = [0: S.ps(1, 2, 3, 4), 1: S.ps(5, 6, 7, 8)]
        #expect(try S.run([0x66, 0x0F, 0x3A, 0x40, 0xC1, 0xF1], xmm: x).cpu.xmmRegister(0) == S.ps(70, 0, 0, 0))
        #expect(try S.run([0x66, 0x0F, 0x3A, 0x40, 0xC1, 0x3F], xmm: x).cpu.xmmRegister(0) == S.ps(17, 17, 17, 17))
        #expect(try S.run([0x66, 0x0F, 0x3A, 0x40, 0xC1, 0xCA], xmm: x).cpu.xmmRegister(0) == S.ps(0, 53, 0, 53))
        // DPPD: (1, 2) . (3, 4) = 11.
        let d: [Int: XMMValue] = [0: S.pd(1, 2), 1: S.pd(3, 4)]
        #expect(try S.run([0x66, 0x0F, 0x3A, 0x41, 0xC1, 0x31], xmm: d).cpu.xmmRegister(0) == S.pd(11, 0))
        #expect(try S.run([0x66, 0x0F, 0x3A, 0x41, 0xC1, 0x13], xmm: d).cpu.xmmRegister(0) == S.pd(3, 3))
    }
}
