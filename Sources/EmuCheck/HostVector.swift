import Emu

/// One instruction form of a host-vector file (tools/vectorgen): its bytes, where they are
/// placed, the RFLAGS bits the SDM defines for it, and its vectors.
public struct HostVectorForm: Sendable {
    public var name: String
    public var mode: CodeMode
    public var address: UInt64
    public var bytes: [UInt8]
    public var flagMask: UInt64
    public var vectors: [HostVector] = []
}

/// A state before and after one natively executed instruction.
public struct HostVector: Sendable {
    public var line: Int
    public var registersIn: [(Int, UInt64)] = []
    public var flagsIn: UInt64 = 0x2
    public var memoryIn: [(UInt64, [UInt8])] = []
    public var registersOut: [(Int, UInt64)] = []
    public var flagsOut: UInt64 = 0x2
    public var ripOut: UInt64 = 0
    public var memoryOut: [(UInt64, [UInt8])] = []
    public var exception: UInt8? = nil
    /// XMM, MXCSR, MMX and x87 state given before and after the instruction (HostVectorSIMD.swift).
    public var simdIn = HostSIMDState()
    public var simdOut = HostSIMDState()
}

/// Parses the vector format documented in tools/vectorgen/README.md.
public enum HostVectorFile {
    public static let registerNames = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                       "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [HostVectorForm] {
        var forms: [HostVectorForm] = []
        var mode = CodeMode.long64
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingTrailingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ")
            switch fields[0] {
            case "M":
                guard fields.count == 2 else { throw ParseError(line: lineNumber, message: "bad M line") }
                mode = fields[1] == "32" ? .protected32 : fields[1] == "16" ? .protected16 : .long64
            case "F":
                guard fields.count == 5, let address = UInt64(fields[2], radix: 16),
                      let bytes = hexBytes(fields[3]), let mask = UInt64(fields[4], radix: 16) else {
                    throw ParseError(line: lineNumber, message: "bad F line")
                }
                forms.append(HostVectorForm(name: String(fields[1]), mode: mode, address: address,
                                            bytes: bytes, flagMask: mask))
            case "V":
                guard !forms.isEmpty else { throw ParseError(line: lineNumber, message: "V before F") }
                var v = HostVector(line: lineNumber)
                var output = false
                for token in fields.dropFirst() {
                    if token == ">" { output = true; continue }
                    guard let eq = token.firstIndex(of: "=") else {
                        throw ParseError(line: lineNumber, message: "bad token \(token)")
                    }
                    let key = token[..<eq], value = token[token.index(after: eq)...]
                    let simd = output ? v.simdOut.parse(key: key, value: value) : v.simdIn.parse(key: key, value: value)
                    if let ok = simd {
                        guard ok else { throw ParseError(line: lineNumber, message: "bad value \(token)") }
                        continue
                    }
                    if key.hasPrefix("m") {
                        guard let address = UInt64(key.dropFirst(), radix: 16), let bytes = hexBytes(value) else {
                            throw ParseError(line: lineNumber, message: "bad memory token \(token)")
                        }
                        if output { v.memoryOut.append((address, bytes)) } else { v.memoryIn.append((address, bytes)) }
                        continue
                    }
                    guard let number = UInt64(value, radix: 16) else {
                        throw ParseError(line: lineNumber, message: "bad value \(token)")
                    }
                    switch key {
                    case "fl": if output { v.flagsOut = number } else { v.flagsIn = number }
                    case "rip": v.ripOut = number
                    case "exc": v.exception = UInt8(truncatingIfNeeded: number)
                    default:
                        guard let r = registerNames.firstIndex(of: String(key)) else {
                            throw ParseError(line: lineNumber, message: "unknown register \(key)")
                        }
                        if output { v.registersOut.append((r, number)) } else { v.registersIn.append((r, number)) }
                    }
                }
                forms[forms.count - 1].vectors.append(v)
            default:
                throw ParseError(line: lineNumber, message: "unknown record \(fields[0])")
            }
        }
        return forms
    }

    static func hexBytes<S: StringProtocol>(_ s: S) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let h = hexValue(u[i]), let l = hexValue(u[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\r" || last == "\t" { s.removeLast() }
        return s
    }
}
