import Testing
@testable import Emu

/// x87 behaviour the SDM specifies and the host oracle cannot show (faults, #MF, memory
/// images, unmasked responses). Code runs at 0x1000 in 32-bit protected mode (flat, DS 0x10,
/// CS 0x08) unless a test says otherwise, after FNINIT (the power-up state differs: FCW 0040h,
/// FTW 5555h); data lives at 0x2000.
private func machine(_ code: [UInt8], mode: CodeMode = .protected32) -> FlatMachine {
    let m = InstructionHarness.machine(code, mode: mode)
    m.cpu.x87Initialize()
    return m
}

private func steps(_ m: FlatMachine, _ n: Int) throws {
    for _ in 0..<n { try m.cpu.step() }
}

private func load(_ m: FlatMachine, _ bytes: [UInt8], at address: UInt64 = 0x2000) {
    _ = m.memory.load(bytes, at: address)
}

private func bytes(_ m: FlatMachine, _ address: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: m.memory.read(address + UInt64($0), size: 1)) }
}

private func dword(_ m: FlatMachine, _ address: UInt64) -> UInt64 { m.memory.read(address, size: 4) }

private let one = Float80Bits(significand: 1 << 63, signExponent: 0x3FFF)
private let two = Float80Bits(significand: 1 << 63, signExponent: 0x4000)

private let fld1: [UInt8] = [0xD9, 0xE8]
private let fnop: [UInt8] = [0xD9, 0xD0]
private let faddST0ST1: [UInt8] = [0xD8, 0xC1]

@Suite struct X87StackTests {
    @Test func overflowMaskedPushesIndefinite() throws {
        let m = machine(Array([[UInt8]](repeating: fld1, count: 9).joined()))
        try steps(m, 9)
        let c = m.cpu
        // IE and SF, C1 = 1 for overflow (SDM vol. 1, 8.5.1.1); ST(0) is the real indefinite.
        #expect(c.x87.status & 0x0241 == 0x0241)
        #expect(c.st(0) == X87Status.indefinite)
        #expect(c.x87.top == 7)
        #expect(c.x87.tags == 0xAAAA & 0xC000 | 0x0000)
    }

    @Test func underflowMaskedStoresIndefinite() throws {
        let m = machine(faddST0ST1)
        try steps(m, 1)
        #expect(m.cpu.x87.status & 0x0241 == 0x0041)
        #expect(m.cpu.st(0) == X87Status.indefinite)
        #expect(!m.cpu.stEmpty(0))
    }

    @Test func incrementDecrementAndFree() throws {
        // FLD1; FDECSTP; FINCSTP; FFREE ST(0); FLD1; FFREEP ST(0)
        let m = machine(fld1 + [0xD9, 0xF6, 0xD9, 0xF7, 0xDD, 0xC0] + fld1 + [0xDF, 0xC0])
        try steps(m, 2)
        #expect(m.cpu.x87.top == 6)
        try steps(m, 1)
        #expect(m.cpu.x87.top == 7 && m.cpu.st(0) == one)
        try steps(m, 1)
        #expect(m.cpu.stEmpty(0) && m.cpu.x87.top == 7)
        try steps(m, 2)
        #expect(m.cpu.x87.top == 7 && m.cpu.x87.tags == 0xFFFF)
    }

    @Test func fxamClassifiesEmptyAndUnsupported() throws {
        let m = machine([0xD9, 0xE5, 0xD9, 0xE5, 0xD9, 0xE5])
        try steps(m, 1)
        // Empty: C3 = 1, C2 = 0, C0 = 1.
        #expect(m.cpu.x87.status & 0x4700 == 0x4100)
        // Pseudo-infinity (exponent all ones, integer bit clear): unsupported, 000; C1 = sign.
        m.cpu.x87Push(Float80Bits(significand: 0, signExponent: 0xFFFF))
        try steps(m, 1)
        #expect(m.cpu.x87.status & 0x4700 == 0x0200)
        // Denormal: C3 = 1, C2 = 1.
        m.cpu.x87Push(Float80Bits(significand: 5, signExponent: 0))
        try steps(m, 1)
        #expect(m.cpu.x87.status & 0x4700 == 0x4400)
    }

