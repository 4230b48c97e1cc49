/// RFLAGS bits (SDM vol. 1, 3.4.3; vol. 3, 2.3).
public struct RFlags: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let carry = RFlags(rawValue: 1 << 0)
    /// Bit 1 is reserved and always reads as 1.
    public static let reserved1 = RFlags(rawValue: 1 << 1)
    public static let parity = RFlags(rawValue: 1 << 2)
    public static let auxiliaryCarry = RFlags(rawValue: 1 << 4)
    public static let zero = RFlags(rawValue: 1 << 6)
    public static let sign = RFlags(rawValue: 1 << 7)
    public static let trap = RFlags(rawValue: 1 << 8)
    public static let interrupt = RFlags(rawValue: 1 << 9)
    public static let direction = RFlags(rawValue: 1 << 10)
    public static let overflow = RFlags(rawValue: 1 << 11)
    public static let iopl = RFlags(rawValue: 3 << 12)
    public static let nestedTask = RFlags(rawValue: 1 << 14)
    public static let resume = RFlags(rawValue: 1 << 16)
    public static let virtual8086 = RFlags(rawValue: 1 << 17)
    public static let alignmentCheck = RFlags(rawValue: 1 << 18)
    public static let virtualInterrupt = RFlags(rawValue: 1 << 19)
    public static let virtualInterruptPending = RFlags(rawValue: 1 << 20)
    public static let id = RFlags(rawValue: 1 << 21)

    /// The six status flags that arithmetic instructions write.
    public static let status: RFlags = [.carry, .parity, .auxiliaryCarry, .zero, .sign, .overflow]
    /// Every bit software can ever see set.
    public static let implemented: RFlags = [.status, .reserved1, .trap, .interrupt, .direction, .iopl,
                                             .nestedTask, .resume, .virtual8086, .alignmentCheck,
                                             .virtualInterrupt, .virtualInterruptPending, .id]
}
