/// The public binary32 (UInt32) and binary64 (UInt64) operations; see Binary.swift for the rules.
extension SoftFloat {
    public static func add(_ a: UInt32, _ b: UInt32, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryArithmetic(.add, UInt64(a), UInt64(b), .binary32, &env))
    }
    public static func add(_ a: UInt64, _ b: UInt64, _ env: inout FloatEnvironment) -> UInt64 {
        binaryArithmetic(.add, a, b, .binary64, &env)
    }
    public static func sub(_ a: UInt32, _ b: UInt32, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryArithmetic(.subtract, UInt64(a), UInt64(b), .binary32, &env))
    }
    public static func sub(_ a: UInt64, _ b: UInt64, _ env: inout FloatEnvironment) -> UInt64 {
        binaryArithmetic(.subtract, a, b, .binary64, &env)
    }
    public static func mul(_ a: UInt32, _ b: UInt32, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryArithmetic(.multiply, UInt64(a), UInt64(b), .binary32, &env))
    }
    public static func mul(_ a: UInt64, _ b: UInt64, _ env: inout FloatEnvironment) -> UInt64 {
        binaryArithmetic(.multiply, a, b, .binary64, &env)
    }
    public static func div(_ a: UInt32, _ b: UInt32, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryArithmetic(.divide, UInt64(a), UInt64(b), .binary32, &env))
    }
    public static func div(_ a: UInt64, _ b: UInt64, _ env: inout FloatEnvironment) -> UInt64 {
        binaryArithmetic(.divide, a, b, .binary64, &env)
    }
    public static func sqrt(_ a: UInt32, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binarySquareRoot(UInt64(a), .binary32, &env))
    }
    public static func sqrt(_ a: UInt64, _ env: inout FloatEnvironment) -> UInt64 {
        binarySquareRoot(a, .binary64, &env)
    }

    /// COMISS (signaling) / UCOMISS: IE on an SNaN, or on any NaN when signaling; DE on denormals.
    public static func compare(_ a: UInt32, _ b: UInt32, signaling: Bool, _ env: inout FloatEnvironment) -> FloatComparison {
        binaryCompare(UInt64(a), UInt64(b), .binary32, signaling: signaling, &env)
    }
    public static func compare(_ a: UInt64, _ b: UInt64, signaling: Bool, _ env: inout FloatEnvironment) -> FloatComparison {
        binaryCompare(a, b, .binary64, signaling: signaling, &env)
    }

    public static func float64(from a: UInt32, _ env: inout FloatEnvironment) -> UInt64 {
        binaryConvert(UInt64(a), from: .binary32, to: .binary64, &env)
    }
    public static func float32(from a: UInt64, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryConvert(a, from: .binary64, to: .binary32, &env))
    }
    /// CVTSI2SS; a 32-bit source is passed sign-extended.
    public static func float32(fromInteger v: Int64, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryFromInteger(v, .binary32, &env))
    }
    public static func float64(fromInteger v: Int64, _ env: inout FloatEnvironment) -> UInt64 {
        binaryFromInteger(v, .binary64, &env)
    }

    public static func int32(from a: UInt32, truncate: Bool, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryToInteger(UInt64(a), .binary32, bits: 32, truncate: truncate, &env))
    }
    public static func int32(from a: UInt64, truncate: Bool, _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryToInteger(a, .binary64, bits: 32, truncate: truncate, &env))
    }
    public static func int64(from a: UInt32, truncate: Bool, _ env: inout FloatEnvironment) -> UInt64 {
        binaryToInteger(UInt64(a), .binary32, bits: 64, truncate: truncate, &env)
    }
    public static func int64(from a: UInt64, truncate: Bool, _ env: inout FloatEnvironment) -> UInt64 {
        binaryToInteger(a, .binary64, bits: 64, truncate: truncate, &env)
    }

    /// ROUNDSS: the caller resolves the immediate (bit 2 selects env.rounding, bit 3 suppresses PE).
    public static func roundToIntegral(_ a: UInt32, _ rounding: FloatRounding, suppressInexact: Bool,
                                       _ env: inout FloatEnvironment) -> UInt32 {
        UInt32(truncatingIfNeeded: binaryRoundToIntegral(UInt64(a), .binary32, rounding, suppressInexact: suppressInexact, &env))
    }
    public static func roundToIntegral(_ a: UInt64, _ rounding: FloatRounding, suppressInexact: Bool,
                                       _ env: inout FloatEnvironment) -> UInt64 {
        binaryRoundToIntegral(a, .binary64, rounding, suppressInexact: suppressInexact, &env)
    }
}
