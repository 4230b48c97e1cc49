/// PCMPESTRM, PCMPESTRI, PCMPISTRM, PCMPISTRI (66 0F 3A 60-63; SDM vol. 2, 4.1 "Imm8 Control
/// Byte Operation"). The first operand (XMM reg) holds the character set, ranges or substring;
/// the second (XMM or m128, unaligned) the text. imm8[1:0]: unsigned bytes, unsigned words, signed
/// bytes, signed words; [3:2]: equal any, ranges, equal each, equal ordered; [5:4]: polarity;
/// [6]: most significant index / element mask. Lengths come from EAX/EDX (RAX/RDX with REX.W,
/// absolute value saturated) or end at the first null element.
extension CPU {
    func executeStringCompare(_ i: Instruction, _ op: UInt8) throws(Fault) {
        try requireSSE()
        let b = try readXMMOperand(i, aligned: false)
        let a = xmmRegister(i.reg)
        let imm = i.immediate & 0xFF
        let words = imm & 1 != 0
        let n = words ? 8 : 16
        let explicit = op < 0x62
        let lengthA = explicit ? CPU.explicitLength(registers[0], i, n) : CPU.implicitLength(a, words, n)
        let lengthB = explicit ? CPU.explicitLength(registers[2], i, n) : CPU.implicitLength(b, words, n)
        let intRes1 = CPU.stringAggregate(a, b, imm, n: n, lengthA: lengthA, lengthB: lengthB)
        let all = (1 << n) - 1
        let intRes2: Int
        switch (imm >> 4) & 3 {
        case 1: intRes2 = ~intRes1 & all
        case 3: intRes2 = intRes1 ^ ((1 << lengthB) - 1)
        default: intRes2 = intRes1
        }
        if op & 1 != 0 {
            let index = intRes2 == 0 ? n : imm & 0x40 != 0 ? Int.bitWidth - 1 - intRes2.leadingZeroBitCount : intRes2.trailingZeroBitCount
            setRegister(1, size: 4, UInt64(index))
        } else if imm & 0x40 == 0 {
            setXMMRegister(0, XMMValue(low: UInt64(intRes2)))
        } else {
            var m = XMMValue()
            let width = words ? 16 : 8
            for k in 0..<n where (intRes2 >> k) & 1 != 0 {
                CPU.insertField(&m, UInt64.max, bits: UInt64(width), at: UInt64(k * width))
            }
            setXMMRegister(0, m)
        }
        var f: UInt64 = 0
        if intRes2 != 0 { f |= RFlags.carry.rawValue }
        if lengthB < n { f |= RFlags.zero.rawValue }
        if lengthA < n { f |= RFlags.sign.rawValue }
        if intRes2 & 1 != 0 { f |= RFlags.overflow.rawValue }
        flags.bits = f
    }

    /// |EAX| or |RAX| (REX.W), saturated to the element count.
    static func explicitLength(_ r: UInt64, _ i: Instruction, _ n: Int) -> Int {
        let magnitude = i.prefixes.contains(.rexW) ? Int64(bitPattern: r).magnitude : UInt64(Int32(truncatingIfNeeded: r).magnitude)
        return magnitude > UInt64(n) ? n : Int(magnitude)
    }

    /// The index of the first null element, or the element count.
    static func implicitLength(_ v: XMMValue, _ words: Bool, _ n: Int) -> Int {
        for k in 0..<n where stringElement(v, k, words: words, signed: false) == 0 { return k }
        return n
    }

    /// Element `k` of `v` (bytes or words, zero- or sign-extended).
    @inline(__always)
    static func stringElement(_ v: XMMValue, _ k: Int, words: Bool, signed: Bool) -> Int {
        let e = words ? Lanes.word(k < 4 ? v.low : v.high, UInt64(k)) : xmmByte(v, UInt64(k))
        if !signed { return Int(e) }
        return words ? Int(Int16(truncatingIfNeeded: e)) : Int(Int8(truncatingIfNeeded: e))
    }

    /// IntRes1: bit j for text element j, from the comparisons of the valid elements (an
    /// invalid element compares false, except where table 4-7 forces true: equal each with both
    /// invalid, equal ordered with the substring element invalid).
    static func stringAggregate(_ a: XMMValue, _ b: XMMValue, _ imm: UInt64, n: Int, lengthA: Int, lengthB: Int) -> Int {
        let words = imm & 1 != 0, signed = imm & 2 != 0
        var result = 0
        for j in 0..<n {
            var bit = false
            switch (imm >> 2) & 3 {
            case 0:
                if j < lengthB {
                    let t = stringElement(b, j, words: words, signed: signed)
                    for k in 0..<lengthA where stringElement(a, k, words: words, signed: signed) == t { bit = true; break }
                }
            case 1:
                if j < lengthB {
                    let t = stringElement(b, j, words: words, signed: signed)
                    var k = 0
                    while k + 1 < lengthA {
                        if stringElement(a, k, words: words, signed: signed) <= t && t <= stringElement(a, k + 1, words: words, signed: signed) { bit = true; break }
                        k += 2
                    }
                }
            case 2:
                if j < lengthA && j < lengthB {
                    bit = stringElement(a, j, words: words, signed: signed) == stringElement(b, j, words: words, signed: signed)
                } else {
                    bit = j >= lengthA && j >= lengthB
                }
            default:
                bit = true
                for k in 0..<(n - j) where k < lengthA {
                    if j + k >= lengthB || stringElement(a, k, words: words, signed: signed) != stringElement(b, j + k, words: words, signed: signed) {
                        bit = false
                        break
                    }
                }
            }
            if bit { result |= 1 << j }
        }
        return result
    }
}