    @Test func fcmovFollowsEFLAGS() throws {
        // FCMOVB ST(0), ST(1) with CF = 1 moves; FCMOVNB with CF = 1 does not.
        let m = machine([0xDA, 0xC1, 0xDB, 0xC1])
        m.cpu.rflags = 0x3
        m.cpu.x87Push(two)
        m.cpu.x87Push(one)
        try steps(m, 1)
        #expect(m.cpu.st(0) == two)
        m.cpu.setST(0, one)
        try steps(m, 1)
        #expect(m.cpu.st(0) == one)
    }

    @Test func constantsAreExact() throws {
        // FLDZ, FLD1: +0.0 tagged zero, 1.0 tagged valid.
        let m = machine([0xD9, 0xEE] + fld1)
        try steps(m, 2)
        #expect(m.cpu.st(1) == Float80Bits())
        #expect(m.cpu.st(0) == one)
        #expect(m.cpu.x87.tags == 0x4FFF)
    }
}

@Suite struct X87ExceptionTests {
    /// FLDCW [0x2000] with 037E (IE unmasked), then FADD on an empty stack.
    private func pendingInvalid(then next: [UInt8], numericError: Bool = true) throws -> FlatMachine {
        let m = machine([0xD9, 0x2D, 0x00, 0x20, 0x00, 0x00] + faddST0ST1 + next)
        if numericError { m.cpu.cr0 |= CR0.ne.rawValue }
        load(m, [0x7E, 0x03])
        try steps(m, 2)
        return m
    }

    @Test func unmaskedInvalidLeavesStackAndSetsSummary() throws {
        let m = try pendingInvalid(then: fnop)
        // IE, SF, ES and B; the destination stays empty (SDM vol. 1, 8.5.1.1).
        #expect(m.cpu.x87.status & 0x80C1 == 0x80C1)
        #expect(m.cpu.stEmpty(0))
    }

    @Test func nextWaitingInstructionRaisesMF() throws {
        let m = try pendingInvalid(then: fnop)
        #expect(throws: Fault.x87) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1008)
    }

    @Test func fwaitRaisesMFAndNoWaitFormsDoNot() throws {
        // FNSTSW AX, FNSTCW [0x2010], then FWAIT.
        let m = try pendingInvalid(then: [0xDF, 0xE0, 0xD9, 0x3D, 0x10, 0x20, 0x00, 0x00, 0x9B])
        try steps(m, 2)
        #expect(m.cpu.registers[0] & 0xFFFF == UInt64(m.cpu.x87.status))
        #expect(dword(m, 0x2010) & 0xFFFF == 0x037E)
        #expect(throws: Fault.x87) { try m.cpu.step() }
    }

    @Test func fnclexClearsThePendingException() throws {
        let m = try pendingInvalid(then: [0xDB, 0xE2] + fnop)
        try steps(m, 2)
        #expect(m.cpu.x87.status & 0x80FF == 0)
    }

    @Test func withoutNumericErrorNoMF() throws {
        // CR0.NE = 0: reporting through FERR#/IGNNE#, not modelled; the instruction executes.
        let m = try pendingInvalid(then: fnop + [0x9B], numericError: false)
        try steps(m, 2)
        #expect(m.cpu.rip == 0x100B)
        #expect(m.cpu.x87.status & 0x0080 != 0)
    }

    @Test func fldcwUnmaskingASetFlagMakesItPending() throws {
        // Masked IE first (FADD on empty), then FLDCW 037E: ES set, the next FNOP faults.
        let m = machine(faddST0ST1 + [0xD9, 0x2D, 0x00, 0x20, 0x00, 0x00] + fnop)
        m.cpu.cr0 |= CR0.ne.rawValue
        load(m, [0x7E, 0x03])
        try steps(m, 2)
        #expect(m.cpu.x87.status & 0x8080 == 0x8080)
        #expect(throws: Fault.x87) { try m.cpu.step() }
    }

