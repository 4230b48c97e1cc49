/// A value in the x87 double-extended-precision format (SDM vol. 1, 4.2.2 and 8.1.2): the sign
/// and 15-bit biased exponent in `signExponent`, a 64-bit significand whose bit 63 is the
/// explicit integer bit. The x87 data registers hold these; MM0-MM7 alias their significands.
public struct Float80Bits: Equatable, Sendable {
    public var significand: UInt64
    public var signExponent: UInt16

    @inlinable public init(significand: UInt64 = 0, signExponent: UInt16 = 0) {
        self.significand = significand
        self.signExponent = signExponent
    }
}

/// The x87 FPU state (SDM vol. 1, 8.1): the data registers R0-R7 in physical order (ST(i) is
/// R[(TOP + i) mod 8]), the control, status and tag words, and the last instruction's opcode,
/// instruction pointer and data pointer, as FXSAVE and FNSTENV store them.
public struct X87State: Sendable {
    public var registers = InlineArray<8, Float80Bits>(repeating: Float80Bits())
    public var control: UInt16 = 0x037F
    /// FSW; TOP is bits 13:11.
    public var status: UInt16 = 0
    /// The full tag word, two bits per physical register: 00 valid, 01 zero, 10 special
    /// (NaN, infinity, denormal, unsupported), 11 empty.
    public var tags: UInt16 = 0xFFFF
    /// The last non-control instruction's opcode (11 bits: ModRM and the low 3 bits of the first byte).
    public var lastOpcode: UInt16 = 0
    public var lastInstructionPointer: UInt64 = 0
    public var lastInstructionSelector: UInt16 = 0
    public var lastDataPointer: UInt64 = 0
    public var lastDataSelector: UInt16 = 0

    public init() {}

    /// TOP, the physical register number of ST(0).
    @inlinable public var top: Int { Int(status >> 11) & 7 }
}
