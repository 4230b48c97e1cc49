import Testing
@testable import Emu

/// The VM-entry and VM-exit controls that move state (SDM vol. 3, 25.7.1, 25.8.1; 27.4.1,
/// 28.3.1, 28.5.1): "load IA32_PAT/IA32_EFER" at entry, "save IA32_PAT/IA32_EFER" and "load
/// IA32_PAT/IA32_EFER" at exit, "load debug controls" (DR7, IA32_DEBUGCTL) at entry and "save
/// debug controls" at exit; host DR7 is 400H after every exit.
@Suite struct StateControlTests {
    typealias G = VMXGuestMachine
    static let guestPAT: UInt64 = 0x0001_0405_0607_0006
    static let hostPAT: UInt64 = 0x0007_0406_0007_0406

    /// RDMSR PAT into R9:R8; WRMSR PAT 04040404_06060606; RDMSR EFER into R10; WRMSR EFER
    /// without SCE; CPUID. MSR bitmaps all zero, so the MSR accesses do not exit.
    static let patAndEFERCode: [UInt8] = [
        0xB9, 0x77, 0x02, 0x00, 0x00, 0x0F, 0x32, 0x49, 0x89, 0xC0, 0x49, 0x89, 0xD1,
        0xB8, 0x06, 0x06, 0x06, 0x06, 0xBA, 0x04, 0x04, 0x04, 0x04, 0x0F, 0x30,
        0xB9, 0x80, 0x00, 0x00, 0xC0, 0x0F, 0x32, 0x49, 0x89, 0xC2,
        0x83, 0xE0, 0xFE, 0x31, 0xD2, 0x0F, 0x30, 0x0F, 0xA2,
    ]

    @Test func patAndEFERLoadedAndSaved() {
        let g = G()
        #expect(g.exitOf(Self.patAndEFERCode) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 28)
            $0.cpu.vmx.write(.msrBitmapsAddress, 0x7_0000)
            $0.setControl(.vmEntryControls, 1 << 14 | 1 << 15)
            $0.setControl(.primaryVMExitControls, 1 << 18 | 1 << 19 | 1 << 20 | 1 << 21)
            $0.cpu.vmx.write(.guestIA32PAT, Self.guestPAT)
            $0.cpu.vmx.write(.guestIA32EFER, 0xD01)
            $0.cpu.vmx.write(.hostIA32PAT, Self.hostPAT)
            $0.cpu.vmx.write(.hostIA32EFER, 0x501)
        } == 10)
        let c = g.cpu
        #expect(c.registers[8] == Self.guestPAT & 0xFFFF_FFFF && c.registers[9] == Self.guestPAT >> 32)
        #expect(c.registers[10] == 0xD01)
        #expect(c.vmx.read(.guestIA32PAT) == 0x0404_0404_0606_0606)
        #expect(c.vmx.read(.guestIA32EFER) == 0xD00)
        #expect(c.systemRegisters.pat == Self.hostPAT && c.efer == 0x501)
    }

    /// MOV RAX, DR7; MOV RBX, 600H; MOV DR7, RBX; CPUID.
    static let debugCode: [UInt8] = [0x0F, 0x21, 0xF8, 0x48, 0xC7, 0xC3, 0x00, 0x06, 0x00, 0x00, 0x0F, 0x23, 0xFB, 0x0F, 0xA2]

    @Test func debugControlsLoadedAndSaved() {
        let g = G()
        #expect(g.exitOf(Self.debugCode) {
            $0.setControl(.vmEntryControls, 1 << 2)
            $0.setControl(.primaryVMExitControls, 1 << 2)
            $0.cpu.vmx.write(.guestDR7, 0x700)
            $0.cpu.vmx.write(.guestIA32DebugCtl, 1)
        } == 10)
        #expect(g.cpu.registers[0] == 0x700)
        #expect(g.cpu.vmx.read(.guestDR7) == 0x600)
        #expect(g.cpu.vmx.read(.guestIA32DebugCtl) == 1)
        #expect(g.cpu.dr[7] == 0x400)
    }

    /// Without the controls the guest runs with the DR7 it found, and the fields keep their values.
    @Test func debugControlsOff() {
        let g = G()
        g.cpu.dr[7] = 0x500
        #expect(g.exitOf(Self.debugCode) { $0.cpu.vmx.write(.guestDR7, 0x700) } == 10)
        #expect(g.cpu.registers[0] == 0x500)
        #expect(g.cpu.vmx.read(.guestDR7) == 0x700)
        #expect(g.cpu.dr[7] == 0x400)
    }
}
