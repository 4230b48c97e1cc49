import Testing
@testable import Emu

/// LLDT, SLDT, LTR, STR, LAR, LSL, VERR, VERW, ARPL and hardware task switches
/// (SDM vol. 2 instruction pages; vol. 3, chapter 7).
private func machine() -> SystemMachine {
    let s = SystemMachine()
    s.setGDT(1, GDT.code32())
    s.setGDT(2, GDT.data32())
    s.setGDT(3, GDT.code32(dpl: 3))
    s.setGDT(4, GDT.segment(limit: 0x1234, type: 0x2, dpl: 3, granular: false))
    s.setGDT(5, GDT.segment(base: 0x14000, limit: 0x27, type: 0x2, system: true, big: false, granular: false))
    s.loadTR(index: 6)
    s.setGDT(10, GDT.tss(base: 0x13000))
    return s
}

@Suite struct DescriptorInstructionTests {
    @Test func ltrMarksBusyAndStrReadsIt() throws {
        let s = machine()
        s.cpu.registers[0] = 0x50
        s.code([0x0F, 0x00, 0xD8, 0x0F, 0x00, 0xCB])        // ltr ax; str ebx
        s.cpu.registers[3] = 0xFFFF_FFFF
        try s.cpu.step()
        #expect(s.cpu.tr.selector == 0x50 && s.cpu.tr.base == 0x13000 && s.cpu.tr.limit == 0x67)
        #expect((s.read(SystemMachine.gdtBase + 10 * 8 + 5, 1) & 0xF) == 0xB)
        try s.cpu.step()
        #expect(s.cpu.registers[3] == 0x50)                 // zero-extended
        // LTR of a busy TSS: #GP(sel).
        s.cpu.rip = 0x1000
        #expect(throws: Fault.generalProtection(0x50)) { try s.cpu.step() }
    }

    @Test func lldtAndSldt() throws {
        let s = machine()
        s.cpu.registers[0] = 0x28
        s.code([0x0F, 0x00, 0xD0, 0x0F, 0x00, 0xC1])        // lldt ax; sldt ecx
        try s.cpu.step()
        #expect(s.cpu.ldtr.selector == 0x28 && s.cpu.ldtr.base == 0x14000 && s.cpu.ldtr.limit == 0x27)
        try s.cpu.step()
        #expect(s.cpu.registers[1] == 0x28)
        s.cpu.rip = 0x1000
        s.cpu.registers[0] = 0x10                           // a data segment: #GP(sel)
        #expect(throws: Fault.generalProtection(0x10)) { try s.cpu.step() }
        // A selector in the LDT works once the LDT is loaded.
        s.write64(0x14008, GDT.data32(dpl: 3))
        s.cpu.registers[0] = 0x28
        try s.cpu.step()
        s.cpu.registers[0] = 0x0F                           // LDT index 1, RPL 3
        s.code([0x8E, 0xD8], at: 0x1003)
        s.cpu.rip = 0x1003
        try s.cpu.step()
        #expect(s.cpu.segments[3].selector == 0x0F && s.cpu.segments[3].dpl == 3)
        // LLDT at CPL 3: #GP(0); in real mode: #UD.
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.cpu.rip = 0x1000
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
    }

    @Test func larLslVerrVerw() throws {
        let s = machine()
        // lar eax, bx; lsl ecx, bx; verr bx; verw bx
        s.code([0x0F, 0x02, 0xC3, 0x0F, 0x03, 0xCB, 0x0F, 0x00, 0xE3, 0x0F, 0x00, 0xEB])
        s.cpu.registers[3] = 0x23
        try s.cpu.step()
        #expect(s.cpu.flags.zero)
        // Second doubleword of the descriptor AND 00FFFF00H: type 3 (accessed? no: 2), S, DPL 3, P, D.
        let high = GDT.segment(limit: 0x1234, type: 0x2, dpl: 3, granular: false) >> 32
        #expect(s.cpu.registers[0] == high & 0x00FF_FF00)
        try s.cpu.step()
        #expect(s.cpu.flags.zero && s.cpu.registers[1] == 0x1234)
        try s.cpu.step()
        #expect(s.cpu.flags.zero)                           // readable data
        try s.cpu.step()
        #expect(s.cpu.flags.zero)                           // writable data
        // Code segment: VERR yes (readable), VERW no. A null selector: ZF = 0.
        s.cpu.rip = 0x1006
        s.cpu.registers[3] = 0x08
        try s.cpu.step()
        #expect(s.cpu.flags.zero)
        try s.cpu.step()
        #expect(!s.cpu.flags.zero)
        s.cpu.rip = 0x1000
        s.cpu.registers[3] = 0
        s.cpu.registers[0] = 0x77
        try s.cpu.step()
        #expect(!s.cpu.flags.zero && s.cpu.registers[0] == 0x77)
        // From CPL 3, the DPL 0 data segment is invisible to LAR.
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.cpu.rip = 0x1000
        s.cpu.registers[3] = 0x13
        try s.cpu.step()
        #expect(!s.cpu.flags.zero)
    }

