import Testing
@testable import Emu

/// Shifts, rotates, SHLD/SHRD: expected values worked out by hand from the SDM pseudo-code.
private func exec(_ code: [UInt8], _ regs: [Int: UInt64], flags: UInt64 = 0x2,
                  vendor: Vendor = .intel) throws(Fault) -> FlatMachine {
    try InstructionHarness.exec(code, regs, flags: flags, vendor: vendor)
}

@Suite struct ShiftsTests {
    @Test func shl64ByOneSetsCarryAndOverflow() throws {
        // SHL RAX, CL: 8000000000000001h << 1 = 2, CF = old MSB = 1, OF = MSB(result) ^ CF = 1.
        let m = try exec([0x48, 0xD3, 0xE0], [0: 0x8000_0000_0000_0001, 1: 1])
        #expect(m.cpu.registers[0] == 2)
        #expect(m.cpu.rflags & (CF | OF | ZF | SF | PF) == CF | OF)
    }

    @Test func maskedCountZeroChangesNothing() throws {
        // 64-bit count 40h masks to 0: operand and flags unchanged.
        let m = try exec([0x48, 0xD3, 0xE0], [0: 0x1234, 1: 0x40], flags: 0x2 | CF | ZF | OF)
        #expect(m.cpu.registers[0] == 0x1234)
        #expect(m.cpu.rflags & 0x8D5 == CF | ZF | OF)
    }

    @Test func thirtyTwoBitCountZeroStillZeroExtends() throws {
        // SHL EAX, CL with CL = 0 writes EAX back (the AMD host clears the upper half).
        let m = try exec([0xD3, 0xE0], [0: 0xFFFF_FFFF_1234_5678, 1: 0], flags: 0x2 | SF)
        #expect(m.cpu.registers[0] == 0x1234_5678)
        #expect(m.cpu.rflags & 0x8D5 == SF)
    }

    @Test func memoryCountZeroLeavesMemory() throws {
        // SHL DWORD [RBX], CL with CL = 20h (masks to 0).
        let m = FlatMachine(memorySize: 1 << 20, mode: .long64)!
        _ = m.memory.load([0xD3, 0x23], at: 0x1000)
        _ = m.memory.load([0x78, 0x56, 0x34, 0x12], at: 0x2000)
        m.cpu.rip = 0x1000
        m.cpu.registers[3] = 0x2000
        m.cpu.registers[1] = 0x20
        try m.cpu.step()
        #expect(m.memory.read(0x2000, size: 4) == 0x1234_5678)
    }

    @Test func sarAndShrByOne() throws {
        // SAR AL,1: 81h -> C0h, CF = 1, OF = 0, SF = 1.
        let a = try exec([0xD0, 0xF8], [0: 0x81])
        #expect(a.cpu.registers[0] & 0xFF == 0xC0)
        #expect(a.cpu.rflags & (CF | OF | SF | ZF) == CF | SF)
        // SHR AL,1: 81h -> 40h, CF = 1, OF = MSB of the original = 1.
        let b = try exec([0xD0, 0xE8], [0: 0x81])
        #expect(b.cpu.registers[0] & 0xFF == 0x40)
        #expect(b.cpu.rflags & (CF | OF | SF | ZF) == CF | OF)
    }

    @Test func shl8ByWidthAndBeyond() throws {
        // SHL AL, 8: result 0, CF = bit 0 of the original (last bit shifted out).
        let a = try exec([0xC0, 0xE0, 0x08], [0: 0x01])
        #expect(a.cpu.registers[0] & 0xFF == 0)
        #expect(a.cpu.rflags & (CF | ZF) == CF | ZF)
        // SHL AL, 9: result 0, CF = 0.
        let b = try exec([0xC0, 0xE0, 0x09], [0: 0xFF])
        #expect(b.cpu.registers[0] & 0xFF == 0)
        #expect(b.cpu.rflags & (CF | ZF) == ZF)
        // SAR AL, 31: every bit becomes the sign, CF = sign.
        let c = try exec([0xC0, 0xF8, 0x1F], [0: 0x80])
        #expect(c.cpu.registers[0] & 0xFF == 0xFF)
        #expect(c.cpu.rflags & CF == CF)
    }

    @Test func rolByWholeWidthUpdatesCarryOnly() throws {
        // ROL AL, 8: the value is unchanged, CF = LSB(result) = 1; SF/ZF untouched.
        let m = try exec([0xC0, 0xC0, 0x08], [0: 0x81], flags: 0x2 | ZF)
        #expect(m.cpu.registers[0] & 0xFF == 0x81)
        #expect(m.cpu.rflags & (CF | ZF | SF) == CF | ZF)
    }

