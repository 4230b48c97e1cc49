import Testing
@testable import Emu

/// Far JMP/CALL/RET, call gates and segment loads in protected mode. Expected values follow the
/// SDM vol. 2 pseudo-code (JMP, CALL, RET, MOV) and vol. 3, 5.8.
///
/// GDT: 1 = code DPL0 (0x08), 2 = data DPL0 (0x10), 3 = code DPL3 (0x1B), 4 = data DPL3 (0x23),
/// 5 = conforming code DPL0 (0x28), 6 = TSS (0x30), 7 = call gate DPL3 -> 0x08:0x3000 with 2
/// parameters (0x38), 8 = not-present data (0x40), 9 = not-present code DPL0 (0x48).
private func legacyMachine() -> SystemMachine {
    let s = SystemMachine()
    s.setGDT(1, GDT.code32())
    s.setGDT(2, GDT.data32())
    s.setGDT(3, GDT.code32(dpl: 3))
    s.setGDT(4, GDT.data32(dpl: 3))
    s.setGDT(5, GDT.code32(conforming: true))
    s.setGDT(7, GDT.gate(selector: 0x08, offset: 0x3000, type: 0xC, dpl: 3, parameters: 2))
    s.setGDT(8, GDT.data32(present: false))
    s.setGDT(9, GDT.code32(present: false))
    s.loadTR(index: 6)
    s.write32(SystemMachine.tssBase + 4, 0x9000)     // ESP0
    s.write16(SystemMachine.tssBase + 8, 0x10)       // SS0
    return s
}

@Suite struct FarTransferTests {
    @Test func farJumpToConformingSegmentKeepsCPL() throws {
        let s = legacyMachine()
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.code([0xEA, 0x00, 0x20, 0x00, 0x00, 0x28, 0x00])       // jmp 0x28:0x2000
        try s.cpu.step()
        #expect(s.cpu.cpl == 3)
        #expect(s.cpu.segments[1].selector == 0x2B)              // RPL := CPL (SDM 5.8.2.2)
        #expect(s.cpu.rip == 0x2000)
        // The accessed bit of the descriptor is set (type A -> B... E -> F).
        #expect((s.read(SystemMachine.gdtBase + 5 * 8 + 5, 1) & 1) == 1)
    }

    @Test func farJumpToMorePrivilegedNonConformingIsGP() throws {
        let s = legacyMachine()
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.code([0xEA, 0x00, 0x20, 0x00, 0x00, 0x08, 0x00])       // jmp 0x08:0x2000
        #expect(throws: Fault.generalProtection(0x08)) { try s.cpu.step() }
        #expect(s.cpu.rip == 0x1000 && s.cpu.cpl == 3 && s.cpu.segments[1].selector == 0x1B)
    }

    @Test func farJumpToNotPresentCodeIsNP() throws {
        let s = legacyMachine()
        s.code([0xEA, 0x00, 0x20, 0x00, 0x00, 0x48, 0x00])       // jmp 0x48:0x2000
        #expect(throws: Fault.segmentNotPresent(0x48)) { try s.cpu.step() }
        s.code([0xEA, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00])       // jmp 0:0x2000: null
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
        s.code([0xEA, 0x00, 0x20, 0x00, 0x00, 0xF8, 0x7F])       // beyond the GDT limit
        #expect(throws: Fault.generalProtection(0x7FF8)) { try s.cpu.step() }
    }

