import Testing
@testable import Emu

/// RF in the EFLAGS image of an event delivered between iterations of a repeated string
/// instruction (SDM vol. 3, 18.3.1.1): an interrupt arriving after an iteration other than the
/// last, or a trap of such an iteration, pushes RF = 1, so that an instruction breakpoint on the
/// string instruction does not fire again when the handler returns; an interrupt after the last
/// iteration, or between other instructions, pushes RF as it is (0).
@Suite struct RepeatResumeFlagTests {
    static let rf: UInt64 = 1 << 16
    static let timer: UInt8 = 0x20

    /// Protected mode, REP STOSB at 1000h (ECX = `count`, EDI = 100000h); the #DB handler at
    /// 3000h sets RF in its frame and returns (as a debugger does to go on), the timer handler
    /// at 3100h returns; DR0 = 1000h is an instruction breakpoint when `breakpoint`.
    static func machine(count: UInt64, breakpoint: Bool) -> SystemMachine {
        let s = SystemMachine(mode: .protected32)
        s.setGDT(1, GDT.code32())
        s.setGDT(2, GDT.data32())
        s.setIDT(1, GDT.gate(selector: 8, offset: 0x3000, type: 0xE))
        s.setIDT(Int(timer), GDT.gate(selector: 8, offset: 0x3100, type: 0xE))
        s.code([0x81, 0x4C, 0x24, 0x08, 0x00, 0x00, 0x01, 0x00,   // or dword [esp+8], 10000h
                0xCF], at: 0x3000)                                  // iretd
        s.code([0xCF], at: 0x3100)                                  // iretd
        s.code([0xF3, 0xAA, 0x90])                                  // 1000: rep stosb; nop
        s.cpu.registers[1] = count
        s.cpu.registers[7] = 0x10_0000
        if breakpoint {
            s.cpu.dr[0] = 0x1000
            s.cpu.dr[7] = 0x401                                     // L0, R/W0 = 00 (execute), LEN0 = 00
            s.cpu.refreshBreakpoints()
        }
        return s
    }

    /// The EFLAGS image of the frame on the stack (EIP, CS, EFLAGS).
    static func pushedFlags(_ s: SystemMachine) -> UInt64 { s.read(s.cpu.registers[4] &+ 8, 4) }

    @Test func anInterruptBetweenIterationsPushesRFAndTheBreakpointDoesNotFireAgain() {
        let s = RepeatResumeFlagTests.machine(count: 3 * CPU.repeatChunk, breakpoint: true)
        let cpu = s.cpu
        #expect(cpu.stepDelivering() == .delivered && cpu.rip == 0x3000)    // the breakpoint
        #expect(cpu.dr[6] & 1 == 1)
        _ = cpu.stepDelivering()                                            // or [esp+8]
        _ = cpu.stepDelivering()                                            // iretd: RF = 1
        #expect(cpu.rip == 0x1000 && cpu.rflags & RepeatResumeFlagTests.rf != 0)
        _ = cpu.stepDelivering()                                            // some iterations
        #expect(cpu.rip == 0x1000 && cpu.registers[1] != 0 && cpu.registers[1] < 3 * CPU.repeatChunk)
        #expect(cpu.rflags & RepeatResumeFlagTests.rf == 0)
        let left = cpu.registers[1]
        #expect(cpu.deliverExternalInterrupt(vector: RepeatResumeFlagTests.timer) == .delivered)
        #expect(cpu.rip == 0x3100)
        #expect(RepeatResumeFlagTests.pushedFlags(s) & RepeatResumeFlagTests.rf != 0)
        _ = cpu.stepDelivering()                                            // iretd: RF = 1
        #expect(cpu.rip == 0x1000 && cpu.registers[1] == left)
        _ = cpu.stepDelivering()                                            // no #DB: more iterations
        #expect(cpu.rip == 0x1000 && cpu.registers[1] < left)
    }

