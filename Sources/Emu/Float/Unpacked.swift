/// A finite value as the arithmetic sees it: (-1)^sign x significand / 2^126 x 2^exponent with
/// the exponent unbiased. Normalized values have significand bit 126 set (bit 127 stays free
/// for carries); bits below the destination precision are guard bits, bit 0 collects the sticky
/// bit. A zero significand is a zero.
@usableFromInline struct Unpacked: Sendable {
    @usableFromInline var sign: Bool
    @usableFromInline var exponent: Int32
    @usableFromInline var significand: UInt128

    @inlinable init(sign: Bool, exponent: Int32, significand: UInt128) {
        self.sign = sign
        self.exponent = exponent
        self.significand = significand
    }

    /// An integer magnitude as a normalized value.
    @inlinable init(sign: Bool, magnitude: UInt64) {
        self.init(sign: sign, exponent: 126, significand: UInt128(magnitude))
        normalize()
    }

    @inlinable var isZero: Bool { significand == 0 }

    /// Shifts the significand so bit 126 is its top bit (right shifts keep a sticky bit).
    @inlinable mutating func normalize() {
        guard significand != 0 else { return }
        let leading = significand.leadingZeroBitCount
        if leading == 0 {
            significand = significand.shiftedRightSticky(1)
            exponent += 1
        } else {
            significand <<= UInt128(leading - 1)
            exponent -= Int32(leading - 1)
        }
    }

    /// The top 64 significand bits of a normalized value (bit 63 set); exact for every format.
    @inlinable var significand64: UInt64 { UInt64(truncatingIfNeeded: significand >> 63) }
}

extension UInt128 {
    /// Shift right by `count`, ORing the bits shifted out into bit 0.
    @inlinable func shiftedRightSticky(_ count: Int) -> UInt128 {
        if count <= 0 { return self }
        if count >= 128 { return self != 0 ? 1 : 0 }
        let lost = self << UInt128(128 - count)
        return (self >> UInt128(count)) | (lost != 0 ? 1 : 0)
    }
}

/// What an operand is before arithmetic (SDM vol. 1, 4.8.3, table 4-3; 8.2.2 for the x87
/// unsupported encodings).
@usableFromInline enum OperandKind: Sendable {
    case finite, zero, infinity, quietNaN, signalingNaN, unsupported
}

/// An operand unpacked from its encoding: the kind, the value when finite, and whether the
/// encoding was a denormal (the DE condition).
@usableFromInline struct Operand: Sendable {
    @usableFromInline var kind: OperandKind
    @usableFromInline var value: Unpacked
    @usableFromInline var isDenormal: Bool

    @inlinable var isNaN: Bool { kind == .quietNaN || kind == .signalingNaN }
    @inlinable var sign: Bool { value.sign }

    @inlinable init(kind: OperandKind, value: Unpacked, isDenormal: Bool) {
        self.kind = kind
        self.value = value
        self.isDenormal = isDenormal
    }

    /// A binary32/binary64 encoding; `denormalsAreZero` reads denormals as zeros (MXCSR.DAZ).
    @inlinable init(binary bits: UInt64, _ format: FloatFormat, denormalsAreZero: Bool) {
        let sign = bits & format.signBit != 0
        let field = Int32(truncatingIfNeeded: (bits >> UInt64(format.fractionBits))) & format.maxExponentField
        let fraction = bits & format.fractionMask
        let shift = UInt128(126 - format.fractionBits)
        if field == format.maxExponentField {
            let kind: OperandKind = fraction == 0 ? .infinity : fraction & format.quietBit != 0 ? .quietNaN : .signalingNaN
            self.init(kind: kind, value: Unpacked(sign: sign, exponent: 0, significand: 0), isDenormal: false)
        } else if field == 0 {
            if fraction == 0 || denormalsAreZero {
                self.init(kind: .zero, value: Unpacked(sign: sign, exponent: 0, significand: 0), isDenormal: false)
            } else {
                var value = Unpacked(sign: sign, exponent: 1 - format.bias, significand: UInt128(fraction) << shift)
                value.normalize()
                self.init(kind: .finite, value: value, isDenormal: true)
            }
        } else {
            let significand = UInt128(fraction | (1 << UInt64(format.fractionBits))) << shift
            self.init(kind: .finite, value: Unpacked(sign: sign, exponent: field - format.bias, significand: significand),
                      isDenormal: false)
        }
    }
}
