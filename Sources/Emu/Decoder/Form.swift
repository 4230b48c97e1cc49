/// Where an instruction's operands come from, fixed at decode time so handlers never look at
/// opcode bytes. "rm" is the ModRM r/m operand (a register when `mod == 3`, memory otherwise;
/// fixed-register forms such as `AL, Ib` are normalised to a register r/m), "reg" the ModRM reg
/// field (or the register coded in the opcode), "imm" the immediate.
public enum Form: UInt8, Sendable {
    /// No explicit operands.
    case none
    /// One operand: r/m (INC, NOT, PUSH r/m, SETcc, register-in-opcode forms).
    case rm
    /// Destination r/m, source reg (ADD Ev,Gv).
    case rmReg
    /// Destination reg, source r/m (ADD Gv,Ev).
    case regRm
    /// Destination r/m, source immediate (ADD Ev,Iz; MOV r,imm).
    case rmImm
    /// Destination reg, sources r/m and immediate (IMUL Gv,Ev,Iz).
    case regRmImm
    /// Destination r/m, sources reg and immediate count (SHLD Ev,Gv,Ib).
    case rmRegImm
    /// Destination r/m, sources reg and CL (SHLD Ev,Gv,CL).
    case rmRegCL
    /// Shift/rotate r/m by 1.
    case rmOne
    /// Shift/rotate r/m by CL.
    case rmCL
    /// Only an immediate (PUSH Iz, INT Ib, RET Iw, ENTER Iw,Ib uses `imm` and `imm2`).
    case imm
    /// A relative branch target in `imm` (sign-extended displacement).
    case rel
    /// A far pointer: offset in `imm`, selector in `imm2`.
    case farPointer
    /// VEX-encoded three-operand form: destination reg, sources vvvv and r/m (ANDN, PDEP...).
    case regVvvvRm
    /// VEX-encoded: destination reg, sources r/m and vvvv (BEXTR, BZHI, SARX...).
    case regRmVvvv
    /// VEX-encoded: destination vvvv, source r/m (BLSI, BLSMSK, BLSR).
    case vvvvRm
}
