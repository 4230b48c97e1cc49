import Testing
@testable import Emu

/// An exception raised while the guest delivers another event, intercepted by the exception
/// bitmap: exit reason 0 for the new exception, with the first event in the IDT-vectoring
/// fields (SDM vol. 3, 27.2.2, 27.2.4).
@Suite struct ExceptionDuringDeliveryTests {
    typealias G = VMXGuestMachine

    /// UD2 with an IDT limit that only covers vector 0: delivering #UD raises
    /// #GP(6 * 8 + IDT 2 + EXT 1 = 33H).
    @Test func generalProtectionWhileDeliveringInvalidOpcode() {
        let g = G()
        g.cpu.vmx.write(.guestIDTRLimit, 0xF)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 13)
        #expect(g.exitOf([0x0F, 0x0B]) == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0D)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0x33)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0306)
        #expect(g.savedRIP == G.guestCode)
    }

    /// The same #GP not intercepted: delivery goes on (#GP's own entry is beyond the limit too,
    /// so the guest gets #DF, whose interception shows the chain's end). A double fault that
    /// causes the VM exit directly is not an exit during event delivery (28.2.3): no
    /// IDT-vectoring information.
    @Test func notInterceptedDeliveryGoesOn() {
        let g = G()
        g.cpu.vmx.write(.guestIDTRLimit, 0xF)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 8)
        #expect(g.exitOf([0x0F, 0x0B]) == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B08)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) & 1 << 31 == 0)
        #expect(g.savedRIP == G.guestCode)
    }

    /// A #GP while delivering a double fault (here injected; vector 8's gate is beyond the IDT
    /// limit) is intercepted before it could become a triple fault: #GP(8 * 8 + IDT 2 + EXT 1
    /// = 43H) with the #DF as IDT-vectoring information (28.2.2, 28.2.3).
    @Test func interceptedWhileDeliveringDoubleFault() {
        let g = G()
        g.cpu.vmx.write(.guestIDTRLimit, 0x7F)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 13)
        #expect(g.exitOf([0x90]) {
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0B08)
            $0.cpu.vmx.write(.vmEntryExceptionErrorCode, 0)
        } == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0D)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0x43)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0B08)
        #expect(g.cpu.vmx.read(.idtVectoringErrorCode) == 0)
    }

    /// Not intercepted, the same fault is a triple fault: VM exit reason 2.
    @Test func tripleFaultWhileDeliveringDoubleFault() {
        let g = G()
        g.cpu.vmx.write(.guestIDTRLimit, 0x7F)
        #expect(g.exitOf([0x90]) {
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0B08)
            $0.cpu.vmx.write(.vmEntryExceptionErrorCode, 0)
        } == 2)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) & 1 << 31 == 0)
    }
}

/// INT n whose gate is beyond the IDT limit: #GP(30H * 8 + 2), intercepted; the IDT-vectoring
/// fields name the software interrupt and the exit reports the INT's length (27.2.4).
@Suite struct ExceptionDuringSoftwareInterruptTests {
    @Test func intercepted() {
        let g = VMXGuestMachine()
        g.cpu.vmx.write(.guestIDTRLimit, 0xF)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 13)
        #expect(g.exitOf([0xCD, 0x30]) == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0D)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0x182)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0430)
        #expect(g.savedRIP == VMXGuestMachine.guestCode && g.instructionLength == 2)
    }

    /// A #GP raised by an ordinary instruction carries no IDT-vectoring information.
    @Test func ordinaryFaultHasNoVectoring() {
        let g = VMXGuestMachine()
        g.cpu.vmx.write(.exceptionBitmap, 1 << 13)
        #expect(g.exitOf([0x31, 0xC0, 0x0F, 0x22, 0xC0]) == 0)             // XOR EAX, EAX; MOV CR0, RAX
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0)
    }
}
