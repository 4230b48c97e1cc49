import Testing
@testable import Emu

/// PADD/PSUB (wrapping and saturating), PMUL*, PMADDWD, PSADBW, PAVG, PMIN/PMAX, logic and
/// compares, with results worked out from the SDM vol. 2 operation sections. The XMM form gets
/// the same lane in both halves unless a test says otherwise; the MMX form one lane.
@Suite struct SSEPackedArithmeticTests {
    /// `66 0F op /r` on XMM0, XMM1 with `a`, `b` in both halves, and `0F op` on MM0, MM1: both
    /// must give `expected`.
    func check(_ op: UInt8, _ a: UInt64, _ b: UInt64, _ expected: UInt64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let v = try SIMDHarness.xmm0([0x66, 0x0F, op, 0xC1], x(a, a), x(b, b))
        #expect(v == x(expected, expected), sourceLocation: sourceLocation)
        let m = try SIMDHarness.mm0([0x0F, op, 0xC1], a, b)
        #expect(m == expected, sourceLocation: sourceLocation)
    }

    // Bytes (low first): a = 00 80 7F FF 04 03 02 01, b = FF 80 01 01 01 01 01 01.
    let ab: UInt64 = 0x0102_0304_FF7F_8000, bb: UInt64 = 0x0101_0101_0101_80FF

    @Test func byteAddSubtract() throws {
        try check(0xFC, ab, bb, 0x0203_0405_0080_00FF)   // PADDB
        try check(0xEC, ab, bb, 0x0203_0405_007F_80FF)   // PADDSB: -128 + -128 -> -128, 127 + 1 -> 127
        try check(0xDC, ab, bb, 0x0203_0405_FF80_FFFF)   // PADDUSB: 128 + 128, 255 + 1 -> 255
        try check(0xF8, ab, bb, 0x0001_0203_FE7E_0001)   // PSUBB
        try check(0xE8, ab, bb, 0x0001_0203_FE7E_0001)   // PSUBSB (no saturation here)
        try check(0xD8, ab, bb, 0x0001_0203_FE7E_0000)   // PSUBUSB: 0 - 255 -> 0
        try check(0xE8, 0x0000_0000_0000_7F80, 0x0000_0000_0000_FF01, 0x0000_0000_0000_7F80) // -128-1, 127+1
    }

    // Words: a = 7FFF 8000 FFFF 0001, b = 0001 FFFF 0001 0002.
    let aw: UInt64 = 0x0001_FFFF_8000_7FFF, bw: UInt64 = 0x0002_0001_FFFF_0001

    @Test func wordAddSubtract() throws {
        try check(0xFD, aw, bw, 0x0003_0000_7FFF_8000)   // PADDW
        try check(0xED, aw, bw, 0x0003_0000_8000_7FFF)   // PADDSW
        try check(0xDD, aw, bw, 0x0003_FFFF_FFFF_8000)   // PADDUSW
        try check(0xF9, aw, bw, 0xFFFF_FFFE_8001_7FFE)   // PSUBW
        try check(0xD9, aw, bw, 0x0000_FFFE_0000_7FFE)   // PSUBUSW
        try check(0xE9, 0x0000_0000_7FFF_8000, 0x0000_0000_FFFF_0001, 0x0000_0000_7FFF_8000) // PSUBSW
    }

    @Test func doublewordAndQuadwordAddSubtract() throws {
        try check(0xFE, 0xFFFF_FFFF_0000_0001, 0x0000_0001_FFFF_FFFF, 0x0000_0000_0000_0000) // PADDD
        try check(0xFA, 0x0000_0000_0000_0001, 0x0000_0001_0000_0002, 0xFFFF_FFFF_FFFF_FFFF) // PSUBD
        try check(0xD4, 0xFFFF_FFFF_FFFF_FFFF, 2, 1)                                        // PADDQ
        try check(0xFB, 0, 1, 0xFFFF_FFFF_FFFF_FFFF)                                        // PSUBQ
    }

