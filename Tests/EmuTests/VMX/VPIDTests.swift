import Testing
@testable import Emu

/// VPID- and EPTP-tagged TLB sets (SDM vol. 3, 29.4): without VPID, VM entries and exits
/// invalidate VPID 0's mappings; with a VPID the guest's translations survive exits (an
/// implementation choice the SDM allows) until INVVPID or INVEPT invalidates them.
@Suite struct VPIDTests {
    typealias G = VMXGuestMachine
    static let linear: UInt64 = 0x4000_9000
    static let pageTable: UInt64 = 0x5_1000
    /// MOV RAX, [4000_9000H]; CPUID; MOV RAX, [4000_9000H]; CPUID.
    static let code: [UInt8] = [0x48, 0x8B, 0x04, 0x25, 0x00, 0x90, 0x00, 0x40, 0x0F, 0xA2,
                                0x48, 0x8B, 0x04, 0x25, 0x00, 0x90, 0x00, 0x40, 0x0F, 0xA2]

    /// A guest whose linear 4000_9000H is mapped by a 4-KByte PTE (PD at 50000H, PT at 51000H)
    /// to 9000H, holding 1111H; 15000H holds 2222H.
    func machine(vpid: UInt64?) -> G {
        let g = G()
        g.memory.write(VMXTestMachine.pml4 + 0x1008, size: 8, value: 0x5_0000 | 7)
        g.memory.write(0x5_0000, size: 8, value: Self.pageTable | 7)
        g.memory.write(Self.pageTable + 9 * 8, size: 8, value: 0x9000 | 7)
        g.memory.write(0x9000, size: 8, value: 0x1111)
        g.memory.write(0x1_5000, size: 8, value: 0x2222)
        if let v = vpid {
            g.setSecondary(1 << 5)
            g.cpu.vmx.write(.virtualProcessorIdentifier, v)
        }
        return g
    }

    /// Runs to the first CPUID, remaps the page to 15000H, runs `host` in root operation, then
    /// resumes to the second CPUID and returns RAX (what the second read saw).
    func secondRead(_ g: G, host: (G) -> Void = { _ in }) -> UInt64? {
        guard g.exitOf(Self.code) == 10, g.cpu.registers[0] == 0x1111 else { return nil }
        g.memory.write(Self.pageTable + 9 * 8, size: 8, value: 0x1_5000 | 7)
        host(g)
        g.cpu.vmx.write(.guestRIP, G.guestCode + 10)
        guard g.m.run(VMXTestMachine.vmresume) == .succeed, g.runUntilExit() == 10 else { return nil }
        return g.cpu.registers[0]
    }

    func invvpid(_ g: G, type: UInt64, vpid: UInt64, linear: UInt64 = 0) -> VMOutcome {
        g.memory.write(VMXTestMachine.operand, size: 8, value: vpid)
        g.memory.write(VMXTestMachine.operand + 8, size: 8, value: linear)
        return g.m.run(VMXTestMachine.invvpidRAXMem, [0: type, 1: VMXTestMachine.operand])
    }

    @Test func withoutVPIDEveryEntryInvalidates() {
        #expect(secondRead(machine(vpid: nil)) == 0x2222)
    }

    /// The implementation keeps a VPID's set across the exit: the stale translation is used
    /// until software invalidates it (allowed by 29.4.3.3; real processors may do either).
    @Test func vpidKeepsTranslationsAcrossExits() {
        let g = machine(vpid: 1)
        #expect(secondRead(g) == 0x1111)
        #expect(g.cpu.tlb.currentSet == 0)                                  // root uses VPID 0's set
    }

    @Test(arguments: [UInt64(0), 1, 2, 3])
    func invvpidInvalidates(type: UInt64) {
        let g = machine(vpid: 1)
        var outcome: VMOutcome?
        let value = secondRead(g) { g in outcome = invvpid(g, type: type, vpid: 1, linear: Self.linear) }
        #expect(outcome == .succeed)
        #expect(value == 0x2222)
    }

    /// INVVPID of another VPID or another page leaves this guest's translation.
    @Test func invvpidOfOtherVPIDOrPage() {
        let g = machine(vpid: 1)
        var outcomes: [VMOutcome] = []
        let value = secondRead(g) { g in
            outcomes.append(invvpid(g, type: 1, vpid: 2))
            outcomes.append(invvpid(g, type: 0, vpid: 1, linear: Self.linear + 0x1000))
        }
        #expect(outcomes == [.succeed, .succeed])
        #expect(value == 0x1111)
    }

    /// A changed guest CR3 in the VMCS is another context: the set is flushed.
    @Test func changedGuestStateFlushes() {
        let g = machine(vpid: 1)
        let value = secondRead(g) { g in
            g.memory.copyPage(from: VMXTestMachine.pml4, to: 0x6_0000)
            g.cpu.vmx.write(.guestCR3, 0x6_0000)
        }
        #expect(value == 0x2222)
    }

    /// Two VPIDs keep separate sets: each guest sees its own translation.
    @Test func vpidsAreSeparate() {
        let g = machine(vpid: 1)
        #expect(g.exitOf(Self.code) == 10 && g.cpu.registers[0] == 0x1111)
        let setOfOne = g.cpu.tlb.contexts[1].valid ? 1 : 2
        g.cpu.vmx.write(.virtualProcessorIdentifier, 2)
        g.cpu.vmx.write(.guestRIP, G.guestCode + 10)
        #expect(g.m.run(VMXTestMachine.vmresume) == .succeed)
        #expect(g.runUntilExit() == 10)
        let tagged = (1..<TLB.setCount).filter { g.cpu.tlb.contexts[$0].valid }.map { g.cpu.tlb.contexts[$0].vpid }
        #expect(Set(tagged) == [1, 2])
        #expect(g.cpu.tlb.contexts[setOfOne].vpid == 1)
    }

    /// With EPT and a VPID, INVEPT (single- and all-context) invalidates the combined mappings.
    @Test(arguments: [UInt64(1), 2])
    func inveptInvalidatesTaggedSets(type: UInt64) {
        let e = EPTGuest()
        e.g.setSecondary(1 << 5)
        e.cpu.vmx.write(.virtualProcessorIdentifier, 7)
        e.memory.write(0x1_5000, size: 8, value: 0x2222)
        e.memory.write(0x9000, size: 8, value: 0x1111)
        #expect(e.exitOf(Self.code) == 10 && e.cpu.registers[0] == 0x1111)
        e.mapPage(0x9000, EPTGuest.rwx | EPTGuest.wb, to: 0x1_5000)
        e.memory.write(VMXTestMachine.operand, size: 8, value: e.cpu.vmx.read(.eptPointer))
        e.memory.write(VMXTestMachine.operand + 8, size: 8, value: 0)
        #expect(e.g.m.run(VMXTestMachine.inveptRAXMem, [0: type, 1: VMXTestMachine.operand]) == .succeed)
        e.cpu.vmx.write(.guestRIP, G.guestCode + 10)
        #expect(e.g.m.run(VMXTestMachine.vmresume) == .succeed)
        #expect(e.g.runUntilExit() == 10)
        #expect(e.cpu.registers[0] == 0x2222)
    }
}

extension PhysicalMemory {
    func copyPage(from: UInt64, to: UInt64) {
        for k in stride(from: UInt64(0), to: 0x1000, by: 8) { write(to + k, size: 8, value: read(from + k, size: 8)) }
    }
}
