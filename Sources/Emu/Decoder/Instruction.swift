/// A decoded instruction: a small value the interpreter executes many times without decoding
/// again (it lives in the decoded-instruction cache).
///
/// Register numbers are normalised at decode time: 0-15 are RAX..R15; for byte operands 16-19
/// are AH, CH, DH, BH (only reachable without a REX prefix). `base`/`index` use
/// `Instruction.noRegister` (a register slot that always reads 0) and `Instruction.ripRegister`
/// (the slot holding RIP), so an effective address is computed without branches.
public struct Instruction: Sendable, Equatable {
    public var op: Op = .unsupported
    public var form: Form = .none
    /// Length in bytes (1-15).
    public var length: UInt8 = 0
    /// Operand size in bytes: 1, 2, 4 or 8.
    public var size: UInt8 = 4
    /// Address size in bytes: 2, 4 or 8.
    public var addressSize: UInt8 = 4
    /// The segment of the memory operand (`SegmentRegister` raw value), overrides applied.
    public var segment: UInt8 = 3
    /// ModRM.mod; 3 means the r/m operand is the register `rm`.
    public var mod: UInt8 = 3
    public var reg: UInt8 = 0
    public var rm: UInt8 = 0
    public var base: UInt8 = Instruction.noRegister
    public var index: UInt8 = Instruction.noRegister
    /// log2 of the SIB scale.
    public var scale: UInt8 = 0
    public var prefixes: Prefixes = []
    /// Operation detail: the condition code of Jcc/SETcc/CMOVcc, the count size of string ops...
    public var sub: UInt8 = 0
    /// VEX.vvvv (register number, already inverted).
    public var vvvv: UInt8 = 0
    /// The opcode, for traces and disassembly: map (0 = one-byte, 1 = 0F, 2 = 0F38, 3 = 0F3A,
    /// 0x10+map for VEX, 0x20+map for EVEX, 0x30+map for XOP) in the high byte.
    public var opcode: UInt16 = 0
    public var displacement: Int64 = 0
    public var immediate: UInt64 = 0
    /// Second immediate: ENTER's nesting level, a far pointer's selector.
    public var immediate2: UInt16 = 0
    /// How the interpreter executes it (`Handler.select`), and the registers a specialised
    /// handler reads and writes.
    public var handler: Handler = .generic
    public var dst: UInt8 = 0
    public var src: UInt8 = 0

    public static let noRegister: UInt8 = 16
    public static let ripRegister: UInt8 = 17

    public init() {}

    /// True when the r/m operand is in memory.
    @inlinable public var hasMemoryOperand: Bool { mod != 3 }
}

/// Prefix facts the handlers need after decoding.
public struct Prefixes: OptionSet, Sendable, Equatable {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let lock = Prefixes(rawValue: 1 << 0)
    /// F3 (REP / REPE).
    public static let rep = Prefixes(rawValue: 1 << 1)
    /// F2 (REPNE).
    public static let repne = Prefixes(rawValue: 1 << 2)
    /// 66 (operand-size override).
    public static let operandSize = Prefixes(rawValue: 1 << 3)
    /// 67 (address-size override).
    public static let addressSize = Prefixes(rawValue: 1 << 4)
    public static let rex = Prefixes(rawValue: 1 << 5)
    public static let rexW = Prefixes(rawValue: 1 << 6)
    /// An explicit segment override was present.
    public static let segmentOverride = Prefixes(rawValue: 1 << 7)
}
