/// Bits of the x87 status word (SDM vol. 1, 8.1.3, figure 8-4) and the values the masked
/// exception responses produce (SDM vol. 1, 4.8.3.7 and table 4-3).
enum X87Status {
    static let invalid: UInt16 = 0x0001
    static let denormal: UInt16 = 0x0002
    static let zeroDivide: UInt16 = 0x0004
    static let overflow: UInt16 = 0x0008
    static let underflow: UInt16 = 0x0010
    static let precision: UInt16 = 0x0020
    static let stackFault: UInt16 = 0x0040
    static let errorSummary: UInt16 = 0x0080
    static let c0: UInt16 = 0x0100
    static let c1: UInt16 = 0x0200
    static let c2: UInt16 = 0x0400
    static let c3: UInt16 = 0x4000
    static let busy: UInt16 = 0x8000
    static let conditionCodes: UInt16 = 0x4700
    static let exceptionFlags: UInt16 = 0x003F

    /// The real (and QNaN floating-point) indefinite: negative, all-ones exponent, 1.1000...
    static let indefinite = Float80Bits(significand: 0xC000_0000_0000_0000, signExponent: 0xFFFF)
}

/// The tag values of the full tag word (SDM vol. 1, 8.1.7).
enum X87Tag {
    static let valid: UInt16 = 0
    static let zero: UInt16 = 1
    static let special: UInt16 = 2
    static let empty: UInt16 = 3
}

/// The classes FXAM reports and the tag word distinguishes (SDM vol. 1, 8.1.7 and FXAM).
enum X87Class: Equatable {
    case zero, denormal, normal, infinity, quietNaN, signalingNaN
    /// Pseudo-NaN, pseudo-infinity, unnormal: invalid operands since the 387 (SDM vol. 1, 8.2.2).
    case unsupported

    init(_ v: Float80Bits) {
        let exponent = v.signExponent & 0x7FFF
        let integer = v.significand >> 63 != 0
        if exponent == 0 {
            self = v.significand == 0 ? .zero : .denormal
        } else if exponent == 0x7FFF {
            if !integer { self = .unsupported }
            else if v.significand << 1 == 0 { self = .infinity }
            else { self = v.significand & (1 << 62) != 0 ? .quietNaN : .signalingNaN }
        } else {
            self = integer ? .normal : .unsupported
        }
    }

    var isNaN: Bool { self == .quietNaN || self == .signalingNaN }

    /// The tag of a non-empty register holding a value of this class.
    var tag: UInt16 {
        switch self {
        case .normal: return X87Tag.valid
        case .zero: return X87Tag.zero
        default: return X87Tag.special
        }
    }
}

extension Float80Bits {
    @inline(__always) var x87Negative: Bool { signExponent & 0x8000 != 0 }
    @inline(__always) var x87Exponent: Int { Int(signExponent & 0x7FFF) }

    static func x87Zero(negative: Bool) -> Float80Bits {
        Float80Bits(significand: 0, signExponent: negative ? 0x8000 : 0)
    }

    /// +1.0.
    static let x87One = Float80Bits(significand: 1 << 63, signExponent: 0x3FFF)

    static func x87Infinity(negative: Bool) -> Float80Bits {
        Float80Bits(significand: 1 << 63, signExponent: negative ? 0xFFFF : 0x7FFF)
    }

    /// The value with its sign bit replaced.
    func x87WithSign(_ negative: Bool) -> Float80Bits {
        Float80Bits(significand: significand, signExponent: signExponent & 0x7FFF | (negative ? 0x8000 : 0))
    }

    /// A NaN made quiet (significand bit 62 set).
    var x87Quieted: Float80Bits {
        Float80Bits(significand: significand | 1 << 62, signExponent: signExponent)
    }
}
