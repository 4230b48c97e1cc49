import Testing
@testable import Emu

/// Exception and interrupt delivery, IRET, double and triple faults (SDM vol. 3, chapter 6;
/// vol. 2, INT n and IRET operation).
private func legacyMachine() -> SystemMachine {
    let s = SystemMachine()
    s.setGDT(1, GDT.code32())
    s.setGDT(2, GDT.data32())
    s.setGDT(3, GDT.code32(dpl: 3))
    s.setGDT(4, GDT.data32(dpl: 3))
    s.loadTR(index: 6)
    s.write32(SystemMachine.tssBase + 4, 0x9000)     // ESP0
    s.write16(SystemMachine.tssBase + 8, 0x10)       // SS0
    return s
}

/// IA-32e machine: 1 = 64-bit code DPL0, 2 = data DPL0, 3 = 64-bit code DPL3 (0x1B), 4 = data
/// DPL3 (0x23), 6-7 = 64-bit TSS (0x30) with RSP0 = 0xA000 and IST1 = 0x9008.
private func longMachine() -> SystemMachine {
    let s = SystemMachine(mode: .long64)
    s.setGDT(1, GDT.code64())
    s.setGDT(2, GDT.data32())
    s.setGDT(3, GDT.code64(dpl: 3))
    s.setGDT(4, GDT.data32(dpl: 3))
    s.setGDT(6, [GDT.tss(base: UInt32(SystemMachine.tssBase), busy: true), 0])
    s.cpu.tr = SegmentCache(selector: 0x30, base: SystemMachine.tssBase, limit: 0x67, attributes: 0x8B)
    s.write64(SystemMachine.tssBase + 4, 0xA000)     // RSP0
    s.write64(SystemMachine.tssBase + 0x24, 0x9008)  // IST1
    return s
}

