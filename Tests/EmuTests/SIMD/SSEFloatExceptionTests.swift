import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// MXCSR flags and SIMD floating-point exceptions (SDM vol. 1, 11.5.3): flags of all lanes
/// ORed, unmasked pre-computation exceptions stop before the post-computation ones, the
/// destination stays unchanged, #XM or #UD by CR4.OSXMMEXCPT; and the SSE availability checks.
@Suite struct SSEFloatExceptionTests {
    @Test func maskedFlagsOfAllLanes() throws {
        // DIVPS: lane 0 divides by zero (ZE), lane 1 overflows (OE, PE), lane 2 is 0/0 (IE).
        let m = try S.run([0x0F, 0x5E, 0xC1], xmm: [0: S.ps(1, 3e38, 0, 1), 1: S.ps(0, 1e-5, 0, 1)])
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.ZE | S.OE | S.PE | S.IE)
        #expect(m.cpu.xmmRegister(0) == S.lanes(S.bits(Float.infinity), S.bits(Float.infinity), S.indefinite32, S.bits(Float(1))))
    }

    @Test func flagsAreSticky() throws {
        // Flags already set stay set after an exact operation.
        let m = try S.run([0x0F, 0x58, 0xC1], xmm: [0: S.ps(1, 1, 1, 1)], mxcsr: S.defaultMXCSR | S.OE | S.UE)
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.OE | S.UE)
    }

    @Test func unmaskedDivideByZero() {
        // ZM clear: #XM, XMM0 unchanged, ZE recorded; with CR4.OSXMMEXCPT clear it is #UD.
        let x: [Int: XMMValue] = [0: S.ps(1, 2, 3, 4), 1: S.ps(0, 1, 1, 1)]
        let mxcsr = S.defaultMXCSR & ~0x200
        let (m, f) = S.fault([0x0F, 0x5E, 0xC1], xmm: x, mxcsr: mxcsr)
        #expect(f == .simdFloatingPoint)
        #expect(m.cpu.xmmRegister(0) == S.ps(1, 2, 3, 4))
        #expect(m.cpu.mxcsr == mxcsr | S.ZE)
        #expect(m.cpu.rip == InstructionHarness.codeAddress)
        let (u, g) = S.fault([0x0F, 0x5E, 0xC1], xmm: x, mxcsr: mxcsr, osxmmexcpt: false)
        #expect(g == .invalidOpcode)
        #expect(u.cpu.mxcsr == mxcsr | S.ZE)
    }

    @Test func preComputationBeforePostComputation() {
        // ADDPS: lane 0 has a denormal operand and an inexact sum (DE, then PE); lane 1 is
        // inexact (PE). DE unmasked: only DE is recorded. PE unmasked, DE masked: both are.
        let x: [Int: XMMValue] = [0: S.ps(1, 1, 0, 0), 1: S.lanes(S.denormal32, 0x3080_0000, 0, 0)]
        let deUnmasked = S.defaultMXCSR & ~0x100
        let (a, f) = S.fault([0x0F, 0x58, 0xC1], xmm: x, mxcsr: deUnmasked)
        #expect(f == .simdFloatingPoint)
        #expect(a.cpu.mxcsr == deUnmasked | S.DE)
        #expect(a.cpu.xmmRegister(0) == S.ps(1, 1, 0, 0))
        let peUnmasked = S.defaultMXCSR & ~0x1000
        let (b, g) = S.fault([0x0F, 0x58, 0xC1], xmm: x, mxcsr: peUnmasked)
        #expect(g == .simdFloatingPoint)
        #expect(b.cpu.mxcsr == peUnmasked | S.DE | S.PE)
        #expect(b.cpu.xmmRegister(0) == S.ps(1, 1, 0, 0))
    }

    @Test func unmaskedConversionLeavesRegister() {
        // CVTSS2SI eax, xmm1 of a NaN with IM clear: #XM, EAX unchanged.
        let (m, f) = S.fault([0xF3, 0x0F, 0x2D, 0xC1], xmm: [1: S.lanes(S.qnan32, 0, 0, 0)],
                             mxcsr: S.defaultMXCSR & ~0x80, regs: [0: 0x1234])
        #expect(f == .simdFloatingPoint)
        #expect(m.cpu.registers[0] == 0x1234)
    }

    @Test func availability() {
        // CR4.OSFXSR clear: #UD; CR0.EM set: #UD; CR0.TS set: #NM.
        let code: [UInt8] = [0x0F, 0x58, 0xC1]
        let noFXSR = S.machine(code)
        noFXSR.cpu.cr4 &= ~CR4.osfxsr.rawValue
        #expect(throws: Fault.invalidOpcode) { try noFXSR.cpu.step() }
        let em = S.machine(code)
        em.cpu.cr0 |= CR0.em.rawValue
        #expect(throws: Fault.invalidOpcode) { try em.cpu.step() }
        let ts = S.machine(code)
        ts.cpu.cr0 |= CR0.ts.rawValue
        #expect(throws: Fault.deviceNotAvailable) { try ts.cpu.step() }
    }
}

/// DPPS/DPPD check exceptions operation by operation (SDM vol. 2, DPPS): the multiplies, then
/// the additions; an unmasked one leaves the destination unchanged.
@Suite struct SSEFloatDotProductExceptionTests {
    @Test func unmaskedOverflowInTheAddition() {
        // Products 3e38 and 3e38 are finite; their sum overflows with OM clear: OE alone, since
        // twice a float is exact but for its range (vol. 1, 4.9.1.4: no PE then).
        let x: [Int: XMMValue] = [0: S.ps(3e38, 3e38, 0, 0), 1: S.ps(1, 1, 0, 0)]
        let mxcsr = S.defaultMXCSR & ~0x400
        let (m, f) = S.fault([0x66, 0x0F, 0x3A, 0x40, 0xC1, 0x31], xmm: x, mxcsr: mxcsr)
        #expect(f == .simdFloatingPoint)
        #expect(m.cpu.xmmRegister(0) == S.ps(3e38, 3e38, 0, 0))
        #expect(m.cpu.mxcsr & 0x3F == S.OE)
    }

    @Test func invalidMultiplyMasked() throws {
        // inf * 0 is invalid (IE): the indefinite QNaN propagates through the additions.
        let x: [Int: XMMValue] = [0: S.pd(.infinity, 1), 1: S.pd(0, 1)]
        let m = try S.run([0x66, 0x0F, 0x3A, 0x41, 0xC1, 0x31], xmm: x)
        #expect(m.cpu.xmmRegister(0) == XMMValue(low: 0xFFF8_0000_0000_0000, high: 0))
        #expect(m.cpu.mxcsr == S.defaultMXCSR | S.IE)
    }
}
