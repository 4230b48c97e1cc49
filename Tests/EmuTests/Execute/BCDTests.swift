import Testing
@testable import Emu

/// DAA/DAS/AAA/AAS/AAM/AAD/SALC: results and the SDM-defined flags.
private func run(_ code: [UInt8], ax: UInt64, flags: UInt64 = 0x2) throws -> CPU {
    let m = FlatMachine(memorySize: 1 << 20, mode: .protected32)!
    _ = m.memory.load(code, at: 0x1000)
    m.cpu.rip = 0x1000
    m.cpu.registers[0] = ax
    m.cpu.rflags = flags
    try m.cpu.step()
    return m.cpu
}

@Suite struct BCDTests {
    @Test func daaExample() throws {
        // SDM DAA example: ADD AL,BL with AL=79H BL=35H gives AEH; DAA -> 14H, CF=1, AF=1.
        let c = try run([0x27], ax: 0xAE)
        #expect(c.registers[0] & 0xFF == 0x14)
        #expect(c.flags.carry)
        #expect(c.flags.auxiliaryCarry)
    }

    @Test func dasExample() throws {
        // SDM DAS example: SUB AL,BL with AL=35H BL=47H gives EEH (CF=1, AF=1); DAS -> 88H, CF=1.
        let c = try run([0x2F], ax: 0xEE, flags: 0x13)
        #expect(c.registers[0] & 0xFF == 0x88)
        #expect(c.flags.carry)
        #expect(c.flags.auxiliaryCarry)
        #expect(c.flags.sign)
    }

    @Test func dasKeepsBorrowOfLowDigit() throws {
        // AL=05H with AF=1: AL-6 borrows -> CF=1; no high adjustment (old AL <= 99H, old CF=0).
        let c = try run([0x2F], ax: 0x05, flags: 0x12)
        #expect(c.registers[0] & 0xFF == 0xFF)
        #expect(c.flags.carry)
    }

    @Test func aaaAdjusts() throws {
        let c = try run([0x37], ax: 0x010B)   // AX + 106H = 0211H, AL AND 0FH -> 0201H
        #expect(c.registers[0] & 0xFFFF == 0x0201)
        #expect(c.flags.carry && c.flags.auxiliaryCarry)
        let d = try run([0x37], ax: 0x0105)
        #expect(d.registers[0] & 0xFFFF == 0x0105)
        #expect(!d.flags.carry && !d.flags.auxiliaryCarry)
    }

    @Test func aasAdjusts() throws {
        let c = try run([0x3F], ax: 0x020B)   // AX - 6 = 0205H, AH - 1 -> 0105H
        #expect(c.registers[0] & 0xFFFF == 0x0105)
        #expect(c.flags.carry && c.flags.auxiliaryCarry)
    }

    @Test func aamAndAad() throws {
        let c = try run([0xD4, 0x0A], ax: 0x003F)  // 63 -> AH 6, AL 3
        #expect(c.registers[0] & 0xFFFF == 0x0603)
        #expect(!c.flags.zero && c.flags.parity)
        let d = try run([0xD5, 0x0A], ax: 0x0603)  // 6 * 10 + 3 = 63, AH 0
        #expect(d.registers[0] & 0xFFFF == 0x003F)
        let h = try run([0xD4, 0x10], ax: 0x00AB)
        #expect(h.registers[0] & 0xFFFF == 0x0A0B)
    }

    @Test func aamZeroIsDivideError() throws {
        #expect(throws: Fault.divideError) { _ = try run([0xD4, 0x00], ax: 0x10) }
    }

    @Test func salc() throws {
        let c = try run([0xD6], ax: 0x1234, flags: 0x3)
        #expect(c.registers[0] == 0x12FF)
        #expect(c.flags.carry)
        let d = try run([0xD6], ax: 0x1234)
        #expect(d.registers[0] == 0x1200)
    }

    @Test func invalidIn64BitMode() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .long64)!
        _ = m.memory.load([0x27], at: 0x1000)
        m.cpu.rip = 0x1000
        #expect(throws: Fault.invalidOpcode) { try m.cpu.step() }
    }
}
