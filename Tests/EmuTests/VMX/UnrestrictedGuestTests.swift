import Testing
@testable import Emu

/// A real-mode guest under "unrestricted guest" with EPT (SDM vol. 3, 26.3.1, 27.3.2).
@Suite struct UnrestrictedGuestTests {
    /// CS 0A00H (base A000H, the guest code), the data segments at 0, 16-bit, CR0.PE = PG = 0.
    static func realModeGuest() -> EPTGuest {
        let e = EPTGuest()
        e.g.setSecondary(1 << 7)
        e.cpu.vmx.write(.guestCR0, 0x30)
        e.cpu.vmx.write(.guestCR4, 0x2000)
        e.cpu.vmx.write(.vmEntryControls, e.cpu.vmx.read(.vmEntryControls) & ~0x200)
        e.cpu.vmx.write(.guestIA32EFER, 0)
        for s in SegmentRegister.allCases {
            let f = CPU.guestSegmentFields(s)
            e.cpu.vmx.write(f.0, s == .cs ? 0x0A00 : 0)
            e.cpu.vmx.write(f.1, s == .cs ? VMXGuestMachine.guestCode : 0)
            e.cpu.vmx.write(f.2, 0xFFFF)
            e.cpu.vmx.write(f.3, s == .cs ? 0x9B : 0x93)
        }
        e.cpu.vmx.write(.guestTRSelector, 0)
        e.cpu.vmx.write(.guestTRLimit, 0xFFFF)
        e.cpu.vmx.write(.guestTRBase, 0)
        e.cpu.vmx.write(.guestRIP, 0)
        e.cpu.vmx.write(.guestRSP, 0x7000)
        return e
    }

    /// 24.4.1: an LDTR that VM entry loaded unusable stays unusable in real mode (LLDT is #UD
    /// there), so the exit saves bit 16 and the saved state passes the guest-state checks again.
    @Test func unusableLDTRSavedInRealMode() {
        let e = Self.realModeGuest()
        #expect(e.exitOf(EPTGuest.cpuid) == 10)
        #expect(e.g.savedRIP == 0 && e.cpu.vmx.read(.guestCSSelector) == 0x0A00)
        #expect(e.cpu.vmx.read(.guestLDTRAccessRights) == 0x1_0000)
        #expect(e.cpu.vmx.read(.guestDSAccessRights) == 0x93)
        #expect(e.cpu.checkGuestState() == nil)
    }
}
