import Testing
@testable import Emu

/// The SSE/SSE2/SSE3 data moves, with expected values from the SDM vol. 2 operation sections.
/// XMM0/XMM1 are the operands; RBX points at 01h, 02h, ... 10h.
@Suite struct SSEMovesTests {
    let a = x(0x1111_1111_2222_2222, 0x3333_3333_4444_4444)
    let b = x(0xAAAA_AAAA_BBBB_BBBB, 0xCCCC_CCCC_DDDD_DDDD)

    @Test func scalarRegisterFormsMerge() throws {
        // MOVSS xmm0, xmm1: bits 31:0 only.
        #expect(try SIMDHarness.xmm0([0xF3, 0x0F, 0x10, 0xC1], a, b) == x(0x1111_1111_BBBB_BBBB, 0x3333_3333_4444_4444))
        // MOVSD xmm0, xmm1: bits 63:0 only.
        #expect(try SIMDHarness.xmm0([0xF2, 0x0F, 0x10, 0xC1], a, b) == x(0xAAAA_AAAA_BBBB_BBBB, 0x3333_3333_4444_4444))
        // MOVSS xmm1, xmm0 (store form, 0F 11 /r with xmm0 as source, xmm1 as r/m).
        let m = try SIMDHarness.exec([0xF3, 0x0F, 0x11, 0xC1], xmm: [0: a, 1: b])
        #expect(m.cpu.xmmRegister(1) == x(0xAAAA_AAAA_2222_2222, 0xCCCC_CCCC_DDDD_DDDD))
    }

    @Test func scalarLoadsZeroTheRest() throws {
        let ss = try SIMDHarness.exec([0xF3, 0x0F, 0x10, 0x03], xmm: [0: a], memory: SIMDHarness.counting)
        #expect(ss.cpu.xmmRegister(0) == x(0x0403_0201))
        let sd = try SIMDHarness.exec([0xF2, 0x0F, 0x10, 0x03], xmm: [0: a], memory: SIMDHarness.counting)
        #expect(sd.cpu.xmmRegister(0) == x(0x0807_0605_0403_0201))
    }

    @Test func scalarStoresWriteOnlyTheScalar() throws {
        let fill = [UInt8](repeating: 0xEE, count: 16)
        let ss = try SIMDHarness.exec([0xF3, 0x0F, 0x11, 0x0B], xmm: [1: b], memory: fill)
        #expect(ss.memory.read(SIMDHarness.data, size: 8) == 0xEEEE_EEEE_BBBB_BBBB)
        let sd = try SIMDHarness.exec([0xF2, 0x0F, 0x11, 0x0B], xmm: [1: b], memory: fill)
        #expect(sd.memory.read(SIMDHarness.data, size: 8) == 0xAAAA_AAAA_BBBB_BBBB)
        #expect(sd.memory.read(SIMDHarness.data + 8, size: 8) == 0xEEEE_EEEE_EEEE_EEEE)
    }

    @Test func alignedFormsRequire16ByteAlignment() throws {
        let misaligned: [Int: UInt64] = [3: SIMDHarness.data + 8]
        for code: [UInt8] in [[0x0F, 0x28, 0x03], [0x66, 0x0F, 0x28, 0x03], [0x66, 0x0F, 0x6F, 0x03],
                              [0x0F, 0x29, 0x03], [0x66, 0x0F, 0x7F, 0x03], [0x66, 0x0F, 0xE7, 0x03],
                              [0x0F, 0x2B, 0x03]] {
            #expect(throws: Fault.generalProtection(0)) { try SIMDHarness.exec(code, regs: misaligned) }
        }
        // MOVUPS, MOVDQU and LDDQU do not care.
        for code: [UInt8] in [[0x0F, 0x10, 0x03], [0xF3, 0x0F, 0x6F, 0x03], [0xF2, 0x0F, 0xF0, 0x03]] {
            let m = try SIMDHarness.exec(code, regs: [3: SIMDHarness.data + 1], memory: SIMDHarness.counting + [0x11])
            #expect(m.cpu.xmmRegister(0) == x(0x0908_0706_0504_0302, 0x1110_0F0E_0D0C_0B0A))
        }
        let aligned = try SIMDHarness.exec([0x66, 0x0F, 0x6F, 0x03], memory: SIMDHarness.counting)
        #expect(aligned.cpu.xmmRegister(0) == x(0x0807_0605_0403_0201, 0x100F_0E0D_0C0B_0A09))
    }

