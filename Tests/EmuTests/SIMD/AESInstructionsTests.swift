import Testing
@testable import Emu

/// AES-NI against the FIPS-197 appendix C.1 known answer (AES-128, key 000102..0F, plaintext
/// 00112233..FF, ciphertext 69C4E0D8..C55A): the key schedule uses AESKEYGENASSIST, encryption
/// AESENC/AESENCLAST, decryption AESIMC/AESDEC/AESDECLAST, each instruction run by the emulator.
@Suite struct AESInstructionsTests {
    let key = x(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908)
    let plaintext = x(0x7766_5544_3322_1100, 0xFFEE_DDCC_BBAA_9988)
    let ciphertext = x(0x3004_7B6A_D8E0_C469, 0x5AC5_B470_80B7_CDD8)

    /// `66 0F 38 op xmm0, xmm1` (or the 0F 3A form with `imm`).
    func run(_ code: [UInt8], _ a: XMMValue, _ b: XMMValue) throws -> XMMValue {
        try SIMDHarness.xmm0(code, a, b)
    }

    /// The AES-128 round keys: word i = word i-4 XOR (for i mod 4 = 0) RotWord(SubWord(word
    /// i-1)) XOR Rcon, taken from AESKEYGENASSIST's doubleword 3.
    func roundKeys() throws -> [XMMValue] {
        var keys = [key]
        for rcon: UInt8 in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36] {
            let prev = keys[keys.count - 1]
            let assist = try run([0x66, 0x0F, 0x3A, 0xDF, 0xC1, rcon], x(0), prev)
            var w = [UInt32(truncatingIfNeeded: prev.low), UInt32(truncatingIfNeeded: prev.low >> 32),
                     UInt32(truncatingIfNeeded: prev.high), UInt32(truncatingIfNeeded: prev.high >> 32)]
            w[0] ^= UInt32(truncatingIfNeeded: assist.high >> 32)
            for k in 1..<4 { w[k] ^= w[k - 1] }
            keys.append(x(UInt64(w[0]) | UInt64(w[1]) << 32, UInt64(w[2]) | UInt64(w[3]) << 32))
        }
        return keys
    }

    @Test func keyScheduleMatchesFIPS197() throws {
        let keys = try roundKeys()
        // FIPS-197 C.1: round[10].k_sch = 13111D7F E3944A17 F307A78B 4D2B30C5 (bytes in order).
        #expect(keys[10] == x(0x174A_94E3_7F1D_1113, 0xC530_2B4D_8BA7_07F3))
    }

    @Test func encryptDecryptFIPS197() throws {
        let keys = try roundKeys()
        var state = x(plaintext.low ^ keys[0].low, plaintext.high ^ keys[0].high)
        for round in 1..<10 { state = try run([0x66, 0x0F, 0x38, 0xDC, 0xC1], state, keys[round]) }
        state = try run([0x66, 0x0F, 0x38, 0xDD, 0xC1], state, keys[10])
        #expect(state == ciphertext)
        // The equivalent inverse cipher: round keys 9..1 through AESIMC.
        state = x(ciphertext.low ^ keys[10].low, ciphertext.high ^ keys[10].high)
        for round in (1..<10).reversed() {
            let k = try run([0x66, 0x0F, 0x38, 0xDB, 0xC1], x(0), keys[round])
            state = try run([0x66, 0x0F, 0x38, 0xDE, 0xC1], state, k)
        }
        state = try run([0x66, 0x0F, 0x38, 0xDF, 0xC1], state, keys[0])
        #expect(state == plaintext)
    }
}
