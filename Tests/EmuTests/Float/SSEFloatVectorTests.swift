import Emu
import Testing

/// Every SSE vector of fixtures/float replayed on SoftFloat: the result bits (unless the host
/// raised #XM, when only the flags are known) and MXCSR[5:0] must agree exactly.
@Suite struct SSEFloatVectorTests {
    /// The result bits (nil when the host trapped) and the flags one line produces on SoftFloat.
    static func run(_ v: FloatVector) -> (UInt64, FloatFlags) {
        var env = FloatEnvironment(mxcsr: UInt32(v.hex(1)))
        let a = v.hex(2), b = v.hex(3)
        let a32 = UInt32(truncatingIfNeeded: a), b32 = UInt32(truncatingIfNeeded: b)
        let result: UInt64
        switch v.op {
        case "addss": result = UInt64(SoftFloat.add(a32, b32, &env))
        case "addsd": result = SoftFloat.add(a, b, &env)
        case "subss": result = UInt64(SoftFloat.sub(a32, b32, &env))
        case "subsd": result = SoftFloat.sub(a, b, &env)
        case "mulss": result = UInt64(SoftFloat.mul(a32, b32, &env))
        case "mulsd": result = SoftFloat.mul(a, b, &env)
        case "divss": result = UInt64(SoftFloat.div(a32, b32, &env))
        case "divsd": result = SoftFloat.div(a, b, &env)
        case "sqrtss": result = UInt64(SoftFloat.sqrt(a32, &env))
        case "sqrtsd": result = SoftFloat.sqrt(a, &env)
        case "comiss", "ucomiss":
            result = rflags(SoftFloat.compare(a32, b32, signaling: v.op == "comiss", &env))
        case "comisd", "ucomisd":
            result = rflags(SoftFloat.compare(a, b, signaling: v.op == "comisd", &env))
        case "cvtss2sd": result = SoftFloat.float64(from: a32, &env)
        case "cvtsd2ss": result = UInt64(SoftFloat.float32(from: a, &env))
        case "cvtsi2ss32": result = UInt64(SoftFloat.float32(fromInteger: Int64(Int32(bitPattern: a32)), &env))
        case "cvtsi2ss64": result = UInt64(SoftFloat.float32(fromInteger: Int64(bitPattern: a), &env))
        case "cvtsi2sd32": result = SoftFloat.float64(fromInteger: Int64(Int32(bitPattern: a32)), &env)
        case "cvtsi2sd64": result = SoftFloat.float64(fromInteger: Int64(bitPattern: a), &env)
        case "cvtss2si32", "cvttss2si32":
            result = UInt64(SoftFloat.int32(from: a32, truncate: v.op.hasPrefix("cvtt"), &env))
        case "cvtss2si64", "cvttss2si64": result = SoftFloat.int64(from: a32, truncate: v.op.hasPrefix("cvtt"), &env)
        case "cvtsd2si32", "cvttsd2si32": result = UInt64(SoftFloat.int32(from: a, truncate: v.op.hasPrefix("cvtt"), &env))
        case "cvtsd2si64", "cvttsd2si64": result = SoftFloat.int64(from: a, truncate: v.op.hasPrefix("cvtt"), &env)
        case "roundss", "roundsd":
            // imm8[1:0] rounding, [2] use MXCSR.RC, [3] suppress PE (SDM vol. 2, ROUNDSS)
            let rounding = b & 4 != 0 ? env.rounding : FloatRounding(rawValue: UInt8(b & 3)) ?? .nearestEven
            result = v.op == "roundss"
                ? UInt64(SoftFloat.roundToIntegral(a32, rounding, suppressInexact: b & 8 != 0, &env))
                : SoftFloat.roundToIntegral(a, rounding, suppressInexact: b & 8 != 0, &env)
        default: Issue.record("unknown operation \(v.op)"); result = 0
        }
        return (result, env.flags)
    }

    /// RFLAGS.ZF/PF/CF as COMISS sets them.
    static func rflags(_ c: FloatComparison) -> UInt64 {
        switch c {
        case .unordered: 0x45
        case .greater: 0
        case .less: 0x01
        case .equal: 0x40
        }
    }

    @Test(arguments: ["sse-arith", "sse-compare", "sse-convert", "sse-round"])
    func vectors(file: String) throws {
        let vectors = try FloatVector.load(file)
        #expect(vectors.count > 1000)
        var failures: [String] = []
        for v in vectors {
            let (result, flags) = SSEFloatVectorTests.run(v)
            let expectedFlags = FloatFlags(rawValue: UInt8(v.hex(5)))
            let resultOK = v.isAbsent(4) ? !flags.isSubset(of: FloatEnvironment(mxcsr: UInt32(v.hex(1))).masks) : result == v.hex(4)
            if !resultOK || flags != expectedFlags {
                failures.append("\(v.line)  got \(String(result, radix: 16)) \(String(flags.rawValue, radix: 16))")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(vectors.count) fail:\n" + failures.prefix(25).joined(separator: "\n")))
    }
}
