import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// CVT* between XMM, general registers and memory: exact conversions, rounding by MXCSR.RC or
/// truncation, the integer indefinite, and which part of the destination each form writes.
@Suite struct SSEFloatConversionTests {
    @Test func integerToScalar() throws {
        // CVTSI2SS xmm0, eax: only EAX is read; lanes 1-3 are kept.
        let m = try S.run([0xF3, 0x0F, 0x2A, 0xC0], xmm: [0: S.ps(9, 8, 7, 6)], regs: [0: 0xFFFF_FFFF_FFFF_FFFD])
        #expect(m.cpu.xmmRegister(0) == S.ps(-3, 8, 7, 6))
        // CVTSI2SS xmm0, rax (REX.W): 2^63 - 1 rounds to 2^63, inexact.
        let w = try S.run([0xF3, 0x48, 0x0F, 0x2A, 0xC0], regs: [0: 0x7FFF_FFFF_FFFF_FFFF])
        #expect(w.cpu.xmmRegister(0).binary32(0) == 0x5F00_0000)
        #expect(w.cpu.mxcsr == S.defaultMXCSR | S.PE)
        // CVTSI2SD xmm0, eax: -2^31 exactly; the high quadword is kept.
        let d = try S.run([0xF2, 0x0F, 0x2A, 0xC0], xmm: [0: S.pd(1, 2)], regs: [0: 0x8000_0000])
        #expect(d.cpu.xmmRegister(0) == S.pd(-2147483648, 2))
        #expect(d.cpu.mxcsr == S.defaultMXCSR)
    }

    @Test func scalarToInteger() throws {
        // CVTSS2SI eax, xmm1: nearest-even (2.5 -> 2, 3.5 -> 4, -2.5 -> -2); a 32-bit result
        // clears RAX[63:32].
        for (x, r): (Float, UInt64) in [(2.5, 2), (3.5, 4), (-2.5, 0xFFFF_FFFE)] {
            let m = try S.run([0xF3, 0x0F, 0x2D, 0xC1], xmm: [1: S.ps(x, 0, 0, 0)], regs: [0: 0xDEAD_BEEF_0000_0000])
            #expect(m.cpu.registers[0] == r)
            #expect(m.cpu.mxcsr == S.defaultMXCSR | S.PE)
        }
        // CVTTSS2SI truncates: -2.7 -> -2.
        let t = try S.run([0xF3, 0x0F, 0x2C, 0xC1], xmm: [1: S.ps(-2.7, 0, 0, 0)])
        #expect(t.cpu.registers[0] == 0xFFFF_FFFE)
        // CVTSD2SI rax, xmm1 (REX.W) with RC = down: -0.5 -> -1.
        let down = try S.run([0xF2, 0x48, 0x0F, 0x2D, 0xC1], xmm: [1: S.pd(-0.5, 0)], mxcsr: S.defaultMXCSR | 0x2000)
        #expect(down.cpu.registers[0] == UInt64.max)
        // CVTTSD2SI eax, [rax]: 8 bytes of memory.
        let mem = S.machine([0xF2, 0x0F, 0x2C, 0x00], regs: [0: S.dataAddress])
        let v = S.bits(-7.9)
        _ = mem.memory.load((0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }, at: S.dataAddress)
        try mem.cpu.step()
        #expect(mem.cpu.registers[0] == 0xFFFF_FFF9)
    }

    @Test func integerIndefinite() throws {
        // NaN and out-of-range values give 80000000h (8000000000000000h with REX.W) and IE.
        let nan = try S.run([0xF3, 0x0F, 0x2D, 0xC1], xmm: [1: S.lanes(S.qnan32, 0, 0, 0)])
        #expect(nan.cpu.registers[0] == 0x8000_0000)
        #expect(nan.cpu.mxcsr == S.defaultMXCSR | S.IE)
        let big = try S.run([0xF3, 0x0F, 0x2C, 0xC1], xmm: [1: S.ps(3e9, 0, 0, 0)])
        #expect(big.cpu.registers[0] == 0x8000_0000)
        let wide = try S.run([0xF2, 0x48, 0x0F, 0x2C, 0xC1], xmm: [1: S.pd(1e19, 0)])
        #expect(wide.cpu.registers[0] == 0x8000_0000_0000_0000)
        #expect(wide.cpu.mxcsr == S.defaultMXCSR | S.IE)
        // -2^31 itself fits.
        let edge = try S.run([0xF2, 0x0F, 0x2D, 0xC1], xmm: [1: S.pd(-2147483648, 0)])
        #expect(edge.cpu.registers[0] == 0x8000_0000)
        #expect(edge.cpu.mxcsr == S.defaultMXCSR)
    }

