import Testing
@testable import Emu

/// SSE4.1 integer instructions, SSE4.2 PCMPGTQ and PCLMULQDQ (SDM vol. 2 operation sections).
@Suite struct SSE41IntegerTests {
    let a = x(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908)
    let b = x(0x1716_1514_1312_1110, 0x1F1E_1D1C_1B1A_1918)

    func op38(_ op: UInt8, _ d: XMMValue, _ s: XMMValue) throws -> XMMValue {
        try SIMDHarness.xmm0([0x66, 0x0F, 0x38, op, 0xC1], d, s)
    }

    func op3A(_ op: UInt8, _ imm: UInt8, _ d: XMMValue, _ s: XMMValue) throws -> XMMValue {
        try SIMDHarness.xmm0([0x66, 0x0F, 0x3A, op, 0xC1, imm], d, s)
    }

    @Test func variableBlends() throws {
        // xmm1 = blend(xmm1, xmm2) under the sign bits of XMM0.
        func blend(_ op: UInt8, _ mask: XMMValue) throws -> XMMValue {
            try SIMDHarness.exec([0x66, 0x0F, 0x38, op, 0xCA], xmm: [0: mask, 1: a, 2: b]).cpu.xmmRegister(1)
        }
        #expect(try blend(0x10, x(0x8000_0000_0000_00FF)) == x(0x1706_0504_0302_0110, a.high))        // PBLENDVB
        #expect(try blend(0x14, x(0x8000_0000_0000_0000, 0xFFFF_FFFF)) == x(0x1716_1514_0302_0100, 0x0F0E_0D0C_1B1A_1918)) // BLENDVPS
        #expect(try blend(0x15, x(0, 0x8000_0000_0000_0000)) == x(a.low, b.high))                     // BLENDVPD
    }

    @Test func immediateBlends() throws {
        #expect(try op3A(0x0C, 0b0101, a, b) == x(0x0706_0504_1312_1110, 0x0F0E_0D0C_1B1A_1918)) // BLENDPS
        #expect(try op3A(0x0D, 0b10, a, b) == x(a.low, b.high))                                  // BLENDPD
        #expect(try op3A(0x0E, 0x81, a, b) == x(0x0706_0504_0302_1110, 0x1F1E_0D0C_0B0A_0908))   // PBLENDW
    }

    @Test func packedTestFlags() throws {
        func ptest(_ d: XMMValue, _ s: XMMValue) throws -> UInt64 {
            let m = SIMDHarness.machine([0x66, 0x0F, 0x38, 0x17, 0xC1], xmm: [0: d, 1: s])
            m.cpu.rflags = 0x2 | SF | OF | PF | AF
            try m.cpu.step()
            return m.cpu.rflags & (CF | ZF | SF | OF | PF | AF)
        }
        #expect(try ptest(x(0xF0), x(0x0F)) == ZF)
        #expect(try ptest(x(0xF0), x(0x10)) == CF)
        #expect(try ptest(x(0, 1), x(0, 1)) == CF)
        #expect(try ptest(x(0xF0), x(0)) == CF | ZF)
    }

    @Test func moveWithExtension() throws {
        #expect(try op38(0x20, a, x(0x01FF_7F80)) == x(0x0001_FFFF_007F_FF80))                      // PMOVSXBW
        #expect(try op38(0x30, a, x(0x01FF_7F80)) == x(0x0001_00FF_007F_0080))                      // PMOVZXBW
        #expect(try op38(0x21, a, x(0x01FF_7F80)) == x(0x0000_007F_FFFF_FF80, 0x0000_0001_FFFF_FFFF)) // PMOVSXBD
        #expect(try op38(0x33, a, x(0x8000_0001_FFFF_0002)) == x(0x0000_FFFF_0000_0002, 0x0000_8000_0000_0001)) // PMOVZXWD
        #expect(try op38(0x25, a, x(0x7FFF_FFFF_FFFF_FFFE)) == x(0xFFFF_FFFF_FFFF_FFFE, 0x7FFF_FFFF)) // PMOVSXDQ
        #expect(try op38(0x34, a, x(0x8000_0001)) == x(0x0001, 0x8000))                             // PMOVZXWQ
        // PMOVSXBQ xmm0, [rbx+1]: two bytes, unaligned.
        let m = try SIMDHarness.exec([0x66, 0x0F, 0x38, 0x22, 0x43, 0x01], memory: [0xEE, 0x80, 0x01, 0xEE])
        #expect(m.cpu.xmmRegister(0) == x(0xFFFF_FFFF_FFFF_FF80, 1))
    }