    @Test func deviceNotAvailable() throws {
        let m = machine(fld1)
        m.cpu.cr0 |= CR0.ts.rawValue
        #expect(throws: Fault.deviceNotAvailable) { try m.cpu.step() }
        // WAIT faults only with both MP and TS (SDM vol. 3, table 2-2).
        let w = machine([0x9B, 0x9B])
        w.cpu.cr0 |= CR0.ts.rawValue
        try steps(w, 1)
        w.cpu.cr0 |= CR0.mp.rawValue
        #expect(throws: Fault.deviceNotAvailable) { try w.cpu.step() }
        let e = machine(fld1)
        e.cpu.cr0 |= CR0.em.rawValue
        #expect(throws: Fault.deviceNotAvailable) { try e.cpu.step() }
    }

    @Test func unmaskedZeroDivideKeepsDestination() throws {
        // FDIV ST(0), ST(1) with ST(1) = +0 and ZE unmasked (FCW 037B).
        let m = machine([0xD9, 0x2D, 0x00, 0x20, 0x00, 0x00, 0xD8, 0xF1])
        load(m, [0x7B, 0x03])
        m.cpu.x87Push(Float80Bits())
        m.cpu.x87Push(one)
        try steps(m, 2)
        #expect(m.cpu.st(0) == one)
        #expect(m.cpu.x87.status & 0x8084 == 0x8084)
    }

    @Test func trigonometricOutOfRangeSetsC2() throws {
        // FSIN and FPTAN of 2^63: C2 = 1, operand unchanged, nothing pushed (SDM vol. 2, FSIN).
        let big = Float80Bits(significand: 1 << 63, signExponent: 0x3FFF + 63)
        let m = machine([0xD9, 0xFE, 0xD9, 0xF2])
        m.cpu.x87Push(big)
        try steps(m, 1)
        #expect(m.cpu.x87.status & 0x0400 != 0 && m.cpu.st(0) == big)
        try steps(m, 1)
        #expect(m.cpu.x87.status & 0x0400 != 0 && m.cpu.st(0) == big && m.cpu.x87.top == 7)
    }
}

@Suite struct X87EnvironmentTests {
    /// FLD1 at 0x1000, FLD dword [0x3000] at 0x1002 (two NOPs after it in real mode), then the
    /// instruction under test at 0x1008.
    private func prepared(_ code: [UInt8], mode: CodeMode = .protected32) throws -> FlatMachine {
        let fld: [UInt8] = mode == .real ? [0xD9, 0x06, 0x00, 0x30, 0x90, 0x90] : [0xD9, 0x05, 0x00, 0x30, 0x00, 0x00]
        let m = machine(fld1 + fld + code, mode: mode)
        load(m, [0x00, 0x00, 0x00, 0x40], at: 0x3000)   // 2.0f
        try steps(m, 2)
        return m
    }

    @Test func fnstenvProtected32() throws {
        let m = try prepared([0xD9, 0x35, 0x00, 0x20, 0x00, 0x00])
        m.cpu.x87.control = 0x0360
        try steps(m, 1)
        // SDM vol. 1, figure 8-9; reserved upper halves read as FFFFh as on hardware.
        #expect(dword(m, 0x2000) == 0xFFFF_0360)
        #expect(dword(m, 0x2004) == 0xFFFF_3000)
        #expect(dword(m, 0x2008) == 0xFFFF_0FFF)
        #expect(dword(m, 0x200C) == 0x1002)
        #expect(dword(m, 0x2010) == 0x0105_0008)       // FOP D9 05 -> 105h, FCS 08h
        #expect(dword(m, 0x2014) == 0x3000)
        #expect(dword(m, 0x2018) == 0xFFFF_0010)
        // FNSTENV then masks all exceptions.
        #expect(m.cpu.x87.control == 0x037F)
    }