    @Test func arplRaisesRPL() throws {
        let s = machine()
        s.code([0x63, 0xD8, 0x63, 0xD8])                    // arpl ax, bx (twice)
        s.cpu.registers[0] = 0x10
        s.cpu.registers[3] = 0x03
        try s.cpu.step()
        #expect(s.cpu.registers[0] == 0x13 && s.cpu.flags.zero)
        try s.cpu.step()
        #expect(s.cpu.registers[0] == 0x13 && !s.cpu.flags.zero)
    }

    @Test func descriptorInstructionsAreUndefinedInRealMode() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .real)!
        _ = m.memory.load([0x0F, 0x00, 0xD0], at: 0x1000)
        m.cpu.rip = 0x1000
        #expect(throws: Fault.invalidOpcode) { try m.cpu.step() }
    }

    @Test func callToTSSAndIretBack() throws {
        let s = machine()
        let t: UInt64 = 0x13000
        s.write32(t + 0x20, 0x2000)                         // EIP
        s.write32(t + 0x24, 0x0002)                         // EFLAGS
        s.write32(t + 0x28, 0xAAAA)                         // EAX
        s.write32(t + 0x38, 0x5000)                         // ESP
        s.write16(t + 0x4C, 0x08)                           // CS
        for off: UInt64 in [0x48, 0x50, 0x54, 0x58, 0x5C] { s.write16(t + off, 0x10) }
        s.cpu.registers[0] = 0x1234
        s.code([0x9A, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00])  // call 0x50:0
        try s.cpu.step()
        #expect(s.cpu.tr.selector == 0x50 && s.cpu.rip == 0x2000 && s.cpu.registers[4] == 0x5000)
        #expect(s.cpu.registers[0] == 0xAAAA)
        #expect(s.cpu.rflags & RFlags.nestedTask.rawValue != 0)
        #expect(s.cpu.cr0 & 8 != 0)                         // CR0.TS
        #expect(s.read(t, 2) == 0x30)                       // back link
        #expect((s.read(SystemMachine.gdtBase + 10 * 8 + 5, 1) & 0xF) == 0xB)
        #expect(s.read(SystemMachine.tssBase + 0x20, 4) == 0x1007)      // old EIP saved
        #expect(s.read(SystemMachine.tssBase + 0x28, 4) == 0x1234)      // old EAX saved
        s.code([0xCF], at: 0x2000)                          // iret with NT: back to the caller
        try s.cpu.step()
        #expect(s.cpu.tr.selector == 0x30 && s.cpu.rip == 0x1007 && s.cpu.registers[0] == 0x1234)
        #expect(s.cpu.rflags & RFlags.nestedTask.rawValue == 0)
        #expect((s.read(SystemMachine.gdtBase + 10 * 8 + 5, 1) & 0xF) == 0x9)   // not busy any more
        // JMP to a busy TSS: #GP(sel).
        s.code([0xEA, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00], at: 0x1007)
        #expect(throws: Fault.generalProtection(0x30)) { try s.cpu.step() }
    }

    /// A 32-bit TSS at 0x13000 (GDT entry 10, selector 50h) for a task at EIP 2000h with
    /// CS = 08h and the data selectors 10h; `change` edits it before the CALL.
    private func callNewTask(_ s: SystemMachine, _ change: (SystemMachine) -> Void = { _ in }) throws {
        let t: UInt64 = 0x13000
        s.write32(t + 0x20, 0x2000)
        s.write32(t + 0x24, 0x0002)
        s.write32(t + 0x38, 0x5000)
        s.write16(t + 0x4C, 0x08)
        for off: UInt64 in [0x48, 0x50, 0x54, 0x58, 0x5C] { s.write16(t + off, 0x10) }
        change(s)
        s.code([0x9A, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00])  // call 0x50:0
        try s.cpu.step()
    }

    /// SDM vol. 3, 18.2.4: the processor clears L0-L3 on every task switch, not G0-G3.
    @Test func taskSwitchClearsTheLocalBreakpointEnables() throws {
        let s = machine()
        s.cpu.dr[0] = 0xFFF0
        s.cpu.dr[7] = 0x4FF                                 // L0-L3, G0-G3 (execute breakpoints)
        s.cpu.refreshBreakpoints()
        try callNewTask(s)
        #expect(s.cpu.tr.selector == 0x50 && s.cpu.rip == 0x2000)
        #expect(s.cpu.dr[7] == 0x4AA)
    }

    /// SDM vol. 3, table 7-1: faults while loading the new task's segments come after the
    /// commit point, in the new task (TR is the new TSS, EIP the new task's), with the selector
    /// as error code.
    @Test func newTaskSegmentFaults() throws {
        let ldtInLDT = machine()
        #expect(throws: Fault.invalidTSS(0x2C)) {
            try callNewTask(ldtInLDT) { $0.write16(0x13000 + 0x60, 0x2C) }   // LDT selector with TI = 1
        }
        #expect(ldtInLDT.cpu.tr.selector == 0x50 && ldtInLDT.cpu.segment(.cs).selector == 0x08)
        #expect(ldtInLDT.cpu.rip == 0x2000)
        let notLDT = machine()
        #expect(throws: Fault.invalidTSS(0x10)) {
            try callNewTask(notLDT) { $0.write16(0x13000 + 0x60, 0x10) }     // a data segment
        }
        let codeAsStack = machine()
        #expect(throws: Fault.invalidTSS(0x08)) {
            try callNewTask(codeAsStack) { $0.write16(0x13000 + 0x50, 0x08) } // SS = code
        }
        let absentData = machine()
        absentData.setGDT(11, GDT.data32(present: false))
        #expect(throws: Fault.segmentNotPresent(0x58)) {
            try callNewTask(absentData) { $0.write16(0x13000 + 0x54, 0x58) } // DS not present
        }
        #expect(absentData.cpu.tr.selector == 0x50 && absentData.cpu.segment(.ss).selector == 0x10)
        #expect(absentData.cpu.rip == 0x2000)
        // The next fault of an ordinary instruction rolls RIP back again.
        absentData.code([0x0F, 0x0B], at: 0x2000)          // ud2
        #expect(throws: Fault.invalidOpcode) { try absentData.cpu.step() }
        #expect(absentData.cpu.rip == 0x2000)
        // The old TSS's busy bit is kept for CALL; the new one is busy.
        #expect((absentData.read(SystemMachine.gdtBase + 6 * 8 + 5, 1) & 0xF) == 0xB)
        #expect((absentData.read(SystemMachine.gdtBase + 10 * 8 + 5, 1) & 0xF) == 0xB)
    }

    /// SDM vol. 3, 4.4.1: with PAE paging a task switch that changes CR3 loads the PDPTEs from
    /// the new CR3; a present PDPTE with a reserved bit is #GP(0) and the PDPTEs are not loaded.
    @Test func taskSwitchLoadsThePDPTEsWithPAEPaging() throws {
        let s = machine()
        s.write64(0x21000, 0x83)                            // PD: 2 MiB pages, identity
        s.write64(0x21008, 0x20_0083)
        s.write64(0x20000, 0x21001)                         // PDPT A (the current CR3)
        s.write64(0x22000, 0x21001)                         // PDPT B: PDPTE1 sets reserved bit 1
        s.write64(0x22008, 0x3)
        s.write64(0x22020, 0x21009)                         // PDPT C: PWT set, to tell it apart
        s.cpu.cr4 |= CR4.pae.rawValue
        s.cpu.cr0 |= CR0.pg.rawValue
        s.cpu.cr3 = 0x20000
        try s.cpu.loadPDPTEs(0x20000)
        s.write32(SystemMachine.tssBase + 0x1C, 0x22000)   // the old task's CR3: PDPT B
        try callNewTask(s) { $0.write32(0x13000 + 0x1C, 0x22020) }
        #expect(s.cpu.cr3 == 0x22020 && s.cpu.systemRegisters.pdptes.0 == 0x21009)
        s.code([0xCF], at: 0x2000)                          // IRET (NT = 1) back to the old task
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
        #expect(s.cpu.tr.selector == 0x30 && s.cpu.cr3 == 0x22000 && s.cpu.registers[4] == 0x8000)
        #expect(s.cpu.rip == 0x1007)                        // the old task's EIP, saved by the CALL
        #expect(s.cpu.systemRegisters.pdptes.0 == 0x21009)  // not loaded
    }

    /// JMP to a TSS (SDM vol. 3, 7.3, table 7-2): the old TSS becomes available, the new one
    /// busy; no back link, NT stays as the new TSS has it.
    @Test func jumpToTSS() throws {
        let s = machine()
        s.write16(0x13000, 0x7777)                          // back link: left alone
        let t: UInt64 = 0x13000
        s.write32(t + 0x20, 0x2000)
        s.write32(t + 0x24, 0x0002)
        s.write16(t + 0x4C, 0x08)
        for off: UInt64 in [0x48, 0x50, 0x54, 0x58, 0x5C] { s.write16(t + off, 0x10) }
        s.code([0xEA, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00])  // jmp 0x50:0
        try s.cpu.step()
        #expect(s.cpu.tr.selector == 0x50 && s.cpu.rip == 0x2000)
        #expect(s.cpu.rflags & RFlags.nestedTask.rawValue == 0)
        #expect(s.read(t, 2) == 0x7777)
        #expect((s.read(SystemMachine.gdtBase + 6 * 8 + 5, 1) & 0xF) == 0x9)    // old: available
        #expect((s.read(SystemMachine.gdtBase + 10 * 8 + 5, 1) & 0xF) == 0xB)   // new: busy
        #expect(s.read(SystemMachine.tssBase + 0x20, 4) == 0x1007)             // old EIP saved
    }

    /// CALL to a 16-bit TSS (SDM vol. 3, 7.7, figure 7-11): IP, FLAGS, AX..DI and the selectors
    /// at their 16-bit offsets; the back link at offset 0; the type becomes 3 (busy 16-bit TSS).
    @Test func callTo16BitTSS() throws {
        let s = machine()
        let t: UInt64 = 0x14800
        s.setGDT(12, GDT.segment(base: UInt32(t), limit: 0x2B, type: 0x1, system: true, big: false, granular: false))
        s.write16(t + 0x0E, 0x2000)                         // IP
        s.write16(t + 0x10, 0x0002)                         // FLAGS
        s.write16(t + 0x12, 0xBBBB)                         // AX
        s.write16(t + 0x1A, 0x5000)                         // SP
        s.write16(t + 0x24, 0x08)                           // CS
        for off: UInt64 in [0x22, 0x26, 0x28] { s.write16(t + off, 0x10) }   // ES, SS, DS
        s.code([0x9A, 0x00, 0x00, 0x00, 0x00, 0x60, 0x00])  // call 0x60:0
        try s.cpu.step()
        #expect(s.cpu.tr.selector == 0x60 && s.cpu.rip == 0x2000)
        #expect(s.cpu.registers[0] & 0xFFFF == 0xBBBB && s.cpu.registers[4] & 0xFFFF == 0x5000)
        #expect(s.cpu.rflags & RFlags.nestedTask.rawValue != 0)
        #expect(s.read(t, 2) == 0x30)
        #expect((s.read(SystemMachine.gdtBase + 12 * 8 + 5, 1) & 0xF) == 0x3)
        // A 16-bit TSS limit below 2Bh is #TS(selector).
        let short = machine()
        short.setGDT(12, GDT.segment(base: UInt32(t), limit: 0x2A, type: 0x1, system: true, big: false, granular: false))
        short.code([0x9A, 0x00, 0x00, 0x00, 0x00, 0x60, 0x00])
        #expect(throws: Fault.invalidTSS(0x60)) { try short.cpu.step() }
    }
}
