/// What the opcode tables know about one opcode (in one mandatory-prefix column, one mode).
struct OpcodeEntry: Sendable {
    var op: Op = .unsupported
    var form: Form = .none
    var sub: UInt8 = 0
    /// Nonzero: the ModRM byte selects the final entry from group table `group`.
    var group: UInt16 = 0
    var attributes: OpcodeAttributes = []
    /// A defined encoding. Undefined ones decode to #UD.
    var defined: Bool = false
}

/// Decoding attributes of an opcode, from the operand tokens of the opcode tables.
struct OpcodeAttributes: OptionSet, Sendable {
    let rawValue: UInt32
    static let modrm = OpcodeAttributes(rawValue: 1 << 0)
    /// Operands are bytes (Eb, Gb, AL...).
    static let byteOperands = OpcodeAttributes(rawValue: 1 << 1)
    static let imm8 = OpcodeAttributes(rawValue: 1 << 2)
    static let imm16 = OpcodeAttributes(rawValue: 1 << 3)
    /// Iz/Jz: 2 bytes with a 16-bit operand size, otherwise 4 (sign-extended to 64).
    static let immZ = OpcodeAttributes(rawValue: 1 << 4)
    /// Iv: the operand size (2, 4 or 8 bytes).
    static let immV = OpcodeAttributes(rawValue: 1 << 5)
    /// Ob/Ov: a memory offset of the address size.
    static let immOffset = OpcodeAttributes(rawValue: 1 << 6)
    /// Ap: a far pointer, offset (operand size) then selector.
    static let immFar = OpcodeAttributes(rawValue: 1 << 7)
    /// ENTER: Iw then Ib.
    static let immEnter = OpcodeAttributes(rawValue: 1 << 8)
    static let lockable = OpcodeAttributes(rawValue: 1 << 9)
    /// Invalid in 64-bit mode (i64).
    static let invalid64 = OpcodeAttributes(rawValue: 1 << 10)
    /// Only valid in 64-bit mode (o64).
    static let only64 = OpcodeAttributes(rawValue: 1 << 11)
    /// Operand size defaults to 64 bits in 64-bit mode (d64).
    static let default64 = OpcodeAttributes(rawValue: 1 << 12)
    /// Operand size is 64 bits in 64-bit mode, 66 ignored on Intel CPUs (f64).
    static let force64 = OpcodeAttributes(rawValue: 1 << 13)
    /// The r/m operand must be memory (mod != 3), else #UD.
    static let memoryOnly = OpcodeAttributes(rawValue: 1 << 14)
    /// The r/m operand must be a register (mod == 3), else #UD.
    static let registerOnly = OpcodeAttributes(rawValue: 1 << 15)
    /// The register is coded in the low three opcode bits (plus REX.B).
    static let registerInOpcode = OpcodeAttributes(rawValue: 1 << 16)
    /// A fixed accumulator operand (AL, rAX) in the r/m slot.
    static let accumulatorRM = OpcodeAttributes(rawValue: 1 << 17)
    /// A fixed accumulator operand in the reg slot.
    static let accumulatorReg = OpcodeAttributes(rawValue: 1 << 18)
    /// MOV to/from CR/DR: ModRM.mod is ignored and the r/m operand is always a register.
    static let modIgnored = OpcodeAttributes(rawValue: 1 << 19)
    /// Operand size is 32 or 64 bits (REX.W); 66 does not apply (Ey, Gy).
    static let sizeY = OpcodeAttributes(rawValue: 1 << 20)
    /// The 66/F2/F3 prefix selecting this entry is part of the opcode.
    static let mandatoryPrefix = OpcodeAttributes(rawValue: 1 << 21)
    /// VEX-encoded instruction whose VEX.L must be 0.
    static let vexL0 = OpcodeAttributes(rawValue: 1 << 22)
    /// Operand size is 16 bits whatever the prefixes (Ew sources such as LLDT, Sw).
    static let size16 = OpcodeAttributes(rawValue: 1 << 23)
    /// Operand size is 32 bits in 16/32-bit modes and 64 in 64-bit mode (MOV CR/DR).
    static let sizeNative = OpcodeAttributes(rawValue: 1 << 24)
    /// The r/m operand is a byte register when `mod == 3` (AH..BH without REX).
    static let byteRM = OpcodeAttributes(rawValue: 1 << 25)
    /// The reg operand is a byte register.
    static let byteReg = OpcodeAttributes(rawValue: 1 << 26)
    /// A defined shape that is always #UD (MOV to CS): the length is measured first.
    static let alwaysInvalid = OpcodeAttributes(rawValue: 1 << 27)
    /// 66 may not accompany the F3 that selects this entry (PTWRITE).
    static let no66 = OpcodeAttributes(rawValue: 1 << 28)
    /// Defined with a 32-bit address size only (PadLock MONTMUL).
    static let address32 = OpcodeAttributes(rawValue: 1 << 29)
}
