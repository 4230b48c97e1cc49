/// The source of RDRAND and RDSEED (SDM vol. 1, 7.3.17 "Random Number Generator Instructions").
///
/// A real part conditions hardware entropy; swemu's runs must be reproducible (DESIGN.md: same
/// image and flags, same output), so this is a deterministic SplitMix64 sequence: a counter
/// advanced by the golden-ratio increment on every draw, each value a bijective mix of the
/// counter and a stream key. The key separates the two instructions and the logical
/// processors (by initial APIC ID), so every CPU of a machine draws its own sequence. The
/// state lives in the CPU from its construction on: RESET, INIT and VM transitions do not
/// rewind it, as they do not rewind a hardware DRNG. Draws never fail (CF = 1 always).
public struct DigitalRandomNumberGenerator: Sendable, Equatable {
    /// The state at power-on, the same for every CPU (the stream key tells them apart).
    public static let powerOnState: UInt64 = 0x5357_454D_5F44_524E   // "SWEM_DRN"
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Draws taken so far, as SplitMix64's state.
    public private(set) var state: UInt64 = DigitalRandomNumberGenerator.powerOnState

    public init() {}

    /// Which instruction draws.
    public enum Source: UInt64, Sendable {
        case rdrand = 0x5244_5241_4E44   // "RDRAND"
        case rdseed = 0x5244_5345_4544   // "RDSEED"
    }

    /// The next 64-bit value for `source` on the processor with initial APIC ID `apicID`.
    public mutating func next(_ source: Source, apicID: UInt32) -> UInt64 {
        state &+= Self.increment
        let key = Self.mix(source.rawValue ^ UInt64(apicID) << 48)
        return Self.mix(state ^ key)
    }

    /// SplitMix64's finalizer (a bijection of 64-bit values).
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
