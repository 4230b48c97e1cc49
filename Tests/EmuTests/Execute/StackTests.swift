import Testing
@testable import Emu

/// PUSH/POP/PUSHA/POPA/PUSHF/POPF/ENTER/LEAVE, expected values from the SDM vol. 2 operation
/// sections.
private func machine(_ mode: CodeMode, _ code: [UInt8], vendor: Vendor = .intel) -> FlatMachine {
    let m = FlatMachine(memorySize: 1 << 20, mode: mode, vendor: vendor)!
    _ = m.memory.load(code, at: 0x1000)
    m.cpu.rip = 0x1000
    m.cpu.registers[4] = 0x8000
    return m
}

@Suite struct StackTests {
    @Test func pushRegisterAndImmediate64() throws {
        let m = machine(.long64, [0x50, 0x6A, 0x80, 0x66, 0x68, 0x34, 0x12])  // push rax; push -128; push word 0x1234
        m.cpu.registers[0] = 0x1122_3344_5566_7788
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x7FF8)
        #expect(m.memory.read(0x7FF8, size: 8) == 0x1122_3344_5566_7788)
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x7FF0)
        #expect(m.memory.read(0x7FF0, size: 8) == 0xFFFF_FFFF_FFFF_FF80)
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x7FEE)
        #expect(m.memory.read(0x7FEE, size: 2) == 0x1234)
    }

    @Test func pushRSPPushesOldValue() throws {
        let m = machine(.long64, [0x54])  // push rsp
        try m.cpu.step()
        #expect(m.memory.read(0x7FF8, size: 8) == 0x8000)
    }

    @Test func popRSPLoadsPoppedValue() throws {
        let m = machine(.long64, [0x5C])  // pop rsp
        m.memory.write(0x8000, size: 8, value: 0x4321)
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x4321)
    }

    @Test func popMemoryUsesIncrementedRSP() throws {
        // pop qword [rsp+8]: address computed after RSP += 8, so the value lands at old RSP + 16.
        let m = machine(.long64, [0x8F, 0x44, 0x24, 0x08])
        m.memory.write(0x8000, size: 8, value: 0xAABB)
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x8008)
        #expect(m.memory.read(0x8010, size: 8) == 0xAABB)
    }

    @Test func popMemoryFaultLeavesRSP() throws {
        // pop word [0xFFFF] in real mode: the 2-byte write crosses the DS limit -> #GP, RSP unchanged.
        let m = machine(.real, [0x8F, 0x06, 0xFF, 0xFF])
        m.cpu.registers[4] = 0x8000
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        #expect(m.cpu.registers[4] == 0x8000)
        #expect(m.cpu.rip == 0x1000)
    }

    @Test func sixteenBitStackWrapsSP() throws {
        let m = machine(.real, [0x50])  // push ax with SP = 0: SP wraps to 0xFFFE, upper RSP bits kept
        m.cpu.registers[4] = 0x1_0000_0000
        m.cpu.registers[0] = 0xBEEF
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x1_0000_FFFE)
        #expect(m.memory.read(0xFFFE, size: 2) == 0xBEEF)
    }

    @Test func pushSegmentIntelWritesSixteenBits() throws {
        let m = machine(.protected32, [0x1E])  // push ds (32-bit operand size)
        m.memory.write(0x7FFC, size: 4, value: 0xDDCC_BBAA)
        m.cpu.segments[3].selector = 0x2B
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x7FFC)
        #expect(m.memory.read(0x7FFC, size: 4) == 0xDDCC_002B)
    }

    @Test func pushSegmentAMDZeroExtends() throws {
        let m = machine(.protected32, [0x1E], vendor: .amd)
        m.memory.write(0x7FFC, size: 4, value: 0xDDCC_BBAA)
        m.cpu.segments[3].selector = 0x2B
        try m.cpu.step()
        #expect(m.memory.read(0x7FFC, size: 4) == 0x2B)
    }

    @Test func popSegmentRealMode() throws {
        let m = machine(.real, [0x07])  // pop es
        m.memory.write(0x8000, size: 2, value: 0x1234)
        try m.cpu.step()
        #expect(m.cpu.segments[0].selector == 0x1234)
        #expect(m.cpu.segments[0].base == 0x12340)
        #expect(m.cpu.registers[4] == 0x8002)
    }

    @Test func pushaPopa32() throws {
        let m = machine(.protected32, [0x60, 0x61])
        for r in 0..<8 where r != 4 { m.cpu.registers[r] = UInt64(0x1000_0000 * (r + 1)) }
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x8000 - 32)
        // Order: EAX ECX EDX EBX ESP(original) EBP ESI EDI, EAX at the highest address.
        #expect(m.memory.read(0x7FFC, size: 4) == 0x1000_0000)
        #expect(m.memory.read(0x7FEC, size: 4) == 0x8000)
        #expect(m.memory.read(0x7FE0, size: 4) == 0x8000_0000)
        for r in 0..<8 where r != 4 { m.cpu.registers[r] = 0 }
        m.memory.write(0x7FEC, size: 4, value: 0x5555)  // the saved ESP is skipped by POPA
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x8000)
        for r in 0..<8 where r != 4 { #expect(m.cpu.registers[r] == UInt64(0x1000_0000 * (r + 1))) }
    }

    @Test func pushfClearsVMAndRF() throws {
        let m = machine(.protected32, [0x9C])
        m.cpu.rflags = 0x1_0ED7   // RF | OF DF IF SF ZF AF PF CF
        try m.cpu.step()
        #expect(m.memory.read(0x7FFC, size: 4) == 0x0ED7)
    }

    @Test func popfAtCPL0ChangesIOPLAndIF() throws {
        let m = machine(.protected32, [0x9D])
        m.memory.write(0x8000, size: 4, value: 0x003F_7FFF)
        m.cpu.rflags = 0x1_0002   // RF set
        try m.cpu.step()
        // Writable: status, TF, IF, DF, OF, IOPL, NT, AC, ID; RF cleared; VM/VIF/VIP unchanged;
        // reserved bits 3, 5, 15 read 0, bit 1 reads 1.
        #expect(m.cpu.rflags == 0x0024_7FD7)
    }

    @Test func popfAtCPL3KeepsIOPLAndIF() throws {
        let m = machine(.protected32, [0x9D])
        m.cpu.cpl = 3
        m.memory.write(0x8000, size: 4, value: 0x3200)  // IOPL 3, IF
        m.cpu.rflags = 0x2
        try m.cpu.step()
        #expect(m.cpu.rflags == 0x2)
    }

    @Test func popfAtCPLBelowIOPLChangesIF() throws {
        let m = machine(.protected32, [0x9D])
        m.cpu.cpl = 3
        m.cpu.rflags = 0x3002   // IOPL 3
        m.memory.write(0x8000, size: 4, value: 0x0200)  // IOPL 0, IF
        try m.cpu.step()
        #expect(m.cpu.rflags == 0x3202)
    }

    @Test func popf16KeepsUpperBits() throws {
        let m = machine(.protected32, [0x66, 0x9D])
        m.cpu.rflags = 0x24_0002   // ID AC
        m.memory.write(0x8000, size: 2, value: 0x0001)
        try m.cpu.step()
        #expect(m.cpu.rflags == 0x24_0003)
        #expect(m.cpu.registers[4] == 0x8002)
    }

    @Test func enterLevel0AndLeave() throws {
        let m = machine(.long64, [0xC8, 0x20, 0x00, 0x00, 0xC9])  // enter 32, 0; leave
        m.cpu.registers[5] = 0x9000
        try m.cpu.step()
        #expect(m.memory.read(0x7FF8, size: 8) == 0x9000)
        #expect(m.cpu.registers[5] == 0x7FF8)
        #expect(m.cpu.registers[4] == 0x7FF8 - 32)
        try m.cpu.step()
        #expect(m.cpu.registers[5] == 0x9000)
        #expect(m.cpu.registers[4] == 0x8000)
    }

    @Test func enterNestingCopiesFramePointers() throws {
        let m = machine(.protected32, [0xC8, 0x08, 0x00, 0x03])  // enter 8, 3
        m.cpu.registers[5] = 0x9000
        m.memory.write(0x9000 - 4, size: 4, value: 0xAAAA)
        m.memory.write(0x9000 - 8, size: 4, value: 0xBBBB)
        try m.cpu.step()
        // push ebp; two copies from [ebp-4], [ebp-8]; push frame temp; esp -= 8.
        #expect(m.memory.read(0x7FFC, size: 4) == 0x9000)
        #expect(m.memory.read(0x7FF8, size: 4) == 0xAAAA)
        #expect(m.memory.read(0x7FF4, size: 4) == 0xBBBB)
        #expect(m.memory.read(0x7FF0, size: 4) == 0x7FFC)
        #expect(m.cpu.registers[5] == 0x7FFC)
        #expect(m.cpu.registers[4] == 0x7FF0 - 8)
    }

    @Test func enterLevelIsModulo32() throws {
        let m = machine(.protected32, [0xC8, 0x00, 0x00, 0x20])  // level 32 -> 0
        m.cpu.registers[5] = 0x9000
        try m.cpu.step()
        #expect(m.cpu.registers[4] == 0x7FFC)
        #expect(m.cpu.registers[5] == 0x7FFC)
    }

    @Test func enterFaultRestoresRSP() throws {
        // 16-bit stack at SP = 2 in real mode: the nesting copy read at BP-2 = 0xFFFF crosses the
        // limit -> #SS, nothing changed.
        let m = machine(.real, [0xC8, 0x00, 0x00, 0x02])
        m.cpu.registers[4] = 0x2000
        m.cpu.registers[5] = 0x0001
        #expect(throws: Fault.stackFault(0)) { try m.cpu.step() }
        #expect(m.cpu.registers[4] == 0x2000)
        #expect(m.cpu.registers[5] == 0x0001)
    }
}
