/// x87 FPU instructions (D8-DF; SDM vol. 1, ch. 8 and the vol. 2 pages; opcode map in vol. 2,
/// tables ). The decoder has already rejected the reserved encodings.
extension CPU {
    func executeX87(_ i: Instruction) throws(Fault) {
        try requireX87()
        let escape = Int(i.opcode & 7)
        let reg = Int(i.reg & 7)
        if i.mod != 3 {
            try executeX87Memory(i, escape: escape, reg: reg)
        } else {
            try executeX87Register(i, escape: escape, reg: reg, rm: Int(i.rm & 7))
        }
    }

    /// FOP, FIP and FCS for a non-control instruction (SDM vol. 1, 8.1.8-8.1.9): the opcode's
    /// low 11 bits and the address of the instruction's first byte (its prefixes included).
    private func x87NoteInstruction(_ i: Instruction, escape: Int) {
        let modrm = UInt16(i.mod & 3) << 6 | UInt16(i.reg & 7) << 3 | UInt16(i.rm & 7)
        x87.lastOpcode = UInt16(escape) << 8 | modrm
        x87.lastInstructionPointer = (rip &- UInt64(i.length)) & ripMask
        x87.lastInstructionSelector = segment(.cs).selector
    }

    private func executeX87Memory(_ i: Instruction, escape: Int, reg: Int) throws(Fault) {
        let address = effectiveAddress(i)
        // The control instructions: they leave FOP, FIP and FDP alone; the FN forms do not wait.
        switch (escape, reg) {
        case (1, 4): try x87CheckPending(); return try executeFldenv(i, address)
        case (1, 5): try x87CheckPending(); return try executeFldcw(i, address)
        case (1, 6): return try executeFnstenv(i, address)
        case (1, 7): return try write(i.segment, address, size: 2, UInt64(x87.control))
        case (5, 4): try x87CheckPending(); return try executeFrstor(i, address)
        case (5, 6): return try executeFnsave(i, address)
        case (5, 7): return try write(i.segment, address, size: 2, UInt64(x87.status))
        default: break
        }
        try x87CheckPending()
        x87NoteInstruction(i, escape: escape)
        x87.lastDataPointer = address
        x87.lastDataSelector = segments[Int(i.segment)].selector
        let m = X87Memory(segment: i.segment, offset: address, mask: CPU.mask(i.addressSize))
        switch escape {
        case 0: try x87ArithmeticMemory(reg, try x87ReadReal32(m))
        case 2: try x87ArithmeticMemory(reg, try x87ReadInteger(m, bits: 32))
        case 4: try x87ArithmeticMemory(reg, try x87ReadReal64(m))
        case 6: try x87ArithmeticMemory(reg, try x87ReadInteger(m, bits: 16))
        case 1:
            switch reg {
            case 0: x87Load(try x87ReadReal32(m))
            case 2, 3: try x87StoreReal32(m, pop: reg == 3)
            default: throw .invalidOpcode
            }
        case 3:
            switch reg {
            case 0: x87Load(try x87ReadInteger(m, bits: 32))
            case 1, 2, 3: try x87StoreInteger(m, bits: 32, truncate: reg == 1, pop: reg != 2)
            case 5: x87Load(.value(try x87ReadReal80(m)))
            case 7: try x87StoreReal80(m)
            default: throw .invalidOpcode
            }
        case 5:
            switch reg {
            case 0: x87Load(try x87ReadReal64(m))
            case 1: try x87StoreInteger(m, bits: 64, truncate: true, pop: true)
            case 2, 3: try x87StoreReal64(m, pop: reg == 3)
            default: throw .invalidOpcode
            }
        default:
            switch reg {
            case 0: x87Load(try x87ReadInteger(m, bits: 16))
            case 1, 2, 3: try x87StoreInteger(m, bits: 16, truncate: reg == 1, pop: reg != 2)
            case 4: x87Load(.value(try x87ReadBCD(m)))
            case 5: x87Load(try x87ReadInteger(m, bits: 64))
            case 6: try x87StoreBCD(m)
            default: try x87StoreInteger(m, bits: 64, truncate: false, pop: true)
            }
        }
    }

