import Testing
@testable import Emu

/// Unpacks, packs and shuffles (SDM vol. 2 operation sections).
@Suite struct SSEShufflesTests {
    let a = x(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908)
    let b = x(0x1716_1514_1312_1110, 0x1F1E_1D1C_1B1A_1918)

    @Test func xmmUnpacks() throws {
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x60, 0xC1], a, b) == x(0x1303_1202_1101_1000, 0x1707_1606_1505_1404)) // PUNPCKLBW
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x61, 0xC1], a, b) == x(0x1312_0302_1110_0100, 0x1716_0706_1514_0504)) // PUNPCKLWD
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x62, 0xC1], a, b) == x(0x1312_1110_0302_0100, 0x1716_1514_0706_0504)) // PUNPCKLDQ
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x6C, 0xC1], a, b) == x(a.low, b.low))                                 // PUNPCKLQDQ
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x68, 0xC1], a, b) == x(0x1B0B_1A0A_1909_1808, 0x1F0F_1E0E_1D0D_1C0C)) // PUNPCKHBW
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x69, 0xC1], a, b) == x(0x1B1A_0B0A_1918_0908, 0x1F1E_0F0E_1D1C_0D0C)) // PUNPCKHWD
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x6A, 0xC1], a, b) == x(0x1B1A_1918_0B0A_0908, 0x1F1E_1D1C_0F0E_0D0C)) // PUNPCKHDQ
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x6D, 0xC1], a, b) == x(a.high, b.high))                               // PUNPCKHQDQ
        // UNPCKLPS/UNPCKHPS are PUNPCKLDQ/HDQ; UNPCKLPD/UNPCKHPD are PUNPCKLQDQ/HQDQ.
        #expect(try SIMDHarness.xmm0([0x0F, 0x14, 0xC1], a, b) == x(0x1312_1110_0302_0100, 0x1716_1514_0706_0504))
        #expect(try SIMDHarness.xmm0([0x0F, 0x15, 0xC1], a, b) == x(0x1B1A_1918_0B0A_0908, 0x1F1E_1D1C_0F0E_0D0C))
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x14, 0xC1], a, b) == x(a.low, b.low))
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x15, 0xC1], a, b) == x(a.high, b.high))
    }

    @Test func mmxUnpacks() throws {
        #expect(try SIMDHarness.mm0([0x0F, 0x60, 0xC1], a.low, b.low) == 0x1303_1202_1101_1000)  // PUNPCKLBW
        #expect(try SIMDHarness.mm0([0x0F, 0x68, 0xC1], a.low, b.low) == 0x1707_1606_1505_1404)  // PUNPCKHBW
        #expect(try SIMDHarness.mm0([0x0F, 0x62, 0xC1], a.low, b.low) == 0x1312_1110_0302_0100)  // PUNPCKLDQ
        #expect(try SIMDHarness.mm0([0x0F, 0x6A, 0xC1], a.low, b.low) == 0x1716_1514_0706_0504)  // PUNPCKHDQ
        // PUNPCKLWD mm0, [rbx] reads the low doubleword of memory.
        let m = try SIMDHarness.exec([0x0F, 0x61, 0x03], mm: [0: a.low], memory: SIMDHarness.counting)
        #expect(m.cpu.x87.registers[0].significand == 0x0403_0302_0201_0100)
    }

    @Test func packs() throws {
        // PACKSSWB mm0, mm1: 0080h -> 7Fh, FF7Fh -> 80h, 1, FFFFh -> FFh | 7FFFh -> 7Fh, 8000h -> 80h, 0, 10h.
        #expect(try SIMDHarness.mm0([0x0F, 0x63, 0xC1], 0xFFFF_0001_FF7F_0080, 0x0010_0000_8000_7FFF) == 0x1000_807F_FF01_807F)
        // PACKUSWB: negative words -> 0, above FFh -> FFh.
        #expect(try SIMDHarness.mm0([0x0F, 0x67, 0xC1], 0xFFFF_0001_FF7F_0080, 0x0010_0000_8000_7FFF) == 0x1000_00FF_0001_0080)
        // PACKSSDW xmm0, xmm1: 8000h -> 7FFFh, -32769 -> 8000h, 1, -1 | 12h, 8000_0000h -> 8000h, 7FFF_FFFFh -> 7FFFh, 0.
        let d = x(0xFFFF_7FFF_0000_8000, 0xFFFF_FFFF_0000_0001), s = x(0x8000_0000_0000_0012, 0x0000_0000_7FFF_FFFF)
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x6B, 0xC1], d, s) == x(0xFFFF_0001_8000_7FFF, 0x0000_7FFF_8000_0012))
        // PACKSSWB xmm0, xmm1: destination words fill bytes 0-7, source words bytes 8-15.
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x63, 0xC1], x(0x0004_0003_0002_0001, 0x0008_0007_0006_0005), x(0xFFFF, 0x0100))
                == x(0x0807_0605_0403_0201, 0x0000_007F_0000_00FF))
    }

    @Test func wordAndDoublewordShuffles() throws {
        let s = x(0x0000_00A1_0000_00A0, 0x0000_00A3_0000_00A2)
        // PSHUFD xmm0, xmm1, 1Bh reverses the doublewords.
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x70, 0xC1, 0x1B], a, s) == x(0x0000_00A2_0000_00A3, 0x0000_00A0_0000_00A1))
        // PSHUFD xmm0, xmm1, 55h broadcasts doubleword 1.
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0x70, 0xC1, 0x55], a, s) == x(0x0000_00A1_0000_00A1, 0x0000_00A1_0000_00A1))
        // PSHUFLW / PSHUFHW 1Bh reverse the words of one half and copy the other.
        #expect(try SIMDHarness.xmm0([0xF2, 0x0F, 0x70, 0xC1, 0x1B], a, b) == x(0x1110_1312_1514_1716, b.high))
        #expect(try SIMDHarness.xmm0([0xF3, 0x0F, 0x70, 0xC1, 0x1B], a, b) == x(b.low, 0x1918_1B1A_1D1C_1F1E))
    }

    @Test func floatShuffles() throws {
        // SHUFPS xmm0, xmm1, 4Eh: destination dwords 2, 3, then source dwords 0, 1.
        #expect(try SIMDHarness.xmm0([0x0F, 0xC6, 0xC1, 0x4E], a, b) == x(a.high, b.low))
        // SHUFPS 1Bh: destination dwords 3, 2, source dwords 1, 0.
        #expect(try SIMDHarness.xmm0([0x0F, 0xC6, 0xC1, 0x1B], a, b) == x(0x0B0A_0908_0F0E_0D0C, 0x1312_1110_1716_1514))
        // SHUFPD xmm0, xmm1, 1: destination high, source low; 2: destination low, source high.
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0xC6, 0xC1, 0x01], a, b) == x(a.high, b.low))
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0xC6, 0xC1, 0x02], a, b) == x(a.low, b.high))
    }
}
