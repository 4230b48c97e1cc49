import Testing
@testable import Emu

/// The XSAVE feature set for x87 and SSE state (SDM vol. 1, chapter 13; vol. 2, the XSAVE,
/// XSAVEOPT, XSAVEC, XSAVES, XRSTOR, XRSTORS and XGETBV pages): the legacy region of table
/// 13-1, the header of 13.4.2, the init optimization and XINUSE of 13.6, and the #GP checks of
/// the standard (13.8.1) and compacted (13.8.2) forms of XRSTOR.
@Suite struct XSaveTests {
    static let header = 512
    static let x87InUse: UInt64 = 1

    /// Nonzero x87 state (so XINUSE[0] = 1) and XMM0 = 1 (XINUSE[1] = 1).
    func inUseMachine(_ mode: CodeMode = .long64) -> FlatMachine {
        let m = stateMachine(mode)
        FXSaveTests.loadX87(m.cpu)
        return m
    }

    @Test func cpuidLeafD() {
        for vendor in [Vendor.intel, .amd] {
            let m = stateMachine(.long64, vendor: vendor)
            #expect(m.cpuid(0xD, 0) == (3, 576, 576, 0))
            // XSAVEOPT, XSAVEC, XGETBV with ECX = 1, XSAVES; no IA32_XSS bits.
            #expect(m.cpuid(0xD, 1) == (0xF, 576, 0, 0))
            #expect(m.cpuid(0xD, 2) == (0, 0, 0, 0) && m.cpuid(0xD, 63) == (0, 0, 0, 0))
            #expect(m.cpuid(1).2 & (1 << 26 | 1 << 27) == 1 << 26 | 1 << 27)   // XSAVE, OSXSAVE
        }
        // AMD RstrFpErrPtrs (8000_0008h EBX[2]): the FXSAVE/XSAVE pointers are always saved.
        #expect(stateMachine(.long64, vendor: .amd).cpuid(0x8000_0008).1 & 1 << 2 != 0)
    }