    @Test func rorWord() throws {
        // ROR AX, 4: 1234h -> 4123h, CF = MSB = 0, SF/ZF/PF unaffected.
        let m = try exec([0x66, 0xC1, 0xC8, 0x04], [0: 0xFFFF_0000_0000_1234], flags: 0x2 | PF)
        #expect(m.cpu.registers[0] == 0xFFFF_0000_0000_4123)
        #expect(m.cpu.rflags & (CF | PF) == PF)
    }

    @Test func rclRcrThroughCarry() throws {
        // RCL AL,1: 80h with CF=1 -> 01h, CF = 1, OF = MSB(result) ^ CF = 1.
        let a = try exec([0xD0, 0xD0], [0: 0x80], flags: 0x2 | CF)
        #expect(a.cpu.registers[0] & 0xFF == 0x01)
        #expect(a.cpu.rflags & (CF | OF) == CF | OF)
        // RCR AL,1: 01h with CF=0 -> 00h, CF = 1, OF = MSB(orig) ^ old CF = 0.
        let b = try exec([0xD0, 0xD8], [0: 0x01])
        #expect(b.cpu.registers[0] & 0xFF == 0)
        #expect(b.cpu.rflags & (CF | OF) == CF)
        // RCL RAX,1 (65-bit rotation): 8000...0 with CF=0 -> 0, CF = 1.
        let c = try exec([0x48, 0xD1, 0xD0], [0: 0x8000_0000_0000_0000])
        #expect(c.cpu.registers[0] == 0)
        #expect(c.cpu.rflags & CF == CF)
        // RCR RAX,63 = RCL by 2 over 65 bits: RAX=1, CF=1 -> 6, CF = bit 62 of RAX = 0.
        let d = try exec([0x48, 0xC1, 0xD8, 0x3F], [0: 1], flags: 0x2 | CF)
        #expect(d.cpu.registers[0] == 6)
        #expect(d.cpu.rflags & CF == 0)
    }

    @Test func rclByteWholeRotationKeepsOperandAndCarry() throws {
        // RCL AL, 9: a 9-bit rotation by 9 is the identity; CF stays 1.
        let m = try exec([0xC0, 0xD0, 0x09], [0: 0x35], flags: 0x2 | CF)
        #expect(m.cpu.registers[0] & 0xFF == 0x35)
        #expect(m.cpu.rflags & CF == CF)
    }

    @Test func shldShrd32() throws {
        // SHLD EAX, EBX, 4: 12345678h:9ABCDEF0h -> 23456789h, CF = bit 28 of EAX = 1.
        let a = try exec([0x0F, 0xA4, 0xD8, 0x04], [0: 0x1234_5678, 3: 0x9ABC_DEF0])
        #expect(a.cpu.registers[0] == 0x2345_6789)
        #expect(a.cpu.rflags & (CF | ZF | SF) == CF)
        // SHRD EAX, EBX, 4: -> 01234567h (EBX's low nibble is 0), CF = bit 3 of EAX = 1.
        let b = try exec([0x0F, 0xAC, 0xD8, 0x04], [0: 0x1234_5678, 3: 0x9ABC_DEF0])
        #expect(b.cpu.registers[0] == 0x0123_4567)
        #expect(b.cpu.rflags & (CF | ZF | SF) == CF)
        // SHRD RAX, RBX, CL with CL = 63: RBX's low 63 bits move in above RAX's bit 63.
        let c = try exec([0x48, 0x0F, 0xAD, 0xD8], [0: 0x8000_0000_0000_0000, 3: 1, 1: 63])
        #expect(c.cpu.registers[0] == 3)
    }

    @Test func shld16ByMoreThanSixteen() throws {
        // Undefined; the AMD host shifts DEST:SRC:SRC, so by 20 the result is SRC rotated by 4.
        let m = try exec([0x66, 0x0F, 0xA5, 0xD8], [0: 0x1234, 3: 0xABCD, 1: 20], vendor: .amd)
        #expect(m.cpu.registers[0] & 0xFFFF == 0xBCDA)
        #expect(m.cpu.rflags & CF == 0)
    }

    @Test func shiftAuxiliaryCarryPerVendor() throws {
        let amd = try exec([0xD0, 0xE0], [0: 1], vendor: .amd)
        #expect(amd.cpu.rflags & AF == AF)
        let intel = try exec([0xD0, 0xE0], [0: 1], flags: 0x2 | AF)
        #expect(intel.cpu.rflags & AF == 0)
    }
}
