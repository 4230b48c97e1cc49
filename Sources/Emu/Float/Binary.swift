/// binary32/binary64 operations with the SSE rules (SDM vol. 1, 11.5.2, table 4-7; 10.2.3.3-4
/// for FTZ/DAZ). Values travel as UInt64 bit patterns of `format`. As on the hardware, an
/// invalid operation or a division by zero does not also report a denormal operand.
extension SoftFloat {
    @inlinable static func defaultNaN(_ format: FloatFormat) -> UInt64 {
        format.signBit | UInt64(format.maxExponentField) << UInt64(format.fractionBits) | format.quietBit
    }

    /// The NaN result of an operation with a NaN operand: the first operand if it is a NaN,
    /// else the second, quieted; IE when either is signaling.
    @inlinable static func binaryNaN(_ a: UInt64, _ x: Operand, _ b: UInt64, _ y: Operand, _ format: FloatFormat,
                                     _ env: inout FloatEnvironment) -> UInt64 {
        if x.kind == .signalingNaN || y.kind == .signalingNaN { env.flags.insert(.invalid) }
        return (x.isNaN ? a : b) | format.quietBit
    }

    @inlinable static func binaryResult(_ result: ArithmeticResult, _ format: FloatFormat,
                                        _ env: inout FloatEnvironment) -> UInt64 {
        switch result {
        case .invalid: return defaultNaN(format)
        case .infinity(let sign): return Packed.infinity(sign, format).binary(format)
        case .finite(let value):
            if value.isZero { return Packed.zero(value.sign).binary(format) }
            return roundPack(value, format, .sse, &env).binary(format)
        }
    }

    @inlinable static func binaryArithmetic(_ operation: ArithmeticOperation, _ a: UInt64, _ b: UInt64,
                                            _ format: FloatFormat, _ env: inout FloatEnvironment) -> UInt64 {
        let x = Operand(binary: a, format, denormalsAreZero: env.denormalsAreZero)
        let y = Operand(binary: b, format, denormalsAreZero: env.denormalsAreZero)
        if x.isNaN || y.isNaN { return binaryNaN(a, x, b, y, format, &env) }
        var raised: FloatFlags = x.isDenormal || y.isDenormal ? .denormal : []
        let result = arithmetic(operation, x, y, env.rounding, &raised)
        if raised.contains(.invalid) || raised.contains(.divideByZero) { raised.remove(.denormal) }
        env.flags.formUnion(raised)
        if !raised.isSubset(of: env.masks) { return a }
        return binaryResult(result, format, &env)
    }

    @inlinable static func binarySquareRoot(_ a: UInt64, _ format: FloatFormat, _ env: inout FloatEnvironment) -> UInt64 {
        let x = Operand(binary: a, format, denormalsAreZero: env.denormalsAreZero)
        if x.isNaN { return binaryNaN(a, x, a, x, format, &env) }
        let (result, raised) = squareRootResult(x)
        env.flags.formUnion(raised)
        if !raised.isSubset(of: env.masks) { return a }
        return binaryResult(result, format, &env)
    }

    @inlinable static func binaryCompare(_ a: UInt64, _ b: UInt64, _ format: FloatFormat, signaling: Bool,
                                         _ env: inout FloatEnvironment) -> FloatComparison {
        let x = Operand(binary: a, format, denormalsAreZero: env.denormalsAreZero)
        let y = Operand(binary: b, format, denormalsAreZero: env.denormalsAreZero)
        if x.isNaN || y.isNaN {
            if signaling || x.kind == .signalingNaN || y.kind == .signalingNaN { env.flags.insert(.invalid) }
            return .unordered
        }
        if x.isDenormal || y.isDenormal { env.flags.insert(.denormal) }
        return order(x, y)
    }

    /// Converts between binary32 and binary64 (CVTSS2SD, CVTSD2SS).
    @inlinable static func binaryConvert(_ a: UInt64, from source: FloatFormat, to target: FloatFormat,
                                         _ env: inout FloatEnvironment) -> UInt64 {
        let x = Operand(binary: a, source, denormalsAreZero: env.denormalsAreZero)
        let sign: UInt64 = x.sign ? target.signBit : 0
        switch x.kind {
        case .quietNaN, .signalingNaN:
            if x.kind == .signalingNaN { env.flags.insert(.invalid) }
            let fraction = a & source.fractionMask
            let moved = target.fractionBits > source.fractionBits
                ? fraction << UInt64(target.fractionBits - source.fractionBits)
                : fraction >> UInt64(source.fractionBits - target.fractionBits)
            return sign | UInt64(target.maxExponentField) << UInt64(target.fractionBits) | moved | target.quietBit
        case .infinity: return Packed.infinity(x.sign, target).binary(target)
        case .zero: return sign
        default:
            if x.isDenormal {
                env.flags.insert(.denormal)
                if !env.masks.contains(.denormal) { return a }
            }
            return roundPack(x.value, target, .sse, &env).binary(target)
        }
    }

    @inlinable static func binaryFromInteger(_ v: Int64, _ format: FloatFormat, _ env: inout FloatEnvironment) -> UInt64 {
        if v == 0 { return 0 }
        let value = Unpacked(sign: v < 0, magnitude: v.magnitude)
        return roundPack(value, format, .sse, &env).binary(format)
    }

    /// CVT(T)SS2SI / CVT(T)SD2SI: NaN, infinity and out-of-range values raise IE and return
    /// the integer indefinite 1 << (bits - 1) (SDM vol. 1, 4.8.3.7). No DE is raised.
    @inlinable static func binaryToInteger(_ a: UInt64, _ format: FloatFormat, bits: Int, truncate: Bool,
                                           _ env: inout FloatEnvironment) -> UInt64 {
        let x = Operand(binary: a, format, denormalsAreZero: env.denormalsAreZero)
        let indefinite: UInt64 = 1 << UInt64(bits - 1)
        switch x.kind {
        case .zero: return 0
        case .finite:
            if let result = integer(x.value, bits: bits, truncate ? .towardZero : env.rounding, &env) { return result }
        default: break
        }
        env.flags.insert(.invalid)
        return indefinite
    }

    /// ROUNDSS/ROUNDSD: an integral value in the same format; PE unless suppressed.
    @inlinable static func binaryRoundToIntegral(_ a: UInt64, _ format: FloatFormat, _ rounding: FloatRounding,
                                                 suppressInexact: Bool, _ env: inout FloatEnvironment) -> UInt64 {
        let x = Operand(binary: a, format, denormalsAreZero: env.denormalsAreZero)
        switch x.kind {
        case .quietNaN, .signalingNaN: return binaryNaN(a, x, a, x, format, &env)
        case .zero: return x.sign ? format.signBit : 0
        case .finite:
            let (value, inexact, _) = integral(x.value, rounding)
            if inexact && !suppressInexact { env.flags.insert(.inexact) }
            if value.isZero { return Packed.zero(value.sign).binary(format) }
            return roundPack(value, format, .sse, &env).binary(format)
        default: return a
        }
    }
}
