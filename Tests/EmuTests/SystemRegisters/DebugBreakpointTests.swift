import Testing
@testable import Emu

/// DR0-DR3/DR7 breakpoints (SDM vol. 3, 18.2-18.3): instruction breakpoints are faults checked
/// before the instruction and suppressed by RF; data (R/W = 01 write, 11 read/write) and I/O
/// (R/W = 10 with CR4.DE) breakpoints are traps after it; LEN 00/01/11/10 = 1/2/4/8 bytes over
/// the LEN-aligned address; DR6.B0-B3 name the breakpoints hit, BS joins them for single-step.
@Suite struct DebugBreakpointTests {
    static let trap = Fault(vector: 1, trap: true)
    static let rf: UInt64 = 1 << 16

    /// MOV DRn, EAX.
    func setDR(_ m: FlatMachine, _ n: UInt8, _ v: UInt64) throws {
        m.cpu.registers[0] = v
        try m.run([0x0F, 0x23, 0xC0 | n << 3])
    }

    /// DR7 for breakpoint `n`: L bit, R/W and LEN fields.
    func dr7(_ n: Int, rw: UInt64, len: UInt64) -> UInt64 {
        1 << (2 * UInt64(n)) | rw << (16 + 4 * UInt64(n)) | len << (18 + 4 * UInt64(n))
    }

    func step(_ m: FlatMachine, _ bytes: [UInt8], at a: UInt64 = 0x2000) -> Fault? {
        _ = m.memory.load(bytes, at: a)
        m.cpu.rip = a
        do throws(Fault) { try m.cpu.step() } catch { return error }
        return nil
    }

    @Test func nothingArmedMeansNoSlowPath() throws {
        let m = systemMachine(.protected32)
        #expect(!m.cpu.systemRegisters.breakpoints.attention)
        try setDR(m, 7, 0x0003_0000)                                 // R/W0, LEN0 set but not enabled
        #expect(!m.cpu.systemRegisters.breakpoints.attention)
        try setDR(m, 0, 0x2000)
        #expect(step(m, [0x90]) == nil)
    }

