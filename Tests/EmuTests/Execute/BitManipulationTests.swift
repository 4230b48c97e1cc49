import Testing
@testable import Emu

/// BMI1/BMI2, ADX, MOVBE, CRC32 with values worked out from the SDM definitions.
/// VEX encodings: C4 [R'X'B' mmmmm] [W vvvv' L pp] opcode ModRM; here EAX=0, ECX=1, EBX=3.
private func machine(_ code: [UInt8], _ regs: [Int: UInt64], flags: UInt64 = 0x2) -> FlatMachine {
    InstructionHarness.machine(code, regs, flags: flags)
}

private func exec(_ code: [UInt8], _ regs: [Int: UInt64], flags: UInt64 = 0x2) throws -> FlatMachine {
    try InstructionHarness.exec(code, regs, flags: flags)
}

/// The standard CRC-32C check: CRC32C("123456789") = E3069283h (initial value and final XOR
/// FFFFFFFFh around the CRC32 instruction's raw accumulation).
private let check = Array("123456789".utf8)

@Suite struct BitManipulationTests {
    @Test func andn() throws {
        // ANDN EAX, EBX, ECX = ~EBX & ECX.
        let m = try exec([0xC4, 0xE2, 0x60, 0xF2, 0xC1], [3: 0xFFFF_0000, 1: 0x8000_FFFF], flags: 0x2 | CF | OF)
        #expect(m.cpu.registers[0] == 0xFFFF)
        #expect(m.cpu.rflags & (CF | OF | ZF | SF) == 0)
    }

    @Test func bextr() throws {
        // BEXTR EAX, EBX, ECX: start 4, length 8 -> bits 11:4.
        let a = try exec([0xC4, 0xE2, 0x70, 0xF7, 0xC3], [3: 0x1234_5678, 1: 0x0804])
        #expect(a.cpu.registers[0] == 0x67)
        // Start beyond the operand: 0, ZF = 1.
        let b = try exec([0xC4, 0xE2, 0x70, 0xF7, 0xC3], [3: 0x1234_5678, 1: 0x0820])
        #expect(b.cpu.registers[0] == 0)
        #expect(b.cpu.rflags & (ZF | CF | OF) == ZF)
        // Length 0: 0.
        let c = try exec([0xC4, 0xE2, 0x70, 0xF7, 0xC3], [3: 0x1234_5678, 1: 0x0000])
        #expect(c.cpu.registers[0] == 0)
    }

    @Test func blsFamily() throws {
        // BLSR EAX, EBX: 0110_1000b -> 0110_0000b; CF = (src == 0) = 0.
        let r = try exec([0xC4, 0xE2, 0x78, 0xF3, 0xCB], [3: 0x68])
        #expect(r.cpu.registers[0] == 0x60)
        #expect(r.cpu.rflags & (CF | ZF) == 0)
        // BLSMSK EAX, EBX: mask up to the lowest set bit: 0Fh; with 0: all ones, CF = 1.
        let k = try exec([0xC4, 0xE2, 0x78, 0xF3, 0xD3], [3: 0x68])
        #expect(k.cpu.registers[0] == 0x0F)
        let k0 = try exec([0xC4, 0xE2, 0x78, 0xF3, 0xD3], [3: 0])
        #expect(k0.cpu.registers[0] == 0xFFFF_FFFF)
        #expect(k0.cpu.rflags & (CF | ZF | SF) == CF | SF)
        // BLSI EAX, EBX: lowest set bit 08h; CF = (src != 0) = 1.
        let i = try exec([0xC4, 0xE2, 0x78, 0xF3, 0xDB], [3: 0x68])
        #expect(i.cpu.registers[0] == 0x08)
        #expect(i.cpu.rflags & (CF | ZF) == CF)
    }

    @Test func bzhi() throws {
        // BZHI EAX, EBX, ECX with index 8: keep bits 7:0.
        let a = try exec([0xC4, 0xE2, 0x70, 0xF5, 0xC3], [3: 0xFFFF_FFFF, 1: 8])
        #expect(a.cpu.registers[0] == 0xFF)
        #expect(a.cpu.rflags & CF == 0)
        // Index 40 >= 32: source unchanged, CF = 1.
        let b = try exec([0xC4, 0xE2, 0x70, 0xF5, 0xC3], [3: 0x8000_0001, 1: 40])
        #expect(b.cpu.registers[0] == 0x8000_0001)
        #expect(b.cpu.rflags & (CF | SF) == CF | SF)
    }

    @Test func pdepPext() throws {
        // PDEP EAX, EBX, ECX: deposit EBX's low bits at ECX's set bits.
        let d = try exec([0xC4, 0xE2, 0x63, 0xF5, 0xC1], [3: 0b101, 1: 0b1011_0000])
        #expect(d.cpu.registers[0] == 0b1001_0000)
        // PEXT EAX, EBX, ECX: gather EBX's bits at ECX's set bits.
        let x = try exec([0xC4, 0xE2, 0x62, 0xF5, 0xC1], [3: 0b1001_0000, 1: 0b1011_0000])
        #expect(x.cpu.registers[0] == 0b101)
    }

    @Test func mulx() throws {
        // MULX RAX, RBX, RCX (W1): RDX * RCX; high -> RAX, low -> RBX; flags unchanged.
        let m = try exec([0xC4, 0xE2, 0xE3, 0xF6, 0xC1], [2: 1 << 63, 1: 6], flags: 0x2 | ZF)
        #expect(m.cpu.registers[0] == 3)
        #expect(m.cpu.registers[3] == 0)
        #expect(m.cpu.rflags & 0x8D5 == ZF)
        // Same destination (RAX, RAX): the high half wins.
        let s = try exec([0xC4, 0xE2, 0xFB, 0xF6, 0xC1], [2: 1 << 63, 1: 6])
        #expect(s.cpu.registers[0] == 3)
    }