    @Test func callGateToRingZeroSwitchesStacksAndCopiesParameters() throws {
        let s = legacyMachine()
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.cpu.registers[4] = 0x7000
        s.write32(0x7000, 0x2222_2222)                           // parameter 2 (pushed last)
        s.write32(0x7004, 0x1111_1111)                           // parameter 1
        s.code([0x9A, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x00])       // call 0x3B:0 (gate, RPL 3)
        try s.cpu.step()
        #expect(s.cpu.cpl == 0)
        #expect(s.cpu.segments[1].selector == 0x08)
        #expect(s.cpu.segments[2].selector == 0x10)
        #expect(s.cpu.rip == 0x3000)
        // New stack (SDM figure 5-13): SS, ESP, param 1, param 2, CS, EIP.
        #expect(s.cpu.registers[4] == 0x9000 - 24)
        #expect(s.read(0x9000 - 4, 4) == 0x23)
        #expect(s.read(0x9000 - 8, 4) == 0x7000)
        #expect(s.read(0x9000 - 12, 4) == 0x1111_1111)
        #expect(s.read(0x9000 - 16, 4) == 0x2222_2222)
        #expect(s.read(0x9000 - 20, 4) == 0x1B)
        #expect(s.read(0x9000 - 24, 4) == 0x1007)

        // RETF 8 back to ring 3: pops EIP, CS, releases the 2 parameters, pops ESP, SS, and
        // adds 8 to the restored ESP as well. DS held a DPL-0 data segment: nulled.
        s.cpu.segments[3] = SegmentCache(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC093)
        s.code([0xCA, 0x08, 0x00], at: 0x3000)                   // retf 8
        try s.cpu.step()
        #expect(s.cpu.cpl == 3)
        #expect(s.cpu.rip == 0x1007)
        #expect(s.cpu.segments[1].selector == 0x1B)
        #expect(s.cpu.segments[2].selector == 0x23)
        #expect(s.cpu.registers[4] == 0x7008)
        #expect(s.cpu.segments[3].selector == 0 && !s.cpu.segments[3].present)
        #expect(s.cpu.segments[0].selector == 0x23)               // ES: DPL 3, kept
    }

    @Test func callGateWithDPLBelowCPLIsGP() throws {
        let s = legacyMachine()
        s.setGDT(7, GDT.gate(selector: 0x08, offset: 0x3000, type: 0xC, dpl: 0))
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.code([0x9A, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x00])
        #expect(throws: Fault.generalProtection(0x38)) { try s.cpu.step() }
        #expect(s.cpu.registers[4] == 0x8000)
    }

    @Test func sameLevelFarCallAndReturn16And32() throws {
        let s = legacyMachine()
        s.code([0x9A, 0x00, 0x30, 0x00, 0x00, 0x08, 0x00])       // call 0x08:0x3000
        try s.cpu.step()
        #expect(s.cpu.registers[4] == 0x8000 - 8)
        #expect(s.read(0x8000 - 4, 4) == 0x08 && s.read(0x8000 - 8, 4) == 0x1007)
        s.code([0xCB], at: 0x3000)                               // retf
        try s.cpu.step()
        #expect(s.cpu.rip == 0x1007 && s.cpu.registers[4] == 0x8000)
        // 66 9A: ptr16:16, pushes 16-bit CS and IP.
        s.code([0x66, 0x9A, 0x00, 0x30, 0x08, 0x00], at: 0x1007)
        try s.cpu.step()
        #expect(s.cpu.registers[4] == 0x8000 - 4)
        #expect(s.read(0x8000 - 2, 2) == 0x08 && s.read(0x8000 - 4, 2) == 0x100D)
    }

    @Test func returnToMorePrivilegedLevelIsGP() throws {
        let s = legacyMachine()
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.write32(0x8000, 0x2000)
        s.write32(0x8004, 0x08)
        s.code([0xCB])
        #expect(throws: Fault.generalProtection(0x08)) { try s.cpu.step() }
    }

