/// Double-extended operands with the x87 rules (SDM vol. 1, 8.2.2 unsupported encodings,
/// 8.5 exceptions, table 4-7 NaN results).
extension Operand {
    /// A Float80Bits encoding: pseudo-NaNs, pseudo-infinities and unnormals are unsupported;
    /// denormals and pseudo-denormals (integer bit set with a zero exponent) are denormal.
    @inlinable init(extended v: Float80Bits) {
        let sign = v.signExponent & 0x8000 != 0
        let field = Int32(v.signExponent & 0x7FFF)
        let integerBit = v.significand >> 63 != 0
        let none = Unpacked(sign: sign, exponent: 0, significand: 0)
        if field == 0x7FFF {
            let kind: OperandKind = !integerBit ? .unsupported
                : v.significand << 1 == 0 ? .infinity
                : v.significand & (1 << 62) != 0 ? .quietNaN : .signalingNaN
            self.init(kind: kind, value: none, isDenormal: false)
        } else if field == 0 {
            if v.significand == 0 {
                self.init(kind: .zero, value: none, isDenormal: false)
            } else {
                var value = Unpacked(sign: sign, exponent: 1 - 16383, significand: UInt128(v.significand) << 63)
                value.normalize()
                self.init(kind: .finite, value: value, isDenormal: true)
            }
        } else if !integerBit {
            self.init(kind: .unsupported, value: none, isDenormal: false)
        } else {
            self.init(kind: .finite, value: Unpacked(sign: sign, exponent: field - 16383,
                                                     significand: UInt128(v.significand) << 63), isDenormal: false)
        }
    }
}

/// What FXAM and the tag word tell apart (SDM vol. 1, 8.1.7, 8.3.7).
public enum Float80Class: Equatable, Sendable {
    case zero, denormal, normal, infinity, nan(signaling: Bool), unsupported
}

extension SoftFloat {
    /// The real indefinite, the default QNaN of the x87.
    public static let float80Indefinite = Float80Bits(significand: 0xC000_0000_0000_0000, signExponent: 0xFFFF)

    public static func classify(_ a: Float80Bits) -> Float80Class {
        let x = Operand(extended: a)
        switch x.kind {
        case .zero: return .zero
        case .finite: return x.isDenormal ? .denormal : .normal
        case .infinity: return .infinity
        case .quietNaN: return .nan(signaling: false)
        case .signalingNaN: return .nan(signaling: true)
        case .unsupported: return .unsupported
        }
    }

    @inlinable static func quieted(_ a: Float80Bits) -> Float80Bits {
        Float80Bits(significand: a.significand | 1 << 62, signExponent: a.signExponent)
    }

    /// The x87 result of operands including a NaN or an unsupported encoding: IE and the
    /// indefinite for unsupported ones; IE for an SNaN; of two NaNs the QNaN when the other is
    /// signaling, else the larger significand (the positive one on a tie), quieted.
    @inlinable static func extendedNaN(_ a: Float80Bits, _ x: Operand, _ b: Float80Bits, _ y: Operand,
                                       _ env: inout FloatEnvironment) -> Float80Bits {
        if x.kind == .unsupported || y.kind == .unsupported {
            env.flags.insert(.invalid)
            return float80Indefinite
        }
        let xSignaling = x.kind == .signalingNaN, ySignaling = y.kind == .signalingNaN
        if xSignaling || ySignaling { env.flags.insert(.invalid) }
        if !y.isNaN { return quieted(a) }
        if !x.isNaN { return quieted(b) }
        if xSignaling != ySignaling { return quieted(xSignaling ? b : a) }
        let xMagnitude = a.significand & ~(1 << 62), yMagnitude = b.significand & ~(1 << 62)
        if xMagnitude != yMagnitude { return quieted(xMagnitude > yMagnitude ? a : b) }
        return quieted(a.signExponent <= b.signExponent ? a : b)
    }

    @inlinable static func isSpecial(_ x: Operand) -> Bool {
        x.kind == .quietNaN || x.kind == .signalingNaN || x.kind == .unsupported
    }

    /// Rounds to the x87 register format at `precision` significand bits.
    @inlinable static func extendedResult(_ result: ArithmeticResult, _ precision: FloatPrecision,
                                          _ env: inout FloatEnvironment) -> Float80Bits {
        let format = FloatFormat.extended(precision)
        switch result {
        case .invalid: return float80Indefinite
        case .infinity(let sign): return Packed.infinity(sign, format).extended(format)
        case .finite(let value):
            if value.isZero { return Packed.zero(value.sign).extended(format) }
            return roundPack(value, format, .x87Register, &env).extended(format)
        }
    }
}
