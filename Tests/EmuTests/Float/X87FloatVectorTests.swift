import Emu
import Testing

/// Every x87 vector of fixtures/float replayed on SoftFloat: FSW exception flags and condition
/// codes, and the result (unless an unmasked exception left the destination unwritten).
@Suite struct X87FloatVectorTests {
    struct Outcome {
        var results: [UInt64?] = [nil, nil]   // r0, r1 as the vector writes them (f80: low 64 bits)
        var highs: [UInt16?] = [nil, nil]     // f80 sign/exponent words
        var conditions: UInt16 = 0            // C0 C1 C2 C3 in their FSW positions
    }

    static func f80(_ v: FloatVector, _ index: Int) -> Float80Bits {
        let (se, sig) = v.float80(index)
        return Float80Bits(significand: sig, signExponent: se)
    }

    static func c1(_ env: FloatEnvironment) -> UInt16 { env.roundedUp ? 0x200 : 0 }

    static func run(_ v: FloatVector, _ env: inout FloatEnvironment) -> Outcome {
        var out = Outcome()
        func set(_ i: Int, _ r: Float80Bits) {
            out.results[i] = r.significand
            out.highs[i] = r.signExponent
        }
        switch v.op {
        case "fadd", "fsub", "fmul", "fdiv":
            let a = f80(v, 2), b = f80(v, 3)
            let r = switch v.op {
            case "fadd": SoftFloat.add(a, b, &env)
            case "fsub": SoftFloat.sub(a, b, &env)
            case "fmul": SoftFloat.mul(a, b, &env)
            default: SoftFloat.div(a, b, &env)
            }
            set(0, r)
            out.conditions = c1(env)
        case "fsqrt":
            set(0, SoftFloat.sqrt(f80(v, 2), &env))
            out.conditions = c1(env)
        case "fcom", "fucom":
            switch SoftFloat.compare(f80(v, 2), f80(v, 3), signaling: v.op == "fcom", &env) {
            case .greater: out.conditions = 0
            case .less: out.conditions = 0x100
            case .equal: out.conditions = 0x4000
            case .unordered: out.conditions = 0x4500
            }
        case "fxam":
            // C3 C2 C0 by class, C1 the sign (SDM vol. 2, FXAM); the stack is never empty here
            let a = f80(v, 2)
            let sign: UInt16 = a.signExponent & 0x8000 != 0 ? 0x200 : 0
            switch SoftFloat.classify(a) {
            case .unsupported: out.conditions = sign
            case .nan: out.conditions = sign | 0x100
            case .normal: out.conditions = sign | 0x400
            case .infinity: out.conditions = sign | 0x500
            case .zero: out.conditions = sign | 0x4000
            case .denormal: out.conditions = sign | 0x4400
            }
        case "fild64": set(0, SoftFloat.float80(fromInteger: Int64(bitPattern: v.hex(2))))
        case "fld32": set(0, SoftFloat.float80(from: UInt32(truncatingIfNeeded: v.hex(2)), &env))
        case "fld64": set(0, SoftFloat.float80(from: v.hex(2), &env))
        case "fst32":
            out.results[0] = UInt64(SoftFloat.float32(from: f80(v, 2), &env))
            out.conditions = c1(env)
        case "fst64":
            out.results[0] = SoftFloat.float64(from: f80(v, 2), &env)
            out.conditions = c1(env)
        case "fist16", "fist32", "fist64", "fisttp16", "fisttp32", "fisttp64":
            let bits = Int(v.op.suffix(2)) ?? 16
            out.results[0] = SoftFloat.integer(from: f80(v, 2), bits: bits == 16 || bits == 32 || bits == 64 ? bits : 16,
                                               truncate: v.op.hasPrefix("fisttp"), &env)
            out.conditions = c1(env)
        case "frndint":
            set(0, SoftFloat.roundToIntegral(f80(v, 2), &env))
            out.conditions = c1(env)
        case "fscale":
            set(0, SoftFloat.scale(f80(v, 2), by: f80(v, 3), &env))
            out.conditions = c1(env)
        case "fprem", "fprem1":
            let (r, quotient, complete) = SoftFloat.remainder(f80(v, 2), f80(v, 3), nearest: v.op == "fprem1", &env)
            set(0, r)
            // C0 = Q2, C3 = Q1, C1 = Q0, C2 = incomplete (SDM vol. 2, FPREM)
            out.conditions = (quotient & 4 != 0 ? 0x100 : 0) | (quotient & 2 != 0 ? 0x4000 : 0)
                | (quotient & 1 != 0 ? 0x200 : 0) | (complete ? 0 : 0x400)
        case "fxtract":
            let (exponent, significand) = SoftFloat.extract(f80(v, 2), &env)
            set(0, significand)
            set(1, exponent)
        default:
            Issue.record("unknown operation \(v.op)")
        }
        return out
    }

    static func check(_ v: FloatVector) -> String? {
        let control = UInt16(v.hex(1))
        var env = FloatEnvironment(x87Control: control)
        let out = run(v, &env)
        let fsw = UInt16(v.hex(6))
        var problems: [String] = []
        if env.flags.rawValue != UInt8(fsw & 0x3F) { problems.append("flags \(String(env.flags.rawValue, radix: 16))") }
        let unmasked = FloatFlags(rawValue: UInt8(fsw & 0x3F) & ~UInt8(control & 0x3F))
        let isStore = v.op.hasPrefix("fst") || v.op.hasPrefix("fist")
        let unwritten = !unmasked.isDisjoint(with: .preComputation)
            || (isStore && !unmasked.isDisjoint(with: [.overflow, .underflow]))
        let conditionMask: UInt16 = v.op.hasPrefix("fprem") || v.op.hasPrefix("fcom") || v.op.hasPrefix("fucom") || v.op == "fxam" ? 0x4700 : 0x0200
        if !unwritten {
            if out.conditions & conditionMask != fsw & conditionMask { problems.append("conditions \(String(out.conditions, radix: 16))") }
            for i in 0..<2 where !v.isAbsent(4 + i) {
                if let high = out.highs[i] {
                    let (se, sig) = v.float80(4 + i)
                    if high != se || out.results[i] != sig {
                        problems.append("r\(i) \(String(high, radix: 16)) \(String(out.results[i] ?? 0, radix: 16))")
                    }
                } else if out.results[i] != v.hex(4 + i) {
                    problems.append("r\(i) \(String(out.results[i] ?? 0, radix: 16))")
                }
            }
        }
        return problems.isEmpty ? nil : "\(v.line)  got " + problems.joined(separator: ", ")
    }

    @Test(arguments: ["x87-arith", "x87-compare", "x87-convert", "x87-special"])
    func vectors(file: String) throws {
        let vectors = try FloatVector.load(file)
        #expect(vectors.count > 1000)
        let failures = vectors.compactMap(X87FloatVectorTests.check)
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(vectors.count) fail:\n" + failures.prefix(30).joined(separator: "\n")))
    }
}
