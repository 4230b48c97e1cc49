import Testing
@testable import Emu

/// "RDRAND exiting" (secondary bit 11, exit reason 57) and "RDSEED exiting" (bit 16, reason 61)
/// (SDM vol. 3, 25.1.3), with the instruction-information format of 28.2.5 (destination register
/// in bits 6:3, operand size in 12:11: 0 16-bit, 1 32-bit, 2 64-bit) and the #UD of the F2/F3
/// forms taking priority over the VM exit (25.1.1).
@Suite struct RDRANDExitingTests {
    typealias G = VMXGuestMachine
    static let rdrandExiting: UInt64 = 1 << 11
    static let rdseedExiting: UInt64 = 1 << 16
    static let vmcall: [UInt8] = [0x0F, 0x01, 0xC1]

    func exit(_ code: [UInt8], secondary: UInt64) -> G {
        let g = G()
        g.setSecondary(secondary)
        _ = g.exitOf(code)
        return g
    }

    var info: (G) -> UInt64 { { $0.cpu.vmx.read(.vmExitInstructionInformation) } }

    @Test func rdrandExits() {
        let g = G()
        g.cpu.registers[3] = 0x1234
        g.setSecondary(Self.rdrandExiting)
        let generator = g.cpu.randomNumberGenerator
        #expect(g.exitOf([0x48, 0x0F, 0xC7, 0xF3]) == 57)                    // RDRAND RBX
        #expect(g.instructionLength == 4 && g.savedRIP == G.guestCode)
        #expect(info(g) & 0x1878 == 3 << 3 | 2 << 11)
        // The instruction did not execute: no draw, RBX unchanged.
        #expect(g.cpu.randomNumberGenerator == generator && g.cpu.registers[3] == 0x1234)
        let w = exit([0x66, 0x0F, 0xC7, 0xF1], secondary: Self.rdrandExiting)   // RDRAND CX
        #expect(w.exitReason == 57 && info(w) & 0x1878 == 1 << 3 | 0 << 11)
    }

    @Test func rdseedExits() {
        let g = exit([0x41, 0x0F, 0xC7, 0xF9], secondary: Self.rdseedExiting)   // RDSEED R9D
        #expect(g.exitReason == 61 && g.instructionLength == 4 && g.savedRIP == G.guestCode)
        #expect(info(g) & 0x1878 == 9 << 3 | 1 << 11)
        let q = exit([0x4C, 0x0F, 0xC7, 0xFF], secondary: Self.rdseedExiting)   // RDSEED RDI (REX.WR)
        #expect(q.exitReason == 61 && info(q) & 0x1878 == 7 << 3 | 2 << 11)
    }

    /// Each control governs its own instruction: the other one runs (CF = 1) and VMCALL exits.
    @Test func eachControlItsInstruction() {
        let g = exit([0x48, 0x0F, 0xC7, 0xF0] + Self.vmcall, secondary: Self.rdseedExiting)   // RDRAND RAX
        #expect(g.exitReason == 18 && g.cpu.vmx.read(.guestRFLAGS) & 0x8D5 == 1)
        let s = exit([0x48, 0x0F, 0xC7, 0xF8] + Self.vmcall, secondary: Self.rdrandExiting)   // RDSEED RAX
        #expect(s.exitReason == 18 && s.cpu.vmx.read(.guestRFLAGS) & 0x8D5 == 1)
        // Without "activate secondary controls" the secondary field is ignored.
        let n = G()
        n.cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, Self.rdrandExiting)
        #expect(n.exitOf([0x48, 0x0F, 0xC7, 0xF0] + Self.vmcall) == 18)
    }

    /// F2-prefixed RDRAND is #UD, before the VM exit (25.1.1): the exception bitmap sees it.
    @Test func invalidOpcodeHasPriority() {
        let g = G()
        g.setSecondary(Self.rdrandExiting | Self.rdseedExiting)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 6)
        #expect(g.exitOf([0xF2, 0x0F, 0xC7, 0xF0]) == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0306)
    }
}
