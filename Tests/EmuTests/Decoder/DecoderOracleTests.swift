import Foundation
@testable import Emu
import Testing

/// The decoder against the committed iced-x86 oracle fixtures (tools/decoder-oracle): for every
/// 20-byte stream, the instruction length, `ud` (#UD) or `gp` (#GP, longer than 15 bytes).
@Suite struct DecoderOracleTests {
    /// Fixture lines where the decoder knowingly differs from iced, with the reason in
    /// tools/decoder-oracle/README.md ("Allow-list"). Keys are `file:stream`.
    static let allowed: Set<String> = []

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func result(_ bytes: [UInt8], mode: CodeMode, vendor: Vendor) -> String {
        bytes.withUnsafeBytes { buffer in
            do throws(DecodeError) {
                let insn = try Decoder.decode(buffer.baseAddress!, count: buffer.count, mode: mode, vendor: vendor)
                return String(insn.length)
            } catch {
                switch error {
                case .invalidOpcode: return "ud"
                case .tooLong: return "gp"
                case .truncated: return "truncated"
                }
            }
        }
    }

    static func hexBytes(_ s: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var it = s.makeIterator()
        while let h = it.next(), let l = it.next() { bytes.append(UInt8(String([h, l]), radix: 16) ?? 0) }
        return bytes
    }

    @Test(arguments: [
        ("intel64", CodeMode.long64, Vendor.intel), ("intel32", .protected32, .intel),
        ("intel16", .protected16, .intel), ("amd64", .long64, .amd),
    ])
    func fixtureFileHasNoMismatches(_ name: String, _ mode: CodeMode, _ vendor: Vendor) throws {
        let url = Self.packageRoot.appendingPathComponent("fixtures/decoder/\(name).txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var compared = 0
        var mismatches: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2 else { continue }
            compared += 1
            let got = Self.result(Self.hexBytes(fields[0]), mode: mode, vendor: vendor)
            if got != fields[1] && !Self.allowed.contains("\(name):\(fields[0])") {
                mismatches.append("\(fields[0]) expected \(fields[1]), got \(got)")
            }
        }
        #expect(compared > 1000, "fixture \(name) has \(compared) lines")
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches in \(name), first: \(mismatches.prefix(10).joined(separator: "; "))")
    }
}

/// Hand-written checks of specific SDM decoding rules.
@Suite struct DecoderRuleTests {
    static func decode(_ bytes: [UInt8], _ mode: CodeMode = .long64,
                       _ vendor: Vendor = .intel) -> Result<Instruction, DecodeError> {
        bytes.withUnsafeBytes { buffer in
            do throws(DecodeError) {
                return .success(try Decoder.decode(buffer.baseAddress!, count: buffer.count, mode: mode, vendor: vendor))
            } catch {
                return .failure(error)
            }
        }
    }

    static func length(_ bytes: [UInt8], _ mode: CodeMode = .long64, _ vendor: Vendor = .intel) -> Int? {
        if case .success(let i) = decode(bytes, mode, vendor) { return Int(i.length) }
        return nil
    }

    static func error(_ bytes: [UInt8], _ mode: CodeMode = .long64) -> DecodeError? {
        if case .failure(let e) = decode(bytes, mode) { return e }
        return nil
    }

    /// SDM vol. 2, 2.3.11: an instruction longer than 15 bytes is #GP, also when it would
    /// otherwise be #UD (the length fault comes first).
    @Test func overlongInstructionsAreGP() {
        // 4 redundant prefixes + REX.W + C7 /0 with SIB, disp32 and imm32 = 16 bytes.
        let long: [UInt8] = [0x66, 0x66, 0x2E, 0x3E, 0x48, 0xC7, 0x84, 0x24] + [UInt8](repeating: 0x11, count: 8)
        #expect(Self.error(long) == .tooLong)
        #expect(Self.length(Array(long.dropFirst()) + [0x90]) == 15)
        // LOCK MOV (not lockable) is #UD, but #GP when the encoding is 16 bytes.
        let lockedMov: [UInt8] = [0xF0, 0x2E, 0x3E, 0x26, 0x36, 0xC7, 0x84, 0x24] + [UInt8](repeating: 0x11, count: 8)
        #expect(Self.error(lockedMov) == .tooLong)
        #expect(Self.error([0xF0] + lockedMov.dropFirst(2) + [0x90]) == .invalidOpcode)
        // Fifteen prefixes: the opcode is not within the limit.
        #expect(Self.error([UInt8](repeating: 0x66, count: 15) + [0x90]) == .tooLong)
    }

    /// SDM vol. 2, LOCK: #UD unless the destination is a memory operand of a lockable instruction.
    @Test func lockOnRegisterDestinationIsUD() {
        #expect(Self.error([0xF0, 0x01, 0xC0]) == .invalidOpcode)          // lock add eax, eax
        #expect(Self.length([0xF0, 0x01, 0x00]) == 3)                      // lock add [rax], eax
        #expect(Self.error([0xF0, 0x8B, 0x00]) == .invalidOpcode)          // lock mov eax, [rax]
    }

    /// SDM vol. 2, 2.2.1: a REX prefix followed by a legacy prefix is ignored.
    @Test func rexBeforeLegacyPrefixIsIgnored() throws {
        let insn = try Self.decode([0x48, 0x66, 0x89, 0xC1]).get()           // rex.w; mov cx, ax
        #expect(insn.size == 2)
        #expect(insn.length == 4)
        #expect(!insn.prefixes.contains(.rexW))
        let withREX = try Self.decode([0x66, 0x48, 0x89, 0xC1]).get()        // mov rcx, rax
        #expect(withREX.size == 8)
        let upper = try Self.decode([0x41, 0x66, 0x89, 0xC1]).get()          // REX.B ignored: cx, not r9w
        #expect(upper.rm == 1)
    }

