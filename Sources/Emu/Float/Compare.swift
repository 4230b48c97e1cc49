/// The result of a floating-point comparison (COMISS/UCOMISS, FCOM/FUCOM).
public enum FloatComparison: Sendable {
    case less, equal, greater, unordered
}

extension SoftFloat {
    /// Orders two non-NaN operands; zeros of either sign are equal.
    @inlinable static func order(_ x: Operand, _ y: Operand) -> FloatComparison {
        if x.kind == .zero && y.kind == .zero { return .equal }
        if x.sign != y.sign { return x.sign ? .less : .greater }
        let magnitude: FloatComparison
        if x.kind == .infinity || y.kind == .infinity {
            magnitude = x.kind == y.kind ? .equal : x.kind == .infinity ? .greater : .less
        } else if x.kind == .zero || y.kind == .zero {
            magnitude = x.kind == .zero ? .less : .greater
        } else if x.value.exponent != y.value.exponent {
            magnitude = x.value.exponent > y.value.exponent ? .greater : .less
        } else if x.value.significand != y.value.significand {
            magnitude = x.value.significand > y.value.significand ? .greater : .less
        } else {
            magnitude = .equal
        }
        if !x.sign { return magnitude }
        switch magnitude {
        case .less: return .greater
        case .greater: return .less
        default: return magnitude
        }
    }
}