    @Test func anInterruptAfterTheLastIterationPushesRFAsItIs() {
        let s = RepeatResumeFlagTests.machine(count: 10, breakpoint: false)
        let cpu = s.cpu
        _ = cpu.stepDelivering()
        #expect(cpu.rip == 0x1002 && cpu.registers[1] == 0)
        #expect(cpu.deliverExternalInterrupt(vector: RepeatResumeFlagTests.timer) == .delivered)
        #expect(RepeatResumeFlagTests.pushedFlags(s) & RepeatResumeFlagTests.rf == 0)
    }

    /// An interrupt after the string instruction resumed and completed pushes RF as it is.
    @Test func anInterruptAfterTheResumedInstructionCompletedPushesRFAsItIs() {
        let s = RepeatResumeFlagTests.machine(count: CPU.repeatChunk + 1, breakpoint: false)
        let cpu = s.cpu
        _ = cpu.stepDelivering()
        #expect(cpu.rip == 0x1000 && cpu.registers[1] == 1)
        _ = cpu.stepDelivering()
        #expect(cpu.rip == 0x1002 && cpu.registers[1] == 0)
        #expect(cpu.deliverExternalInterrupt(vector: RepeatResumeFlagTests.timer) == .delivered)
        #expect(RepeatResumeFlagTests.pushedFlags(s) & RepeatResumeFlagTests.rf == 0)
    }

    /// EFLAGS.TF: a single-step trap after each iteration; those before the last push RF = 1.
    @Test func singleStepTrapsAfterEachIteration() {
        let s = RepeatResumeFlagTests.machine(count: 2, breakpoint: false)
        let cpu = s.cpu
        s.setIDT(1, GDT.gate(selector: 8, offset: 0x3100, type: 0xE))      // #DB: iretd
        cpu.rflags |= RFlags.trap.rawValue
        #expect(cpu.stepDelivering() == .delivered)
        #expect(cpu.rip == 0x3100 && cpu.dr[6] & 0x4000 != 0)
        #expect(cpu.registers[1] == 1)
        #expect(RepeatResumeFlagTests.pushedFlags(s) & RepeatResumeFlagTests.rf != 0)
        _ = cpu.stepDelivering()                                            // iretd: RF = 1, TF = 1
        #expect(cpu.rip == 0x1000)
        #expect(cpu.stepDelivering() == .delivered)                         // the last iteration
        #expect(cpu.rip == 0x3100 && cpu.registers[1] == 0)
        #expect(RepeatResumeFlagTests.pushedFlags(s) & RepeatResumeFlagTests.rf == 0)
        #expect(s.read(s.cpu.registers[4], 4) == 0x1002)
    }

    /// Through a task gate, the EFLAGS image saved in the old TSS follows the same rule.
    @Test func anInterruptThroughATaskGateSavesRFInTheOldTSS() {
        let s = RepeatResumeFlagTests.machine(count: 2 * CPU.repeatChunk, breakpoint: false)
        let cpu = s.cpu
        s.loadTR(index: 5)                                          // the old TSS at 12000h
        let tss: UInt64 = 0x13000
        s.setGDT(6, GDT.tss(base: UInt32(tss)))
        s.write32(tss + 0x20, 0x3100)                               // EIP
        s.write32(tss + 0x24, 2)                                    // EFLAGS
        s.write32(tss + 0x38, 0x9000)                               // ESP
        for off: UInt64 in [0x48, 0x50, 0x54, 0x58, 0x5C] { s.write16(tss + off, 0x10) }
        s.write16(tss + 0x4C, 0x08)                                 // CS
        s.setIDT(Int(RepeatResumeFlagTests.timer), GDT.gate(selector: 0x30, offset: 0, type: 0x5))
        _ = cpu.stepDelivering()
        #expect(cpu.rip == 0x1000 && cpu.registers[1] == CPU.repeatChunk)
        #expect(cpu.deliverExternalInterrupt(vector: RepeatResumeFlagTests.timer) == .delivered)
        #expect(cpu.tr.selector == 0x30 && cpu.rip == 0x3100)
        #expect(s.read(SystemMachine.tssBase + 0x24, 4) & RepeatResumeFlagTests.rf != 0)
        #expect(s.read(SystemMachine.tssBase + 0x20, 4) == 0x1000)
    }
}
