import Testing
@testable import Emu

/// Trap-like VM exits (TPR below threshold, 43; virtualized EOI, 45; APIC write, 56) come once
/// the instruction has completed, before its single-step trap: with RFLAGS.TF = 1 the exit saves
/// that trap as pending, BS (bit 14) in the pending-debug-exceptions field (SDM vol. 3, 28.3.4),
/// and the next VM entry delivers it before the next guest instruction (27.7.3).
@Suite struct TrapLikeExitSingleStepTests {
    typealias G = VMXGuestMachine
    typealias A = APICVirtualizationTests
    typealias V = VirtualInterruptDeliveryTests
    static let cpuid: [UInt8] = [0x0F, 0xA2]
    static let movCR8RAX: [UInt8] = [0x44, 0x0F, 0x22, 0xC0]
    var pending: (G) -> UInt64 { { $0.cpu.vmx.read(.guestPendingDebugExceptions) } }

    /// MOV CR8 lowering VTPR below the threshold with TF = 1: BS saved; VMRESUME (threshold
    /// lowered) delivers the #DB before CPUID, here intercepted with BS as qualification.
    @Test func tprBelowThresholdKeepsTheSingleStepTrap() {
        let g = A().guest(vtpr: 0x50, threshold: 2)
        g.cpu.registers[0] = 1
        #expect(g.exitOf(Self.movCR8RAX + Self.cpuid) { $0.cpu.vmx.write(.guestRFLAGS, 0x102) } == 43)
        #expect(g.savedRIP == G.guestCode + 4 && pending(g) == 0x4000)
        g.cpu.vmx.write(.tprThreshold, 0)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 1)
        _ = g.m.run(VMXTestMachine.vmresume)
        #expect(!g.cpu.vmx.nonRoot && g.exitReason == 0)
        #expect(g.qualification == 0x4000 && g.savedRIP == G.guestCode + 4)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0301)
    }

    /// Without TF nothing is pending.
    @Test func tprBelowThresholdWithoutSingleStep() {
        let g = A().guest(vtpr: 0x50, threshold: 2)
        g.cpu.registers[0] = 1
        #expect(g.exitOf(Self.movCR8RAX + Self.cpuid) == 43)
        #expect(pending(g) == 0)
    }

    /// An APIC-write exit after a MOV to the LVT timer with TF = 1.
    @Test func apicWriteKeepsTheSingleStepTrap() {
        let g = V().guest(A.virtualizeAPICAccesses | V.apicRegisterVirtualization)
        #expect(g.exitOf(V.movToAPICPage(0x320, 0x1_0030) + Self.cpuid) { $0.cpu.vmx.write(.guestRFLAGS, 0x102) } == 56)
        #expect(g.savedRIP == G.guestCode + 11 && pending(g) == 0x4000)
    }

    /// A data breakpoint the writing instruction hit is pending too: B0 and the enabled-breakpoint
    /// bit (12), with BS when TF = 1 (28.3.4). DR0 = the LVT timer on the APIC-access page, DR7:
    /// L0, R/W0 = 01 (writes), LEN0 = 11 (4 bytes).
    @Test func apicWriteKeepsADataBreakpoint() {
        for (rflags, expected) in [(UInt64(0x2), UInt64(0x1001)), (0x102, 0x5001)] {
            let g = V().guest(A.virtualizeAPICAccesses | V.apicRegisterVirtualization)
            g.cpu.dr[0] = A.apicAccess + 0x320
            #expect(g.exitOf(V.movToAPICPage(0x320, 0x1_0030) + Self.cpuid) {
                $0.setControl(.vmEntryControls, 1 << 2)                        // load debug controls
                $0.cpu.vmx.write(.guestDR7, 0xD_0401)
                $0.cpu.vmx.write(.guestRFLAGS, rflags)
            } == 56)
            #expect(pending(g) == expected)
        }
    }

    /// An EOI-induced exit (SVI = 40H, its EOI-exit bit set) after a MOV to the EOI register
    /// with TF = 1.
    @Test func virtualizedEOIKeepsTheSingleStepTrap() {
        let g = V().guest(A.virtualizeAPICAccesses | V.virtualInterruptDelivery)
        g.cpu.vmx.write(.guestRFLAGS, 0x302)
        g.cpu.vmx.write(.guestInterruptStatus, 0x4000)
        g.cpu.vmx.write(.eoiExitBitmap1, 1)
        g.memory.write(A.virtualAPIC + 0x120, size: 4, value: 1)     // VISR[40H]
        #expect(g.exitOf(V.movToAPICPage(0xB0, 0) + Self.cpuid) == 45)
        #expect(g.qualification == 0x40 && g.savedRIP == G.guestCode + 11 && pending(g) == 0x4000)
    }

    /// WRMSR 80BH (x2APIC EOI) exits inside the instruction: the same rule.
    @Test func x2APICEOIKeepsTheSingleStepTrap() {
        let g = A().x2APICGuest(vtpr: 0, threshold: 0)
        g.setSecondary(V.virtualInterruptDelivery)
        g.setControl(.pinBasedVMExecutionControls, V.externalInterruptExiting)
        g.cpu.vmx.write(.guestRFLAGS, 0x102)
        g.cpu.vmx.write(.guestInterruptStatus, 0x4000)
        g.cpu.vmx.write(.eoiExitBitmap1, 1)
        g.memory.write(A.virtualAPIC + 0x120, size: 4, value: 1)
        g.cpu.registers[1] = 0x80B                                    // ECX; EDX:EAX = 0
        g.cpu.registers[0] = 0
        g.cpu.registers[2] = 0
        #expect(g.exitOf([0x0F, 0x30] + Self.cpuid) == 45)                  // WRMSR; CPUID
        #expect(g.qualification == 0x40)
        #expect(g.savedRIP == G.guestCode + 2 && pending(g) == 0x4000)
    }
}