    @Test func halfMoves() throws {
        // MOVHLPS xmm0, xmm1 / MOVLHPS xmm0, xmm1.
        #expect(try SIMDHarness.xmm0([0x0F, 0x12, 0xC1], a, b) == x(b.high, a.high))
        #expect(try SIMDHarness.xmm0([0x0F, 0x16, 0xC1], a, b) == x(a.low, b.low))
        // MOVLPS xmm0, [rbx] and MOVHPD xmm0, [rbx].
        let lps = try SIMDHarness.exec([0x0F, 0x12, 0x03], xmm: [0: a], memory: SIMDHarness.counting)
        #expect(lps.cpu.xmmRegister(0) == x(0x0807_0605_0403_0201, a.high))
        let hpd = try SIMDHarness.exec([0x66, 0x0F, 0x16, 0x03], xmm: [0: a], memory: SIMDHarness.counting)
        #expect(hpd.cpu.xmmRegister(0) == x(a.low, 0x0807_0605_0403_0201))
        // MOVHPS [rbx], xmm0 and MOVLPD [rbx+8], xmm0.
        let hps = try SIMDHarness.exec([0x0F, 0x17, 0x03], xmm: [0: a])
        #expect(hps.memory.read(SIMDHarness.data, size: 8) == a.high)
        let lpd = try SIMDHarness.exec([0x66, 0x0F, 0x13, 0x43, 0x08], xmm: [0: a])
        #expect(lpd.memory.read(SIMDHarness.data + 8, size: 8) == a.low)
    }

    @Test func duplicatingMoves() throws {
        let s = x(0x0000_00A1_0000_00A0, 0x0000_00A3_0000_00A2)
        // MOVSLDUP: dwords 0, 0, 2, 2; MOVSHDUP: 1, 1, 3, 3; MOVDDUP: quadword 0 twice.
        #expect(try SIMDHarness.xmm0([0xF3, 0x0F, 0x12, 0xC1], a, s) == x(0x0000_00A0_0000_00A0, 0x0000_00A2_0000_00A2))
        #expect(try SIMDHarness.xmm0([0xF3, 0x0F, 0x16, 0xC1], a, s) == x(0x0000_00A1_0000_00A1, 0x0000_00A3_0000_00A3))
        #expect(try SIMDHarness.xmm0([0xF2, 0x0F, 0x12, 0xC1], a, s) == x(s.low, s.low))
        // MOVDDUP reads only m64, unaligned.
        let m = try SIMDHarness.exec([0xF2, 0x0F, 0x12, 0x03], regs: [3: SIMDHarness.data + 4], memory: SIMDHarness.counting)
        #expect(m.cpu.xmmRegister(0) == x(0x0C0B_0A09_0807_0605, 0x0C0B_0A09_0807_0605))
    }

    @Test func movdMovq() throws {
        let rbx: [Int: UInt64] = [3: 0xFFFF_FFFF_8000_0001]
        // MOVD xmm0, ebx zero-extends to 128 bits; MOVQ xmm0, rbx (REX.W).
        #expect(try SIMDHarness.exec([0x66, 0x0F, 0x6E, 0xC3], xmm: [0: a], regs: rbx).cpu.xmmRegister(0) == x(0x8000_0001))
        #expect(try SIMDHarness.exec([0x66, 0x48, 0x0F, 0x6E, 0xC3], xmm: [0: a], regs: rbx).cpu.xmmRegister(0) == x(0xFFFF_FFFF_8000_0001))
        // MOVD ebx, xmm0 zero-extends into RBX; MOVQ rbx, xmm0.
        let d = try SIMDHarness.exec([0x66, 0x0F, 0x7E, 0xC3], xmm: [0: b], regs: rbx)
        #expect(d.cpu.registers[3] == 0xBBBB_BBBB)
        let q = try SIMDHarness.exec([0x66, 0x48, 0x0F, 0x7E, 0xC3], xmm: [0: b], regs: rbx)
        #expect(q.cpu.registers[3] == b.low)
        // MOVQ xmm0, xmm1 (F3 0F 7E) and MOVQ xmm0, xmm1 (66 0F D6, r/m is the destination).
        #expect(try SIMDHarness.xmm0([0xF3, 0x0F, 0x7E, 0xC1], a, b) == x(b.low))
        #expect(try SIMDHarness.xmm0([0x66, 0x0F, 0xD6, 0xC8], a, b) == x(b.low))
        // MOVQ [rbx], xmm1 writes 8 bytes.
        let st = try SIMDHarness.exec([0x66, 0x0F, 0xD6, 0x0B], xmm: [1: b], memory: [UInt8](repeating: 0xEE, count: 16))
        #expect(st.memory.read(SIMDHarness.data, size: 8) == b.low)
        #expect(st.memory.read(SIMDHarness.data + 8, size: 8) == 0xEEEE_EEEE_EEEE_EEEE)
    }

