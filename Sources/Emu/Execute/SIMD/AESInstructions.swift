/// AES-NI (SDM vol. 2; FIPS-197): AESIMC, AESENC, AESENCLAST, AESDEC, AESDECLAST (66 0F 38
/// DB-DF) and AESKEYGENASSIST (66 0F 3A DF). The state is the 16 bytes of the XMM register in
/// FIPS-197's column order (byte 4c + r is row r of column c).
extension CPU {
    func executeAES(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let d = xmmRegister(i.reg)
        let r: XMMValue
        switch op {
        case 0xDB: r = AES.inverseMixColumns(s)
        case 0xDC: r = AES.xor(AES.mixColumns(AES.subBytes(AES.shiftRows(d), AES.sbox)), s)
        case 0xDD: r = AES.xor(AES.subBytes(AES.shiftRows(d), AES.sbox), s)
        case 0xDE: r = AES.xor(AES.inverseMixColumns(AES.subBytes(AES.inverseShiftRows(d), AES.inverseSbox)), s)
        default: r = AES.xor(AES.subBytes(AES.inverseShiftRows(d), AES.inverseSbox), s)
        }
        setXMMRegister(i.reg, r)
    }

    /// AESKEYGENASSIST: SubWord of source doublewords 1 and 3, each also rotated and XORed with
    /// the round constant imm8.
    func executeAESKeyGenAssist(_ i: Instruction) throws(Fault) {
        try requireSSE()
        let s = try readXMMOperand(i, aligned: true)
        let rcon = UInt32(i.immediate & 0xFF)
        let x1 = AES.subWord(UInt32(truncatingIfNeeded: s.low >> 32))
        let x3 = AES.subWord(UInt32(truncatingIfNeeded: s.high >> 32))
        let r1 = (x1 >> 8 | x1 << 24) ^ rcon, r3 = (x3 >> 8 | x3 << 24) ^ rcon
        setXMMRegister(i.reg, XMMValue(low: UInt64(x1) | UInt64(r1) << 32, high: UInt64(x3) | UInt64(r3) << 32))
    }
}

/// The AES round steps on a 128-bit state.
enum AES {
    /// The S-box: the multiplicative inverse in GF(2^8) (0 for 0) through the affine map.
    static let sbox: [UInt8] = (0..<256).map { x in
        let inverse = x == 0 ? 0 : (1..<256).first { multiply(UInt8(x), UInt8($0)) == 1 } ?? 0
        let b = UInt8(inverse)
        return b ^ rotate(b, 1) ^ rotate(b, 2) ^ rotate(b, 3) ^ rotate(b, 4) ^ 0x63
    }

    static let inverseSbox: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for x in 0..<256 { t[Int(sbox[x])] = UInt8(x) }
        return t
    }()

    static func rotate(_ b: UInt8, _ n: UInt8) -> UInt8 { b << n | b >> (8 - n) }

    /// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, p: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { p ^= a }
            a = a & 0x80 != 0 ? (a << 1) ^ 0x1B : a << 1
            b >>= 1
        }
        return p
    }

    @inline(__always) static func byte(_ v: XMMValue, _ k: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (k < 8 ? v.low : v.high) >> UInt64((k & 7) * 8))
    }

    @inline(__always) static func setByte(_ v: inout XMMValue, _ k: Int, _ b: UInt8) {
        let shift = UInt64((k & 7) * 8)
        if k < 8 { v.low = v.low & ~(0xFF << shift) | UInt64(b) << shift } else { v.high = v.high & ~(0xFF << shift) | UInt64(b) << shift }
    }

    static func xor(_ a: XMMValue, _ b: XMMValue) -> XMMValue { XMMValue(low: a.low ^ b.low, high: a.high ^ b.high) }

    static func subBytes(_ v: XMMValue, _ table: [UInt8]) -> XMMValue {
        var r = XMMValue()
        for k in 0..<16 { setByte(&r, k, table[Int(byte(v, k))]) }
        return r
    }

    static func subWord(_ w: UInt32) -> UInt32 {
        var r: UInt32 = 0
        for k in 0..<4 { r |= UInt32(sbox[Int((w >> UInt32(k * 8)) & 0xFF)]) << UInt32(k * 8) }
        return r
    }

    /// Row r moves left by r columns.
    static func shiftRows(_ v: XMMValue) -> XMMValue {
        var r = XMMValue()
        for c in 0..<4 { for row in 0..<4 { setByte(&r, row + 4 * c, byte(v, row + 4 * ((c + row) & 3))) } }
        return r
    }

    static func inverseShiftRows(_ v: XMMValue) -> XMMValue {
        var r = XMMValue()
        for c in 0..<4 { for row in 0..<4 { setByte(&r, row + 4 * ((c + row) & 3), byte(v, row + 4 * c)) } }
        return r
    }

    static let mixMatrix: [UInt8] = [2, 3, 1, 1]
    static let inverseMixMatrix: [UInt8] = [0x0E, 0x0B, 0x0D, 0x09]

    static func mixColumns(_ v: XMMValue) -> XMMValue { mix(v, mixMatrix) }
    static func inverseMixColumns(_ v: XMMValue) -> XMMValue { mix(v, inverseMixMatrix) }

    /// Each column times the circulant matrix whose first row is `m`.
    static func mix(_ v: XMMValue, _ m: [UInt8]) -> XMMValue {
        var r = XMMValue()
        for c in 0..<4 {
            for row in 0..<4 {
                var b: UInt8 = 0
                for k in 0..<4 { b ^= multiply(m[(k - row) & 3], byte(v, 4 * c + k)) }
                setByte(&r, 4 * c + row, b)
            }
        }
        return r
    }
}
