import Testing
@testable import Emu

/// VM exits due right after VM entry when the guest enters an inactive activity state (SDM
/// vol. 3, 27.7.7, 27.7.8): a pending MTF VM exit (injected, interruption type 7) and a
/// TPR-below-threshold exit wake a guest entered in HLT. The MTF cannot be injected in shutdown
/// or wait-for-SIPI (26.3.1.5); the TPR exit does not occur there, except that one suppressed
/// by shutdown comes after the delivery of the event that ends shutdown (an NMI).
@Suite struct InactiveStateEntryExitTests {
    typealias G = VMXGuestMachine
    typealias A = APICVirtualizationTests
    static let pendingMTF: UInt64 = 0x8000_0700

    func pendingMTFGuest(activity: UInt64) -> G {
        let g = G()
        g.cpu.vmx.write(.guestActivityState, activity)
        g.cpu.vmx.write(.vmEntryInterruptionInformation, Self.pendingMTF)
        return g
    }

    @Test func pendingMTFWakesHLT() {
        let g = pendingMTFGuest(activity: 1)
        g.launch([0x90])
        #expect(!g.cpu.vmx.nonRoot && g.exitReason == 37 && g.cpu.vmx.read(.guestActivityState) == 1)
    }

    /// Shutdown allows injecting only NMIs and #MC, wait-for-SIPI no event at all (26.3.1.5):
    /// VM entry fails for invalid guest state (reason 33, bit 31).
    @Test func injectionInShutdownAndWaitForSIPI() {
        for (activity, injection) in [(2, Self.pendingMTF), (3, Self.pendingMTF), (3, 0x8000_0202)] as [(UInt64, UInt64)] {
            let g = pendingMTFGuest(activity: activity)
            g.cpu.vmx.write(.vmEntryInterruptionInformation, injection)
            g.launch([0x90])
            #expect(!g.cpu.vmx.nonRoot && g.exitReason == 0x8000_0021, "activity \(activity), \(injection)")
        }
    }

    /// Threshold 2 above VTPR[7:4] = 1 (allowed at entry with "virtualize APIC accesses").
    func tprGuest(activity: UInt64) -> G {
        let g = A().guest(vtpr: 0x10, threshold: 2, secondary: A.virtualizeAPICAccesses)
        g.cpu.vmx.write(.guestActivityState, activity)
        return g
    }

    @Test func tprBelowThresholdWakesHLT() {
        let g = tprGuest(activity: 1)
        g.launch([0x90])
        #expect(!g.cpu.vmx.nonRoot && g.exitReason == 43 && g.cpu.vmx.read(.guestActivityState) == 1)
    }

    @Test func tprBelowThresholdNotInWaitForSIPI() {
        let g = tprGuest(activity: 3)
        g.launch([0x90])
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted)
        g.cpu.vmxStartupIPI(vector: 0x12)
        #expect(g.exitReason == 4)
    }

    /// Suppressed in shutdown; the NMI that ends shutdown is delivered through the guest IDT
    /// (the machine's acceptance path), then the TPR exit comes before the handler runs.
    @Test func tprBelowThresholdAfterTheNMIThatEndsShutdown() throws {
        let g = tprGuest(activity: 2)
        let handler = G.guestCode + 0x100
        g.setGate(2, handler: handler)
        g.launch([0x90])
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted)
        var config = MachineConfig(memorySize: 1 << 20, serial: .none)
        config.cpuCount = 1
        let m = try Machine(config: config, serialSink: BufferSerialSink())
        m.apics[0].nmiPending = true
        _ = m.acceptInterrupt(g.cpu, m.apics[0])
        #expect(!g.cpu.vmx.nonRoot && g.exitReason == 43)
        #expect(g.savedRIP == handler && g.cpu.vmx.read(.guestActivityState) == 0)
    }
}
