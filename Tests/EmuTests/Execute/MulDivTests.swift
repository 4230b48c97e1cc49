import Testing
@testable import Emu

/// MUL/IMUL/DIV/IDIV: products, quotients and #DE worked out by hand from the SDM.
private func exec(_ code: [UInt8], _ regs: [Int: UInt64], flags: UInt64 = 0x2,
                  vendor: Vendor = .intel) throws(Fault) -> FlatMachine {
    try InstructionHarness.exec(code, regs, flags: flags, vendor: vendor)
}

/// Runs `code` expecting #DE; checks that RIP and the registers are left as they were.
private func expectDivideError(_ code: [UInt8], _ regs: [Int: UInt64]) {
    let m = InstructionHarness.machine(code, regs)
    do {
        try m.cpu.step()
        Issue.record("no fault")
    } catch {
        #expect(error == .divideError)
    }
    #expect(m.cpu.rip == 0x1000)
    for (r, v) in regs { #expect(m.cpu.registers[r] == v) }
}

@Suite struct MulDivTests {
    @Test func mulByte() throws {
        // MUL BL: 80h * 2 = 0100h in AX; AH != 0 -> CF = OF = 1.
        let m = try exec([0xF6, 0xE3], [0: 0xAAAA_0080, 3: 2])
        #expect(m.cpu.registers[0] == 0xAAAA_0100)
        #expect(m.cpu.rflags & (CF | OF) == CF | OF)
    }

    @Test func mulQuad() throws {
        // MUL RBX: 2^63 * 4 = 2^65 -> RDX = 2, RAX = 0.
        let m = try exec([0x48, 0xF7, 0xE3], [0: 1 << 63, 3: 4])
        #expect(m.cpu.registers[0] == 0)
        #expect(m.cpu.registers[2] == 2)
        #expect(m.cpu.rflags & (CF | OF) == CF | OF)
    }

    @Test func mulDwordZeroExtends() throws {
        // MUL EBX: FFFFFFFFh * 2 = 1_FFFFFFFEh -> EDX = 1, EAX = FFFFFFFEh, upper halves cleared.
        let m = try exec([0xF7, 0xE3], [0: 0xDEAD_0000_FFFF_FFFF, 2: 0xDEAD_0000_0000_0000, 3: 2])
        #expect(m.cpu.registers[0] == 0xFFFF_FFFE)
        #expect(m.cpu.registers[2] == 1)
    }

    @Test func mulUndefinedFlagsPerVendor() throws {
        // AMD leaves SF, ZF, AF, PF as they were; the Intel model derives SF/ZF/PF from the low half.
        let amd = try exec([0xF6, 0xE3], [0: 3, 3: 5], flags: 0x2 | ZF | AF | CF, vendor: .amd)
        #expect(amd.cpu.rflags & 0x8D5 == ZF | AF)
        let intel = try exec([0xF6, 0xE3], [0: 3, 3: 5], flags: 0x2 | ZF | AF | CF)
        #expect(intel.cpu.rflags & 0x8D5 == PF)   // 15 = 0Fh: four bits set, even parity
    }

    @Test func imulOneOperand() throws {
        // IMUL BL: -1 * 2 = -2 -> AX = FFFEh, fits in AL -> CF = OF = 0.
        let a = try exec([0xF6, 0xEB], [0: 0xFF, 3: 2])
        #expect(a.cpu.registers[0] & 0xFFFF == 0xFFFE)
        #expect(a.cpu.rflags & (CF | OF) == 0)
        // IMUL RBX: INT64_MIN * 2 = -2^64 -> RDX = -1, RAX = 0, overflow.
        let b = try exec([0x48, 0xF7, 0xEB], [0: 1 << 63, 3: 2])
        #expect(b.cpu.registers[0] == 0)
        #expect(b.cpu.registers[2] == UInt64.max)
        #expect(b.cpu.rflags & (CF | OF) == CF | OF)
        // IMUL RBX: -1 * -1 = 1.
        let c = try exec([0x48, 0xF7, 0xEB], [0: UInt64.max, 3: UInt64.max])
        #expect(c.cpu.registers[0] == 1 && c.cpu.registers[2] == 0)
        #expect(c.cpu.rflags & (CF | OF) == 0)
    }

    @Test func imulTwoAndThreeOperands() throws {
        // IMUL RAX, RBX: 3 * -5 = -15.
        let a = try exec([0x48, 0x0F, 0xAF, 0xC3], [0: 3, 3: UInt64(bitPattern: -5)])
        #expect(a.cpu.registers[0] == UInt64(bitPattern: -15))
        #expect(a.cpu.rflags & (CF | OF) == 0)
        // IMUL EAX, EBX, -1: 80000000h * -1 = +2^31 does not fit -> truncated 80000000h, overflow.
        let b = try exec([0x6B, 0xC3, 0xFF], [0: 0xFFFF_FFFF_0000_0000, 3: 0x8000_0000])
        #expect(b.cpu.registers[0] == 0x8000_0000)
        #expect(b.cpu.rflags & (CF | OF) == CF | OF)
        // IMUL AX, BX, 7FFFh: 2 * 7FFFh = FFFEh overflows 16 bits; upper RAX bits kept.
        let c = try exec([0x66, 0x69, 0xC3, 0xFF, 0x7F], [0: 0x1111_0000, 3: 2])
        #expect(c.cpu.registers[0] == 0x1111_FFFE)
        #expect(c.cpu.rflags & (CF | OF) == CF | OF)
    }

    @Test func divide() throws {
        // DIV BL: 0107h / 10h = 10h remainder 7 -> AL = 10h, AH = 07h.
        let a = try exec([0xF6, 0xF3], [0: 0x0107, 3: 0x10])
        #expect(a.cpu.registers[0] & 0xFFFF == 0x0710)
        // DIV RBX: (1:0) / 2 = 2^63 remainder 0.
        let b = try exec([0x48, 0xF7, 0xF3], [0: 0, 2: 1, 3: 2])
        #expect(b.cpu.registers[0] == 1 << 63 && b.cpu.registers[2] == 0)
        // DIV ECX: EDX:EAX = 1_00000005h / 3 = 55555557h remainder 0.
        let c = try exec([0xF7, 0xF1], [0: 5, 2: 1, 1: 3])
        #expect(c.cpu.registers[0] == 0x5555_5557 && c.cpu.registers[2] == 0)
    }

    @Test func divideErrors() {
        expectDivideError([0xF6, 0xF3], [0: 0x1234, 3: 0])             // DIV BL by zero
        expectDivideError([0xF6, 0xF3], [0: 0x0200, 3: 2])             // quotient 100h
        expectDivideError([0x48, 0xF7, 0xF3], [0: 0, 2: 5, 3: 5])      // RDX >= divisor
        expectDivideError([0x48, 0xF7, 0xFB], [0: 1 << 63, 2: UInt64.max, 3: UInt64.max])  // INT64_MIN / -1
        expectDivideError([0xF7, 0xFB], [0: 0x8000_0000, 2: 0xFFFF_FFFF, 3: 0xFFFF_FFFF])   // INT32_MIN / -1
        expectDivideError([0xF6, 0xFB], [0: 0xFF80, 3: 0xFF])          // IDIV: -128 / -1
        expectDivideError([0x48, 0xF7, 0xFB], [0: 0, 2: 0, 3: 0])      // IDIV by zero
    }

    @Test func signedDivide() throws {
        // IDIV EBX: -7 / 2 = -3 remainder -1 (truncation toward zero).
        let a = try exec([0xF7, 0xFB], [0: 0xFFFF_FFF9, 2: 0xFFFF_FFFF, 3: 2])
        #expect(a.cpu.registers[0] == 0xFFFF_FFFD && a.cpu.registers[2] == 0xFFFF_FFFF)
        // IDIV BL: -128 / 1 = -128 fits.
        let b = try exec([0xF6, 0xFB], [0: 0xFF80, 3: 1])
        #expect(b.cpu.registers[0] & 0xFFFF == 0x0080)
        // IDIV RBX: RDX:RAX = -2^63 divided by -2 = 2^62.
        let c = try exec([0x48, 0xF7, 0xFB], [0: 1 << 63, 2: UInt64.max, 3: UInt64(bitPattern: -2)])
        #expect(c.cpu.registers[0] == 1 << 62 && c.cpu.registers[2] == 0)
        // IDIV CX: DX:AX = 7 / -2 = -3 remainder 1.
        let d = try exec([0x66, 0xF7, 0xF9], [0: 7, 2: 0, 1: 0xFFFE])
        #expect(d.cpu.registers[0] & 0xFFFF == 0xFFFD && d.cpu.registers[2] & 0xFFFF == 1)
        // IDIV RBX: most negative quotient -2^63 is allowed: (-2^64 / 2).
        let e = try exec([0x48, 0xF7, 0xFB], [0: 0, 2: UInt64.max, 3: 2])
        #expect(e.cpu.registers[0] == 1 << 63 && e.cpu.registers[2] == 0)
    }

    @Test func divideFlagsPerVendor() throws {
        // AMD host: CF and OF kept, SF ZF PF cleared, AF set.
        let m = try exec([0xF6, 0xF3], [0: 10, 3: 3], flags: 0x2 | CF | OF | ZF | SF | PF, vendor: .amd)
        #expect(m.cpu.rflags & 0x8D5 == CF | OF | AF)
    }
}

/// Random operands through every group's register forms (debug build: any Swift trap fails the
/// run). Only faults the SDM allows may come out.
@Suite struct OperandSweepTests {
    static let encodings: [[UInt8]] = [
        [0xF6, 0xF3], [0x66, 0xF7, 0xF3], [0xF7, 0xF3], [0x48, 0xF7, 0xF3],     // DIV
        [0xF6, 0xFB], [0x66, 0xF7, 0xFB], [0xF7, 0xFB], [0x48, 0xF7, 0xFB],     // IDIV
        [0xF6, 0xE3], [0x48, 0xF7, 0xE3], [0xF6, 0xEB], [0x48, 0xF7, 0xEB],     // MUL, IMUL
        [0x48, 0x0F, 0xAF, 0xC3], [0x66, 0x6B, 0xC3, 0x80], [0x69, 0xC3, 0x00, 0x00, 0x00, 0x80],
        [0xD2, 0xC0], [0xD2, 0xC8], [0xD2, 0xD0], [0xD2, 0xD8], [0xD2, 0xE0], [0xD2, 0xE8], [0xD2, 0xF8],
        [0x66, 0xD3, 0xD0], [0x66, 0xD3, 0xD8], [0xD3, 0xD0], [0x48, 0xD3, 0xD0], [0x48, 0xD3, 0xD8],
        [0x48, 0xD3, 0xC0], [0x48, 0xD3, 0xC8], [0x48, 0xD3, 0xE0], [0x48, 0xD3, 0xE8], [0x48, 0xD3, 0xF8],
        [0x66, 0x0F, 0xA5, 0xD8], [0x66, 0x0F, 0xAD, 0xD8], [0x0F, 0xA5, 0xD8], [0x48, 0x0F, 0xAD, 0xD8],
        [0x48, 0x0F, 0xA3, 0xC8], [0x66, 0x0F, 0xBB, 0xC8], [0x0F, 0xBC, 0xC3], [0x48, 0x0F, 0xBD, 0xC3],
        [0xF3, 0x66, 0x0F, 0xBD, 0xC3], [0xF3, 0x48, 0x0F, 0xBC, 0xC3], [0xF3, 0x0F, 0xB8, 0xC3],
        [0xC4, 0xE2, 0xF0, 0xF7, 0xC3], [0xC4, 0xE2, 0xF0, 0xF5, 0xC3], [0xC4, 0xE2, 0xE3, 0xF5, 0xC1],
        [0xC4, 0xE2, 0xE2, 0xF5, 0xC1], [0xC4, 0xE2, 0xE3, 0xF6, 0xC1], [0xC4, 0xE3, 0xFB, 0xF0, 0xC3, 0x3F],
        [0xC4, 0xE2, 0xF1, 0xF7, 0xC3], [0xC4, 0xE2, 0xF2, 0xF7, 0xC3], [0xC4, 0xE2, 0xF3, 0xF7, 0xC3],
        [0xC4, 0xE2, 0xF8, 0xF3, 0xCB], [0xC4, 0xE2, 0xF8, 0xF3, 0xD3], [0xC4, 0xE2, 0xF8, 0xF3, 0xDB],
        [0x66, 0x48, 0x0F, 0x38, 0xF6, 0xC3], [0xF3, 0x48, 0x0F, 0x38, 0xF6, 0xC3],
        [0xF2, 0x48, 0x0F, 0x38, 0xF1, 0xC3], [0x66, 0xF2, 0x0F, 0x38, 0xF1, 0xC3],
    ]

    @Test(arguments: [Vendor.intel, Vendor.amd])
    func randomOperandsNeverTrap(vendor: Vendor) throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let v = seed ^ (seed >> 29)
            // Bias towards edge values.
            switch v & 7 {
            case 0: return 0
            case 1: return UInt64.max
            case 2: return 1 << (v >> 58)
            case 3: return UInt64(bitPattern: Int64.min) >> ((v >> 10) & 63)
            default: return v
            }
        }
        for code in OperandSweepTests.encodings {
            // A fresh machine per encoding: the decoded-instruction cache is keyed by address.
            let m = FlatMachine(memorySize: 1 << 20, mode: .long64, vendor: vendor)!
            _ = m.memory.load(code, at: 0x1000)
            for _ in 0..<500 {
                m.cpu.rip = 0x1000
                for r in 0..<4 { m.cpu.registers[r] = next() }
                m.cpu.rflags = 0x2 | (next() & 0x8D5)
                do {
                    try m.cpu.step()
                } catch {
                    #expect(error == .divideError)
                }
            }
        }
    }
}
