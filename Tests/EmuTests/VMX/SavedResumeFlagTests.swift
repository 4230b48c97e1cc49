import Testing
@testable import Emu

/// RFLAGS.RF as VM exits save it (SDM vol. 3, 28.3.3): 0 for instruction exits; 1 for an exit
/// caused directly by a fault-class exception (as the pushed RFLAGS image would have it) and for
/// an EPT violation outside event delivery.
@Suite struct SavedResumeFlagTests {
    typealias G = VMXGuestMachine
    static let rf: UInt64 = 1 << 16

    @Test func instructionExitSavesZero() {
        let g = G()
        #expect(g.exitOf([0x0F, 0xA2]) { $0.cpu.vmx.write(.guestRFLAGS, 0x2 | Self.rf) } == 10)   // CPUID
        #expect(g.cpu.vmx.read(.guestRFLAGS) & Self.rf == 0)
    }

    @Test func faultExitSavesOne() {
        let g = G()
        g.cpu.vmx.write(.exceptionBitmap, 1 << 6)
        #expect(g.exitOf([0x0F, 0x0B]) == 0)                                                   // UD2
        #expect(g.cpu.vmx.read(.guestRFLAGS) & Self.rf != 0)
    }

    /// A trap-class event (INT3, a software exception) is pushed with RF as it is: 0.
    @Test func softwareExceptionExitSavesZero() {
        let g = G()
        g.cpu.vmx.write(.exceptionBitmap, 1 << 3)
        #expect(g.exitOf([0xCC]) == 0)
        #expect(g.cpu.vmx.read(.guestRFLAGS) & Self.rf == 0)
    }

    @Test func eptViolationSavesOne() {
        let e = EPTGuest()
        e.mapPage(0x9000, 0)
        #expect(e.exitOf(EPTGuest.load(0x9000)) == 48)
        #expect(e.cpu.vmx.read(.guestRFLAGS) & Self.rf != 0)
    }
}
