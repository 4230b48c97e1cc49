/// The handler of a decoded instruction, chosen at decode time (as Bochs chooses the register or
/// memory form of a handler): the common forms of the common instructions get a dedicated case
/// whose operands are fixed (`Instruction.dst`, `Instruction.src`), so executing them needs no
/// run-time decision on operand kind or form; everything else is `.generic` (`CPU.executeGeneric`).
///
/// Names: RR = register, register; RI = register, immediate; Load = register <- memory;
/// Store = memory <- register. ALU register forms cover operand sizes 4 and 8 (whose writes
/// replace the whole register); CMP and TEST, which write nothing, also sizes 1 and 2 when no
/// high-byte register (AH..BH) is involved.
public enum Handler: UInt8, Sendable {
    case generic
    case movRR, movRI, movLoad, movStore
    case addRR, orRR, andRR, subRR, xorRR, cmpRR, testRR
    case addRI, orRI, andRI, subRI, xorRI, cmpRI, testRI
    case incR, decR
    /// Shifts and rotates of a register by an immediate or implicit count whose masked value is
    /// not 0; the masked count is in `src`.
    case rolRI, rorRI, shlRI, shrRI, sarRI
    /// Jcc; `jzJnz` for JZ/JNZ (condition codes 4 and 5), the most common ones.
    case jcc, jzJnz, jmp

    /// The handler for `insn`, with the operand registers it uses: (handler, dst, src).
    static func select(_ insn: Instruction) -> (Handler, UInt8, UInt8) {
        let generic: (Handler, UInt8, UInt8) = (.generic, 0, 0)
        switch insn.op {
        case .jcc: return (insn.sub >> 1 == 2 ? .jzJnz : .jcc, 0, 0)
        case .jmp where insn.form == .rel: return (.jmp, 0, 0)
        default: break
        }
        let size = insn.size
        let wide = size == 4 || size == 8
        let register = insn.mod == 3
        if wide && register && (insn.form == .rmImm || insn.form == .rmOne) {
            let count = UInt8(truncatingIfNeeded: insn.form == .rmOne ? 1 : insn.immediate) & (size == 8 ? 0x3F : 0x1F)
            let handler: Handler?
            switch insn.op {
            case .rol: handler = .rolRI
            case .ror: handler = .rorRI
            case .shl: handler = .shlRI
            case .shr: handler = .shrRI
            case .sar: handler = .sarRI
            default: handler = nil
            }
            if let handler { return count == 0 ? generic : (handler, insn.rm, count) }
        }
        // Destination and source registers of the two-operand forms.
        let dst: UInt8, src: UInt8
        switch insn.form {
        case .rmReg: dst = insn.rm; src = insn.reg
        case .regRm: dst = insn.reg; src = insn.rm
        case .rmImm, .rm: dst = insn.rm; src = 0
        default: return generic
        }
        let byteHigh = size == 1 && (dst >= 16 || src >= 16)
        switch insn.op {
        case .mov where wide:
            switch insn.form {
            case .rmReg: return register ? (.movRR, dst, src) : (.movStore, 0, src)
            case .regRm: return register ? (.movRR, dst, src) : (.movLoad, dst, 0)
            case .rmImm: return register ? (.movRI, dst, 0) : generic
            default: return generic
            }
        case .add, .or, .and, .sub, .xor, .cmp, .test:
            guard register, insn.form != .rm, insn.op == .cmp || insn.op == .test ? !byteHigh : wide else { return generic }
            let imm = insn.form == .rmImm
            switch insn.op {
            case .add: return (imm ? .addRI : .addRR, dst, src)
            case .or: return (imm ? .orRI : .orRR, dst, src)
            case .and: return (imm ? .andRI : .andRR, dst, src)
            case .sub: return (imm ? .subRI : .subRR, dst, src)
            case .xor: return (imm ? .xorRI : .xorRR, dst, src)
            case .cmp: return (imm ? .cmpRI : .cmpRR, dst, src)
            default: return (imm ? .testRI : .testRR, dst, src)
            }
        case .inc where wide && register && insn.form == .rm: return (.incR, dst, 0)
        case .dec where wide && register && insn.form == .rm: return (.decR, dst, 0)
        default: return generic
        }
    }
}
