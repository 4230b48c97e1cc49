import Testing
@testable import Emu

/// Near branches, LOOP/JCXZ, INT n/INT3/INTO/INT1 and BOUND, expected values from the SDM.
private func machine(_ mode: CodeMode, _ code: [UInt8], at address: UInt64 = 0x1000,
                     vendor: Vendor = .intel) -> FlatMachine {
    let m = FlatMachine(memorySize: 1 << 20, mode: mode, vendor: vendor)!
    _ = m.memory.load(code, at: address)
    m.cpu.rip = address
    m.cpu.registers[4] = 0x8000
    return m
}

@Suite struct ControlFlowTests {
    @Test func jccTakenAndNotTaken() throws {
        let m = machine(.long64, [0x74, 0x10])  // je +16
        m.cpu.flags.bits = 0x40
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1012)
        let n = machine(.long64, [0x74, 0x10])
        n.cpu.flags.bits = 0
        try n.cpu.step()
        #expect(n.cpu.rip == 0x1002)
    }

    @Test func jccWithOperandSize16TruncatesIP() throws {
        // 32-bit mode, 66 0F 84 rel16: target = (EIP + rel) AND FFFFh.
        let m = machine(.protected32, [0x66, 0x0F, 0x84, 0x00, 0x80], at: 0x9000)
        m.cpu.flags.bits = 0x40
        try m.cpu.step()
        #expect(m.cpu.rip == (0x9005 &+ 0xFFFF_FFFF_FFFF_8000 as UInt64) & 0xFFFF)
    }

    @Test func jmpRelBackwardsAndWrap16() throws {
        let m = machine(.real, [0xEB, 0xFE])  // jmp $
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1000)
        let w = machine(.real, [0xE9, 0x00, 0xF0])  // jmp rel16 -0x1000 from 0x1003 -> wraps
        try w.cpu.step()
        #expect(w.cpu.rip == (0x1003 - 0x1000) & 0xFFFF)
        let v = machine(.real, [0xE9, 0x00, 0xF0], at: 0x0800)
        try v.cpu.step()
        #expect(v.cpu.rip == (0x0803 + 0xF000) & 0xFFFF)
    }

    @Test func jmpBeyondCSLimitFaults() throws {
        let m = machine(.protected32, [0xE9, 0x00, 0x00, 0x01, 0x00])  // jmp +0x10000
        m.cpu.segments[1].limit = 0xFFFF
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1000)
    }

    @Test func jmpIndirectNonCanonicalFaults() throws {
        let m = machine(.long64, [0xFF, 0xE0])  // jmp rax
        m.cpu.registers[0] = 0x0000_8000_0000_0000
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1000)
        m.cpu.registers[0] = 0xFFFF_8000_0000_0000
        try m.cpu.step()
        #expect(m.cpu.rip == 0xFFFF_8000_0000_0000)
    }

    @Test func callAndRet() throws {
        let m = machine(.long64, [0xE8, 0x0B, 0x00, 0x00, 0x00])  // call +11 -> 0x1010
        _ = m.memory.load([0xC2, 0x10, 0x00], at: 0x1010)          // ret 16
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1010)
        #expect(m.cpu.registers[4] == 0x7FF8)
        #expect(m.memory.read(0x7FF8, size: 8) == 0x1005)
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1005)
        #expect(m.cpu.registers[4] == 0x8000 + 16)
    }

    @Test func callIndirectReadsTargetBeforePush() throws {
        let m = machine(.long64, [0xFF, 0x14, 0x24])  // call [rsp]
        m.memory.write(0x8000, size: 8, value: 0x2000)
        try m.cpu.step()
        #expect(m.cpu.rip == 0x2000)
        #expect(m.memory.read(0x7FF8, size: 8) == 0x1003)
    }

    @Test func callFaultLeavesStack() throws {
        let m = machine(.long64, [0xFF, 0xD0])  // call rax, non-canonical
        m.cpu.registers[0] = 0x0001_0000_0000_0000
        #expect(throws: Fault.generalProtection(0)) { try m.cpu.step() }
        #expect(m.cpu.registers[4] == 0x8000)
    }

    @Test func amdOperandSize16NearBranchesIn64BitMode() throws {
        // AMD: 66 E8 rel16 in 64-bit mode pushes 2 bytes and truncates the target to 16 bits.
        let m = machine(.long64, [0x66, 0xE8, 0x10, 0x00], at: 0x1_3000, vendor: .amd)
        m.cpu.registers[4] = 0x8000
        try m.cpu.step()
        #expect(m.cpu.rip == 0x3014)
        #expect(m.cpu.registers[4] == 0x7FFE)
        #expect(m.memory.read(0x7FFE, size: 2) == 0x3004)
    }

    @Test func loopCountsByAddressSize() throws {
        // 67 E2 fe in 64-bit mode: LOOP with ECX; RCX upper half cleared by the 32-bit write.
        let m = machine(.long64, [0x67, 0xE2, 0xFD])
        m.cpu.registers[1] = 0x1_0000_0002
        let flagsBefore = m.cpu.rflags
        try m.cpu.step()
        #expect(m.cpu.registers[1] == 1)
        #expect(m.cpu.rip == 0x1000)
        try m.cpu.step()
        #expect(m.cpu.registers[1] == 0)
        #expect(m.cpu.rip == 0x1003)
        #expect(m.cpu.rflags == flagsBefore)
    }

    @Test func loopeLoopne() throws {
        let e = machine(.protected32, [0xE1, 0x10])  // loope
        e.cpu.registers[1] = 5
        e.cpu.flags.bits = 0
        try e.cpu.step()
        #expect(e.cpu.registers[1] == 4)
        #expect(e.cpu.rip == 0x1002)
        let n = machine(.protected32, [0xE0, 0x10])  // loopne
        n.cpu.registers[1] = 5
        n.cpu.flags.bits = 0
        try n.cpu.step()
        #expect(n.cpu.rip == 0x1012)
    }

    @Test func loop16KeepsUpperCX() throws {
        let m = machine(.real, [0xE2, 0x10])
        m.cpu.registers[1] = 0xABCD_0000
        try m.cpu.step()
        #expect(m.cpu.registers[1] == 0xABCD_FFFF)
        #expect(m.cpu.rip == 0x1012)
    }

    @Test func jcxzByAddressSize() throws {
        let m = machine(.protected32, [0x67, 0xE3, 0x10])  // jcxz (16-bit address size)
        m.cpu.registers[1] = 0x1_0000
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1013)
        let n = machine(.protected32, [0xE3, 0x10])  // jecxz
        n.cpu.registers[1] = 0x1_0000
        try n.cpu.step()
        #expect(n.cpu.rip == 0x1002)
    }

    /// INT n/INT3/INT1 are delivered by the instruction; the flat machine's IDT (base 0) holds
    /// only zero descriptors, so delivery faults: #GP(vector * 8 + 2), plus EXT for INT1, with RIP
    /// back at the instruction (SDM vol. 2, INT n; vol. 3, 6.13).
    @Test func softwareInterruptsThroughAnEmptyIDTFault() throws {
        let m = machine(.protected32, [0xCD, 0x80])
        #expect(throws: Fault.generalProtection(0x80 * 8 + 2)) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1000)
        let b = machine(.protected32, [0xCC])
        #expect(throws: Fault.generalProtection(3 * 8 + 2)) { try b.cpu.step() }
        #expect(b.cpu.rip == 0x1000)
        let d = machine(.protected32, [0xF1])
        #expect(throws: Fault.generalProtection(1 * 8 + 2 + 1)) { try d.cpu.step() }
    }

    @Test func intoOnlyWithOF() throws {
        let m = machine(.protected32, [0xCE, 0xCE])
        m.cpu.flags.bits = 0
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1001)
        m.cpu.flags.bits = 0x800
        #expect(throws: Fault.generalProtection(4 * 8 + 2)) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1001)
    }

    @Test func boundSignedCompare() throws {
        let m = machine(.protected32, [0x62, 0x05, 0x00, 0x20, 0x00, 0x00])  // bound eax, [0x2000]
        m.memory.write(0x2000, size: 4, value: 0xFFFF_FFF0)  // -16
        m.memory.write(0x2004, size: 4, value: 0x10)
        m.cpu.registers[0] = 0xFFFF_FFF0
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1006)
        m.cpu.rip = 0x1000
        m.cpu.registers[0] = 0x11
        #expect(throws: Fault.boundRange) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1000)
        m.cpu.registers[0] = 0xFFFF_FFEF
        #expect(throws: Fault.boundRange) { try m.cpu.step() }
    }
}
