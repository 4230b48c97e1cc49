import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// RCPPS/RCPSS/RSQRTPS/RSQRTSS: hosts differ in the bits, so the tests check the SDM's bound,
/// |relative error| <= 1.5 * 2^-12, against the reciprocal computed in double precision, and
/// the special cases the SDM lists.
@Suite struct SSEFloatApproximationTests {
    static let bound = 1.5 / 4096.0
    static let samples: [Float] = [1, 3, 0.1, 1e-30, 1e30, 7.5, 123456.7, 1.17549435e-38, 2.5e-5, 65535, 0.999, 1.001]

    @Test(arguments: samples)
    func reciprocalWithinBound(x: Float) throws {
        let m = try S.run([0x0F, 0x53, 0xC1], xmm: [1: S.ps(x, -x, x, -x)])
        for k in 0..<4 {
            let r = Double(Float(bitPattern: m.cpu.xmmRegister(0).binary32(k)))
            let exact = 1 / Double(k & 1 == 0 ? x : -x)
            #expect(abs(r - exact) <= Self.bound * abs(exact), "lane \(k): \(r) vs \(exact)")
        }
        #expect(m.cpu.mxcsr == S.defaultMXCSR)
    }

    @Test(arguments: samples)
    func reciprocalSquareRootWithinBound(x: Float) throws {
        let m = try S.run([0xF3, 0x0F, 0x52, 0xC1], xmm: [0: S.ps(0, 5, 6, 7), 1: S.ps(x, 0, 0, 0)])
        let r = Double(Float(bitPattern: m.cpu.xmmRegister(0).binary32(0)))
        let exact = 1 / Double(x).squareRoot()
        #expect(abs(r - exact) <= Self.bound * exact)
        #expect(m.cpu.xmmRegister(0).high == S.ps(0, 5, 6, 7).high)
        #expect(m.cpu.mxcsr == S.defaultMXCSR)
    }

    @Test func reciprocalSpecialValues() throws {
        // ±0 and denormals (read as zero) give ±inf, ±inf gives ±0, an SNaN is quieted, tiny
        // results (1/2^127) flush to zero of the operand's sign. No flag, even unmasked.
        let inf = S.bits(Float.infinity), ninf = S.bits(-Float.infinity)
        let a = try S.run([0x0F, 0x53, 0xC1], xmm: [1: S.lanes(0, 0x8000_0000, S.denormal32, 0x8000_0001)], mxcsr: 0)
        #expect(a.cpu.xmmRegister(0) == S.lanes(inf, ninf, inf, ninf))
        #expect(a.cpu.mxcsr == 0)
        let b = try S.run([0x0F, 0x53, 0xC1], xmm: [1: S.lanes(inf, ninf, S.snan32, 0x7F00_0000)], mxcsr: 0)
        #expect(b.cpu.xmmRegister(0) == S.lanes(0, 0x8000_0000, 0x7FE0_0000, 0))
        #expect(b.cpu.mxcsr == 0)
    }

    @Test func reciprocalSquareRootSpecialValues() throws {
        // RSQRTPS: ±0 -> ±inf, +inf -> +0, negative values (-inf included) -> the indefinite QNaN.
        let inf = S.bits(Float.infinity), ninf = S.bits(-Float.infinity)
        let a = try S.run([0x0F, 0x52, 0xC1], xmm: [1: S.lanes(0, 0x8000_0000, inf, ninf)], mxcsr: 0)
        #expect(a.cpu.xmmRegister(0) == S.lanes(inf, ninf, 0, S.indefinite32))
        let b = try S.run([0x0F, 0x52, 0xC1], xmm: [1: S.lanes(S.bits(Float(-4)), S.qnan32, S.denormal32, S.bits(Float(4)))], mxcsr: 0)
        #expect(b.cpu.xmmRegister(0).binary32(0) == S.indefinite32)
        #expect(b.cpu.xmmRegister(0).binary32(1) == S.qnan32)
        #expect(b.cpu.xmmRegister(0).binary32(2) == inf)
        #expect(b.cpu.mxcsr == 0)
    }
}