    private func executeX87Register(_ i: Instruction, escape: Int, reg: Int, rm: Int) throws(Fault) {
        // The non-waiting control forms: FNSTSW AX, FNENI, FNDISI, FNCLEX, FNINIT, FNSETPM.
        if escape == 7 && reg == 4 {
            return setRegister(0, size: 2, UInt64(x87.status))
        }
        if escape == 3 && reg == 4 {
            switch rm {
            case 2: x87.status &= ~(X87Status.exceptionFlags | X87Status.stackFault
                                    | X87Status.errorSummary | X87Status.busy)
            case 3: x87Initialize()
            default: break   // FNENI, FNDISI (8087 only), FNSETPM (287 only): no-ops (SDM vol. 2, FNOP note, table A-9)
            }
            return
        }
        try x87CheckPending()
        x87NoteInstruction(i, escape: escape)
        switch escape {
        case 0:
            switch reg {
            case 2, 3: x87Compare(st0With: rm, kind: .ordered, pops: reg == 3 ? 1 : 0)
            default: x87Arithmetic(X87Operation(reg), destination: 0, source: rm, pop: false)
            }
        case 1: try executeX87D9(reg: reg, rm: rm)
        case 2:
            if reg == 5 { return x87Compare(st0With: 1, kind: .unordered, pops: 2) }   // FUCOMPP
            x87ConditionalMove(rm, flags.condition(x87MoveCondition(reg)))
        case 3:
            switch reg {
            case 5: x87CompareEFLAGS(rm, kind: .unordered, pop: false)
            case 6: x87CompareEFLAGS(rm, kind: .ordered, pop: false)
            default: x87ConditionalMove(rm, !flags.condition(x87MoveCondition(reg)))
            }
        case 4, 6:
            let pop = escape == 6
            switch reg {
            case 2: x87Compare(st0With: rm, kind: .ordered, pops: pop ? 1 : 0)   // FCOM2, FCOMP5 aliases
            case 3: x87Compare(st0With: rm, kind: .ordered, pops: pop ? 2 : 1)   // FCOMP3, FCOMPP
            default: x87Arithmetic(X87Operation(reversing: reg), destination: rm, source: 0, pop: pop)
            }
        case 5:
            switch reg {
            case 0: x87Free(rm, pop: false)
            case 1: x87Exchange(rm)
            case 2, 3: x87StoreRegister(rm, pop: reg == 3)
            case 4, 5: x87Compare(st0With: rm, kind: .unordered, pops: reg == 5 ? 1 : 0)
            default: throw .invalidOpcode
            }
        default:
            switch reg {
            case 0: x87Free(rm, pop: true)
            case 1: x87Exchange(rm)
            case 2, 3: x87StoreRegister(rm, pop: true)
            case 5: x87CompareEFLAGS(rm, kind: .unordered, pop: true)
            case 6: x87CompareEFLAGS(rm, kind: .ordered, pop: true)
            default: throw .invalidOpcode
            }
        }
    }

    /// D9 C0-FF: loads, exchanges, constants, sign operations, FXAM, the transcendentals and the
    /// stack-pointer instructions.
    private func executeX87D9(reg: Int, rm: Int) throws(Fault) {
        switch reg {
        case 0: x87LoadRegister(rm)
        case 1: x87Exchange(rm)
        case 2: break                                   // FNOP
        case 3: x87StoreRegister(rm, pop: true)         // FSTP1 alias
        case 4:
            switch rm {
            case 0: x87ChangeSign { $0.x87WithSign(!$0.x87Negative) }
            case 1: x87ChangeSign { $0.x87WithSign(false) }
            case 4: x87Test()
            case 5: x87Examine()
            default: throw .invalidOpcode
            }
        case 5:
            guard rm < 7 else { throw .invalidOpcode }
            x87LoadConstant(rm)
        case 6:
            switch rm {
            case 0: x87TwoToXMinusOne()
            case 1: x87LogarithmBinary(plusOne: false)
            case 2: x87PartialTangent()
            case 3: x87PartialArctangent()
            case 4: x87Extract()
            case 5: x87PartialRemainder(nearest: true)
            case 6: x87SetTop(x87.top &- 1); x87ClearC1()   // FDECSTP
            default: x87SetTop(x87.top &+ 1); x87ClearC1()  // FINCSTP
            }
        default:
            switch rm {
            case 0: x87PartialRemainder(nearest: false)
            case 1: x87LogarithmBinary(plusOne: true)
            case 2: x87SquareRoot()
            case 3: x87SineCosine()
            case 4: x87RoundToIntegral()
            case 5: x87Scale()
            case 6: x87Trigonometric(.sine)
            default: x87Trigonometric(.cosine)
            }
        }
    }

    /// The EFLAGS condition of FCMOVcc (DA/DB reg 0-3: B, E, BE, U), as a Jcc condition number.
    private func x87MoveCondition(_ reg: Int) -> UInt8 {
        switch reg {
        case 0: return 0x2   // CF = 1
        case 1: return 0x4   // ZF = 1
        case 2: return 0x6   // CF = 1 or ZF = 1
        default: return 0xA  // PF = 1
        }
    }
}
