import Testing
@testable import Emu

/// SSSE3 (SDM vol. 2): PSHUFB, PHADD/PHSUB, PMADDUBSW, PSIGN, PMULHRSW, PABS, PALIGNR.
@Suite struct SupplementalSSE3Tests {
    let a = x(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908)
    let b = x(0x1716_1514_1312_1110, 0x1F1E_1D1C_1B1A_1918)

    func xmm(_ op: UInt8, _ d: XMMValue, _ s: XMMValue) throws -> XMMValue {
        try SIMDHarness.xmm0([0x66, 0x0F, 0x38, op, 0xC1], d, s)
    }

    @Test func shuffleBytes() throws {
        // Selectors 0F, 80 (zero), 00, 11 (index 1), 05, FF (zero), 0A, 03.
        let sel: UInt64 = 0x030A_FF05_1100_800F
        #expect(try xmm(0x00, a, x(sel)) == x(0x030A_0005_0100_000F, 0))
        // The MMX form uses the low 3 bits of the index.
        #expect(try SIMDHarness.mm0([0x0F, 0x38, 0x00, 0xC1], a.low, sel) == 0x0302_0005_0100_0007)
    }

    @Test func horizontalAddSubtract() throws {
        let d = x(0x0004_0003_0002_0001, 0x0008_0007_0006_0005), s = x(0xFFFF_0001_7FFF_0001)
        #expect(try xmm(0x01, d, s) == x(0x000F_000B_0007_0003, 0x8000))             // PHADDW
        #expect(try xmm(0x03, d, s) == x(0x000F_000B_0007_0003, 0x7FFF))             // PHADDSW
        #expect(try xmm(0x05, d, s) == x(0xFFFF_FFFF_FFFF_FFFF, 0x0002_8002))        // PHSUBW
        #expect(try xmm(0x07, d, x(0x0001_8000)) == x(0xFFFF_FFFF_FFFF_FFFF, 0x8000)) // PHSUBSW: -32768 - 1
        let dd = x(0x0000_0002_0000_0001, 0x0000_0004_0000_0003), sd = x(0xFFFF_FFFF_0000_0001)
        #expect(try xmm(0x02, dd, sd) == x(0x0000_0007_0000_0003, 0))                // PHADDD
        #expect(try xmm(0x06, dd, sd) == x(0xFFFF_FFFF_FFFF_FFFF, 2))                // PHSUBD
        #expect(try SIMDHarness.mm0([0x0F, 0x38, 0x01, 0xC1], d.low, d.high) == 0x000F_000B_0007_0003)
    }

    @Test func multiplies() throws {
        // PMADDUBSW: 255*127 + 255*127 saturates to 7FFFh; 1*-128 + 2*1 = -126.
        #expect(try xmm(0x04, x(0x0201_FFFF), x(0x0180_7F7F)) == x(0xFF82_7FFF))
        // PMULHRSW: 4000h*4000h -> 2000h; 8000h*8000h -> 8000h; -1*1 -> 0.
        #expect(try xmm(0x0B, x(0xFFFF_8000_4000), x(0x0001_8000_4000)) == x(0x0000_8000_2000))
    }

    @Test func signAndAbsolute() throws {
        #expect(try xmm(0x08, x(0x8005_0505), x(0xFF01_00FF)) == x(0x8005_00FB))                 // PSIGNB
        #expect(try xmm(0x09, x(0x0005_0005_0005), x(0x0001_0000_8000)) == x(0x0005_0000_FFFB))   // PSIGNW
        #expect(try xmm(0x0A, x(0x0000_0007_0000_0007), x(0x0000_0000_FFFF_FFFF)) == x(0xFFFF_FFF9)) // PSIGND
        #expect(try xmm(0x1C, a, x(0x007F_FF80)) == x(0x007F_0180))                               // PABSB
        #expect(try xmm(0x1D, a, x(0x0005_FFFE_8000)) == x(0x0005_0002_8000))                     // PABSW
        #expect(try xmm(0x1E, a, x(0x8000_0000_FFFF_FFFF)) == x(0x8000_0000_0000_0001))           // PABSD
        #expect(try SIMDHarness.mm0([0x0F, 0x38, 0x1C, 0xC1], 0, 0xFF) == 1)
    }

    @Test func alignRight() throws {
        func palignr(_ n: UInt8) throws -> XMMValue { try SIMDHarness.xmm0([0x66, 0x0F, 0x3A, 0x0F, 0xC1, n], a, b) }
        #expect(try palignr(5) == x(0x1C1B_1A19_1817_1615, 0x0403_0201_001F_1E1D))
        #expect(try palignr(16) == a)
        #expect(try palignr(20) == x(0x0B0A_0908_0706_0504, 0x0000_0000_0F0E_0D0C))
        #expect(try palignr(32) == x(0, 0))
        #expect(try SIMDHarness.mm0([0x0F, 0x3A, 0x0F, 0xC1, 0x03], a.low, b.low) == 0x0201_0017_1615_1413)
    }
}
