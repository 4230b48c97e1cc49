import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// ADD/SUB/MUL/DIV/SQRT/MIN/MAX in PS, PD, SS and SD forms: exact IEEE results worked out by
/// hand, special values and the MIN/MAX operand rules of the SDM.
@Suite struct SSEFloatArithmeticTests {
    @Test func addPackedSingle() throws {
        // ADDPS xmm0, xmm1: 4 + 1e30 is inexact (PE); the other lanes are exact.
        let m = try S.run([0x0F, 0x58, 0xC1], xmm: [0: S.ps(1, 2, 3, 4), 1: S.ps(0.5, 0.25, -3, 1e30)])
        #expect(m.cpu.xmmRegister(0) == S.ps(1.5, 2.25, 0, 1e30))
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.PE)
    }

    @Test func addScalarKeepsUpperLanes() throws {
        // ADDSS xmm0, xmm1: only lane 0 changes; exact, so no flag.
        let m = try S.run([0xF3, 0x0F, 0x58, 0xC1], xmm: [0: S.ps(1, 7, 8, 9), 1: S.ps(2, 100, 100, 100)])
        #expect(m.cpu.xmmRegister(0) == S.ps(3, 7, 8, 9))
        #expect(m.cpu.mxcsr == S.defaultMXCSR)
    }

    @Test func packedDoubleForms() throws {
        // SUBPD, MULPD, DIVPD xmm0, xmm1 on exact operands.
        let a = S.pd(6, -1.5), b = S.pd(0.5, 4)
        #expect(try S.run([0x66, 0x0F, 0x5C, 0xC1], xmm: [0: a, 1: b]).cpu.xmmRegister(0) == S.pd(5.5, -5.5))
        #expect(try S.run([0x66, 0x0F, 0x59, 0xC1], xmm: [0: a, 1: b]).cpu.xmmRegister(0) == S.pd(3, -6))
        #expect(try S.run([0x66, 0x0F, 0x5E, 0xC1], xmm: [0: a, 1: b]).cpu.xmmRegister(0) == S.pd(12, -0.375))
    }

    @Test func squareRootScalarDouble() throws {
        // SQRTSD xmm0, xmm1: sqrt(2) correctly rounded is 3FF6A09E667F3BCDh, inexact; the high
        // quadword of the destination is kept. SQRTPS of 4, 9, 0.25, -0: exact.
        let m = try S.run([0xF2, 0x0F, 0x51, 0xC1], xmm: [0: S.pd(7, 8), 1: S.pd(2, 100)])
        #expect(m.cpu.xmmRegister(0) == XMMValue(low: 0x3FF6_A09E_667F_3BCD, high: S.bits(8.0)))
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.PE)
        let p = try S.run([0x0F, 0x51, 0xC1], xmm: [1: S.ps(4, 9, 0.25, -0.0)])
        #expect(p.cpu.xmmRegister(0) == S.ps(2, 3, 0.5, -0.0))
        #expect(p.cpu.mxcsr == S.defaultMXCSR)
        // The square root of a negative number is the indefinite QNaN, with IE.
        let n = try S.run([0xF3, 0x0F, 0x51, 0xC1], xmm: [1: S.ps(-4, 0, 0, 0)])
        #expect(n.cpu.xmmRegister(0).binary32(0) == S.indefinite32)
        #expect(n.cpu.mxcsr == S.defaultMXCSR | S.IE)
    }

    @Test func divisionByZeroAndInvalid() throws {
        // DIVPS: 1/0 = +inf (ZE), -1/0 = -inf, 0/0 and inf/inf are the indefinite QNaN (IE).
        let m = try S.run([0x0F, 0x5E, 0xC1], xmm: [0: S.ps(1, -1, 0, .infinity), 1: S.ps(0, 0, 0, .infinity)])
        #expect(m.cpu.xmmRegister(0) == S.lanes(S.bits(Float.infinity), S.bits(-Float.infinity), S.indefinite32, S.indefinite32))
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.IE | S.ZE)
        // +inf + -inf is invalid.
        let a = try S.run([0xF3, 0x0F, 0x58, 0xC1], xmm: [0: S.ps(.infinity, 0, 0, 0), 1: S.ps(-.infinity, 0, 0, 0)])
        #expect(a.cpu.xmmRegister(0).binary32(0) == S.indefinite32)
        #expect(a.cpu.mxcsr == S.defaultMXCSR | S.IE)
    }

    @Test func nanOperands() throws {
        // Two QNaNs: the first operand's; an SNaN is returned quieted, with IE (SDM vol. 1, table 4-7).
        let m = try S.run([0x0F, 0x58, 0xC1], xmm: [0: S.lanes(0x7FC0_0001, S.snan32, S.bits(Float(1)), 0), 1: S.lanes(0x7FC0_0002, S.bits(Float(1)), S.qnan32, 0)])
        #expect(m.cpu.xmmRegister(0) == S.lanes(0x7FC0_0001, 0x7FE0_0000, S.qnan32, 0))
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.IE)
    }

    @Test func roundingControl() throws {
        // 1 + 2^-24 is halfway between 1 and its successor: nearest-even gives 1, round-up
        // (MXCSR.RC = 10b) gives 1 + 2^-23; both inexact.
        let code: [UInt8] = [0xF3, 0x0F, 0x58, 0xC1]
        let x: [Int: XMMValue] = [0: S.ps(1, 0, 0, 0), 1: S.lanes(0x3380_0000, 0, 0, 0)]
        let near = try S.run(code, xmm: x)
        #expect(near.cpu.xmmRegister(0).binary32(0) == 0x3F80_0000)
        #expect(near.cpu.mxcsr & 0x3F == S.PE)
        let up = try S.run(code, xmm: x, mxcsr: S.defaultMXCSR | 0x4000)
        #expect(up.cpu.xmmRegister(0).binary32(0) == 0x3F80_0001)
        // Round down: -1 - 2^-24 becomes -(1 + 2^-23).
        let down = try S.run(code, xmm: [0: S.ps(-1, 0, 0, 0), 1: S.lanes(0xB380_0000, 0, 0, 0)], mxcsr: S.defaultMXCSR | 0x2000)
        #expect(down.cpu.xmmRegister(0).binary32(0) == 0xBF80_0001)
    }

    @Test func flushToZeroAndDenormals() throws {
        // MULSS 2^-100 * 2^-30 = 2^-130: an exact denormal (00080000h), no flag since masked
        // underflow is reported only when inexact; with FTZ it becomes +0 with UE and PE.
        let code: [UInt8] = [0xF3, 0x0F, 0x59, 0xC1]
        let x: [Int: XMMValue] = [0: S.lanes(0x0D80_0000, 0, 0, 0), 1: S.lanes(0x3080_0000, 0, 0, 0)]
        let plain = try S.run(code, xmm: x)
        #expect(plain.cpu.xmmRegister(0).binary32(0) == 0x0008_0000)
        #expect(plain.cpu.mxcsr == S.defaultMXCSR)
        let ftz = try S.run(code, xmm: x, mxcsr: S.defaultMXCSR | 0x8000)
        #expect(ftz.cpu.xmmRegister(0).binary32(0) == 0)
        #expect(ftz.cpu.mxcsr & 0x3F == S.UE | S.PE)
        // A denormal operand: DE without DAZ; with DAZ it reads as zero, without DE.
        let add: [UInt8] = [0xF3, 0x0F, 0x58, 0xC1]
        let d: [Int: XMMValue] = [0: S.lanes(0x0000_0003, 0, 0, 0), 1: S.lanes(0x0000_0005, 0, 0, 0)]
        let de = try S.run(add, xmm: d)
        #expect(de.cpu.xmmRegister(0).binary32(0) == 0x0000_0008)
        #expect(de.cpu.mxcsr & 0x3F == S.DE)
        let daz = try S.run(add, xmm: d, mxcsr: S.defaultMXCSR | 0x40)
        #expect(daz.cpu.xmmRegister(0).binary32(0) == 0)
        #expect(daz.cpu.mxcsr & 0x3F == 0)
    }

    @Test func minimumAndMaximum() throws {
        // MINPS/MAXPS: the second operand when either is a NaN (with IE, QNaN included) or
        // both are zeros.
        let a = S.ps(1, 5, .nan, 0), b = S.ps(2, 3, 1, -0.0)
        let mn = try S.run([0x0F, 0x5D, 0xC1], xmm: [0: a, 1: b])
        #expect(mn.cpu.xmmRegister(0) == S.ps(1, 3, 1, -0.0))
        #expect(mn.cpu.mxcsr == S.defaultMXCSR | S.IE)
        let mx = try S.run([0x0F, 0x5F, 0xC1], xmm: [0: a, 1: b])
        #expect(mx.cpu.xmmRegister(0) == S.ps(2, 5, 1, -0.0))
        // A second-operand SNaN is returned as it is, not quieted.
        let s = try S.run([0xF3, 0x0F, 0x5D, 0xC1], xmm: [0: S.ps(1, 9, 9, 9), 1: S.lanes(S.snan32, 0, 0, 0)])
        #expect(s.cpu.xmmRegister(0) == S.lanes(S.snan32, S.bits(Float(9)), S.bits(Float(9)), S.bits(Float(9))))
        #expect(s.cpu.mxcsr == S.defaultMXCSR | S.IE)
        // MAXSD: -0 vs +0 gives the second operand.
        let z = try S.run([0xF2, 0x0F, 0x5F, 0xC1], xmm: [0: S.pd(-0.0, 4), 1: S.pd(0, 5)])
        #expect(z.cpu.xmmRegister(0) == S.pd(0, 4))
    }

    @Test func minimumWithDenormalsAreZero() throws {
        // MINSS of a denormal and 1.0: the denormal (with DE); with DAZ it is read as +0 and
        // +0 is the result, without DE.
        let x: [Int: XMMValue] = [0: S.lanes(S.denormal32, 0, 0, 0), 1: S.ps(1, 0, 0, 0)]
        let plain = try S.run([0xF3, 0x0F, 0x5D, 0xC1], xmm: x)
        #expect(plain.cpu.xmmRegister(0).binary32(0) == S.denormal32)
        #expect(plain.cpu.mxcsr == S.defaultMXCSR | S.DE)
        let daz = try S.run([0xF3, 0x0F, 0x5D, 0xC1], xmm: x, mxcsr: S.defaultMXCSR | 0x40)
        #expect(daz.cpu.xmmRegister(0).binary32(0) == 0)
        #expect(daz.cpu.mxcsr == S.defaultMXCSR | 0x40)
    }

    @Test func memoryOperands() throws {
        // ADDPS xmm0, [rax] needs a 16-byte aligned operand; ADDSS xmm0, [rax] reads 4 bytes anywhere.
        let data = S.ps(1, 2, 3, 4)
        var bytes: [UInt8] = []
        for q in [data.low, data.high] { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: q >> (8 * k))) } }
        let aligned = S.machine([0x0F, 0x58, 0x00], xmm: [0: S.ps(1, 1, 1, 1)], regs: [0: S.dataAddress])
        _ = aligned.memory.load(bytes, at: S.dataAddress)
        try aligned.cpu.step()
        #expect(aligned.cpu.xmmRegister(0) == S.ps(2, 3, 4, 5))
        let (m, f) = S.fault([0x0F, 0x58, 0x00], xmm: [0: S.ps(1, 1, 1, 1)], regs: [0: S.dataAddress + 4])
        #expect(f == .generalProtection(0))
        #expect(m.cpu.xmmRegister(0) == S.ps(1, 1, 1, 1))
        let scalar = S.machine([0xF3, 0x0F, 0x58, 0x00], xmm: [0: S.ps(1, 1, 1, 1)], regs: [0: S.dataAddress + 5])
        _ = scalar.memory.load(bytes, at: S.dataAddress + 1)
        try scalar.cpu.step()
        #expect(scalar.cpu.xmmRegister(0) == S.ps(3, 1, 1, 1))
    }
}