    @Test func instructionBreakpointIsAFaultBeforeTheInstruction() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 0, 0x2000)
        try setDR(m, 7, dr7(0, rw: 0, len: 0))
        m.cpu.registers[1] = 5
        #expect(step(m, [0x41]) == .debug)                            // INC ECX not executed
        #expect(m.cpu.rip == 0x2000 && m.cpu.registers[1] == 5)
        #expect(m.cpu.dr[6] & 0xF == 1)
        // RF = 1 (as IRET from the #DB handler sets it): the instruction runs, RF is cleared.
        m.cpu.rflags |= DebugBreakpointTests.rf
        m.cpu.systemRegisters.breakpoints.attention = true
        #expect(step(m, [0x41]) == nil)
        #expect(m.cpu.registers[1] == 6 && m.cpu.rflags & DebugBreakpointTests.rf == 0)
        #expect(step(m, [0x41]) == .debug)                            // armed again
    }

    @Test func globalEnableAlsoArms() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 3, 0x2000)
        try setDR(m, 7, 0x80)                                         // G3
        #expect(step(m, [0x90]) == .debug)
        #expect(m.cpu.dr[6] & 0xF == 8)
    }

    @Test func iretLoadsRFWhichSuppressesTheBreakpoint() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 0, 0x2000)
        try setDR(m, 7, dr7(0, rw: 0, len: 0))
        m.cpu.gdtr = DescriptorTable(base: 0x10000, limit: 0xFFF)
        m.memory.write(0x10008, size: 8, value: GDT.code32())
        m.memory.write(0x10010, size: 8, value: GDT.data32())
        // IRETD to 0x2000 with RF in the popped EFLAGS (18.3.1.1).
        m.memory.write(0x7000, size: 4, value: 0x2000)
        m.memory.write(0x7004, size: 4, value: UInt64(m.cpu.segments[1].selector))
        m.memory.write(0x7008, size: 4, value: DebugBreakpointTests.rf | 2)
        m.cpu.registers[4] = 0x7000
        #expect(step(m, [0xCF], at: 0x1800) == nil)
        #expect(m.cpu.rip == 0x2000 && m.cpu.rflags & DebugBreakpointTests.rf != 0)
        _ = m.memory.load([0x90], at: 0x2000)
        do throws(Fault) { try m.cpu.step() } catch { Issue.record("\(error)") }
        #expect(m.cpu.rip == 0x2001 && m.cpu.rflags & DebugBreakpointTests.rf == 0)
    }

    @Test func dataWriteBreakpointIsATrapAfterTheWrite() throws {
        let m = systemMachine(.protected32)
        _ = m.fault([0xA1, 0x00, 0x30, 0, 0])                         // MOV EAX,[3000h]: fills the TLB
        try setDR(m, 1, 0x3000)
        try setDR(m, 7, dr7(1, rw: 1, len: 3))                        // write, 4 bytes
        m.cpu.registers[0] = 0xAB
        #expect(step(m, [0xA2, 0x02, 0x30, 0, 0]) == DebugBreakpointTests.trap)  // MOV [3002h],AL
        #expect(m.cpu.rip == 0x2005 && m.memory.read(0x3002, size: 1) == 0xAB)
        #expect(m.cpu.dr[6] & 0xF == 2)
        #expect(step(m, [0xA1, 0x00, 0x30, 0, 0]) == nil)              // reads do not match R/W = 01
        #expect(step(m, [0xA2, 0x04, 0x30, 0, 0]) == nil)              // 3004h is outside 3000h-3003h
    }

    @Test func readWriteBreakpointMatchesReads() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 2, 0x3010)
        try setDR(m, 7, dr7(2, rw: 3, len: 1))                        // read/write, 2 bytes
        #expect(step(m, [0x8B, 0x05, 0x0E, 0x30, 0, 0]) == DebugBreakpointTests.trap)  // MOV EAX,[300Eh] covers 3010h
        #expect(m.cpu.dr[6] & 0xF == 4)
        #expect(step(m, [0x8A, 0x05, 0x12, 0x30, 0, 0]) == nil)        // MOV AL,[3012h]
    }

    @Test func lengthAlignsTheBreakpointAddress() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 0, 0x3003)                                       // LEN 4: 3000h-3003h
        try setDR(m, 7, dr7(0, rw: 3, len: 3))
        #expect(step(m, [0x8A, 0x05, 0x00, 0x30, 0, 0]) == DebugBreakpointTests.trap)
        #expect(step(m, [0x8A, 0x05, 0x04, 0x30, 0, 0]) == nil)
        try setDR(m, 0, 0x3008)                                       // LEN 8 (10b): 3008h-300Fh
        try setDR(m, 7, dr7(0, rw: 3, len: 2))
        #expect(step(m, [0x8A, 0x05, 0x0F, 0x30, 0, 0]) == DebugBreakpointTests.trap)
        #expect(step(m, [0x8A, 0x05, 0x10, 0x30, 0, 0]) == nil)
        #expect(step(m, [0x8A, 0x05, 0x07, 0x30, 0, 0]) == nil)
    }

    @Test func ioBreakpointNeedsCR4DE() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 2, 0x80)
        try setDR(m, 7, dr7(2, rw: 2, len: 0))
        #expect(step(m, [0xE6, 0x80]) == nil)                          // CR4.DE = 0: not an I/O breakpoint
        try m.cpu.writeCR4(m.cpu.cr4 | CR4.de.rawValue)
        #expect(step(m, [0xE6, 0x80]) == DebugBreakpointTests.trap)    // OUT 80h, AL
        #expect(m.cpu.rip == 0x2002 && m.cpu.dr[6] & 0xF == 4)
        #expect(step(m, [0xE6, 0x81]) == nil)
        m.cpu.registers[2] = 0x7F
        #expect(step(m, [0x66, 0xED]) == DebugBreakpointTests.trap)    // IN AX, DX covers 7Fh-80h
    }

    @Test func singleStepAndDataBreakpointShareOneDebugException() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 0, 0x3000)
        try setDR(m, 7, dr7(0, rw: 1, len: 0))
        m.cpu.dr[6] = CPU.dr6Value(0x2)                               // a stale B1
        m.cpu.rflags |= 0x100                                         // TF
        #expect(step(m, [0xA2, 0x00, 0x30, 0, 0]) == DebugBreakpointTests.trap)
        #expect(m.cpu.dr[6] & 0x400F == 0x4001)                       // BS and B0; B1 replaced
    }

    @Test func disarmingRestoresTheFastPath() throws {
        let m = systemMachine(.protected32)
        try setDR(m, 0, 0x3000)
        try setDR(m, 7, dr7(0, rw: 1, len: 0))
        #expect(m.cpu.systemRegisters.breakpoints.attention)
        try setDR(m, 7, 0)
        #expect(!m.cpu.systemRegisters.breakpoints.attention)
        #expect(step(m, [0xA2, 0x00, 0x30, 0, 0]) == nil)
    }
}

