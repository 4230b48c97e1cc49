import Testing
@testable import Emu

/// The MMX/x87 state rules (SDM vol. 1, 9.5 and 9.6; vol. 3, 12.2 and table 2-2): MMn aliases
/// the x87 significands, MMX instructions set TOP = 0 and all tags valid, writes set the sign and
/// exponent to all ones, EMMS empties the tag word (and sets TOP = 0), #MF before an MMX
/// instruction while an x87 exception is pending; CR0.EM gives #UD, CR0.TS #NM, CR4.OSFXSR does
/// not matter.
@Suite struct MMXStateTests {
    /// PADDB mm0, mm1 with TOP = 5 and all registers empty.
    @Test func instructionSetsTopZeroAndTagsValid() throws {
        let m = SIMDHarness.machine([0x0F, 0xFC, 0xC1], mm: [0: 0x0102_0304_0506_0708, 1: 0x0101_0101_0101_01FF])
        m.cpu.x87.status = 5 << 11
        try m.cpu.step()
        #expect(m.cpu.x87.top == 0)
        #expect(m.cpu.x87.tags == 0)
        #expect(m.cpu.x87.registers[0] == Float80Bits(significand: 0x0203_0405_0607_0807, signExponent: 0xFFFF))
        #expect(m.cpu.x87.registers[1].signExponent == 0)
    }

    @Test func storeToMemoryTransitionsWithoutWritingRegisters() throws {
        // MOVQ [rbx], mm1: TOP and tags change, no register's exponent does.
        let m = SIMDHarness.machine([0x0F, 0x7F, 0x0B], mm: [1: 0x1122_3344_5566_7788])
        m.cpu.x87.status = 3 << 11
        try m.cpu.step()
        #expect(m.memory.read(SIMDHarness.data, size: 8) == 0x1122_3344_5566_7788)
        #expect(m.cpu.x87.top == 0 && m.cpu.x87.tags == 0)
        #expect(m.cpu.x87.registers[1].signExponent == 0)
    }

    /// EMMS empties the tag word and, like every MMX instruction, sets TOP to 0 (vol. 3, 12.2).
    @Test func emmsEmptiesTags() throws {
        let m = SIMDHarness.machine([0x0F, 0x77])
        m.cpu.x87.tags = 0
        m.cpu.x87.status = 2 << 11
        try m.cpu.step()
        #expect(m.cpu.x87.tags == 0xFFFF)
        #expect(m.cpu.x87.top == 0)
    }

    /// A pending unmasked x87 exception (FSW.ES) raises #MF before an MMX instruction with
    /// CR0.NE set; with NE clear there is no FERR#/IRQ 13 path in swemu and the instruction runs,
    /// as at the x87 waiting instructions (Execute/X87/X87Exceptions.swift).
    @Test func pendingX87ExceptionRaisesMF() throws {
        for code: [UInt8] in [[0x0F, 0xFC, 0xC1], [0x0F, 0x77], [0x0F, 0x6F, 0xC1]] {
            let m = SIMDHarness.machine(code)
            m.cpu.cr0 |= CR0.ne.rawValue
            m.cpu.x87.status = 0x80 | 0x01 | 4 << 11
            #expect(throws: Fault.x87) { try m.cpu.step() }
            #expect(m.cpu.x87.top == 4)
            let legacy = SIMDHarness.machine(code)
            legacy.cpu.cr0 &= ~CR0.ne.rawValue
            legacy.cpu.x87.status = 0x80 | 0x01 | 4 << 11
            try legacy.cpu.step()
            #expect(legacy.cpu.x87.top == 0)
        }
    }

    @Test func controlRegisterChecks() throws {
        let em = SIMDHarness.machine([0x0F, 0xFC, 0xC1])
        em.cpu.cr0 |= 0x4
        #expect(throws: Fault.invalidOpcode) { try em.cpu.step() }
        let ts = SIMDHarness.machine([0x0F, 0x77])
        ts.cpu.cr0 |= 0x8
        #expect(throws: Fault.deviceNotAvailable) { try ts.cpu.step() }
        // MMX instructions do not need CR4.OSFXSR.
        let noFXSR = SIMDHarness.machine([0x0F, 0xFC, 0xC1], mm: [0: 1, 1: 2])
        noFXSR.cpu.cr4 = 0
        try noFXSR.cpu.step()
        #expect(noFXSR.cpu.x87.registers[0].significand == 3)
    }

    @Test func rexDoesNotExtendMMXRegisters() throws {
        // REX.RB PADDB: still mm0, mm1.
        #expect(try SIMDHarness.mm0([0x45, 0x0F, 0xFC, 0xC1], 1, 2) == 3)
    }

