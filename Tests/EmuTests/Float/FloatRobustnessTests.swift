import Emu
import Testing

/// Guest data reaches SoftFloat unfiltered: every operation must return for any bit pattern
/// and any control word without trapping (the host-vector suites check the values).
@Suite struct FloatRobustnessTests {
    struct Generator {
        var state: UInt64 = 0x2545F4914F6CDD1D
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func float80() -> Float80Bits {
            Float80Bits(significand: next() >> (next() % 3 == 0 ? next() % 64 : 0), signExponent: UInt16(truncatingIfNeeded: next()))
        }
    }

    @Test func everyOperationReturnsForRandomPatterns() {
        var g = Generator()
        var sink: UInt64 = 0
        for _ in 0..<4000 {
            var sse = FloatEnvironment(mxcsr: UInt32(truncatingIfNeeded: g.next()))
            var x87 = FloatEnvironment(x87Control: UInt16(truncatingIfNeeded: g.next()))
            let a = g.next(), b = g.next()
            let a32 = UInt32(truncatingIfNeeded: a), b32 = UInt32(truncatingIfNeeded: b)
            sink ^= UInt64(SoftFloat.add(a32, b32, &sse)) ^ SoftFloat.sub(a, b, &sse)
            sink ^= UInt64(SoftFloat.mul(a32, b32, &sse)) ^ SoftFloat.div(a, b, &sse)
            sink ^= UInt64(SoftFloat.sqrt(a32, &sse)) ^ SoftFloat.sqrt(b, &sse)
            _ = SoftFloat.compare(a, b, signaling: true, &sse)
            sink ^= SoftFloat.float64(from: a32, &sse) ^ UInt64(SoftFloat.float32(from: b, &sse))
            sink ^= UInt64(SoftFloat.int32(from: a, truncate: false, &sse)) ^ SoftFloat.int64(from: b32, truncate: true, &sse)
            sink ^= SoftFloat.roundToIntegral(a, .up, suppressInexact: false, &sse)
            let x = g.float80(), y = g.float80()
            for r in [SoftFloat.add(x, y, &x87), SoftFloat.div(x, y, &x87), SoftFloat.sqrt(x, &x87),
                      SoftFloat.roundToIntegral(x, &x87), SoftFloat.scale(x, by: y, &x87),
                      SoftFloat.remainder(x, y, nearest: a & 1 == 0, &x87).0, SoftFloat.extract(x, &x87).exponent,
                      SoftFloat.float80(from: a, &x87), SoftFloat.float80(fromInteger: Int64(bitPattern: b))] {
                sink ^= r.significand
            }
            sink ^= SoftFloat.integer(from: x, bits: Int(a % 80), truncate: false, &x87)
            sink ^= SoftFloat.float64(from: y, &x87)
            _ = SoftFloat.classify(x)
        }
        #expect(sink != 0)
    }
}
