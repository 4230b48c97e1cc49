import Testing
@testable import Emu

/// PSLL/PSRL/PSRA by register, memory and immediate, and PSLLDQ/PSRLDQ (SDM vol. 2): counts
/// above the element width clear logical shifts and fill arithmetic ones with the sign bit.
@Suite struct SSEPackedShiftsTests {
    // Words 1234 8001 FFFF 0080.
    let w: UInt64 = 0x0080_FFFF_8001_1234

    /// `66 0F 7x /reg ib` on XMM0 and `0F 7x /reg ib` on MM0.
    func immediate(_ group: UInt8, _ reg: UInt8, _ count: UInt8, _ v: UInt64) throws -> (XMMValue, UInt64) {
        let modrm = 0xC0 | reg << 3
        let xr = try SIMDHarness.exec([0x66, 0x0F, group, modrm, count], xmm: [0: x(v, v)]).cpu.xmmRegister(0)
        let mr = try SIMDHarness.mm0([0x0F, group, modrm, count], v, 0)
        return (xr, mr)
    }

    func expectBoth(_ r: (XMMValue, UInt64), _ expected: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.0 == x(expected, expected), sourceLocation: sourceLocation)
        #expect(r.1 == expected, sourceLocation: sourceLocation)
    }

    @Test func wordShiftsByImmediate() throws {
        expectBoth(try immediate(0x71, 6, 4, w), 0x0800_FFF0_0010_2340)   // PSLLW 4
        expectBoth(try immediate(0x71, 2, 4, w), 0x0008_0FFF_0800_0123)   // PSRLW 4
        expectBoth(try immediate(0x71, 4, 4, w), 0x0008_FFFF_F800_0123)   // PSRAW 4
        expectBoth(try immediate(0x71, 6, 16, w), 0)                      // PSLLW 16
        expectBoth(try immediate(0x71, 4, 200, w), 0x0000_FFFF_FFFF_0000) // PSRAW 200: signs
    }

    @Test func doublewordAndQuadwordShiftsByImmediate() throws {
        let d: UInt64 = 0x8000_0001_1234_5678
        expectBoth(try immediate(0x72, 6, 8, d), 0x0000_0100_3456_7800)   // PSLLD 8
        expectBoth(try immediate(0x72, 2, 8, d), 0x0080_0000_0012_3456)   // PSRLD 8
        expectBoth(try immediate(0x72, 4, 8, d), 0xFF80_0000_0012_3456)   // PSRAD 8
        expectBoth(try immediate(0x72, 4, 32, d), 0xFFFF_FFFF_0000_0000) // PSRAD 32
        expectBoth(try immediate(0x73, 6, 4, d), 0x0000_0011_2345_6780)   // PSLLQ 4
        expectBoth(try immediate(0x73, 2, 63, d), 1)                      // PSRLQ 63
        expectBoth(try immediate(0x73, 2, 64, d), 0)                      // PSRLQ 64
    }

    @Test func shiftsByRegisterUseTheLowQuadword() throws {
        // PSRLW xmm0, xmm1 with count 4 (bits 127:64 of the count are ignored).
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0xD1, 0xC1], x(w, w), x(4, 0xFFFF)) == x(0x0008_0FFF_0800_0123, 0x0008_0FFF_0800_0123))
        // A count of 2^32 + 1 is above 15: PSLLW clears, PSRAW fills with signs.
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0xF1, 0xC1], x(w, w), x(0x1_0000_0001)) == x(0, 0))
        #expect(try SIMDHarness.mm0([0x0F, 0xE1, 0xC1], w, 0x1_0000_0001) == 0x0000_FFFF_FFFF_0000)
        // PSRAD mm0, mm1 by 1; PSLLQ xmm0, [rbx] with count 8 from memory (aligned m128).
        #expect(try SIMDHarness.mm0([0x0F, 0xE2, 0xC1], 0x8000_0000_0000_0002, 1) == 0xC000_0000_0000_0001)
        var count = [UInt8](repeating: 0, count: 16)
        count[0] = 8
        let m = try SIMDHarness.exec([0x66, 0x0F, 0xF3, 0x03], xmm: [0: x(0x0102, 0x8000_0000_0000_0003)], memory: count)
        #expect(m.cpu.xmmRegister(0) == x(0x01_0200, 0x0300))
        // PSRLD xmm0, [rbx] misaligned: #GP(0).
        #expect(throws: Fault.generalProtection(0)) {
            try SIMDHarness.exec([0x66, 0x0F, 0xD2, 0x03], regs: [3: SIMDHarness.data + 8])
        }
    }

    @Test func byteShiftsOfTheWholeRegister() throws {
        let v = x(0x0807_0605_0403_0201, 0x100F_0E0D_0C0B_0A09)
        func run(_ modrm: UInt8, _ n: UInt8) throws -> XMMValue {
            try SIMDHarness.exec([0x66, 0x0F, 0x73, modrm, n], xmm: [2: v]).cpu.xmmRegister(2)
        }
        // PSRLDQ xmm2 (/3): bytes move down; PSLLDQ xmm2 (/7): bytes move up.
        #expect(try run(0xDA, 3) == x(0x0B0A_0908_0706_0504, 0x0000_0010_0F0E_0D0C))
        #expect(try run(0xDA, 8) == x(0x100F_0E0D_0C0B_0A09, 0))
        #expect(try run(0xDA, 16) == x(0, 0))
        #expect(try run(0xFA, 9) == x(0, 0x0706_0504_0302_0100))
        #expect(try run(0xFA, 1) == x(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908))
        #expect(try run(0xFA, 0) == v)
    }
}