    @Test func mmxMovesAndMemoryOperands() throws {
        // MOVD mm0, ebx zero-extends; MOVQ mm0, rbx.
        let d = try SIMDHarness.exec([0x0F, 0x6E, 0xC3], mm: [0: ~0], regs: [3: 0xFFFF_FFFF_8000_0001])
        #expect(d.cpu.x87.registers[0].significand == 0x8000_0001)
        let q = try SIMDHarness.exec([0x48, 0x0F, 0x6E, 0xC3], regs: [3: 0xFFFF_FFFF_8000_0001])
        #expect(q.cpu.x87.registers[0].significand == 0xFFFF_FFFF_8000_0001)
        // MOVD eax, mm1 zero-extends into RAX and transitions.
        let e = SIMDHarness.machine([0x0F, 0x7E, 0xC8], mm: [1: 0x1122_3344_5566_7788], regs: [0: ~0])
        e.cpu.x87.status = 1 << 11
        try e.cpu.step()
        #expect(e.cpu.registers[0] == 0x5566_7788)
        #expect(e.cpu.x87.top == 0)
        // PADDW mm0, [rbx] at an odd address: MMX operands need no alignment.
        let u = try SIMDHarness.exec([0x0F, 0xFD, 0x03], mm: [0: 0], regs: [3: SIMDHarness.data + 1], memory: SIMDHarness.counting)
        #expect(u.cpu.x87.registers[0].significand == 0x0908_0706_0504_0302)
        // MOVNTQ [rbx], mm1; PSHUFW mm0, mm1, 1Bh (reverse the words).
        let nt = try SIMDHarness.exec([0x0F, 0xE7, 0x0B], mm: [1: 0xAAAA_BBBB_CCCC_DDDD])
        #expect(nt.memory.read(SIMDHarness.data, size: 8) == 0xAAAA_BBBB_CCCC_DDDD)
        #expect(try SIMDHarness.mm0([0x0F, 0x70, 0xC1, 0x1B], 0, 0xAAAA_BBBB_CCCC_DDDD) == 0xDDDD_CCCC_BBBB_AAAA)
    }

    @Test func mmxXmmTransfers() throws {
        // MOVQ2DQ xmm0, mm1: zero-extended, an MMX instruction for the x87 state.
        let m = SIMDHarness.machine([0xF3, 0x0F, 0xD6, 0xC1], xmm: [0: x(~0, ~0)], mm: [1: 0x1234])
        m.cpu.x87.status = 6 << 11
        try m.cpu.step()
        #expect(m.cpu.xmmRegister(0) == x(0x1234))
        #expect(m.cpu.x87.top == 0 && m.cpu.x87.tags == 0)
        // MOVDQ2Q mm0, xmm1: the low quadword.
        let n = try SIMDHarness.exec([0xF2, 0x0F, 0xD6, 0xC1], xmm: [1: x(0x5678, 0x9999)])
        #expect(n.cpu.x87.registers[0] == Float80Bits(significand: 0x5678, signExponent: 0xFFFF))
        // Both need CR4.OSFXSR, being SSE2 instructions.
        let o = SIMDHarness.machine([0xF3, 0x0F, 0xD6, 0xC1])
        o.cpu.cr4 = 0
        #expect(throws: Fault.invalidOpcode) { try o.cpu.step() }
    }

    @Test func mmxWordInsertExtractAndMasks() throws {
        // PINSRW mm0, ebx, 6: the index is taken mod 4 (word 2).
        let i = try SIMDHarness.exec([0x0F, 0xC4, 0xC3, 0x06], mm: [0: 0], regs: [3: 0xABCD])
        #expect(i.cpu.x87.registers[0].significand == 0x0000_ABCD_0000_0000)
        // PEXTRW eax, mm1, 3; PMOVMSKB eax, mm1.
        let e = try SIMDHarness.exec([0x0F, 0xC5, 0xC1, 0x03], mm: [1: 0x8765_0000_0000_0000])
        #expect(e.cpu.registers[0] == 0x8765)
        let p = try SIMDHarness.exec([0x0F, 0xD7, 0xC1], mm: [1: 0x8765_0000_0000_80FF])
        #expect(p.cpu.registers[0] == 0b1000_0011)
        // MASKMOVQ mm0, mm1: bytes 0 and 2 selected.
        let mm = try SIMDHarness.exec([0x0F, 0xF7, 0xC1], mm: [0: 0x1122_3344_5566_7788, 1: 0x0000_0000_0080_0080],
                                      regs: [7: SIMDHarness.data], memory: [UInt8](repeating: 0, count: 8))
        #expect(mm.memory.read(SIMDHarness.data, size: 8) == 0x0000_0000_0066_0088)
    }
}
