import Testing
@testable import Emu

/// RDRAND and RDSEED (SDM vol. 2, RDRAND, RDSEED): CF = 1 and OF, SF, ZF, AF, PF = 0 after a
/// successful draw; the operand size picks 16, 32 (zero-extended in 64-bit mode) or 64 bits;
/// LOCK, F2 and F3 prefixes are #UD. The values are swemu's deterministic sequence, so the tests
/// check reproducibility (a fresh CPU draws the same values) and that values change.
@Suite struct RandomNumberTests {
    typealias H = InstructionHarness
    static let allStatusFlags: UInt64 = 0x8D7
    static let rdrandRAX: [UInt8] = [0x48, 0x0F, 0xC7, 0xF0]
    static let rdseedRAX: [UInt8] = [0x48, 0x0F, 0xC7, 0xF8]

    /// Runs `code` (one instruction) `count` times on one machine; RAX after each.
    func draws(_ code: [UInt8], _ count: Int, vendor: Vendor = .intel, apicID: UInt32 = 0) throws -> [UInt64] {
        let m = H.machine(code, vendor: vendor)
        m.cpu.cpuidModel.apicID = apicID
        var values: [UInt64] = []
        for _ in 0..<count {
            m.cpu.rip = H.codeAddress
            try m.cpu.step()
            values.append(m.cpu.registers[0])
        }
        return values
    }

    @Test(arguments: [Vendor.intel, .amd])
    func cpuidReportsBoth(vendor: Vendor) {
        let m = H.machine([], vendor: vendor)
        #expect(m.cpu.cpuid(leaf: 1, subleaf: 0).2 & 1 << 30 != 0)          // RDRAND
        #expect(m.cpu.cpuid(leaf: 7, subleaf: 0).1 & 1 << 18 != 0)          // RDSEED
    }

    @Test(arguments: [rdrandRAX, rdseedRAX])
    func flagsAfterSuccess(code: [UInt8]) throws {
        let m = try H.exec(code, flags: Self.allStatusFlags)
        #expect(m.cpu.rflags & 0x8D5 == CF)
        let clear = try H.exec(code, flags: 0x2)
        #expect(clear.cpu.rflags & 0x8D5 == CF)
    }

    @Test func operandSizes() throws {
        let old: UInt64 = 0x1122_3344_5566_7788
        // RDRAND AX keeps RAX[63:16].
        let w = try H.exec([0x66, 0x0F, 0xC7, 0xF0], [0: old])
        #expect(w.cpu.registers[0] >> 16 == old >> 16)
        // RDRAND ECX zero-extends into RCX.
        let d = try H.exec([0x0F, 0xC7, 0xF1], [1: old])
        #expect(d.cpu.registers[1] >> 32 == 0)
        // RDSEED R9 (REX.WB) writes 64 bits; the first draw equals a fresh CPU's first RDSEED RAX.
        let q = try H.exec([0x49, 0x0F, 0xC7, 0xF9], [9: old])
        #expect(try q.cpu.registers[9] == draws(Self.rdseedRAX, 1)[0])
        // The narrow forms take the low bits of the same draw.
        let first = try draws(Self.rdrandRAX, 1)[0]
        #expect(w.cpu.registers[0] & 0xFFFF == first & 0xFFFF)
        #expect(d.cpu.registers[1] == first & 0xFFFF_FFFF)
    }

    @Test func deterministicAndChanging() throws {
        let a = try draws(Self.rdrandRAX, 64)
        #expect(try draws(Self.rdrandRAX, 64) == a)                          // reproducible
        #expect(Set(a).count == 64)                                          // successive values differ
        // About half the bits are set: not a constant or a counter.
        let ones = a.reduce(0) { $0 + $1.nonzeroBitCount }
        #expect(ones > 64 * 24 && ones < 64 * 40)
        let s = try draws(Self.rdseedRAX, 64)
        #expect(Set(s).isDisjoint(with: a))                                  // RDSEED has its own stream
        #expect(try Set(draws(Self.rdrandRAX, 64, apicID: 1)).isDisjoint(with: a))   // so has each CPU
        #expect(try draws(Self.rdrandRAX, 64, vendor: .amd) == a)            // the model does not matter
    }

    @Test func initDoesNotRewind() throws {
        let m = H.machine(Self.rdrandRAX)
        try m.cpu.step()
        let first = m.cpu.registers[0]
        m.cpu.applyINIT()
        m.cpu.setSegment(.cs, SegmentCache(selector: 0, base: 0, limit: 0xFFFF, attributes: 0x9B))
        m.cpu.updateCodeMode()
        _ = m.memory.load([0x66, 0x0F, 0xC7, 0xF0], at: H.codeAddress)     // real mode: 66 = 32-bit
        m.cpu.rip = H.codeAddress
        try m.cpu.step()
        #expect(m.cpu.registers[0] != first & 0xFFFF_FFFF)
        #expect(m.cpu.registers[0] == (try draws(Self.rdrandRAX, 2)[1]) & 0xFFFF_FFFF)
    }

    @Test(arguments: [[0xF3, 0x0F, 0xC7, 0xF0], [0xF2, 0x0F, 0xC7, 0xF0], [0xF0, 0x0F, 0xC7, 0xF0],
                      [0xF2, 0x0F, 0xC7, 0xF8], [0xF0, 0x0F, 0xC7, 0xF8], [0x66, 0xF2, 0x0F, 0xC7, 0xF0]] as [[UInt8]])
    func prefixesAreInvalid(code: [UInt8]) {
        #expect(throws: Fault.invalidOpcode) { try H.exec(code) }
    }

    @Test func otherModes() throws {
        let p = try H.exec([0x0F, 0xC7, 0xF3], mode: .protected32)           // RDRAND EBX
        #expect(p.cpu.registers[3] & 0xFFFF_FFFF == (try draws(Self.rdrandRAX, 1)[0]) & 0xFFFF_FFFF)
        #expect(p.cpu.rflags & 0x8D5 == CF)
        let r = try H.exec([0x0F, 0xC7, 0xF3], [3: 0xFFFF_FFFF], mode: .real)   // RDRAND BX
        #expect(r.cpu.registers[3] >> 16 == 0xFFFF)
        #expect(r.cpu.rflags & 0x8D5 == CF)
    }
}
