import Testing
@testable import Emu

/// FXSAVE/FXRSTOR and LDMXCSR/STMXCSR against the FXSAVE-area layout of SDM vol. 1, table 10-2
/// (vol. 2, FXSAVE tables 3-43, 3-46, 3-47) and the exception tables of the instruction pages.
@Suite struct FXSaveTests {
    /// TOP = 6; R6 = 1.0 (valid), R7 = +0.0 (zero), R0-R5 empty; FOP, FIP/FCS, FDP/FDS set.
    static func loadX87(_ cpu: CPU) {
        var s = X87State()
        s.control = 0x027F
        s.status = 6 << 11 | 0x21
        s.tags = 0b01_00 << 12 | 0x0FFF
        s.registers[6] = Float80Bits(significand: 1 << 63, signExponent: 0x3FFF)
        s.lastOpcode = 0x1DD
        s.lastInstructionPointer = 0x1_1234_5678
        s.lastInstructionSelector = 0x1B
        s.lastDataPointer = 0x2_9ABC_DEF0
        s.lastDataSelector = 0x23
        cpu.x87 = s
        cpu.mxcsr = 0x1FA1
        for k in 0..<32 { cpu.xmm[k] = 0x1111_0000_0000_0000 &* UInt64(k + 1) | UInt64(k) }
    }

    @Test func legacyLayoutOutside64BitMode() {
        let m = stateMachine(.protected32)
        Self.loadX87(m.cpu)
        m.fillArea(0xAA)
        #expect(m.fault(StateOp.fxsave) == nil)
        #expect(m.area(0, 2) == 0x027F && m.area(2, 2) == 0x3021)
        #expect(m.area(4, 1) == 0xC0 && m.area(5, 1) == 0)              // abridged FTW: R6, R7 not empty
        #expect(m.area(6, 2) == 0x1DD)
        #expect(m.area(8, 4) == 0x1234_5678 && m.area(12, 2) == 0x1B && m.area(14, 2) == 0)
        #expect(m.area(16, 4) == 0x9ABC_DEF0 && m.area(20, 2) == 0x23 && m.area(22, 2) == 0)
        #expect(m.area(24, 4) == 0x1FA1 && m.area(28, 4) == 0xFFFF)    // MXCSR, MXCSR_MASK (DAZ)
        // ST0 = R6 (1.0), ST1 = R7 (+0.0): 10 bytes each, the 6 bytes above written as 0.
        #expect(m.area(32, 8) == 1 << 63 && m.area(40, 8) == 0x3FFF)
        #expect(m.area(48, 8) == 0 && m.area(56, 8) == 0)
        #expect(m.area(160, 8) == m.cpu.xmm[0] && m.area(168, 8) == m.cpu.xmm[1])
        #expect(m.area(272, 8) == m.cpu.xmm[14] && m.area(280, 8) == m.cpu.xmm[15])
        // XMM8-XMM15 and bytes 511:416 are not written outside 64-bit mode.
        #expect(m.area(288, 8) == 0xAAAA_AAAA_AAAA_AAAA && m.area(504, 8) == 0xAAAA_AAAA_AAAA_AAAA)
    }

    @Test func rexWSavesFullPointersAndXMM8To15() {
        let m = stateMachine(.long64)
        Self.loadX87(m.cpu)
        m.fillArea(0xAA)
        #expect(m.fault(StateOp.fxsave64) == nil)
        #expect(m.area(8, 8) == 0x1_1234_5678 && m.area(16, 8) == 0x2_9ABC_DEF0)
        #expect(m.area(400, 8) == m.cpu.xmm[30] && m.area(408, 8) == m.cpu.xmm[31])
        #expect(m.area(416, 8) == 0xAAAA_AAAA_AAAA_AAAA)
        // Without REX.W, 64-bit mode uses the 32-bit pointer format with the selectors.
        #expect(m.fault(StateOp.fxsave) == nil)
        #expect(m.area(8, 8) == 0x1B_1234_5678 && m.area(16, 8) == 0x23_9ABC_DEF0)
    }