    @Test func rorxAndShifts() throws {
        // RORX EAX, EBX, 4.
        let r = try exec([0xC4, 0xE3, 0x7B, 0xF0, 0xC3, 0x04], [3: 0x1234_5678])
        #expect(r.cpu.registers[0] == 0x8123_4567)
        // SHLX EAX, EBX, ECX: count masked to 5 bits (33 -> 1).
        let l = try exec([0xC4, 0xE2, 0x71, 0xF7, 0xC3], [3: 0x8000_0001, 1: 33], flags: 0x2 | CF)
        #expect(l.cpu.registers[0] == 2)
        #expect(l.cpu.rflags & 0x8D5 == CF)
        // SARX EAX, EBX, ECX: arithmetic by 4.
        let a = try exec([0xC4, 0xE2, 0x72, 0xF7, 0xC3], [3: 0x8000_0000, 1: 4])
        #expect(a.cpu.registers[0] == 0xF800_0000)
        // SHRX EAX, EBX, ECX: logical by 4.
        let s = try exec([0xC4, 0xE2, 0x73, 0xF7, 0xC3], [3: 0x8000_0000, 1: 4])
        #expect(s.cpu.registers[0] == 0x0800_0000)
    }

    @Test func adcxAdox() throws {
        // ADCX EAX, EBX: FFFFFFFFh + 0 + CF(1) = 0, carry out in CF; ZF/OF untouched.
        let c = try exec([0x66, 0x0F, 0x38, 0xF6, 0xC3], [0: 0xFFFF_FFFF, 3: 0], flags: 0x2 | CF | OF)
        #expect(c.cpu.registers[0] == 0)
        #expect(c.cpu.rflags & 0x8D5 == CF | OF)
        // ADOX EAX, EBX: 1 + 2 + OF(1) = 4, OF cleared, CF untouched.
        let o = try exec([0xF3, 0x0F, 0x38, 0xF6, 0xC3], [0: 1, 3: 2], flags: 0x2 | CF | OF)
        #expect(o.cpu.registers[0] == 4)
        #expect(o.cpu.rflags & 0x8D5 == CF)
    }

    @Test func movbe() throws {
        // MOVBE EAX, [RBX].
        let m = machine([0x0F, 0x38, 0xF0, 0x03], [0: UInt64.max, 3: 0x2000])
        _ = m.memory.load([0x12, 0x34, 0x56, 0x78], at: 0x2000)
        try m.cpu.step()
        #expect(m.cpu.registers[0] == 0x1234_5678)
        // MOVBE AX, [RBX]: upper bits kept.
        let w = machine([0x66, 0x0F, 0x38, 0xF0, 0x03], [0: 0xAAAA_BBBB_CCCC_DDDD, 3: 0x2000])
        _ = w.memory.load([0x12, 0x34], at: 0x2000)
        try w.cpu.step()
        #expect(w.cpu.registers[0] == 0xAAAA_BBBB_CCCC_1234)
        // MOVBE [RBX], RAX.
        let s = machine([0x48, 0x0F, 0x38, 0xF1, 0x03], [0: 0x0102_0304_0506_0708, 3: 0x2000])
        try s.cpu.step()
        #expect(s.memory.read(0x2000, size: 8) == 0x0807_0605_0403_0201)
    }

    @Test func crc32ByteSteps() throws {
        // CRC32 EAX, BL over "123456789", one byte at a time.
        var crc: UInt64 = 0xFFFF_FFFF
        for byte in check {
            let m = try exec([0xF2, 0x0F, 0x38, 0xF0, 0xC3], [0: crc, 3: UInt64(byte)])
            crc = m.cpu.registers[0]
        }
        #expect(crc ^ 0xFFFF_FFFF == 0xE306_9283)
    }

    @Test func crc32WideSources() throws {
        // CRC32 RAX, RBX over "12345678" (one qword), then CRC32 EAX, BL over "9".
        var q: UInt64 = 0
        for (k, byte) in check.prefix(8).enumerated() { q |= UInt64(byte) << (8 * UInt64(k)) }
        let a = try exec([0xF2, 0x48, 0x0F, 0x38, 0xF1, 0xC3], [0: 0xDEAD_BEEF_FFFF_FFFF, 3: q])
        #expect(a.cpu.registers[0] >> 32 == 0)
        let b = try exec([0xF2, 0x0F, 0x38, 0xF0, 0xC3], [0: a.cpu.registers[0], 3: UInt64(check[8])])
        #expect(b.cpu.registers[0] ^ 0xFFFF_FFFF == 0xE306_9283)
        // CRC32 EAX, EBX over "1234" then CRC32 EAX, BX over "56", then bytes "789".
        var d: UInt64 = 0
        for (k, byte) in check.prefix(4).enumerated() { d |= UInt64(byte) << (8 * UInt64(k)) }
        let c1 = try exec([0xF2, 0x0F, 0x38, 0xF1, 0xC3], [0: 0xFFFF_FFFF, 3: d])
        let w = UInt64(check[4]) | UInt64(check[5]) << 8
        let c2 = try exec([0x66, 0xF2, 0x0F, 0x38, 0xF1, 0xC3], [0: c1.cpu.registers[0], 3: w])
        var crc = c2.cpu.registers[0]
        for byte in check.suffix(3) {
            // Keep the machine alive while reading its registers (they are freed with the CPU).
            let m = try exec([0xF2, 0x0F, 0x38, 0xF0, 0xC3], [0: crc, 3: UInt64(byte)])
            crc = m.cpu.registers[0]
        }
        #expect(crc ^ 0xFFFF_FFFF == 0xE306_9283)
    }
}
