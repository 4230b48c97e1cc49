/// FADD/FSUB/FMUL/FDIV/FSQRT/FCOM on Float80Bits: results rounded to FCW.PC precision in the
/// full exponent range (SDM vol. 1, 8.1.5.2). Reversed forms (FSUBR, FDIVR) swap the operands.
extension SoftFloat {
    @inlinable static func extendedArithmetic(_ operation: ArithmeticOperation, _ a: Float80Bits, _ b: Float80Bits,
                                              _ env: inout FloatEnvironment) -> Float80Bits {
        env.roundedUp = false
        let x = Operand(extended: a), y = Operand(extended: b)
        if isSpecial(x) || isSpecial(y) { return extendedNaN(a, x, b, y, &env) }
        var raised: FloatFlags = x.isDenormal || y.isDenormal ? .denormal : []
        let result = arithmetic(operation, x, y, env.rounding, &raised)
        if raised.contains(.invalid) || raised.contains(.divideByZero) { raised.remove(.denormal) }
        env.flags.formUnion(raised)
        if !raised.isSubset(of: env.masks) { return a }
        return extendedResult(result, env.precision, &env)
    }

    public static func add(_ a: Float80Bits, _ b: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        extendedArithmetic(.add, a, b, &env)
    }
    public static func sub(_ a: Float80Bits, _ b: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        extendedArithmetic(.subtract, a, b, &env)
    }
    public static func mul(_ a: Float80Bits, _ b: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        extendedArithmetic(.multiply, a, b, &env)
    }
    public static func div(_ a: Float80Bits, _ b: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        extendedArithmetic(.divide, a, b, &env)
    }

    public static func sqrt(_ a: Float80Bits, _ env: inout FloatEnvironment) -> Float80Bits {
        env.roundedUp = false
        let x = Operand(extended: a)
        if isSpecial(x) { return extendedNaN(a, x, a, x, &env) }
        let (result, raised) = squareRootResult(x)
        env.flags.formUnion(raised)
        if !raised.isSubset(of: env.masks) { return a }
        return extendedResult(result, env.precision, &env)
    }

    /// FCOM (signaling: IE on any NaN) / FUCOM (IE on SNaN); unsupported operands are invalid
    /// for both and compare unordered.
    public static func compare(_ a: Float80Bits, _ b: Float80Bits, signaling: Bool,
                               _ env: inout FloatEnvironment) -> FloatComparison {
        let x = Operand(extended: a), y = Operand(extended: b)
        if isSpecial(x) || isSpecial(y) {
            if signaling || x.kind == .signalingNaN || y.kind == .signalingNaN || x.kind == .unsupported
                || y.kind == .unsupported {
                env.flags.insert(.invalid)
            }
            return .unordered
        }
        if x.isDenormal || y.isDenormal { env.flags.insert(.denormal) }
        return order(x, y)
    }
}
