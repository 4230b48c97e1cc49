import Testing
@testable import Emu

/// The exit qualification of an LMSW VM exit (SDM vol. 3, 27.2.1, table "Exit Qualification for
/// Control-Register Accesses"): access type 3 in bits 5:4, operand type in bit 6, the source data
/// in 31:16, and bits 11:8 (the general-purpose register of MOV CR) cleared for LMSW, whatever
/// register the instruction names. Found by roms/vmx-tests/exits.elf.
@Suite struct LMSWExitQualificationTests {
    typealias G = VMXGuestMachine

    @Test func registerOperandOtherThanRAX() {
        let g = G()
        g.cpu.registers[3] = 0x9                                            // LMSW BX: PE | TS
        #expect(g.exitOf([0x0F, 0x01, 0xF3]) { $0.cpu.vmx.write(.cr0GuestHostMask, 8); $0.cpu.vmx.write(.cr0ReadShadow, 0) } == 28)
        #expect(g.qualification == 3 << 4 | 0x9 << 16)
        #expect(g.instructionLength == 3)
    }

    @Test func registerR9() {
        let g = G()
        g.cpu.registers[9] = 0x2                                            // LMSW R9W: MP
        #expect(g.exitOf([0x41, 0x0F, 0x01, 0xF1]) { $0.cpu.vmx.write(.cr0GuestHostMask, 2); $0.cpu.vmx.write(.cr0ReadShadow, 0) } == 28)
        #expect(g.qualification == 3 << 4 | 0x2 << 16)
    }
}
