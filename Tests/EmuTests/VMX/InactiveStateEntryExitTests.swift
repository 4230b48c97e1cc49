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

    /// Launches `g` in `activity`, with `injection` in the VM-entry interruption-information field.
    @discardableResult
    func enter(_ g: G, activity: UInt64, injection: UInt64 = 0) -> G {
        g.cpu.vmx.write(.guestActivityState, activity)
        g.cpu.vmx.write(.vmEntryInterruptionInformation, injection)
        g.launch([0x90])
        return g
    }

    /// Threshold 2 above VTPR[7:4] = 1 (allowed at entry with "virtualize APIC accesses").
    func tprGuest() -> G { A().guest(vtpr: 0x10, threshold: 2, secondary: A.virtualizeAPICAccesses) }

    /// Both wake a guest entered in HLT; the exit saves activity state HLT.
    @Test func pendingMTFAndTPRBelowThresholdWakeHLT() {
        for (g, reason) in [(enter(G(), activity: 1, injection: Self.pendingMTF), 37), (enter(tprGuest(), activity: 1), 43)] {
            #expect(!g.cpu.vmx.nonRoot && g.exitReason == UInt64(reason) && g.cpu.vmx.read(.guestActivityState) == 1)
        }
    }

    /// Shutdown allows injecting only NMIs and #MC, wait-for-SIPI no event at all (26.3.1.5):
    /// VM entry fails for invalid guest state (reason 33, bit 31).
    @Test func injectionInShutdownAndWaitForSIPI() {
        for (activity, injection) in [(2, Self.pendingMTF), (3, Self.pendingMTF), (3, 0x8000_0202)] as [(UInt64, UInt64)] {
            let g = enter(G(), activity: activity, injection: injection)
            #expect(!g.cpu.vmx.nonRoot && g.exitReason == 0x8000_0021, "activity \(activity), \(injection)")
        }
    }

    @Test func tprBelowThresholdNotInWaitForSIPI() {
        let g = enter(tprGuest(), activity: 3)
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted)
        g.cpu.vmxStartupIPI(vector: 0x12)
        #expect(g.exitReason == 4)
    }

    /// Suppressed in shutdown; the NMI that ends shutdown is delivered through the guest IDT
    /// (the machine's acceptance path), then the TPR exit comes before the handler runs.
    @Test func tprBelowThresholdAfterTheNMIThatEndsShutdown() throws {
        let g = tprGuest()
        let handler = G.guestCode + 0x100
        g.setGate(2, handler: handler)
        enter(g, activity: 2)
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
