/// The floating-point exception flags in the layout of MXCSR[5:0] and FSW[5:0]; the masks use
/// the same layout (MXCSR[12:7] >> 7, FCW[5:0]). SDM vol. 1, 4.9.
public struct FloatFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let invalid = FloatFlags(rawValue: 0x01)
    public static let denormal = FloatFlags(rawValue: 0x02)
    public static let divideByZero = FloatFlags(rawValue: 0x04)
    public static let overflow = FloatFlags(rawValue: 0x08)
    public static let underflow = FloatFlags(rawValue: 0x10)
    public static let inexact = FloatFlags(rawValue: 0x20)
    public static let all = FloatFlags(rawValue: 0x3F)
    /// The exceptions detected before the operation computes (SDM vol. 1, 4.9.2, 11.5.2).
    public static let preComputation: FloatFlags = [.invalid, .denormal, .divideByZero]
}