    @Test func precisionConversions() throws {
        // CVTPS2PD: the low two singles, exactly.
        let up = try S.run([0x0F, 0x5A, 0xC1], xmm: [1: S.ps(1.5, -0.25, 99, 99)])
        #expect(up.cpu.xmmRegister(0) == S.pd(1.5, -0.25))
        // CVTPD2PS: 1/3 rounds to nearest (3EAAAAABh), inexact; the high quadword is zeroed.
        let downPD = try S.run([0x66, 0x0F, 0x5A, 0xC1], xmm: [0: S.ps(9, 9, 9, 9), 1: S.pd(1.0 / 3.0, 2)])
        #expect(downPD.cpu.xmmRegister(0) == S.lanes(0x3EAA_AAAB, S.bits(Float(2)), 0, 0))
        #expect(downPD.cpu.mxcsr == S.defaultMXCSR | S.PE)
        // CVTSS2SD keeps the high quadword, CVTSD2SS lanes 1-3.
        let ss = try S.run([0xF3, 0x0F, 0x5A, 0xC1], xmm: [0: S.pd(0, 7), 1: S.ps(-3.5, 0, 0, 0)])
        #expect(ss.cpu.xmmRegister(0) == S.pd(-3.5, 7))
        let sd = try S.run([0xF2, 0x0F, 0x5A, 0xC1], xmm: [0: S.ps(0, 5, 6, 7), 1: S.pd(0.75, 0)])
        #expect(sd.cpu.xmmRegister(0) == S.ps(0.75, 5, 6, 7))
        // CVTSD2SS overflow: DBL_MAX -> +inf with OE and PE.
        let over = try S.run([0xF2, 0x0F, 0x5A, 0xC1], xmm: [1: S.pd(.greatestFiniteMagnitude, 0)])
        #expect(over.cpu.xmmRegister(0).binary32(0) == S.bits(Float.infinity))
        #expect(over.cpu.mxcsr == S.defaultMXCSR | S.OE | S.PE)
        // CVTPS2PD of an SNaN: quieted, IE.
        let sn = try S.run([0x0F, 0x5A, 0xC1], xmm: [1: S.lanes(S.snan32, 0, 0, 0)])
        #expect(sn.cpu.xmmRegister(0).low == 0x7FFC_0000_0000_0000)
        #expect(sn.cpu.mxcsr == S.defaultMXCSR | S.IE)
    }

    @Test func packedDoublewordConversions() throws {
        // CVTDQ2PS: 2^24 + 1 rounds to 2^24 (PE).
        let dq = XMMValue(low: 1 | 0xFFFF_FFFE << 32, high: 0x0100_0001)
        let a = try S.run([0x0F, 0x5B, 0xC1], xmm: [1: dq])
        #expect(a.cpu.xmmRegister(0) == S.ps(1, -2, 16777216, 0))
        #expect(a.cpu.mxcsr == S.defaultMXCSR | S.PE)
        // CVTPS2DQ rounds to nearest even, CVTTPS2DQ truncates; 1e10 is out of range.
        let src = S.ps(1.5, 2.5, -1.5, 1e10)
        let r = try S.run([0x66, 0x0F, 0x5B, 0xC1], xmm: [1: src])
        #expect(r.cpu.xmmRegister(0) == S.lanes(2, 2, 0xFFFF_FFFE, 0x8000_0000))
        #expect(r.cpu.mxcsr == S.defaultMXCSR | S.IE | S.PE)
        let t = try S.run([0xF3, 0x0F, 0x5B, 0xC1], xmm: [1: src])
        #expect(t.cpu.xmmRegister(0) == S.lanes(1, 2, 0xFFFF_FFFF, 0x8000_0000))
        // CVTDQ2PD: the low two doublewords; CVTPD2DQ / CVTTPD2DQ zero the high quadword.
        let pd = try S.run([0xF3, 0x0F, 0xE6, 0xC1], xmm: [1: XMMValue(low: 7 | 0x8000_0000 << 32, high: 5)])
        #expect(pd.cpu.xmmRegister(0) == S.pd(7, -2147483648))
        let n = try S.run([0xF2, 0x0F, 0xE6, 0xC1], xmm: [0: S.pd(9, 9), 1: S.pd(-2.5, 3.5)])
        #expect(n.cpu.xmmRegister(0) == XMMValue(low: 0xFFFF_FFFE | 4 << 32, high: 0))
        let tt = try S.run([0x66, 0x0F, 0xE6, 0xC1], xmm: [0: S.pd(9, 9), 1: S.pd(-2.5, 3.5)])
        #expect(tt.cpu.xmmRegister(0) == XMMValue(low: 0xFFFF_FFFE | 3 << 32, high: 0))
    }

    @Test func protectedModeForms() throws {
        // In 32-bit code 48h is DEC EAX, not REX.W: CVTSI2SD xmm0, [eax] reads a doubleword.
        let m = S.machine([0xF2, 0x0F, 0x2A, 0x00], regs: [0: S.dataAddress + 2], mode: .protected32)
        _ = m.memory.load([0xF9, 0xFF, 0xFF, 0xFF, 0x12, 0x34], at: S.dataAddress + 2)
        try m.cpu.step()
        #expect(m.cpu.xmmRegister(0).low == S.bits(-7.0))
        // CVTPD2DQ xmm0, [eax] needs 16-byte alignment there too.
        let p = S.machine([0xF2, 0x0F, 0xE6, 0x00], regs: [0: S.dataAddress + 4], mode: .protected32)
        #expect(throws: Fault.generalProtection(0)) { try p.cpu.step() }
    }

    @Test func packedMemoryOperands() throws {
        // CVTPS2PD and CVTDQ2PD read 8 bytes with no alignment requirement; CVTPD2PS needs 16.
        let v = S.ps(0.5, 4, 0, 0).low
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
        let m = S.machine([0x0F, 0x5A, 0x00], regs: [0: S.dataAddress + 8])
        _ = m.memory.load(bytes, at: S.dataAddress + 8)
        try m.cpu.step()
        #expect(m.cpu.xmmRegister(0) == S.pd(0.5, 4))
        let (_, f) = S.fault([0x66, 0x0F, 0x5A, 0x00], regs: [0: S.dataAddress + 8])
        #expect(f == .generalProtection(0))
    }
}