    @Test func signMasks() throws {
        let s = x(0x8000_0000_0000_0001, 0xFFFF_FFFF_7FFF_FFFF)
        let regs: [Int: UInt64] = [0: 0xFFFF_FFFF_FFFF_FFFF]
        // MOVMSKPS eax, xmm1: dword sign bits 0, 1, 0, 1.
        let ps = try SIMDHarness.exec([0x0F, 0x50, 0xC1], xmm: [1: s], regs: regs)
        #expect(ps.cpu.registers[0] == 0b1010)
        // MOVMSKPD eax, xmm1: quadword sign bits 1, 1.
        let pd = try SIMDHarness.exec([0x66, 0x0F, 0x50, 0xC1], xmm: [1: s], regs: regs)
        #expect(pd.cpu.registers[0] == 0b11)
        // PMOVMSKB eax, xmm1: bytes 0, 7 and 14 have bit 7 set.
        let pb = try SIMDHarness.exec([0x66, 0x0F, 0xD7, 0xC1], xmm: [1: x(0x8000_0000_0000_0080, 0x00FF_0000_0000_0000)], regs: regs)
        #expect(pb.cpu.registers[0] == 0x4081)
    }

    @Test func maskedStoreWritesOnlySelectedBytes() throws {
        // MASKMOVDQU xmm0, xmm1 at DS:RDI: mask bytes 1, 7 and 8 have bit 7 set.
        let data = x(0x1122_3344_5566_7788, 0x99AA_BBCC_DDEE_FF00)
        let mask = x(0x807F_0000_7F00_8000, 0x0000_0000_0000_0080)
        let m = try SIMDHarness.exec([0x66, 0x0F, 0xF7, 0xC1], xmm: [0: data, 1: mask], regs: [7: SIMDHarness.data],
                                     memory: [UInt8](repeating: 0xEE, count: 16))
        #expect(m.memory.read(SIMDHarness.data, size: 8) == 0x11EE_EEEE_EEEE_77EE)
        #expect(m.memory.read(SIMDHarness.data + 8, size: 8) == 0xEEEE_EEEE_EEEE_EE00)
        // An all-zero mask touches nothing, not even an address outside the segment.
        let none = try SIMDHarness.exec([0x66, 0x0F, 0xF7, 0xC1], xmm: [0: data], regs: [7: 0x8000_0000_0000_0000])
        #expect(none.cpu.rip == InstructionHarness.codeAddress + 4)
    }

    @Test func wordInsertExtract() throws {
        // PINSRW xmm0, ebx, 5: word 5 is bits 95:80.
        let ins = try SIMDHarness.exec([0x66, 0x0F, 0xC4, 0xC3, 0x05], xmm: [0: a], regs: [3: 0x1234_5678_9ABC])
        #expect(ins.cpu.xmmRegister(0) == x(a.low, 0x3333_3333_9ABC_4444))
        // PINSRW xmm0, [rbx], 0 reads a word.
        let mem = try SIMDHarness.exec([0x66, 0x0F, 0xC4, 0x03, 0x00], xmm: [0: a], memory: SIMDHarness.counting)
        #expect(mem.cpu.xmmRegister(0) == x(0x1111_1111_2222_0201, a.high))
        // PEXTRW eax, xmm1, 6: word 6 is bits 111:96, zero-extended.
        let ext = try SIMDHarness.exec([0x66, 0x0F, 0xC5, 0xC1, 0x06], xmm: [1: b], regs: [0: ~0])
        #expect(ext.cpu.registers[0] == 0xCCCC)
    }

    @Test func availability() throws {
        // CR4.OSFXSR clear: #UD; CR0.TS set: #NM; CR0.EM set: #UD.
        let noFXSR = SIMDHarness.machine([0x66, 0x0F, 0xFC, 0xC1])
        noFXSR.cpu.cr4 = 0
        #expect(throws: Fault.invalidOpcode) { try noFXSR.cpu.step() }
        let ts = SIMDHarness.machine([0x0F, 0x28, 0xC1])
        ts.cpu.cr0 |= 0x8
        #expect(throws: Fault.deviceNotAvailable) { try ts.cpu.step() }
        let em = SIMDHarness.machine([0x0F, 0x28, 0xC1])
        em.cpu.cr0 |= 0x4
        #expect(throws: Fault.invalidOpcode) { try em.cpu.step() }
    }
}
