/// The exponent range and significand precision of a destination format (SDM vol. 1, 4.2.2,
/// table 4-3). `precision` counts the integer bit; binary32/64 store it implicitly.
@usableFromInline struct FloatFormat: Sendable {
    @usableFromInline let exponentBits: Int
    @usableFromInline let precision: Int

    @inlinable init(exponentBits: Int, precision: Int) {
        self.exponentBits = exponentBits
        self.precision = precision
    }

    @inlinable var bias: Int32 { (1 << Int32(exponentBits - 1)) - 1 }
    @inlinable var maxExponentField: Int32 { (1 << Int32(exponentBits)) - 1 }
    @inlinable var fractionBits: Int { precision - 1 }
    @inlinable var fractionMask: UInt64 { (1 << UInt64(precision - 1)) - 1 }
    @inlinable var quietBit: UInt64 { 1 << UInt64(precision - 2) }
    @inlinable var signBit: UInt64 { 1 << UInt64(exponentBits + precision - 1) }

    @usableFromInline static let binary32 = FloatFormat(exponentBits: 8, precision: 24)
    @usableFromInline static let binary64 = FloatFormat(exponentBits: 11, precision: 53)

    /// The x87 register format rounded to `precision` (FCW.PC): the exponent range stays the
    /// double-extended one (SDM vol. 1, 8.1.5.2).
    @inlinable static func extended(_ precision: FloatPrecision) -> FloatFormat {
        FloatFormat(exponentBits: 15, precision: precision.bits)
    }
}
