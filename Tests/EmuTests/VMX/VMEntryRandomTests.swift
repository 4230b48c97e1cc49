import Testing
@testable import Emu

/// Random VMCS contents through VMLAUNCH: a valid VMCS with random fields overwritten by random
/// values (controls, guest and host state, injection, MSR lists), then up to 200 guest steps of
/// random code. VM entry either succeeds, fails the architectural way (VMfailValid 7/8, exit
/// reason 33/34 with bit 31), or the guest runs into VM exits; the process never traps.
@Suite struct VMEntryRandomTests {
    @Test(arguments: [11, 12, 13, 14, 15, 16])
    func randomVMCS(seed: UInt64) {
        var g = VMXRandomTests.Generator(state: seed &* 0x9E37_79B9)
        for _ in 0..<150 {
            let m = VMXGuestMachine()
            let catalog = VMCSField.catalog
            for _ in 0..<Int(g.below(6)) {
                let e = catalog[Int(g.below(UInt64(catalog.count)))].field
                let v: UInt64
                switch g.below(3) {
                case 0: v = g.next()
                case 1: v = m.cpu.vmx.read(e) ^ (1 << g.below(64))
                default: v = g.below(0x10000)
                }
                m.cpu.vmx.write(e, v)
            }
            for k in stride(from: 0, to: 64, by: 8) {
                m.memory.write(VMXGuestMachine.guestCode + UInt64(k), size: 8, value: g.next())
            }
            let outcome = m.m.run(VMXTestMachine.vmlaunch)
            switch outcome {
            case .succeed, .failValid(7), .failValid(8), .fault(.vmExitTaken): break
            default: Issue.record("unexpected VMLAUNCH outcome \(outcome)")
            }
            if m.cpu.vmx.nonRoot { m.runUntilExit(limit: 200) }
            let reason = m.cpu.vmx.read(.vmExitReason)
            #expect(reason & 0x7FFF_0000 == 0)
            if reason >> 31 != 0 { #expect(reason & 0xFFFF == 33 || reason & 0xFFFF == 34) }
        }
    }
}