/// The TSS debug trap flag (SDM vol. 3, 7.2.1 and 18.2.3): a task switch into a 32-bit TSS with
/// T = 1 raises #DB with DR6.BT before the new task's first instruction.
@Suite struct TaskSwitchDebugTrapTests {
    func machine(t: Bool) -> SystemMachine {
        let s = SystemMachine()
        s.setGDT(1, GDT.code32())
        s.setGDT(2, GDT.data32())
        s.loadTR(index: 5)
        let tss: UInt64 = 0x13000
        s.setGDT(6, GDT.tss(base: UInt32(tss)))
        s.write32(tss + 0x20, 0x2000)                                 // EIP
        s.write32(tss + 0x24, 2)                                      // EFLAGS
        s.write32(tss + 0x38, 0x9000)                                 // ESP
        for off: UInt64 in [0x48, 0x50, 0x54, 0x58, 0x5C] { s.write16(tss + off, 0x10) }
        s.write16(tss + 0x4C, 0x08)                                   // CS
        s.write16(tss + 0x64, t ? 1 : 0)                              // T
        s.code([0xEA, 0, 0, 0, 0, 0x30, 0x00], at: 0x1000)             // JMP 0030h:0
        s.code([0x90], at: 0x2000)
        return s
    }

    @Test func trapBeforeTheFirstInstruction() throws {
        let s = machine(t: true)
        try s.cpu.step()
        #expect(s.cpu.tr.selector == 0x30 && s.cpu.rip == 0x2000)
        #expect(throws: Fault(vector: 1, trap: true)) { try s.cpu.step() }
        #expect(s.cpu.rip == 0x2000 && s.cpu.dr[6] & 0x8000 != 0)
        try s.cpu.step()
        #expect(s.cpu.rip == 0x2001)
    }

    @Test func noTrapWithoutT() throws {
        let s = machine(t: false)
        try s.cpu.step()
        try s.cpu.step()
        #expect(s.cpu.rip == 0x2001 && s.cpu.dr[6] & 0x8000 == 0)
    }
}

/// A data breakpoint hit by an iteration of a repeated string instruction is reported after that
/// iteration (SDM 18.3.1.2): RCX and RDI show the iterations done, RIP stays on the instruction.
@Suite struct RepeatedStringBreakpointTests {
    @Test func reportedAfterTheIterationThatHit() throws {
        let m = systemMachine(.protected32)
        m.cpu.registers[0] = 0x3004
        try m.run([0x0F, 0x23, 0xC0])                                 // DR0 = 3004h
        m.cpu.registers[0] = 1 | 1 << 16 | 3 << 18                    // L0, write, 4 bytes
        try m.run([0x0F, 0x23, 0xF8])
        _ = m.memory.load([0xF3, 0xAB], at: 0x2000)                   // REP STOSD
        m.cpu.rip = 0x2000
        m.cpu.registers[1] = 8
        m.cpu.registers[7] = 0x3000
        try m.cpu.step()                                              // the store at 3000h
        #expect(m.cpu.registers[1] == 7 && m.cpu.rip == 0x2000)
        #expect(throws: Fault(vector: 1, trap: true)) { try m.cpu.step() }
        #expect(m.cpu.registers[1] == 6 && m.cpu.registers[7] == 0x3008)  // the second store hit
        #expect(m.cpu.rip == 0x2000 && m.cpu.dr[6] & 0xF == 1)
        #expect(m.cpu.rflags & 1 << 16 != 0)                          // RF = 1 for the #DB frame
    }
}