    @Test func restoreRecomputesTheTags() {
        let m = stateMachine(.long64)
        m.fillArea(0)
        m.setArea(0, 2, 0x037F)
        m.setArea(2, 2, 3 << 11)                                         // TOP = 3
        m.setArea(4, 1, 0xFE)                                            // R0 empty, the rest not
        m.setArea(6, 2, 0xFFFF)                                          // FOP keeps 11 bits
        m.setArea(24, 4, 0x9FC0)                                         // FTZ, DAZ, masks
        // ST(i) is R((3 + i) mod 8): ST0 = R3 ... ST4 = R7, ST5 = R0, ST6 = R1, ST7 = R2.
        let values: [(UInt64, UInt64)] = [
            (1 << 63, 0x3FFF),         // ST0 = R3: 1.0, valid
            (0, 0x8000),               // ST1 = R4: -0.0, zero
            (1, 0),                    // ST2 = R5: denormal, special
            (1 << 63, 0x7FFF),         // ST3 = R6: infinity, special
            (1 << 62, 0x4000),         // ST4 = R7: unnormal, special
            (1 << 63, 0x3FFF),         // ST5 = R0: tagged empty by the abridged word
            (0xC000_0000_0000_0000, 0x7FFF),   // ST6 = R1: NaN, special
            (0x8000_0000_0000_0001, 0x0001),   // ST7 = R2: normal, valid
        ]
        for (i, v) in values.enumerated() {
            m.setArea(32 + 16 * i, 8, v.0)
            m.setArea(40 + 16 * i, 2, v.1)
        }
        m.setArea(400, 8, 0x5555)
        #expect(m.fault(StateOp.fxrstor) == nil)
        let s = m.cpu.x87
        // Tags R7..R0: 10 10 10 01 00 00 10 11.
        #expect(s.tags == 0b10_10_10_01_00_00_10_11)
        #expect(s.registers[3] == Float80Bits(significand: 1 << 63, signExponent: 0x3FFF))
        #expect(s.registers[0] == Float80Bits(significand: 1 << 63, signExponent: 0x3FFF))
        #expect(s.lastOpcode == 0x7FF && s.top == 3 && m.cpu.mxcsr == 0x9FC0)
        #expect(m.cpu.xmm[30] == 0x5555)
        // FXSAVE gives back the abridged word.
        #expect(m.fault(StateOp.fxsave) == nil)
        #expect(m.area(4, 1) == 0xFE)
    }

    @Test func restoreChecksMXCSRBeforeLoadingAnything() {
        let m = stateMachine(.long64)
        m.fillArea(0)
        m.setArea(24, 4, 0x1_1F80)                                       // bit 16 reserved
        m.setArea(0, 2, 0x0123)
        let before = m.cpu.x87.control
        #expect(m.fault(StateOp.fxrstor) == gp0)
        #expect(m.cpu.x87.control == before && m.cpu.mxcsr == 0x1F80)
    }

    @Test func exceptions() {
        let m = stateMachine(.long64)
        m.cpu.registers[0] = stateArea + 8
        #expect(m.fault(StateOp.fxsave) == gp0)                          // 16-byte alignment
        #expect(m.fault(StateOp.fxrstor) == gp0)
        m.cpu.registers[0] = stateArea
        m.cpu.cr0 |= CR0.ts.rawValue
        #expect(m.fault(StateOp.fxsave) == nm)
        m.cpu.cr0 &= ~CR0.ts.rawValue
        m.cpu.cr0 |= CR0.em.rawValue
        #expect(m.fault(StateOp.fxrstor) == nm)                          // EM: #NM, not #UD
        m.cpu.cr0 &= ~CR0.em.rawValue
        m.cpu.cpuidModel.fxsr = false
        #expect(m.fault(StateOp.fxsave) == ud)
    }

    @Test func ldmxcsrAndStmxcsr() {
        let m = stateMachine(.long64)
        m.setArea(0, 4, 0xFFFF)                                          // every defined bit, DAZ too
        #expect(m.fault(StateOp.ldmxcsr) == nil && m.cpu.mxcsr == 0xFFFF)
        m.setArea(0, 4, 0x1_0000)
        #expect(m.fault(StateOp.ldmxcsr) == gp0 && m.cpu.mxcsr == 0xFFFF)
        m.cpu.mxcsr = 0x1F80
        #expect(m.fault(StateOp.stmxcsr) == nil && m.area(0, 4) == 0x1F80)
        m.cpu.cr4 &= ~CR4.osfxsr.rawValue
        #expect(m.fault(StateOp.stmxcsr) == ud)
        m.cpu.cr4 |= CR4.osfxsr.rawValue
        m.cpu.cr0 |= CR0.em.rawValue
        #expect(m.fault(StateOp.ldmxcsr) == ud)
        m.cpu.cr0 = m.cpu.cr0 & ~CR0.em.rawValue | CR0.ts.rawValue
        #expect(m.fault(StateOp.ldmxcsr) == nm)
    }

    /// Table 10-1: FCW 0040H, FTW 5555H, MXCSR 1F80H, XMM 0 after RESET; INIT keeps x87, XMM,
    /// MXCSR and XCR0.
    @Test func resetAndInitState() {
        let m = stateMachine(.long64)
        Self.loadX87(m.cpu)
        m.cpu.applyINIT()
        #expect(m.cpu.x87.control == 0x027F && m.cpu.mxcsr == 0x1FA1 && m.cpu.xmm[31] == 0x1111_0000_0000_0000 &* 32 | 31)
        #expect(m.cpu.xcr0 == 3)
        m.cpu.reset()
        #expect(m.cpu.x87.control == 0x0040 && m.cpu.x87.status == 0 && m.cpu.x87.tags == 0x5555)
        #expect(m.cpu.x87.lastInstructionPointer == 0 && m.cpu.x87.registers[6] == Float80Bits())
        #expect(m.cpu.mxcsr == 0x1F80 && (0..<32).allSatisfy { m.cpu.xmm[$0] == 0 } && m.cpu.xcr0 == 1)
    }
}
