import Testing
@testable import Emu

/// PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM vol. 2, 4.1): XMM1 holds the set, ranges or
/// substring, XMM2 the text; results worked out from the aggregation and polarity rules.
@Suite struct SSE42StringCompareTests {
    /// A string's bytes (NUL-padded) as an XMM value.
    func s(_ text: String) -> XMMValue {
        var v = XMMValue()
        for (k, c) in text.utf8.enumerated() where k < 16 {
            if k < 8 { v.low |= UInt64(c) << (k * 8) } else { v.high |= UInt64(c) << ((k - 8) * 8) }
        }
        return v
    }

    /// Runs `66 0F 3A op /r(xmm1, xmm2) imm` and returns the machine.
    func run(_ op: UInt8, _ imm: UInt8, _ a: XMMValue, _ b: XMMValue, rax: UInt64 = 0, rdx: UInt64 = 0) throws -> FlatMachine {
        try SIMDHarness.exec([0x66, 0x0F, 0x3A, op, 0xCA, imm], xmm: [0: x(~0, ~0), 1: a, 2: b], regs: [0: rax, 1: ~0, 2: rdx])
    }

    func flags(_ m: FlatMachine) -> UInt64 { m.cpu.rflags & (CF | ZF | SF | OF | AF | PF) }

    @Test func equalAny() throws {
        // Vowels of "hello world": e (1), o (4), o (7).
        let vowels = s("aeiou"), text = s("hello world")
        let first = try run(0x63, 0x00, vowels, text)
        #expect(first.cpu.registers[1] == 1)
        #expect(flags(first) == CF | ZF | SF)
        let last = try run(0x63, 0x40, vowels, text)
        #expect(last.cpu.registers[1] == 7)
        #expect(try run(0x62, 0x00, vowels, text).cpu.xmmRegister(0) == x(0x92))
        #expect(try run(0x62, 0x40, vowels, text).cpu.xmmRegister(0) == x(0xFF00_00FF_0000_FF00))
        // Negative polarity inverts all 16 bits; masked negative only the 11 valid ones.
        #expect(try run(0x62, 0x10, vowels, text).cpu.xmmRegister(0) == x(0xFF6D))
        #expect(try run(0x62, 0x30, vowels, text).cpu.xmmRegister(0) == x(0x076D))
    }

    @Test func rangesEqualEachEqualOrdered() throws {
        // Ranges "az" over "Hi, Z9q": i (1), q (6).
        #expect(try run(0x62, 0x04, s("az"), s("Hi, Z9q")).cpu.xmmRegister(0) == x(0x42))
        // Equal each "abcd" vs "abXd": elements past both ends compare true.
        #expect(try run(0x62, 0x08, s("abcd"), s("abXd")).cpu.xmmRegister(0) == x(0xFFFB))
        let diff = try run(0x63, 0x18, s("abcd"), s("abXd"))
        #expect(diff.cpu.registers[1] == 2)
        // Equal ordered: "lo" starts at 3 in "hello world".
        let sub = try run(0x63, 0x0C, s("lo"), s("hello world"))
        #expect(sub.cpu.registers[1] == 3)
        #expect(try run(0x62, 0x0C, s("lo"), s("hello world")).cpu.xmmRegister(0) == x(0x08))
        // No match: index 16, CF clear.
        let none = try run(0x63, 0x0C, s("xyz"), s("hello world"))
        #expect(none.cpu.registers[1] == 16)
        #expect(flags(none) == ZF | SF)
    }

    @Test func explicitLengths() throws {
        // Unsigned words: set {1, 2} (EAX = 2), text 5 2 1 3 0 0 0 0 with EDX = -3 (length 3).
        let set = x(0x0004_0003_0002_0001), text = x(0x0003_0001_0002_0005)
        let m = try run(0x61, 0x01, set, text, rax: 2, rdx: 0xFFFF_FFFD)
        #expect(m.cpu.registers[1] == 1)
        #expect(flags(m) == CF | ZF | SF)
        // EDX = 100 saturates to 8: the text is full length, ZF clear.
        let full = try run(0x61, 0x01, set, text, rax: 2, rdx: 100)
        #expect(full.cpu.registers[1] == 1)
        #expect(flags(full) == CF | SF)
        // Signed-word ranges [-5, 5] over -6 -5 0 5 6 8000h 7 4: elements 1, 2, 3, 7.
        let range = x(0x0005_FFFB), values = x(0x0005_0000_FFFB_FFFA, 0x0004_0007_8000_0006)
        #expect(try run(0x60, 0x07, range, values, rax: 2, rdx: 8).cpu.xmmRegister(0) == x(0x8E))
        let last = try run(0x61, 0x47, range, values, rax: 2, rdx: 8)
        #expect(last.cpu.registers[1] == 7)
        // Unsigned, the same range is empty (FFFBh > 5): index 8, OF from bit 0.
        let empty = try run(0x61, 0x05, range, values, rax: 2, rdx: 8)
        #expect(empty.cpu.registers[1] == 8)
        #expect(flags(empty) == SF)
    }
}