    @Test func multiplies() throws {
        // Words a = 1234 FFFF 8000 0100, b = 0100 FFFF 8000 0010.
        let a: UInt64 = 0x0100_8000_FFFF_1234, b: UInt64 = 0x0010_8000_FFFF_0100
        try check(0xD5, a, b, 0x1000_0000_0001_3400)   // PMULLW
        try check(0xE4, a, b, 0x0000_4000_FFFE_0012)   // PMULHUW
        try check(0xE5, a, b, 0x0000_4000_0000_0012)   // PMULHW: (-1)(-1) = 1, high word 0
        // PMULUDQ: the low doublewords, unsigned, full 64-bit product.
        try check(0xF4, 0x1234_5678_FFFF_FFFF, 0x9ABC_DEF0_FFFF_FFFF, 0xFFFF_FFFE_0000_0001)
        // PMADDWD: 1*3 + 2*4 = 11; 8000h*8000h*2 wraps to 8000_0000h; -1*2 + 3*4 = 10.
        try check(0xF5, 0x8000_8000_0002_0001, 0x8000_8000_0004_0003, 0x8000_0000_0000_000B)
        try check(0xF5, 0x0003_FFFF, 0x0004_0002, 0x0000_000A)
    }

    @Test func sadAverageMinMax() throws {
        // PSADBW: |1-8| + |2-7| + ... = 32; FFh vs 0 = 255.
        try check(0xF6, 0x0807_0605_0403_0201, 0x0102_0304_0506_0708, 32)
        try check(0xF6, 0xFF, 0, 255)
        // PAVGB: (a + b + 1) >> 1 without overflow; PAVGW.
        try check(0xE0, 0xFE01_00FF, 0xFF02_01FF, 0xFF02_01FF)
        try check(0xE3, 0x0001_FFFF, 0x0002_FFFF, 0x0002_FFFF)
        // PMINUB/PMAXUB unsigned, PMINSW/PMAXSW signed.
        try check(0xDA, 0x7F80, 0x807F, 0x7F7F)
        try check(0xDE, 0x7F80, 0x807F, 0x8080)
        try check(0xEA, 0x7FFF_8000, 0x8000_7FFF, 0x8000_8000)
        try check(0xEE, 0x7FFF_8000, 0x8000_7FFF, 0x7FFF_7FFF)
    }

    @Test func logic() throws {
        let a: UInt64 = 0xFF00_FF00_F0F0_1234, b: UInt64 = 0x0FF0_0FF0_FF00_FFFF
        try check(0xDB, a, b, a & b)    // PAND
        try check(0xDF, a, b, ~a & b)   // PANDN
        try check(0xEB, a, b, a | b)    // POR
        try check(0xEF, a, b, a ^ b)    // PXOR
        // ANDPS, ANDNPD, ORPS, XORPD on XMM.
        let va = x(a, ~a), vb = x(b, b)
        #expect(try SIMDHarness.xmm0([0x0F, 0x54, 0xC1], va, vb) == x(a & b, ~a & b))
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x55, 0xC1], va, vb) == x(~a & b, a & b))
        #expect(try SIMDHarness.xmm0([0x0F, 0x56, 0xC1], va, vb) == x(a | b, ~a | b))
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x57, 0xC1], va, vb) == x(a ^ b, ~a ^ b))
    }

    @Test func compares() throws {
        try check(0x74, 0x1122_3344_5566_7788, 0x1122_0044_5500_7788, 0xFFFF_00FF_FF00_FFFF) // PCMPEQB
        try check(0x75, 0x1111_2222_3333_4444, 0x1111_0000_3333_0000, 0xFFFF_0000_FFFF_0000) // PCMPEQW
        try check(0x76, 0x1111_2222_3333_4444, 0x1111_2222_3333_0000, 0xFFFF_FFFF_0000_0000) // PCMPEQD
        // PCMPGTB, signed: 1 > 0, -128 > 127 no, 127 > -128, -1 > 0 no.
        try check(0x64, 0xFF7F_8001, 0x0080_7F00, 0x00FF_00FF)
        try check(0x65, 0x0001_8000, 0x8000_0001, 0xFFFF_0000)                              // PCMPGTW
        try check(0x66, 0x8000_0000_0000_0001, 0x0000_0001_8000_0000, 0x0000_0000_FFFF_FFFF) // PCMPGTD
    }

    @Test func xmmHalvesAreIndependentAndAligned() throws {
        // PADDW with different halves; a misaligned m128 is #GP(0).
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0xFD, 0xC1], x(1, 0xFFFF), x(2, 1)) == x(3, 0))
        #expect(throws: Fault.generalProtection(0)) {
            try SIMDHarness.exec([0x66, 0x0F, 0xFD, 0x03], regs: [3: SIMDHarness.data + 4])
        }
        let m = try SIMDHarness.exec([0x66, 0x0F, 0xFC, 0x03], xmm: [0: x(1, 1)], memory: SIMDHarness.counting)
        #expect(m.cpu.xmmRegister(0) == x(0x0807_0605_0403_0202, 0x100F_0E0D_0C0B_0A0A))
    }
}