    /// SDM vol. 2, 2.2.1.6: mod=00 r/m=101 is RIP + disp32 in 64-bit mode, disp32 alone with 67
    /// in 32-bit addressing outside it.
    @Test func ripRelativeAddressing() throws {
        let insn = try Self.decode([0x8B, 0x05, 0x78, 0x56, 0x34, 0x12]).get()     // mov eax, [rip+0x12345678]
        #expect(insn.base == Instruction.ripRegister)
        #expect(insn.index == Instruction.noRegister)
        #expect(insn.displacement == 0x1234_5678)
        #expect(insn.length == 6)
        let insn32 = try Self.decode([0x8B, 0x05, 0x78, 0x56, 0x34, 0x12], .protected32).get()
        #expect(insn32.base == Instruction.noRegister)
        let sib = try Self.decode([0x8B, 0x04, 0x25, 0xF0, 0xFF, 0xFF, 0xFF]).get() // [disp32] via SIB, no RIP
        #expect(sib.base == Instruction.noRegister)
        #expect(sib.displacement == -16)
    }

    /// SDM vol. 2, table 2-1: 16-bit ModRM forms.
    @Test func sixteenBitModRM() throws {
        let bxsi = try Self.decode([0x8B, 0x40, 0x10], .protected16).get()          // mov ax, [bx+si+0x10]
        #expect(bxsi.base == 3 && bxsi.index == 6 && bxsi.displacement == 0x10 && bxsi.length == 3)
        let bp = try Self.decode([0x8B, 0x46, 0xFE], .protected16).get()            // mov ax, [bp-2]
        #expect(bp.base == 5 && bp.index == Instruction.noRegister && bp.displacement == -2)
        #expect(bp.segment == SegmentRegister.ss.rawValue)
        let direct = try Self.decode([0x8B, 0x06, 0x34, 0x12], .protected16).get()  // mov ax, [0x1234]
        #expect(direct.base == Instruction.noRegister && direct.displacement == 0x1234 && direct.length == 4)
        let disp16 = try Self.decode([0x8B, 0x87, 0x00, 0x80], .protected16).get()  // mov ax, [bx+0x8000]
        #expect(disp16.length == 4 && disp16.addressSize == 2)
        // 67 selects 32-bit addressing in 16-bit mode: SIB and disp32.
        #expect(Self.length([0x67, 0x8B, 0x84, 0x24, 0, 0, 0, 0], .protected16) == 8)
    }

    /// SDM vol. 2, MOV (A0-A3): the offset has the address size, so 67 changes the length.
    @Test func moffsFollowsAddressSize() {
        #expect(Self.length([0xA1] + [UInt8](repeating: 0, count: 8)) == 9)
        #expect(Self.length([0x67, 0xA1, 0, 0, 0, 0]) == 6)
        #expect(Self.length([0xA1, 0, 0, 0, 0], .protected32) == 5)
        #expect(Self.length([0x67, 0xA1, 0, 0], .protected32) == 4)
        #expect(Self.length([0xA1, 0, 0], .protected16) == 3)
    }

    /// Vector encodings: field rules are checked after the length.
    @Test func vectorFieldRules() {
        // VEX.L1 VMOVD is #UD; VEX.vvvv != 1111b where there is no vvvv operand is #UD.
        #expect(Self.length([0xC5, 0xF9, 0x6E, 0xC0]) == 4)                           // vmovd xmm0, eax
        #expect(Self.error([0xC5, 0xFD, 0x6E, 0xC0]) == .invalidOpcode)
        #expect(Self.error([0xC5, 0xF1, 0x6E, 0xC0]) == .invalidOpcode)
        // EVEX vaddps zmm0, zmm1, zmm2 and its {rn-sae} form; b on VPADDB is #UD.
        #expect(Self.length([0x62, 0xF1, 0x74, 0x48, 0x58, 0xC2]) == 6)
        #expect(Self.length([0x62, 0xF1, 0x74, 0x18, 0x58, 0xC2]) == 6)
        #expect(Self.error([0x62, 0xF1, 0x75, 0x18, 0xFC, 0xC2]) == .invalidOpcode)
        // XOP VPROTB xmm, xmm, imm8 (map 8) and TBM BEXTR imm32 (map 10).
        #expect(Self.length([0x8F, 0xE8, 0x78, 0xC0, 0xC1, 0x05]) == 6)
        #expect(Self.length([0x8F, 0xEA, 0x78, 0x10, 0xC1, 1, 2, 3, 4]) == 9)
    }

    /// SDM vol. 2, MOV Sreg and MOV CR/DR: nonexistent registers are #UD.
    @Test func systemRegisterFields() {
        #expect(Self.error([0x8E, 0xC8]) == .invalidOpcode)                 // mov cs, ax
        #expect(Self.error([0x8C, 0xF0]) == .invalidOpcode)                 // mov ax, sreg 6
        #expect(Self.length([0x0F, 0x22, 0xC0]) == 3)                       // mov cr0, rax
        #expect(Self.error([0x0F, 0x22, 0xC8]) == .invalidOpcode)           // mov cr1, rax
        #expect(Self.length([0x44, 0x0F, 0x22, 0xC0]) == 4)                 // mov cr8, rax
        #expect(Self.error([0x44, 0x0F, 0x23, 0xC0]) == .invalidOpcode)     // mov dr8, rax
        let amdCR8 = Self.decode([0xF0, 0x0F, 0x22, 0xC0], .protected32, .amd)
        #expect((try? amdCR8.get())?.reg == 8)
        #expect(Self.error([0xF0, 0x0F, 0x22, 0xC0], .protected32) == .invalidOpcode)
    }
}
