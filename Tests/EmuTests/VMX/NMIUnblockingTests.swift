import Testing
@testable import Emu

/// "NMI unblocking due to IRET" (SDM 28.2.1 EPT-violation qualification bit 12, 28.2.2
/// interruption-information bit 12): an IRET executed with NMIs blocked that ends in a VM exit
/// reports it, and the saved interruptibility state keeps blocking by NMI (bit 3).
@Suite struct NMIUnblockingTests {
    static let iretq: [UInt8] = [0x48, 0xCF]

    @Test(arguments: [true, false])
    func eptViolationDuringIRET(blocked: Bool) {
        let e = EPTGuest()
        if blocked { e.cpu.vmx.write(.guestInterruptibilityState, 8) }
        e.mapPage(VMXGuestMachine.guestStack, 0)
        #expect(e.exitOf(Self.iretq) == 48)
        #expect(e.qualification == 1 | 1 << 7 | 1 << 8 | (blocked ? 1 << 12 : 0))
        #expect(e.gpa == VMXGuestMachine.guestStack)
        #expect(e.cpu.vmx.read(.guestInterruptibilityState) & 8 == (blocked ? 8 : 0))
    }

    /// IRET to a CS selector beyond the GDT limit: #GP(50H), intercepted by the exception bitmap.
    @Test func exceptionDuringIRET() {
        let g = VMXGuestMachine()
        g.cpu.vmx.write(.guestInterruptibilityState, 8)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 13)
        let stack = VMXGuestMachine.guestStack
        for (k, v) in [UInt64(0xA000), 0x50, 2, stack, 0x10].enumerated() {
            g.memory.write(stack + UInt64(8 * k), size: 8, value: v)
        }
        #expect(g.exitOf(Self.iretq) == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 13 | 3 << 8 | 1 << 11 | 1 << 12 | 1 << 31)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0x50)
        #expect(g.cpu.vmx.read(.guestInterruptibilityState) & 8 == 8)
    }
}
