/// MXCSR.RC / FCW.RC: the rounding control (SDM vol. 1, 4.8.4, table 4-8).
public enum FloatRounding: UInt8, Sendable {
    case nearestEven = 0, down = 1, up = 2, towardZero = 3
}

/// FCW.PC: the significand precision of x87 arithmetic results (SDM vol. 1, 8.1.5.2).
/// Encoding 1 is reserved; the host CPU (AMD Zen) rounds to 64 bits with it, so
/// `init(x87Control:)` reads it as extended (checked by the x87 host vectors).
public enum FloatPrecision: UInt8, Sendable {
    case single = 0, double = 2, extended = 3

    /// Significand bits including the integer bit.
    @inlinable public var bits: Int {
        switch self {
        case .single: 24
        case .double: 53
        case .extended: 64
        }
    }
}

/// The control and sticky status of one floating-point unit as the soft-float operations see
/// it: MXCSR for SSE (SDM vol. 1, 10.2.3), FCW/FSW for the x87 (8.1.3, 8.1.5).
public struct FloatEnvironment: Sendable {
    public var rounding: FloatRounding = .nearestEven
    /// Operations OR the exceptions they detect in (sticky, like MXCSR[5:0] and FSW[5:0]).
    public var flags: FloatFlags = []
    /// Masked exceptions. An unmasked invalid, denormal or divide-by-zero exception stops the
    /// operation before it computes (the returned value is then meaningless: the caller does not
    /// store it); unmasked overflow/underflow change which flags are raised and, for x87
    /// register results, return the result with its exponent adjusted by -/+ 24576.
    public var masks: FloatFlags = .all
    /// MXCSR.FTZ (SSE only): tiny results become zero when underflow is masked.
    public var flushToZero = false
    /// MXCSR.DAZ (SSE only): denormal sources read as zero.
    public var denormalsAreZero = false
    /// FCW.PC (x87 only): the precision of Float80Bits arithmetic results.
    public var precision: FloatPrecision = .extended
    /// FSW.C1 after an x87 operation that rounds: set when the inexact result was rounded away
    /// from zero (SDM vol. 1, 8.1.3.1). x87 operations clear it when the result is exact.
    public var roundedUp = false

    public init() {}

    /// RC, the exception masks, FTZ and DAZ from MXCSR (SDM vol. 1, figure 10-3).
    public init(mxcsr: UInt32) {
        rounding = FloatRounding(rawValue: UInt8((mxcsr >> 13) & 3)) ?? .nearestEven
        masks = FloatFlags(rawValue: UInt8((mxcsr >> 7) & 0x3F))
        flushToZero = mxcsr & 0x8000 != 0
        denormalsAreZero = mxcsr & 0x40 != 0
    }

    /// RC, PC and the exception masks from FCW (SDM vol. 1, figure 8-6).
    public init(x87Control: UInt16) {
        rounding = FloatRounding(rawValue: UInt8((x87Control >> 10) & 3)) ?? .nearestEven
        precision = FloatPrecision(rawValue: UInt8((x87Control >> 8) & 3)) ?? .extended
        masks = FloatFlags(rawValue: UInt8(x87Control & 0x3F))
    }
}