    @Test func xssSupportsNoComponent() {
        let m = stateMachine(.long64)
        #expect(m.rdmsr(0xDA0) == .success(0))
        #expect(m.wrmsr(0xDA0, 0) == nil)
        for bit: UInt64 in [0, 1, 8, 10, 11, 12, 15, 16, 63] { #expect(m.wrmsr(0xDA0, 1 << bit) == gp0) }
    }

    @Test func needsOSXSAVE() {
        let m = stateMachine(.long64)
        m.cpu.cr4 &= ~CR4.osxsave.rawValue
        for op in [StateOp.xsave, StateOp.xrstor, StateOp.xsaveopt, StateOp.xsavec, StateOp.xsaves, StateOp.xrstors] {
            #expect(m.xsaveFamily(op) == ud)
        }
        m.cpu.cr4 |= CR4.osxsave.rawValue
        m.cpu.cr0 |= CR0.ts.rawValue
        #expect(m.xsaveFamily(StateOp.xsave) == nm && m.xsaveFamily(StateOp.xrstors) == nm)
        m.cpu.cr0 &= ~CR0.ts.rawValue
        m.cpu.cr0 |= CR0.em.rawValue                                     // EM does not matter
        #expect(m.xsaveFamily(StateOp.xsavec) == nil)
    }

    @Test func xsaveStandardFormat() {
        let m = inUseMachine()
        m.fillArea(0xAA)
        m.setArea(Self.header, 8, 1 << 2)                                // XSTATE_BV bit outside RFBM
        #expect(m.xsaveFamily(StateOp.xsave, mask: 1) == nil)            // x87 only
        #expect(m.area(0, 2) == 0x027F && m.area(4, 2) == 0xC0 && m.area(8, 4) == 0x1234_5678)
        #expect(m.area(24, 8) == 0xAAAA_AAAA_AAAA_AAAA)                  // no MXCSR without RFBM[1]
        #expect(m.area(160, 8) == 0xAAAA_AAAA_AAAA_AAAA)
        #expect(m.area(Self.header, 8) == 0x5)                           // (OLD_BV & ~RFBM) | XINUSE & RFBM
        #expect(m.area(Self.header + 8, 8) == 0xAAAA_AAAA_AAAA_AAAA)     // only XSTATE_BV written
        #expect(m.xsaveFamily(StateOp.xsave64) == nil)
        #expect(m.area(8, 8) == 0x1_1234_5678 && m.area(24, 4) == 0x1FA1 && m.area(28, 4) == 0xFFFF)
        #expect(m.area(400, 8) == m.cpu.xmm[30] && m.area(416, 8) == 0xAAAA_AAAA_AAAA_AAAA)
        #expect(m.area(Self.header, 8) == 0x7)
        // XSAVE saves even components in their initial configuration.
        m.cpu.x87 = X87State()
        for k in 0..<32 { m.cpu.xmm[k] = 0 }
        m.fillArea(0xAA)
        #expect(m.xsaveFamily(StateOp.xsave) == nil)
        #expect(m.area(0, 2) == 0x037F && m.area(4, 1) == 0 && m.area(160, 8) == 0)
        #expect(m.area(Self.header, 8) == 0xAAAA_AAAA_AAAA_AAA8)
    }

    @Test func xsaveoptSkipsInitialComponents() {
        let m = stateMachine(.long64)
        m.cpu.x87 = X87State()
        m.fillArea(0xAA)
        m.setArea(Self.header, 8, 0)
        m.cpu.xmm[1] = 7                                                 // XMM0 bits 127:64
        #expect(m.xsaveFamily(StateOp.xsaveopt) == nil)
        #expect(m.area(0, 8) == 0xAAAA_AAAA_AAAA_AAAA)                   // x87 not saved
        #expect(m.area(168, 8) == 7 && m.area(24, 4) == 0x1F80)          // SSE and MXCSR saved
        #expect(m.area(Self.header, 8) == 0x2)
    }

    @Test func xsavecCompactedFormat() {
        let m = inUseMachine()
        m.fillArea(0xAA)
        #expect(m.xsaveFamily(StateOp.xsavec, mask: 0xFF) == nil)
        #expect(m.area(Self.header, 8) == 3 && m.area(Self.header + 8, 8) == 0x8000_0000_0000_0003)
        #expect(m.area(Self.header + 16, 8) == 0xAAAA_AAAA_AAAA_AAAA)    // bytes 63:16 untouched
        #expect(m.area(0, 2) == 0x027F && m.area(24, 4) == 0x1FA1 && m.area(160, 8) == m.cpu.xmm[0])
        // XMM registers 0 but MXCSR not 1F80H: SSE state is still saved (and XSTATE_BV[1] = 1).
        m.cpu.x87 = X87State()
        for k in 0..<32 { m.cpu.xmm[k] = 0 }
        m.fillArea(0xAA)
        #expect(m.xsaveFamily(StateOp.xsavec) == nil)
        #expect(m.area(Self.header, 8) == 2 && m.area(0, 8) == 0xAAAA_AAAA_AAAA_AAAA)
        #expect(m.area(24, 8) == 0xFFFF_0000_1FA1 && m.area(160, 8) == 0)
        m.cpu.mxcsr = 0x1F80
        m.fillArea(0xAA)
        #expect(m.xsaveFamily(StateOp.xsavec, mask: 3) == nil)
        #expect(m.area(Self.header, 8) == 0 && m.area(24, 8) == 0xAAAA_AAAA_AAAA_AAAA)
        #expect(m.area(Self.header + 8, 8) == 0x8000_0000_0000_0003)
    }

    @Test func xrstorStandardForm() {
        let m = inUseMachine()
        m.fillArea(0)
        m.setArea(24, 4, 0x9F80)
        // XSTATE_BV = 0: both components initialized; MXCSR still loaded (RFBM[1] = 1).
        #expect(m.xsaveFamily(StateOp.xrstor) == nil)
        let s = m.cpu.x87
        #expect(s.control == 0x037F && s.status == 0 && s.tags == 0xFFFF && s.lastInstructionPointer == 0)
        #expect(s.registers[6] == Float80Bits())
        #expect((0..<32).allSatisfy { m.cpu.xmm[$0] == 0 } && m.cpu.mxcsr == 0x9F80)
        // XSTATE_BV = 3 loads the image; RFBM = 2 leaves x87 alone.
        m.setArea(Self.header, 8, 3)
        m.setArea(0, 2, 0x0A7F)
        m.setArea(160, 8, 0x1234)
        #expect(m.xsaveFamily(StateOp.xrstor, mask: 2) == nil)
        #expect(m.cpu.x87.control == 0x037F && m.cpu.xmm[0] == 0x1234)
        #expect(m.xsaveFamily(StateOp.xrstor, mask: 1) == nil)
        #expect(m.cpu.x87.control == 0x0A7F)
        // Bytes 63:24 of the header are not checked by the standard form.
        m.setArea(Self.header + 32, 8, 1)
        #expect(m.xsaveFamily(StateOp.xrstor) == nil)
    }

    @Test func xrstorStandardFormFaults() {
        let m = stateMachine(.long64)
        m.fillArea(0)
        m.setArea(Self.header, 8, 1 << 2)                                // AVX not in XCR0
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        m.setArea(Self.header, 8, 3)
        m.setArea(Self.header + 8, 8, 1)                                 // XCOMP_BV without bit 63
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        m.setArea(Self.header + 8, 8, 0)
        m.setArea(Self.header + 16, 8, 1 << 40)                          // header bytes 23:16
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        m.setArea(Self.header + 16, 8, 0)
        m.setArea(24, 4, 0x1_0000)                                       // reserved MXCSR bit
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        #expect(m.xsaveFamily(StateOp.xrstor, mask: 1) == nil)           // MXCSR not loaded
        m.cpu.registers[1] = stateArea + 16
        m.cpu.registers[0] = 3
        #expect(m.fault(StateOp.xrstor) == gp0)                          // 64-byte alignment
        #expect(m.fault(StateOp.xsave) == gp0)
    }

    @Test func xrstorCompactedForm() {
        let m = inUseMachine()
        m.fillArea(0)
        m.setArea(24, 4, 0x9F80)
        m.setArea(Self.header + 8, 8, 0x8000_0000_0000_0003)
        // XSTATE_BV = 0: SSE initialized including MXCSR = 1F80H.
        #expect(m.xsaveFamily(StateOp.xrstor) == nil)
        #expect(m.cpu.mxcsr == 0x1F80 && m.cpu.x87.tags == 0xFFFF && m.cpu.xmm[0] == 0)
        // RFBM[1] = 1 but XCOMP_BV[1] = 0: SSE is initialized (FORCE_INIT), MXCSR too.
        m.setArea(Self.header, 8, 1)
        m.setArea(Self.header + 8, 8, 0x8000_0000_0000_0001)
        m.setArea(0, 2, 0x0B7F)
        m.cpu.xmm[5] = 9
        m.cpu.mxcsr = 0x1FC0
        #expect(m.xsaveFamily(StateOp.xrstor) == nil)
        #expect(m.cpu.x87.control == 0x0B7F && m.cpu.xmm[5] == 0 && m.cpu.mxcsr == 0x1F80)
        // Round trip through XSAVEC.
        let r = inUseMachine()
        r.fillArea(0)
        #expect(r.xsaveFamily(StateOp.xsavec) == nil)
        let saved = (r.cpu.x87.control, r.cpu.x87.tags, r.cpu.x87.registers[6], r.cpu.xmm[7], r.cpu.mxcsr)
        r.cpu.x87 = X87State()
        r.cpu.xmm[7] = 0
        r.cpu.mxcsr = 0x1F80
        #expect(r.xsaveFamily(StateOp.xrstor) == nil)
        #expect(saved == (r.cpu.x87.control, r.cpu.x87.tags, r.cpu.x87.registers[6], r.cpu.xmm[7], r.cpu.mxcsr))
    }

    @Test func xrstorCompactedFormFaults() {
        let m = stateMachine(.long64)
        m.fillArea(0)
        m.setArea(Self.header + 8, 8, 0x8000_0000_0000_0007)            // XCOMP_BV[2] not in XCR0
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        m.setArea(Self.header + 8, 8, 0x8000_0000_0000_0001)
        m.setArea(Self.header, 8, 3)                                     // XSTATE_BV[1] not in XCOMP_BV
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        m.setArea(Self.header, 8, 1)
        m.setArea(Self.header + 56, 8, 1)                                // header bytes 63:16
        #expect(m.xsaveFamily(StateOp.xrstor) == gp0)
        m.setArea(Self.header + 56, 8, 0)
        #expect(m.xsaveFamily(StateOp.xrstor) == nil)
    }

    @Test func xsavesAndXrstors() {
        let m = inUseMachine()
        m.fillArea(0)
        #expect(m.xsaveFamily(StateOp.xsaves) == nil)
        #expect(m.area(Self.header, 8) == 3 && m.area(Self.header + 8, 8) == 0x8000_0000_0000_0003)
        m.cpu.x87 = X87State()
        #expect(m.xsaveFamily(StateOp.xrstors) == nil)
        #expect(m.cpu.x87.control == 0x027F)
        // XRSTORS has no standard form.
        m.setArea(Self.header + 8, 8, 0)
        #expect(m.xsaveFamily(StateOp.xrstors) == gp0)
        m.cpu.enterUserMode()
        #expect(m.xsaveFamily(StateOp.xsaves) == gp0 && m.xsaveFamily(StateOp.xrstors) == gp0)
        #expect(m.xsaveFamily(StateOp.xsavec) == nil)                    // XSAVEC is not privileged
    }

    @Test func xgetbvReadsXINUSE() {
        let m = stateMachine(.long64)
        m.cpu.x87 = X87State()
        m.cpu.registers[1] = 1
        #expect(m.fault(StateOp.xgetbv) == nil && m.cpu.registers[0] == 0 && m.cpu.registers[2] == 0)
        m.cpu.xmm[31] = 1                                                // XMM15: counts in 64-bit mode
        #expect(m.fault(StateOp.xgetbv) == nil && m.cpu.registers[0] == 2)
        m.cpu.x87.control = 0x027F
        #expect(m.fault(StateOp.xgetbv) == nil && m.cpu.registers[0] == 3)
        m.cpu.xcr0 = 1                                                   // XCR0 AND XINUSE
        #expect(m.fault(StateOp.xgetbv) == nil && m.cpu.registers[0] == 1)
        m.cpu.registers[1] = 2
        #expect(m.fault(StateOp.xgetbv) == gp0)
    }

    /// Outside 64-bit mode XRSTOR neither loads nor initializes XMM8-XMM15, and XSAVE does not
    /// store them.
    @Test func xmm8To15OutsideLongMode() {
        let m = inUseMachine(.protected32)
        m.fillArea(0xAA)
        #expect(m.xsaveFamily(StateOp.xsave) == nil)
        #expect(m.area(272, 8) == m.cpu.xmm[14] && m.area(288, 8) == 0xAAAA_AAAA_AAAA_AAAA)
        m.fillArea(0)
        #expect(m.xsaveFamily(StateOp.xrstor) == nil)
        #expect(m.cpu.xmm[14] == 0 && m.cpu.xmm[16] != 0)
    }
}