@Suite struct InterruptDeliveryTests {
    @Test func realModeIntThroughIVT() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .real)!
        m.memory.write(0x10 * 4, size: 4, value: 0xC000_0123)         // INT 10h -> C000:0123
        _ = m.memory.load([0xCD, 0x10], at: 0x1000)
        m.cpu.rip = 0x1000
        m.cpu.registers[4] = 0x8000
        m.cpu.rflags = 0x0302                                          // IF, TF
        #expect(m.cpu.stepDelivering() == .delivered)
        #expect(m.cpu.segments[1].selector == 0xC000 && m.cpu.segments[1].base == 0xC0000)
        #expect(m.cpu.rip == 0x123)
        #expect(m.cpu.registers[4] == 0x8000 - 6)
        #expect(m.memory.read(0x7FFE, size: 2) == 0x0302)              // FLAGS
        #expect(m.memory.read(0x7FFC, size: 2) == 0x0008)              // CS
        #expect(m.memory.read(0x7FFA, size: 2) == 0x1002)              // IP after INT
        #expect(m.cpu.rflags & 0x300 == 0)                             // IF, TF cleared
        // IRET comes back.
        _ = m.memory.load([0xCF], at: 0xC0123)
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1002 && m.cpu.segments[1].selector == 0x08 && m.cpu.rflags & 0x300 == 0x300)
    }

    @Test func intFromRing3ThroughInterruptGateAndIretBack() throws {
        let s = legacyMachine()
        s.setIDT(0x80, GDT.gate(selector: 0x08, offset: 0x4000, type: 0xE, dpl: 3))
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.cpu.registers[4] = 0x7000
        s.cpu.rflags = 0x0202
        s.code([0xCD, 0x80])
        #expect(s.cpu.stepDelivering() == .delivered)
        #expect(s.cpu.cpl == 0 && s.cpu.segments[1].selector == 0x08 && s.cpu.segments[2].selector == 0x10)
        #expect(s.cpu.rip == 0x4000)
        #expect(s.cpu.registers[4] == 0x9000 - 20)
        #expect(s.read(0x9000 - 4, 4) == 0x23)         // SS
        #expect(s.read(0x9000 - 8, 4) == 0x7000)       // ESP
        #expect(s.read(0x9000 - 12, 4) == 0x0202)      // EFLAGS (RF clear: software interrupt)
        #expect(s.read(0x9000 - 16, 4) == 0x1B)        // CS
        #expect(s.read(0x9000 - 20, 4) == 0x1002)      // EIP past INT
        #expect(s.cpu.rflags & 0x200 == 0)             // interrupt gate clears IF
        // The handler loads DS with a DPL-0 data segment; IRET to CPL 3 nulls it and keeps ES
        // (DPL 3) (SDM vol. 2, IRET, RETURN-TO-OUTER-PRIVILEGE-LEVEL).
        s.cpu.segments[3] = SegmentCache(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC093)
        s.code([0xCF], at: 0x4000)                     // iretd
        try s.cpu.step()
        #expect(s.cpu.cpl == 3 && s.cpu.rip == 0x1002 && s.cpu.registers[4] == 0x7000)
        #expect(s.cpu.segments[2].selector == 0x23 && s.cpu.rflags & 0x200 != 0)
        #expect(s.cpu.segments[3].selector == 0 && !s.cpu.segments[3].present)
        #expect(s.cpu.segments[0].selector == 0x23 && s.cpu.segments[0].present)
    }

    @Test func intThroughGateWithLowerDPLIsGP() throws {
        let s = legacyMachine()
        s.setIDT(0x80, GDT.gate(selector: 0x08, offset: 0x4000, type: 0xE, dpl: 0))
        s.setIDT(13, GDT.gate(selector: 0x08, offset: 0x5000, type: 0xF, dpl: 0))
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.cpu.registers[4] = 0x7000
        s.cpu.rflags = 0x202
        s.code([0xCD, 0x80])
        // INT n checks the gate DPL: #GP(vector * 8 + 2), EXT = 0, delivered to ring 0.
        #expect(s.cpu.stepDelivering() == .delivered)
        #expect(s.cpu.cpl == 0 && s.cpu.rip == 0x5000 && s.cpu.registers[4] == 0x9000 - 24)
        #expect(s.read(0x9000 - 24, 4) == 0x402)       // error code
        #expect(s.cpu.rflags & 0x200 != 0)             // trap gate keeps IF
        // INT1 does not check the DPL (SDM vol. 2, INT1): IDT[1] with DPL 0 is reached from ring 3.
        let t = legacyMachine()
        t.setIDT(1, GDT.gate(selector: 0x08, offset: 0x4100, type: 0xE, dpl: 0))
        t.enterRing3(cs: 0x1B, ss: 0x23)
        t.code([0xF1])
        #expect(t.cpu.stepDelivering() == .delivered)
        #expect(t.cpu.rip == 0x4100 && t.read(0x9000 - 20, 4) == 0x1001)
    }

    @Test func faultClassExceptionPushesRF() throws {
        let s = legacyMachine()
        s.setIDT(13, GDT.gate(selector: 0x08, offset: 0x5000, type: 0xF, dpl: 0))
        s.cpu.rflags = 0x202
        #expect(s.cpu.deliver(.generalProtection(0x18)) == .delivered)
        #expect(s.read(0x8000 - 4, 4) == 0x1_0202)     // EFLAGS with RF (fault)
        #expect(s.read(0x8000 - 12, 4) == 0x1000)      // EIP of the faulting instruction
        #expect(s.read(0x8000 - 16, 4) == 0x18)        // error code
    }

    @Test func notPresentGateRaisesNPWithIDTAndEXTBits() throws {
        let s = legacyMachine()
        s.setIDT(6, GDT.gate(selector: 0x08, offset: 0x4000, type: 0xE, present: false))
        s.setIDT(11, GDT.gate(selector: 0x08, offset: 0x6000, type: 0xE))
        #expect(s.cpu.deliver(.invalidOpcode) == .delivered)
        #expect(s.cpu.rip == 0x6000)
        #expect(s.read(0x8000 - 16, 4) == 6 * 8 + 2 + 1)   // IDT bit and EXT bit
        // Beyond the IDT limit: #GP(vector * 8 + 2 + EXT).
        let t = legacyMachine()
        t.cpu.idtr.limit = 13 * 8 + 7
        t.setIDT(13, GDT.gate(selector: 0x08, offset: 0x7000, type: 0xE))
        #expect(t.cpu.deliver(.x87) == .delivered)
        #expect(t.cpu.rip == 0x7000 && t.read(0x8000 - 16, 4) == 16 * 8 + 3)
    }

    @Test func contributoryDuringContributoryIsDoubleFaultAndDoubleFaultFailingIsShutdown() throws {
        let s = legacyMachine()
        s.setIDT(8, GDT.gate(selector: 0x08, offset: 0x6800, type: 0xE))
        // IDT[13] names a null code selector: delivering #GP raises #GP(EXT) -> #DF.
        s.setIDT(13, GDT.gate(selector: 0, offset: 0x4000, type: 0xE))
        #expect(s.cpu.deliver(.generalProtection(0)) == .delivered)
        #expect(s.cpu.rip == 0x6800)
        #expect(s.read(0x8000 - 16, 4) == 0)                // #DF error code 0
        s.setIDT(8, GDT.gate(selector: 0, offset: 0x6800, type: 0xE))
        s.cpu.registers[4] = 0x8000
        guard case .tripleFault = s.cpu.deliver(.generalProtection(0)) else {
            Issue.record("expected a triple fault"); return
        }
    }

    @Test func virtual8086IretWithIOPLBelow3IsGP() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .real)!
        m.cpu.cr0 = 0x11
        m.cpu.rflags = 0x2_0002                           // VM = 1, IOPL = 0
        m.cpu.cpl = 3
        m.cpu.updateCodeMode()
        _ = m.memory.load([0xCF], at: 0x1000)             // the flat machine's CS base is 0
        m.cpu.rip = 0x1000
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        // IOPL = 3: a real-mode style return that keeps IOPL and VM.
        m.cpu.rflags = 0x2_3002
        m.cpu.registers[4] = 0x8000
        m.memory.write(0x8000, size: 2, value: 0x0010)    // IP
        m.memory.write(0x8002, size: 2, value: 0x0200)    // CS
        m.memory.write(0x8004, size: 2, value: 0x0202)    // FLAGS (IOPL 0 in the image)
        try m.cpu.step()
        #expect(m.cpu.rip == 0x10 && m.cpu.segments[1].base == 0x2000)
        #expect(m.cpu.rflags == 0x2_3202)
    }

    @Test func iretdToVirtual8086Mode() throws {
        let s = legacyMachine()
        let frame: [UInt64] = [0x0100, 0x2000, 0x2_0202, 0x0FFE, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000]
        for (k, v) in frame.enumerated() { s.write32(0x8000 + UInt64(k) * 4, v) }
        s.code([0xCF])
        try s.cpu.step()
        #expect(s.cpu.cpl == 3 && s.cpu.codeMode == .real && s.cpu.rflags & 0x2_0000 != 0)
        #expect(s.cpu.rip == 0x100 && s.cpu.segments[1].base == 0x20000)
        #expect(s.cpu.registers[4] == 0x0FFE && s.cpu.segments[2].base == 0x30000)
        #expect(s.cpu.segments[0].selector == 0x4000 && s.cpu.segments[3].selector == 0x5000)
        #expect(s.cpu.segments[4].selector == 0x6000 && s.cpu.segments[5].base == 0x70000)
        #expect(s.cpu.segments[1].attributes == 0xF3 && s.cpu.segments[1].limit == 0xFFFF)
    }

    @Test func iretqToRing3() throws {
        let s = longMachine()
        let frame: [UInt64] = [0x2000, 0x1B, 0x202, 0x6000, 0x23]
        for (k, v) in frame.enumerated() { s.write64(0x8000 + UInt64(k) * 8, v) }
        s.code([0x48, 0xCF])
        try s.cpu.step()
        #expect(s.cpu.cpl == 3 && s.cpu.codeMode == .long64)
        #expect(s.cpu.rip == 0x2000 && s.cpu.registers[4] == 0x6000)
        #expect(s.cpu.segments[1].selector == 0x1B && s.cpu.segments[2].selector == 0x23)
        #expect(s.cpu.rflags & 0x200 != 0)
    }

    /// IRETQ from CPL 3 to CPL 3 pops SS:RSP as every 64-bit IRET does, but it is a return to
    /// the same privilege level: a DPL-0 DS (as SYSRET leaves it) is not nulled (SDM vol. 2, IRET).
    @Test func iretqAtTheSameLevelKeepsDataSegments() throws {
        let s = longMachine()
        s.enterRing3(cs: 0x1B, ss: 0x23, long: true)
        s.cpu.segments[3] = SegmentCache(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC093)
        let frame: [UInt64] = [0x2000, 0x1B, 0x202, 0x6000, 0x23]
        for (k, v) in frame.enumerated() { s.write64(0x8000 + UInt64(k) * 8, v) }
        s.code([0x48, 0xCF])
        try s.cpu.step()
        #expect(s.cpu.cpl == 3 && s.cpu.rip == 0x2000 && s.cpu.registers[4] == 0x6000)
        #expect(s.cpu.segments[3].selector == 0x10 && s.cpu.segments[3].present)
    }

    @Test func longModeInterruptUsesISTAndAlignsTheStack() throws {
        let s = longMachine()
        s.setIDT64(0x80, GDT.gate64(selector: 0x08, offset: 0x4000, type: 0xE, dpl: 3, ist: 1))
        s.enterRing3(cs: 0x1B, ss: 0x23, long: true)
        s.cpu.registers[4] = 0x6008
        s.cpu.rflags = 0x202
        s.code([0xCD, 0x80])
        #expect(s.cpu.stepDelivering() == .delivered)
        #expect(s.cpu.cpl == 0 && s.cpu.rip == 0x4000)
        // IST1 = 0x9008, aligned down to 0x9000; five 8-byte slots.
        #expect(s.cpu.registers[4] == 0x9000 - 40)
        #expect(s.read(0x9000 - 8, 8) == 0x23)
        #expect(s.read(0x9000 - 16, 8) == 0x6008)
        #expect(s.read(0x9000 - 24, 8) == 0x202)
        #expect(s.read(0x9000 - 32, 8) == 0x1B)
        #expect(s.read(0x9000 - 40, 8) == 0x1002)
        #expect(s.cpu.segments[2].selector == 0)          // null SS with RPL = new CPL
        // Same-privilege exception without IST: RSP0 is not used, RSP aligned, SS:RSP pushed.
        s.setIDT64(13, GDT.gate64(selector: 0x08, offset: 0x5000, type: 0xE))
        s.cpu.registers[4] = 0x7FF8
        #expect(s.cpu.deliver(.generalProtection(0x18)) == .delivered)
        #expect(s.cpu.registers[4] == 0x7FF0 - 48)
        #expect(s.read(0x7FF0 - 16, 8) == 0x7FF8)
        #expect(s.read(0x7FF0 - 48, 8) == 0x18)
    }

    /// 4-level paging identity-mapping 0-2 MiB with 4 KiB pages, page 7 (0x7000) not present.
    private func pagedLongMachine() -> SystemMachine {
        let s = longMachine()
        s.write64(0x20000, 0x21003)
        s.write64(0x21000, 0x22003)
        s.write64(0x22000, 0x23003)
        for p in 0..<512 where p != 7 { s.write64(0x23000 + UInt64(p) * 8, UInt64(p) << 12 | 3) }
        s.cpu.cr3 = 0x20000
        s.cpu.cr4 |= 0x20
        s.cpu.cr0 |= 0x8000_0000
        s.cpu.flushTLB()
        s.setIDT64(14, GDT.gate64(selector: 0x08, offset: 0x4000, type: 0xE))
        s.setIDT64(8, GDT.gate64(selector: 0x08, offset: 0x4800, type: 0xE, ist: 1))
        return s
    }

    @Test func pageFaultDuringPageFaultDeliveryIsDoubleFault() throws {
        let s = pagedLongMachine()
        s.cpu.registers[4] = 0x7800                       // not mapped
        #expect(s.cpu.deliver(.pageFault(0)) == .delivered)
        #expect(s.cpu.rip == 0x4800)                      // the #DF handler, on IST1
        #expect(s.cpu.registers[4] == 0x9000 - 48)
        #expect(s.read(0x9000 - 48, 8) == 0)              // error code 0
        #expect(s.read(0x9000 - 16, 8) == 0x7800)         // RSP at the #PF
        #expect(s.cpu.cr2 == 0x77F8)                      // the first push of the #PF frame
    }

    @Test func faultDuringDoubleFaultDeliveryIsTripleFault() throws {
        let s = pagedLongMachine()
        s.write64(SystemMachine.tssBase + 0x24, 0x7F00)   // IST1 in the unmapped page
        s.cpu.registers[4] = 0x7800
        guard case .tripleFault = s.cpu.deliver(.pageFault(0)) else {
            Issue.record("expected a triple fault"); return
        }
    }

    @Test func externalInterruptWakesHaltedCPU() throws {
        let s = legacyMachine()
        s.setIDT(0x20, GDT.gate(selector: 0x08, offset: 0x4000, type: 0xE, dpl: 0))
        s.cpu.halted = true
        s.cpu.rflags = 0x202
        #expect(s.cpu.deliverExternalInterrupt(vector: 0x20) == .delivered)
        #expect(!s.cpu.halted && s.cpu.rip == 0x4000 && s.read(0x8000 - 12, 4) == 0x1000)
        #expect(s.read(0x8000 - 4, 4) == 0x202)           // no RF for an interrupt
    }
}
