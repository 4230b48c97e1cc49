import Testing
@testable import Emu

/// BT/BTS/BTR/BTC, BSF/BSR, TZCNT/LZCNT/POPCNT, with values worked out from the SDM.
private func machine(_ code: [UInt8], _ regs: [Int: UInt64], flags: UInt64 = 0x2) -> FlatMachine {
    InstructionHarness.machine(code, regs, flags: flags)
}

private func exec(_ code: [UInt8], _ regs: [Int: UInt64], flags: UInt64 = 0x2) throws -> FlatMachine {
    try InstructionHarness.exec(code, regs, flags: flags)
}

@Suite struct BitOpsTests {
    @Test func btImmediateIsModuloWidth() throws {
        // BT EAX, 23h: 35 mod 32 = bit 3 of 8 -> CF = 1; ZF untouched.
        let m = try exec([0x0F, 0xBA, 0xE0, 0x23], [0: 0x8], flags: 0x2 | ZF)
        #expect(m.cpu.rflags & (CF | ZF) == CF | ZF)
    }

    @Test func btrRegisterOffsetIsModuloWidth() throws {
        // BTR RAX, RCX with RCX = 69: bit 5; CF = old bit = 1.
        let m = try exec([0x48, 0x0F, 0xB3, 0xC8], [0: 0xFF, 1: 69])
        #expect(m.cpu.registers[0] == 0xDF)
        #expect(m.cpu.rflags & CF == CF)
    }

    @Test func btsMemoryNegativeOffset() throws {
        // BTS QWORD [RBX], RCX with RCX = -1: qword at RBX - 8, bit 63.
        let m = machine([0x48, 0x0F, 0xAB, 0x0B], [3: 0x2008, 1: UInt64.max])
        try m.cpu.step()
        #expect(m.memory.read(0x2000, size: 8) == 1 << 63)
        #expect(m.memory.read(0x2008, size: 8) == 0)
        #expect(m.cpu.rflags & CF == 0)
    }

    @Test func btMemoryLargeOffset() throws {
        // BT DWORD [RBX], ECX with ECX = 35: dword at RBX + 4, bit 3.
        let m = machine([0x0F, 0xA3, 0x0B], [3: 0x2000, 1: 35])
        _ = m.memory.load([0, 0, 0, 0, 0x08, 0, 0, 0], at: 0x2000)
        try m.cpu.step()
        #expect(m.cpu.rflags & CF == CF)
        // BTC WORD [RBX], CX with CX = -17 (FFEFh): word at RBX - 4, bit 15.
        let w = machine([0x66, 0x0F, 0xBB, 0x0B], [3: 0x2004, 1: 0xFFEF])
        try w.cpu.step()
        #expect(w.memory.read(0x2000, size: 2) == 0x8000)
        #expect(w.cpu.rflags & CF == 0)
    }

    @Test func bitScanZeroSourceLeavesDestination() throws {
        // BSF EAX, EBX with EBX = 0: ZF = 1, RAX unchanged (all 64 bits).
        let m = try exec([0x0F, 0xBC, 0xC3], [0: 0xDEAD_BEEF_1234_5678, 3: 0])
        #expect(m.cpu.registers[0] == 0xDEAD_BEEF_1234_5678)
        #expect(m.cpu.rflags & ZF == ZF)
    }

    @Test func bitScanForwardAndReverse() throws {
        let f = try exec([0x0F, 0xBC, 0xC3], [0: UInt64.max, 3: 0x0001_0100])
        #expect(f.cpu.registers[0] == 8)
        #expect(f.cpu.rflags & ZF == 0)
        let r = try exec([0x48, 0x0F, 0xBD, 0xC3], [3: 0x0001_0100])
        #expect(r.cpu.registers[0] == 16)
        let w = try exec([0x66, 0x0F, 0xBD, 0xC3], [0: 0xAAAA_0000, 3: 0x8001])
        #expect(w.cpu.registers[0] == 0xAAAA_000F)
    }

    @Test func tzcntLzcnt() throws {
        // TZCNT EAX, EBX with 0: result 32, CF = 1, ZF = 0.
        let a = try exec([0xF3, 0x0F, 0xBC, 0xC3], [0: UInt64.max, 3: 0])
        #expect(a.cpu.registers[0] == 32)
        #expect(a.cpu.rflags & (CF | ZF) == CF)
        // TZCNT with bit 0 set: result 0, ZF = 1.
        let b = try exec([0xF3, 0x48, 0x0F, 0xBC, 0xC3], [3: 0x8000_0000_0000_0001])
        #expect(b.cpu.registers[0] == 0)
        #expect(b.cpu.rflags & (CF | ZF) == ZF)
        // LZCNT AX, BX with BX = 1: 15.
        let c = try exec([0x66, 0xF3, 0x0F, 0xBD, 0xC3], [3: 1])
        #expect(c.cpu.registers[0] & 0xFFFF == 15)
        // LZCNT RAX, RBX with 0: 64, CF = 1.
        let d = try exec([0xF3, 0x48, 0x0F, 0xBD, 0xC3], [3: 0])
        #expect(d.cpu.registers[0] == 64)
        #expect(d.cpu.rflags & CF == CF)
    }

    @Test func popcnt() throws {
        let a = try exec([0xF3, 0x48, 0x0F, 0xB8, 0xC3], [3: 0xF0F0_0000_0000_0001],
                         flags: 0x2 | CF | OF | SF | AF | PF)
        #expect(a.cpu.registers[0] == 9)
        #expect(a.cpu.rflags & 0x8D5 == 0)
        let b = try exec([0xF3, 0x0F, 0xB8, 0xC3], [0: 5, 3: 0])
        #expect(b.cpu.registers[0] == 0)
        #expect(b.cpu.rflags & 0x8D5 == ZF)
    }
}
