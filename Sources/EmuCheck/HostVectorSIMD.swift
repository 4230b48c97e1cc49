import Emu

/// The SIMD and x87 part of a host vector's state (tools/vectorgen/README.md): the tokens present
/// on one side of the `>`. Absent elements keep their reset value (input) or their input value
/// (output).
public struct HostSIMDState: Sendable {
    /// XMMn as (n, low quadword, high quadword).
    public var xmm: [(Int, UInt64, UInt64)] = []
    public var mxcsr: UInt32? = nil
    public var fcw: UInt16? = nil
    public var fsw: UInt16? = nil
    /// The abridged tag word as FXSAVE stores it: bit i set when physical register Ri is not empty.
    public var ftw: UInt8? = nil
    /// `stN`: ST(N), relative to the TOP of the same side of the vector.
    public var stack: [(Int, Float80Bits)] = []
    /// `mmN`: physical register RN (MMN is its significand).
    public var physical: [(Int, Float80Bits)] = []

    public var isEmpty: Bool {
        xmm.isEmpty && mxcsr == nil && fcw == nil && fsw == nil && ftw == nil && stack.isEmpty && physical.isEmpty
    }

    /// Parses one `key=value` token if it names SIMD or x87 state; nil if the key is not one.
    mutating func parse(key: Substring, value: Substring) -> Bool? {
        func index(_ prefix: String, _ limit: Int) -> Int? {
            guard key.hasPrefix(prefix), let n = Int(key.dropFirst(prefix.count)), n >= 0, n < limit else { return nil }
            return n
        }
        switch key {
        case "mxcsr": guard let v = UInt32(value, radix: 16) else { return false }; mxcsr = v
        case "fcw": guard let v = UInt16(value, radix: 16) else { return false }; fcw = v
        case "fsw": guard let v = UInt16(value, radix: 16) else { return false }; fsw = v
        case "ftw": guard let v = UInt8(value, radix: 16) else { return false }; ftw = v
        default:
            if let n = index("mm", 8) {
                guard let f = HostSIMDState.float80(value) else { return false }
                physical.append((n, f))
            } else if let n = index("st", 8) {
                guard let f = HostSIMDState.float80(value) else { return false }
                stack.append((n, f))
            } else if let n = index("x", 16) {
                guard value.count == 32, let high = UInt64(value.prefix(16), radix: 16),
                      let low = UInt64(value.suffix(16), radix: 16) else { return false }
                xmm.append((n, low, high))
            } else {
                return nil
            }
        }
        return true
    }

    /// 20 hex digits: sign and exponent (4), then the significand (16).
    static func float80(_ s: Substring) -> Float80Bits? {
        guard s.count == 20, let se = UInt16(s.prefix(4), radix: 16), let sig = UInt64(s.suffix(16), radix: 16) else {
            return nil
        }
        return Float80Bits(significand: sig, signExponent: se)
    }
}

/// A full SIMD/x87 state as the vectors describe it: XMM0-15, MXCSR, FCW, FSW, abridged FTW and
/// the physical registers R0-R7.
public struct HostSIMDSnapshot: Equatable {
    var xmm = [UInt64](repeating: 0, count: 32)
    var mxcsr: UInt32 = 0x1F80
    var fcw: UInt16 = 0x037F
    var fsw: UInt16 = 0
    var ftw: UInt8 = 0
    var registers = [Float80Bits](repeating: Float80Bits(), count: 8)

    /// Applies the tokens of one side; `stN` is relative to the TOP after `fsw` is applied.
    public mutating func apply(_ t: HostSIMDState) {
        for (n, low, high) in t.xmm { xmm[2 * n] = low; xmm[2 * n + 1] = high }
        if let v = t.mxcsr { mxcsr = v }
        if let v = t.fcw { fcw = v }
        if let v = t.fsw { fsw = v }
        if let v = t.ftw { ftw = v }
        for (n, f) in t.physical { registers[n] = f }
        let top = Int(fsw >> 11) & 7
        for (n, f) in t.stack { registers[(top + n) & 7] = f }
    }

    public init() {}

