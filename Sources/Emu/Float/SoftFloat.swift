/// Soft-float arithmetic with x86 semantics (SDM vol. 1, ch. 4, 8, 10, 11): binary32 and
/// binary64 as SSE computes them (UInt32/UInt64 bit patterns) and double extended as the x87
/// computes it (Float80Bits). Pure integer code: results are identical on every host.
public enum SoftFloat {}

/// The four basic operations the arithmetic cores share.
@usableFromInline enum ArithmeticOperation: Sendable {
    case add, subtract, multiply, divide
}

/// The outcome of an operation on two non-NaN operands: a finite (possibly zero) unrounded
/// value, an infinity, or an invalid operation (the default NaN).
@usableFromInline enum ArithmeticResult: Sendable {
    case finite(Unpacked)
    case infinity(sign: Bool)
    case invalid
}
