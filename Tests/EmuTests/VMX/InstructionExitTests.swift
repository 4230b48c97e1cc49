import Testing
@testable import Emu

/// Instructions that exit unconditionally or by one VM-execution control, with no
/// qualification (SDM vol. 3, 26.1.2, 26.1.3; reasons from appendix C), and INVPCID with
/// "enable INVPCID" and "INVLPG exiting" (reason 58: displacement as qualification, the
/// instruction information of 28.2.5).
@Suite struct InstructionExitTests {
    typealias G = VMXGuestMachine

    static let cases: [(name: String, code: [UInt8], primary: UInt64, secondary: UInt64, reason: UInt64)] = [
        ("INVD (always)", [0x0F, 0x08], 0, 0, 13),
        ("RDPMC exiting", [0x31, 0xC9, 0x0F, 0x33], 1 << 11, 0, 15),          // XOR ECX, ECX; RDPMC
        ("MWAIT exiting", [0x31, 0xC9, 0x0F, 0x01, 0xC9], 1 << 10, 0, 36),
        ("MONITOR exiting", [0x31, 0xC9, 0x0F, 0x01, 0xC8], 1 << 29, 0, 39),
        ("WBINVD exiting", [0x31, 0xC9, 0x0F, 0x09], 0, 1 << 6, 54),
    ]

    @Test(arguments: 0..<5)
    func exitsWithTheControl(index: Int) {
        let c = Self.cases[index]
        let g = G()
        #expect(g.exitOf(c.code) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, c.primary)
            if c.secondary != 0 { $0.setSecondary(c.secondary) }
        } == c.reason, "\(c.name)")
        let length = UInt64(c.code.count) - (c.code[0] == 0x31 ? 2 : 0)
        #expect(g.instructionLength == length, "\(c.name)")
        #expect(g.savedRIP == G.guestCode + UInt64(c.code.count) - length, "\(c.name)")
    }

    /// Without their controls RDPMC, WBINVD and MONITOR do not exit (CPUID next: reason 10).
    @Test func noExitWithoutTheControl() {
        #expect(G().exitOf([0x0F, 0x09, 0x0F, 0xA2]) == 10)                   // WBINVD; CPUID
        #expect(G().exitOf([0x31, 0xC9, 0x31, 0xC0, 0x0F, 0x01, 0xC8, 0x0F, 0xA2]) == 10)
    }

    /// INVPCID RAX, [RBX] (66 0F 38 82 03): qualification 0 (no displacement); information:
    /// address size 64-bit (2 << 7), DS (3 << 15), no index (1 << 22), base RBX (3 << 23),
    /// register RAX (0 << 28).
    @Test func invpcid() {
        let g = G()
        g.cpu.registers[3] = 0x9000
        #expect(g.exitOf([0x66, 0x0F, 0x38, 0x82, 0x03]) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 9)
            $0.setSecondary(1 << 12)
        } == 58)
        #expect(g.qualification == 0 && g.instructionLength == 5)
        #expect(g.cpu.vmx.read(.vmExitInstructionInformation) == 2 << 7 | 3 << 15 | 1 << 22 | 3 << 23)
    }

    /// INVPCID without "enable INVPCID" is #UD in non-root operation.
    @Test func invpcidWithoutTheControlIsInvalidOpcode() {
        let g = G()
        g.cpu.vmx.write(.exceptionBitmap, 1 << 6)
        #expect(g.exitOf([0x66, 0x0F, 0x38, 0x82, 0x03]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 9) } == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0306)
    }
}
