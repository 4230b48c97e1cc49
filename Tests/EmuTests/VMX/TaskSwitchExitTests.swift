import Testing
@testable import Emu

/// Task switches in VMX non-root operation (SDM vol. 3, 26.4.2): a VM exit with reason 9 once
/// the gate and TSS-descriptor checks pass; qualification bits 15:0 the new TSS's selector, bits
/// 31:30 the source (0 CALL, 1 IRET, 2 JMP, 3 task gate in the IDT); fault-like (RIP at the
/// instruction, its length reported); through the IDT, the event in the IDT-vectoring fields
/// (28.2.3, 28.2.5). No part of the task switch happens.
@Suite struct TaskSwitchExitTests {
    typealias G = VMXGuestMachine
    static let tssSelector: UInt64 = 0x20
    /// A 32-bit TSS at E000H, limit 67H, DPL 0: type 9 (available) or 11 (busy).
    static func tssDescriptor(busy: Bool) -> UInt64 { 0x0000_8900_E000_0067 | (busy ? 0x200 << 32 : 0) }
    /// A task gate (type 5, present, DPL 0) for TSS selector 20H.
    static let taskGate: UInt64 = 0x0000_8500_0020_0000

    /// A 32-bit protected-mode guest with 32-bit paging (one 4-MByte identity page from the
    /// page directory at 60000H); GDT: 32-bit code at 08H, data at 10H, the TSS at 20H.
    func guest(busy: Bool = false) -> G {
        let g = G()
        let v = g.cpu.vmx
        v.write(.vmEntryControls, v.read(.vmEntryControls) & ~0x200)
        v.write(.guestCR0, 0x8000_0031)
        v.write(.guestCR3, 0x6_0000)
        v.write(.guestCR4, 0x2010)
        g.memory.write(0x6_0000, size: 4, value: 0x83)
        v.write(.guestCSAccessRights, 0xC09B)
        v.write(.guestGDTRLimit, 0x2F)
        g.memory.write(G.guestGDT + 8, size: 8, value: 0x00CF_9B00_0000_FFFF)
        g.memory.write(G.guestGDT + Self.tssSelector, size: 8, value: Self.tssDescriptor(busy: busy))
        return g
    }

    func expectNoTaskSwitch(_ g: G, busy: Bool = false) {
        #expect(g.memory.read(G.guestGDT + Self.tssSelector, size: 8) == Self.tssDescriptor(busy: busy))
        #expect(g.cpu.vmx.read(.guestTRSelector) == 0x18)
    }

    @Test func jmpFarToTSS() {
        let g = guest()
        #expect(g.exitOf([0xEA, 0, 0, 0, 0, 0x20, 0]) == 9)              // JMP 20H:0
        #expect(g.qualification == 2 << 30 | 0x20)
        #expect(g.savedRIP == G.guestCode && g.instructionLength == 7)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) & 1 << 31 == 0)
        expectNoTaskSwitch(g)
    }

    @Test func callFarThroughTaskGate() {
        let g = guest()
        g.memory.write(G.guestGDT + 0x28, size: 8, value: Self.taskGate)   // task gate at 28H
        #expect(g.exitOf([0x90, 0x9A, 0, 0, 0, 0, 0x28, 0]) == 9)        // NOP; CALL 28H:0
        #expect(g.qualification == 0x20)                                  // the TSS's selector
        #expect(g.savedRIP == G.guestCode + 1 && g.instructionLength == 7)
        expectNoTaskSwitch(g)
    }

    @Test func iretWithNestedTask() {
        let g = guest(busy: true)
        g.cpu.vmx.write(.guestRFLAGS, 0x4002)                              // NT
        g.memory.write(0x7C00, size: 2, value: Self.tssSelector)           // back link
        #expect(g.exitOf([0xCF]) == 9)
        #expect(g.qualification == 1 << 30 | 0x20)
        #expect(g.savedRIP == G.guestCode && g.instructionLength == 1)
        #expect(g.cpu.vmx.read(.guestRFLAGS) & 0x4000 != 0)
        expectNoTaskSwitch(g, busy: true)
    }

    /// The checks before the exit still fault: JMP to a busy TSS is #GP(selector).
    @Test func busyTSSFaultsFirst() {
        let g = guest(busy: true)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 13)
        #expect(g.exitOf([0xEA, 0, 0, 0, 0, 0x20, 0]) == 0)
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0D)
        #expect(g.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0x20)
    }

    @Test func softwareInterruptThroughTaskGate() {
        let g = guest()
        g.memory.write(G.guestIDT + 0x30 * 8, size: 8, value: Self.taskGate)
        #expect(g.exitOf([0x90, 0xCD, 0x30]) == 9)                        // NOP; INT 30H
        #expect(g.qualification == 3 << 30 | 0x20)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0430)
        #expect(g.savedRIP == G.guestCode + 1 && g.instructionLength == 2)
        expectNoTaskSwitch(g)
    }

    /// #GP(0) from MOV CR0 clearing PE, delivered through a task gate: the exception with its
    /// error code in the IDT-vectoring fields.
    @Test func exceptionThroughTaskGate() {
        let g = guest()
        g.memory.write(G.guestIDT + 13 * 8, size: 8, value: Self.taskGate)
        #expect(g.exitOf([0x31, 0xC0, 0x0F, 0x22, 0xC0]) == 9)            // XOR EAX, EAX; MOV CR0, EAX
        #expect(g.qualification == 3 << 30 | 0x20)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0B0D)
        #expect(g.cpu.vmx.read(.idtVectoringErrorCode) == 0)
        #expect(g.savedRIP == G.guestCode + 2)
        expectNoTaskSwitch(g)
    }

    /// An external interrupt injected by VM entry through a task gate: the exit happens at VM
    /// entry, with the injected event as IDT-vectoring information.
    @Test func injectedInterruptThroughTaskGate() {
        let g = guest()
        g.memory.write(G.guestIDT + 0x30 * 8, size: 8, value: Self.taskGate)
        g.cpu.vmx.write(.guestRFLAGS, 0x202)
        g.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0030)
        #expect(g.exitOf([0x90]) == 9)
        #expect(g.qualification == 3 << 30 | 0x20)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0030)
        #expect(g.savedRIP == G.guestCode)
        expectNoTaskSwitch(g)
    }

    /// An injected software interrupt: the exit reports VM entry's instruction length and RIP.
    @Test func injectedSoftwareInterruptThroughTaskGate() {
        let g = guest()
        g.memory.write(G.guestIDT + 0x30 * 8, size: 8, value: Self.taskGate)
        g.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0430)
        g.cpu.vmx.write(.vmEntryInstructionLength, 2)
        #expect(g.exitOf([0x90]) == 9)
        #expect(g.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0430)
        #expect(g.savedRIP == G.guestCode && g.instructionLength == 2)
    }
}