    @Test func fnstenvReal16() throws {
        let m = try prepared([0xD9, 0x36, 0x00, 0x20], mode: .real)
        try steps(m, 3)
        // SDM vol. 1, figure 8-12: linear addresses, FIP[19:16] and FOP in one word.
        let ip = (UInt64(m.cpu.segment(.cs).selector) << 4) + 0x1002
        #expect(bytes(m, 0x2000, 14) == [0x7F, 0x03, 0x00, 0x30, 0xFF, 0x0F,
                                         UInt8(ip & 0xFF), UInt8(ip >> 8 & 0xFF), 0x06, UInt8(0x01 | (ip >> 16) << 4),
                                         0x00, 0x30, 0x00, 0x00])
    }

    @Test func fldenvRestoresAndRecomputesSummary() throws {
        let m = try prepared([0xD9, 0x35, 0x00, 0x20, 0x00, 0x00, 0xD9, 0x25, 0x00, 0x20, 0x00, 0x00])
        try steps(m, 1)
        // Change the image: FCW 037E (IE unmasked), FSW with IE set.
        load(m, [0x7E, 0x03, 0xFF, 0xFF, 0x01, 0x30, 0xFF, 0xFF])
        try steps(m, 1)
        #expect(m.cpu.x87.control == 0x037E)
        #expect(m.cpu.x87.status == 0xB081)
        #expect(m.cpu.x87.lastInstructionPointer == 0x1002 && m.cpu.x87.lastDataPointer == 0x3000)
        #expect(m.cpu.x87.lastOpcode == 0x105)
    }

    @Test func fnsaveFrstorRoundTrip() throws {
        let m = try prepared([0xDD, 0x35, 0x00, 0x20, 0x00, 0x00, 0xDD, 0x25, 0x00, 0x20, 0x00, 0x00])
        let before = m.cpu.x87
        try steps(m, 1)
        // ST(0) = 2.0 then ST(1) = 1.0 at offsets 28 and 38 (SDM vol. 1, figure 8-13).
        #expect(bytes(m, 0x2000 + 28, 10) == [0, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0x40])
        #expect(bytes(m, 0x2000 + 38, 10) == [0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0x3F])
        // FNSAVE ends with FNINIT.
        #expect(m.cpu.x87.tags == 0xFFFF && m.cpu.x87.status == 0 && m.cpu.x87.control == 0x037F)
        try steps(m, 1)
        #expect(m.cpu.x87.status == before.status && m.cpu.x87.tags == before.tags)
        #expect(m.cpu.st(0) == two && m.cpu.st(1) == one)
        #expect(m.cpu.x87.lastInstructionPointer == 0x1002)
    }

    @Test func fnstswToMemory() throws {
        let m = try prepared([0xDD, 0x3D, 0x00, 0x20, 0x00, 0x00])
        try steps(m, 1)
        #expect(dword(m, 0x2000) & 0xFFFF == 0x3000)
    }
}

@Suite struct X87MemoryTests {
    @Test func bcdLoadAndStore() throws {
        // FBLD [0x2000]: -1234 as packed BCD; FBSTP [0x2010] writes it back.
        let m = machine([0xDF, 0x25, 0x00, 0x20, 0x00, 0x00, 0xDF, 0x35, 0x10, 0x20, 0x00, 0x00])
        let bcd: [UInt8] = [0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0x80]
        load(m, bcd)
        try steps(m, 1)
        #expect(m.cpu.st(0) == Float80Bits(significand: 0x9A40_0000_0000_0000, signExponent: 0xC009))
        try steps(m, 1)
        #expect(bytes(m, 0x2010, 10) == bcd)
        #expect(m.cpu.stEmpty(0))
    }