    @Test func multipliesMinMaxCompares() throws {
        #expect(try op38(0x28, x(0xAAAA_AAAA_FFFF_FFFE, 0x7FFF_FFFF), x(3, 0x1234_5678_7FFF_FFFF))
                == x(0xFFFF_FFFF_FFFF_FFFA, 0x3FFF_FFFF_0000_0001))                                 // PMULDQ
        #expect(try op38(0x40, x(0x0000_0003_0001_0000), x(0xFFFF_FFFF_0001_0001)) == x(0xFFFF_FFFD_0001_0000)) // PMULLD
        #expect(try op38(0x38, x(0x7F80), x(0x807F)) == x(0x8080))                                  // PMINSB
        #expect(try op38(0x3C, x(0x7F80), x(0x807F)) == x(0x7F7F))                                  // PMAXSB
        #expect(try op38(0x3A, x(0x8000_0001), x(0x0001_8000)) == x(0x0001_0001))                   // PMINUW
        #expect(try op38(0x3E, x(0x8000_0001), x(0x0001_8000)) == x(0x8000_8000))                   // PMAXUW
        let p = x(0x0000_0001_8000_0000), q = x(0x8000_0000_0000_0001)
        #expect(try op38(0x39, p, q) == x(0x8000_0000_8000_0000))                                   // PMINSD
        #expect(try op38(0x3D, p, q) == x(0x0000_0001_0000_0001))                                   // PMAXSD
        #expect(try op38(0x3B, p, q) == x(0x0000_0001_0000_0001))                                   // PMINUD
        #expect(try op38(0x3F, p, q) == x(0x8000_0000_8000_0000))                                   // PMAXUD
        #expect(try op38(0x29, x(5, 6), x(5, 7)) == x(~0, 0))                                       // PCMPEQQ
        #expect(try op38(0x37, x(1, 0x8000_0000_0000_0000), x(0x8000_0000_0000_0000, 1)) == x(~0, 0)) // PCMPGTQ
    }

    @Test func packMinimumAndNonTemporalLoad() throws {
        // PACKUSDW: 65536 -> FFFFh, -1 -> 0, 8000_0000h -> 0, 7FFF_FFFFh -> FFFFh.
        #expect(try op38(0x2B, x(0xFFFF_FFFF_0001_0000, 0x0000_8000_0000_1234), x(0x7FFF_FFFF_8000_0000, 0x0000_0001_0000_0000))
                == x(0x8000_1234_0000_FFFF, 0x0001_0000_FFFF_0000))
        // PHMINPOSUW: words 5 3 9 3 7 8 FFFF 4 -> minimum 3 at index 1.
        #expect(try op38(0x41, a, x(0x0003_0009_0003_0005, 0x0004_FFFF_0008_0007)) == x(0x0001_0003))
        // MOVNTDQA xmm0, [rbx]: aligned only.
        let m = try SIMDHarness.exec([0x66, 0x0F, 0x38, 0x2A, 0x03], memory: SIMDHarness.counting)
        #expect(m.cpu.xmmRegister(0) == x(0x0807_0605_0403_0201, 0x100F_0E0D_0C0B_0A09))
        #expect(throws: Fault.generalProtection(0)) {
            try SIMDHarness.exec([0x66, 0x0F, 0x38, 0x2A, 0x03], regs: [3: SIMDHarness.data + 1])
        }
    }

    @Test func extracts() throws {
        func run(_ code: [UInt8]) throws -> FlatMachine {
            try SIMDHarness.exec(code, xmm: [1: b], regs: [0: ~0], memory: [UInt8](repeating: 0xEE, count: 8))
        }
        let pb = try run([0x66, 0x0F, 0x3A, 0x14, 0xC8, 17])          // PEXTRB eax, xmm1, 17 (mod 16)
        #expect(pb.cpu.registers[0] == 0x11)
        let pw = try run([0x66, 0x0F, 0x3A, 0x15, 0x0B, 5])           // PEXTRW [rbx], xmm1, 5
        #expect(pw.memory.read(SIMDHarness.data, size: 8) == 0xEEEE_EEEE_EEEE_1B1A)
        let pd = try run([0x66, 0x0F, 0x3A, 0x16, 0xC8, 3])           // PEXTRD eax, xmm1, 3
        #expect(pd.cpu.registers[0] == 0x1F1E_1D1C)
        let pq = try run([0x66, 0x48, 0x0F, 0x3A, 0x16, 0xC8, 1])     // PEXTRQ rax, xmm1, 1
        #expect(pq.cpu.registers[0] == b.high)
        let ps = try run([0x66, 0x0F, 0x3A, 0x17, 0xC8, 2])           // EXTRACTPS eax, xmm1, 2
        #expect(ps.cpu.registers[0] == 0x1B1A_1918)
    }

    @Test func inserts() throws {
        let rax: [Int: UInt64] = [0: 0x1234_56AB, 3: 0x0123_4567_DEAD_BEEF]
        let pb = try SIMDHarness.exec([0x66, 0x0F, 0x3A, 0x20, 0xC0, 9], xmm: [0: a], regs: rax)   // PINSRB xmm0, eax, 9
        #expect(pb.cpu.xmmRegister(0) == x(a.low, 0x0F0E_0D0C_0B0A_AB08))
        let pd = try SIMDHarness.exec([0x66, 0x0F, 0x3A, 0x22, 0xC3, 2], xmm: [0: a], regs: rax)   // PINSRD xmm0, ebx, 2
        #expect(pd.cpu.xmmRegister(0) == x(a.low, 0x0F0E_0D0C_DEAD_BEEF))
        let pq = try SIMDHarness.exec([0x66, 0x48, 0x0F, 0x3A, 0x22, 0xC3, 1], xmm: [0: a], regs: rax) // PINSRQ xmm0, rbx, 1
        #expect(pq.cpu.xmmRegister(0) == x(a.low, 0x0123_4567_DEAD_BEEF))
        // INSERTPS xmm0, xmm1, C4h: source dword 3 into dword 0, then dword 2 zeroed.
        #expect(try op3A(0x21, 0xC4, a, b) == x(0x0706_0504_1F1E_1D1C, 0x0F0E_0D0C_0000_0000))
        // INSERTPS xmm0, [rbx], 30h: m32 into dword 3.
        let m = try SIMDHarness.exec([0x66, 0x0F, 0x3A, 0x21, 0x03, 0x30], xmm: [0: a], memory: SIMDHarness.counting)
        #expect(m.cpu.xmmRegister(0) == x(a.low, 0x0403_0201_0B0A_0908))
    }

    @Test func multipleSumsOfAbsoluteDifferences() throws {
        // Offsets 0/0: word j = 4 * (16 - j); destination offset 4, source offset 8: 4 * (20 - j).
        #expect(try op3A(0x42, 0, a, b) == x(0x0034_0038_003C_0040, 0x0024_0028_002C_0030))
        #expect(try op3A(0x42, 0b110, a, b) == x(0x0044_0048_004C_0050, 0x0034_0038_003C_0040))
    }

    @Test func carrylessMultiply() throws {
        #expect(try op3A(0x44, 0x00, x(3), x(3)) == x(5))                                   // 11b x 11b = 101b
        #expect(try op3A(0x44, 0x11, x(0, 0x8000_0000_0000_0000), x(0, 2)) == x(0, 1))      // high x high
        #expect(try op3A(0x44, 0x01, x(0, 0xFFFF_FFFF_FFFF_FFFF), x(0xFFFF_FFFF_FFFF_FFFF)) == x(0x5555_5555_5555_5555, 0x5555_5555_5555_5555))
    }
}