    @Test func segmentLoadChecks() throws {
        let s = legacyMachine()
        s.cpu.registers[0] = 0x40
        s.code([0x8E, 0xD8])                                     // mov ds, ax: not present
        #expect(throws: Fault.segmentNotPresent(0x40)) { try s.cpu.step() }
        s.code([0x8E, 0xD0])                                     // mov ss, ax: not present
        #expect(throws: Fault.stackFault(0x40)) { try s.cpu.step() }
        s.cpu.registers[0] = 0x23
        #expect(throws: Fault.generalProtection(0x20)) { try s.cpu.step() }   // SS DPL 3 at CPL 0
        s.cpu.registers[0] = 0x08
        #expect(throws: Fault.generalProtection(0x08)) { try s.cpu.step() }   // code into SS
        s.cpu.registers[0] = 0
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }      // null SS
        s.code([0x8E, 0xD8])                                     // mov ds, 0: allowed, unusable
        try s.cpu.step()
        #expect(s.cpu.segments[3].selector == 0 && !s.cpu.segments[3].present)
        s.cpu.rip = 0x1000
        s.cpu.registers[0] = 0x23
        try s.cpu.step()                                         // DPL 3 data at CPL 0: fine
        #expect(s.cpu.segments[3].selector == 0x23 && s.cpu.segments[3].dpl == 3)
        // RPL 3 selector for a DPL 0 data segment: #GP(sel).
        s.cpu.rip = 0x1000
        s.cpu.registers[0] = 0x13
        #expect(throws: Fault.generalProtection(0x10)) { try s.cpu.step() }
    }

    @Test func popSegmentInProtectedMode() throws {
        let s = legacyMachine()
        s.write32(0x8000, 0x10)
        s.code([0x07])                                           // pop es
        try s.cpu.step()
        #expect(s.cpu.segments[0].selector == 0x10 && s.cpu.registers[4] == 0x8004)
        s.write32(0x8004, 0x40)
        s.code([0x1F], at: 0x1001)                               // pop ds: not present
        #expect(throws: Fault.segmentNotPresent(0x40)) { try s.cpu.step() }
        #expect(s.cpu.registers[4] == 0x8004)
    }

    @Test func movFromSegmentZeroExtendsRegisters() throws {
        let s = legacyMachine()
        s.cpu.registers[0] = 0xFFFF_FFFF
        s.code([0x8C, 0xC8])                                     // mov eax, cs
        try s.cpu.step()
        #expect(s.cpu.registers[0] == 0x08)
        s.cpu.registers[0] = 0xFFFF_FFFF
        s.code([0x66, 0x8C, 0xD0], at: 0x1002)                   // mov ax, ss
        try s.cpu.step()
        #expect(s.cpu.registers[0] == 0xFFFF_0010)
    }

    @Test func loadFarPointer() throws {
        let s = legacyMachine()
        s.write32(0x5000, 0x1234_5678)
        s.write16(0x5004, 0x23)
        s.code([0x0F, 0xB4, 0x1D, 0x00, 0x50, 0x00, 0x00])       // lfs ebx, [0x5000]
        try s.cpu.step()
        #expect(s.cpu.registers[3] == 0x1234_5678 && s.cpu.segments[4].selector == 0x23)
    }

    @Test func realModeFarJumpCallReturn() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .real)!
        _ = m.memory.load([0x9A, 0x00, 0x01, 0x00, 0x20], at: 0x1000)   // call 0x2000:0x0100
        m.cpu.rip = 0x1000
        m.cpu.registers[4] = 0x8000
        try m.cpu.step()
        #expect(m.cpu.segments[1].selector == 0x2000 && m.cpu.segments[1].base == 0x20000)
        #expect(m.cpu.rip == 0x100)
        // The flat machine's real-mode CS selector is 0x0008.
        #expect(m.memory.read(0x7FFE, size: 2) == 0x08 && m.memory.read(0x7FFC, size: 2) == 0x1005)
        _ = m.memory.load([0xCB], at: 0x20100)                           // retf
        try m.cpu.step()
        #expect(m.cpu.segments[1].selector == 0x08 && m.cpu.segments[1].base == 0x80)
        #expect(m.cpu.rip == 0x1005 && m.cpu.registers[4] == 0x8000)
    }
}
