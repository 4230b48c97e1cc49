import Testing
@testable import Emu

private typealias S = SSEFloatHarness

/// CMPPS/PD/SS/SD predicates and (U)COMISS/SD flags, from the SDM's tables (vol. 2, CMPPS
/// table 3-1; COMISS/UCOMISS operation).
@Suite struct SSEFloatCompareTests {
    /// Lanes compared: 1 vs 2 (less), 2 vs 1 (greater), 1 vs 1 (equal), QNaN vs 1 (unordered).
    static let first = S.lanes(S.bits(Float(1)), S.bits(Float(2)), S.bits(Float(1)), S.qnan32)
    static let second = S.ps(2, 1, 1, 1)

    @Test(arguments: [
        (UInt8(0), [false, false, true, false], false),   // EQ_OQ
        (1, [true, false, false, false], true),           // LT_OS
        (2, [true, false, true, false], true),            // LE_OS
        (3, [false, false, false, true], false),          // UNORD_Q
        (4, [true, true, false, true], false),            // NEQ_UQ
        (5, [false, true, true, true], true),             // NLT_US
        (6, [false, true, false, true], true),            // NLE_US
        (7, [true, true, true, false], false),            // ORD_Q
    ])
    func packedSinglePredicates(predicate: UInt8, lanes: [Bool], signaling: Bool) throws {
        let m = try S.run([0x0F, 0xC2, 0xC1, predicate], xmm: [0: Self.first, 1: Self.second])
        let r = m.cpu.xmmRegister(0)
        for k in 0..<4 { #expect(r.binary32(k) == (lanes[k] ? 0xFFFF_FFFF : 0), "lane \(k)") }
        // The QNaN lane raises IE only for the signaling predicates.
        #expect(m.cpu.mxcsr == S.defaultMXCSR | (signaling ? S.IE : 0))
    }

    @Test(arguments: [
        (0x08, [false, false, true, false]), (0x09, [true, false, false, false]),
        (0x0C, [true, true, false, true]), (0x0D, [false, true, true, true]),
        (0x0F, [true, true, true, false]), (0x1D, [false, true, true, true]),
    ] as [(UInt8, [Bool])])
    func legacyPredicateIgnoresHighImmediateBits(imm: UInt8, lanes: [Bool]) throws {
        // Legacy CMPPS reads imm8[2:0] only (predicates 8-31 need VEX): 0Dh is NLT, not NGE.
        // The expected lanes are what the host CPU (AMD EPYC) returns for these operands.
        let m = try S.run([0x0F, 0xC2, 0xC1, imm], xmm: [0: Self.first, 1: Self.second])
        for k in 0..<4 { #expect(m.cpu.xmmRegister(0).binary32(k) == (lanes[k] ? 0xFFFF_FFFF : 0), "lane \(k)") }
    }

    @Test func packedDoubleAndScalarForms() throws {
        // CMPLEPD: 1 <= 2 true, 3 <= 2 false.
        let pd = try S.run([0x66, 0x0F, 0xC2, 0xC1, 2], xmm: [0: S.pd(1, 3), 1: S.pd(2, 2)])
        #expect(pd.cpu.xmmRegister(0) == XMMValue(low: UInt64.max, high: 0))
        // CMPEQSS: only lane 0 is written.
        let ss = try S.run([0xF3, 0x0F, 0xC2, 0xC1, 0], xmm: [0: S.ps(5, 6, 7, 8), 1: S.ps(5, 0, 0, 0)])
        #expect(ss.cpu.xmmRegister(0) == S.lanes(0xFFFF_FFFF, S.bits(Float(6)), S.bits(Float(7)), S.bits(Float(8))))
        // CMPNEQSD: the high quadword is kept.
        let sd = try S.run([0xF2, 0x0F, 0xC2, 0xC1, 4], xmm: [0: S.pd(1, 9), 1: S.pd(1, 0)])
        #expect(sd.cpu.xmmRegister(0) == S.pd(0, 9))
        // CMPEQSS with an SNaN: false, and IE even for a quiet predicate.
        let sn = try S.run([0xF3, 0x0F, 0xC2, 0xC1, 0], xmm: [0: S.lanes(S.snan32, 0, 0, 0), 1: S.ps(1, 0, 0, 0)])
        #expect(sn.cpu.xmmRegister(0).binary32(0) == 0)
        #expect(sn.cpu.mxcsr == S.defaultMXCSR | S.IE)
    }

    @Test func unmaskedInvalidLeavesDestination() throws {
        // CMPLTPS with a QNaN lane and IM clear: #XM, XMM0 unchanged, IE recorded.
        let (m, f) = S.fault([0x0F, 0xC2, 0xC1, 1], xmm: [0: Self.first, 1: Self.second], mxcsr: S.defaultMXCSR & ~0x80)
        #expect(f == .simdFloatingPoint)
        #expect(m.cpu.xmmRegister(0) == Self.first)
        #expect(m.cpu.mxcsr & 0x3F == S.IE)
    }

    /// Flags before the compare: every status flag set, so the cleared ones show.
    static let allStatus: UInt64 = 0x2 | CF | PF | AF | ZF | SF | OF

    @Test(arguments: [
        (Float(1), Float(2), CF),            // less
        (Float(2), Float(1), UInt64(0)),     // greater
        (Float(-0.0), Float(0), ZF),         // equal
        (Float.nan, Float(1), ZF | PF | CF),  // unordered
    ])
    func orderedCompareFlags(a: Float, b: Float, expected: UInt64) throws {
        for code: [UInt8] in [[0x0F, 0x2F, 0xC1], [0x0F, 0x2E, 0xC1]] {
            let m = S.machine(code, xmm: [0: S.ps(a, 0, 0, 0), 1: S.ps(b, 0, 0, 0)])
            m.cpu.rflags = Self.allStatus
            try m.cpu.step()
            #expect(m.cpu.rflags & (CF | PF | AF | ZF | SF | OF) == expected)
        }
        // COMISD/UCOMISD alike.
        for code: [UInt8] in [[0x66, 0x0F, 0x2F, 0xC1], [0x66, 0x0F, 0x2E, 0xC1]] {
            let m = S.machine(code, xmm: [0: S.pd(Double(a), 0), 1: S.pd(Double(b), 0)])
            m.cpu.rflags = Self.allStatus
            try m.cpu.step()
            #expect(m.cpu.rflags & (CF | PF | AF | ZF | SF | OF) == expected)
        }
    }

    @Test func orderedCompareInvalid() throws {
        // COMISS signals IE on a QNaN, UCOMISS only on an SNaN.
        let q: [Int: XMMValue] = [0: S.lanes(S.qnan32, 0, 0, 0), 1: S.ps(1, 0, 0, 0)]
        #expect(try S.run([0x0F, 0x2F, 0xC1], xmm: q).cpu.mxcsr == S.defaultMXCSR | S.IE)
        #expect(try S.run([0x0F, 0x2E, 0xC1], xmm: q).cpu.mxcsr == S.defaultMXCSR)
        let s: [Int: XMMValue] = [0: S.ps(1, 0, 0, 0), 1: S.lanes(S.snan32, 0, 0, 0)]
        #expect(try S.run([0x0F, 0x2E, 0xC1], xmm: s).cpu.mxcsr == S.defaultMXCSR | S.IE)
        // Unmasked: #XM and EFLAGS unchanged.
        let m = S.machine([0x0F, 0x2F, 0xC1], xmm: q, mxcsr: S.defaultMXCSR & ~0x80)
        m.cpu.rflags = Self.allStatus
        #expect(throws: Fault.simdFloatingPoint) { try m.cpu.step() }
        #expect(m.cpu.rflags == Self.allStatus)
    }

    @Test func orderedCompareReadsScalarMemory() throws {
        // COMISD xmm0, [rax]: 8 bytes, no alignment requirement.
        let m = S.machine([0x66, 0x0F, 0x2F, 0x00], xmm: [0: S.pd(3, 0)], regs: [0: S.dataAddress + 3])
        let v = S.bits(3.0)
        _ = m.memory.load((0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }, at: S.dataAddress + 3)
        try m.cpu.step()
        #expect(m.cpu.rflags & (CF | PF | ZF) == ZF)
    }
}