    public init(_ cpu: CPU) {
        for i in 0..<32 { xmm[i] = cpu.xmm[i] }
        mxcsr = cpu.mxcsr
        fcw = cpu.x87.control
        fsw = cpu.x87.status
        var abridged: UInt8 = 0
        for i in 0..<8 where (cpu.x87.tags >> (2 * UInt16(i))) & 3 != 3 { abridged |= 1 << UInt8(i) }
        ftw = abridged
        for i in 0..<8 { registers[i] = cpu.x87.registers[i] }
    }

    /// Loads the state into the CPU as FXRSTOR would: the full tag word is derived from the
    /// abridged one and the register contents (SDM vol. 1, 10.5.1.1, table 10-3).
    public func load(into cpu: CPU) {
        for i in 0..<32 { cpu.xmm[i] = xmm[i] }
        cpu.mxcsr = mxcsr
        var x = X87State()
        x.control = fcw
        x.status = fsw
        var tags: UInt16 = 0
        for i in 0..<8 {
            x.registers[i] = registers[i]
            let tag: UInt16 = ftw >> UInt8(i) & 1 == 0 ? 3 : HostSIMDSnapshot.tag(registers[i])
            tags |= tag << (2 * UInt16(i))
        }
        x.tags = tags
        cpu.x87 = x
    }

    /// 00 valid, 01 zero, 10 special (NaN, infinity, denormal, unnormal).
    static func tag(_ f: Float80Bits) -> UInt16 {
        let exponent = f.signExponent & 0x7FFF
        if exponent == 0x7FFF { return 2 }
        if exponent == 0 { return f.significand == 0 ? 1 : 2 }
        return f.significand >> 63 == 0 ? 2 : 0
    }

    /// The differences from `expected`, described; XMM lanes of `approximate` forms may differ by
    /// the relative error RCP*/RSQRT* allow on each side (1.5 * 2^-12 each, SDM vol. 2).
    public func differences(from expected: HostSIMDSnapshot, approximate: Bool) -> [String] {
        var out: [String] = []
        for n in 0..<16 {
            let (al, ah, el, eh) = (xmm[2 * n], xmm[2 * n + 1], expected.xmm[2 * n], expected.xmm[2 * n + 1])
            if al == el && ah == eh { continue }
            if approximate && HostSIMDSnapshot.close(al, el) && HostSIMDSnapshot.close(ah, eh) { continue }
            out.append("x\(n) \(hex128(ah, al)) expected \(hex128(eh, el))")
        }
        if mxcsr != expected.mxcsr { out.append("mxcsr \(hex(mxcsr)) expected \(hex(expected.mxcsr))") }
        if fcw != expected.fcw { out.append("fcw \(hex(fcw)) expected \(hex(expected.fcw))") }
        if fsw != expected.fsw { out.append("fsw \(hex(fsw)) expected \(hex(expected.fsw))") }
        if ftw != expected.ftw { out.append("ftw \(hex(ftw)) expected \(hex(expected.ftw))") }
        for i in 0..<8 where registers[i] != expected.registers[i] {
            out.append("R\(i) \(hex80(registers[i])) expected \(hex80(expected.registers[i]))")
        }
        return out
    }

    static func close(_ a: UInt64, _ b: UInt64) -> Bool {
        for shift: UInt64 in [0, 32] {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: a >> shift))
            let y = Float(bitPattern: UInt32(truncatingIfNeeded: b >> shift))
            if x.bitPattern == y.bitPattern { continue }
            guard x.isFinite, y.isFinite, x.sign == y.sign, !y.isZero else { return false }
            if abs(x - y) > abs(y) * 3 / 4096 { return false }
        }
        return true
    }

    func hex<T: BinaryInteger>(_ v: T) -> String { String(v, radix: 16) }
    func hex128(_ high: UInt64, _ low: UInt64) -> String {
        let l = String(low, radix: 16)
        return String(high, radix: 16) + String(repeating: "0", count: 16 - l.count) + l
    }
    func hex80(_ f: Float80Bits) -> String {
        let s = String(f.significand, radix: 16)
        return String(f.signExponent, radix: 16) + ":" + String(repeating: "0", count: 16 - s.count) + s
    }
}