    @Test func bcdStoreOfTooLargeValueIsIndefinite() throws {
        let m = machine([0xDF, 0x35, 0x10, 0x20, 0x00, 0x00])
        m.cpu.x87Push(Float80Bits(significand: 1 << 63, signExponent: 0x3FFF + 62))
        try steps(m, 1)
        #expect(bytes(m, 0x2010, 10) == [0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF])
        #expect(m.cpu.x87.status & 1 == 1)
    }

    @Test func integerStoresRoundByControlWord() throws {
        // 2.5: FIST m16 (nearest) -> 2; FISTTP m16 -> 2; with RC = up FIST -> 3.
        let m = machine([0xDF, 0x15, 0x00, 0x20, 0x00, 0x00,
                         0xD9, 0x2D, 0x20, 0x20, 0x00, 0x00,
                         0xDF, 0x15, 0x02, 0x20, 0x00, 0x00,
                         0xDF, 0x0D, 0x04, 0x20, 0x00, 0x00])
        load(m, [0x7F, 0x0B], at: 0x2020)
        m.cpu.x87Push(Float80Bits(significand: 0xA000_0000_0000_0000, signExponent: 0x4000))
        try steps(m, 1)
        #expect(dword(m, 0x2000) & 0xFFFF == 2)
        #expect(m.cpu.x87.status & 0x0220 == 0x0020)   // PE, rounded down: C1 = 0
        try steps(m, 2)
        #expect(dword(m, 0x2002) & 0xFFFF == 3)
        #expect(m.cpu.x87.status & 0x0200 != 0)          // rounded up: C1 = 1
        try steps(m, 1)
        #expect(dword(m, 0x2004) & 0xFFFF == 2)
        #expect(m.cpu.stEmpty(0))
    }

    @Test func integerStoreOverflowIsIndefinite() throws {
        // 65536.0 to m16: IE, 8000h (SDM vol. 1, 4.8.3.7 integer indefinite).
        let m = machine([0xDF, 0x1D, 0x00, 0x20, 0x00, 0x00])
        m.cpu.x87Push(Float80Bits(significand: 1 << 63, signExponent: 0x3FFF + 16))
        try steps(m, 1)
        #expect(dword(m, 0x2000) & 0xFFFF == 0x8000)
        #expect(m.cpu.x87.status & 1 == 1)
    }

    @Test func extendedLoadStoreIsBitExact() throws {
        // FLD m80 of a signaling NaN raises nothing; FSTP m80 stores the same bits.
        let m = machine([0xDB, 0x2D, 0x00, 0x20, 0x00, 0x00, 0xDB, 0x3D, 0x10, 0x20, 0x00, 0x00])
        let snan: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0x7F]
        load(m, snan)
        try steps(m, 2)
        #expect(bytes(m, 0x2010, 10) == snan)
        #expect(m.cpu.x87.status & 0x3F == 0)
    }

    @Test func singleLoadOfSignalingNaNRaisesInvalid() throws {
        // FLD m32 7F800001h: IE, quieted to 7FFF C000 0100 0000 0000 (SDM vol. 1, 4.8.3.4).
        let m = machine([0xD9, 0x05, 0x00, 0x20, 0x00, 0x00])
        load(m, [0x01, 0x00, 0x80, 0x7F])
        try steps(m, 1)
        #expect(m.cpu.st(0) == Float80Bits(significand: 0xC000_0100_0000_0000, signExponent: 0x7FFF))
        #expect(m.cpu.x87.status & 0x3F == 1)
    }

    @Test func integerCompareWithMemory() throws {
        // FICOM m16 3 with ST(0) = 2.0: less, C0 = 1.
        let m = machine([0xDE, 0x15, 0x00, 0x20, 0x00, 0x00])
        load(m, [3, 0])
        m.cpu.x87Push(two)
        try steps(m, 1)
        #expect(m.cpu.x87.status & 0x4700 == 0x0100)
        #expect(m.cpu.x87.lastDataPointer == 0x2000 && m.cpu.x87.lastOpcode == 0x615)
    }
}
