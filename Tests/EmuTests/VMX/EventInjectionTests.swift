import Testing
@testable import Emu

/// Event injection at VM entry (SDM vol. 3, 27.6.1): every interruption type through the guest
/// IDT. External interrupts, NMIs and hardware exceptions push the guest RIP; software
/// interrupts, privileged software exceptions and software exceptions push RIP + the VM-entry
/// instruction length; RFLAGS is pushed as loaded (RF unchanged); an injected NMI blocks NMIs;
/// "other event" 0 makes an MTF VM exit pending before the first instruction (27.6.2).
@Suite struct EventInjectionTests {
    typealias G = VMXGuestMachine
    static let handler = G.guestCode + 0x100

    /// Injects `information` and runs to the handler's VMCALL; returns the pushed RIP and RFLAGS
    /// (64-bit frame without an error code: RIP, CS, RFLAGS).
    func inject(_ information: UInt64, length: UInt64 = 0, errorCode: UInt64? = nil) -> (G, rip: UInt64, rflags: UInt64) {
        let g = G()
        g.setGate(information & 0xFF, handler: Self.handler)
        _ = g.memory.load([0x0F, 0x01, 0xC1], at: Self.handler)
        let reason = g.exitOf([0x90]) {
            $0.cpu.vmx.write(.guestRFLAGS, 0x202)
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, information)
            $0.cpu.vmx.write(.vmEntryInstructionLength, length)
            if let e = errorCode { $0.cpu.vmx.write(.vmEntryExceptionErrorCode, e) }
        }
        #expect(reason == 18)
        let rsp = g.cpu.vmx.read(.guestRSP) + (errorCode == nil ? 0 : 8)
        return (g, g.memory.read(rsp, size: 8), g.memory.read(rsp + 16, size: 8))
    }

    @Test func externalInterrupt() {
        let r = inject(0x8000_0030)
        #expect(r.rip == G.guestCode && r.rflags == 0x202)
    }

    @Test func nmiBlocksNMIs() {
        let r = inject(0x8000_0202)
        #expect(r.rip == G.guestCode)
        #expect(r.0.cpu.vmx.read(.guestInterruptibilityState) & 8 != 0)
    }

    /// A fault-class hardware exception pushes RF as loaded (0), not 1 as a fault would.
    @Test func hardwareExceptionKeepsRF() {
        let r = inject(0x8000_0B0D, errorCode: 0x18)
        #expect(r.rip == G.guestCode && r.rflags == 0x202)
        #expect(r.0.memory.read(r.0.cpu.vmx.read(.guestRSP), size: 8) == 0x18)
    }

    @Test func softwareInterrupt() {
        #expect(inject(0x8000_0440, length: 2).rip == G.guestCode + 2)
    }

    @Test func privilegedSoftwareException() {
        #expect(inject(0x8000_0501, length: 1).rip == G.guestCode + 1)
    }

    @Test func softwareException() {
        #expect(inject(0x8000_0603, length: 1).rip == G.guestCode + 1)
    }

    /// A 64-bit interrupt gate with P = 0.
    func notPresentGate(_ g: G, _ vector: UInt64) {
        g.memory.write(G.guestIDT + 16 * vector, size: 8, value: 0x0E00 << 32 | 0x08 << 16)
    }

    /// A fault while delivering an injected INT 40H (its gate not present: #NP(40H * 8 + IDT 2),
    /// EXT 0 for a software interrupt) that does not exit goes through the guest IDT with the
    /// guest RIP as loaded, not RIP + the instruction length (27.6.1.1).
    @Test func faultDuringInjectedSoftwareInterrupt() {
        let g = G()
        notPresentGate(g, 0x40)
        g.setGate(11, handler: Self.handler)
        _ = g.memory.load([0x0F, 0x01, 0xC1], at: Self.handler)
        #expect(g.exitOf([0x90]) {
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0440)
            $0.cpu.vmx.write(.vmEntryInstructionLength, 2)
        } == 18)
        let rsp = g.cpu.vmx.read(.guestRSP)
        #expect(g.memory.read(rsp, size: 8) == 0x202)                       // error code
        #expect(g.memory.read(rsp + 8, size: 8) == G.guestCode)              // guest RIP
    }

    /// The same fault intercepted: the exit reports the injected event and its length.
    @Test func interceptedFaultDuringInjectedSoftwareInterrupt() {
        let g = G()
        notPresentGate(g, 0x40)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 11)
        #expect(g.exitOf([0x90]) {
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0440)
            $0.cpu.vmx.write(.vmEntryInstructionLength, 2)
        } == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0B)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0x202)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0440)
        #expect(g.savedRIP == G.guestCode && g.instructionLength == 2)
    }

    /// "Other event" 0: an MTF VM exit before the first instruction, with MTF itself off.
    @Test func pendingMTF() {
        let g = G()
        #expect(g.exitOf([0x90]) { $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0700) } == 37)
        #expect(g.savedRIP == G.guestCode)
    }
}
