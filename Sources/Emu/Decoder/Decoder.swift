/// Decodes one x86 instruction from bytes (SDM vol. 2, chapter 2 and appendix A).
///
/// The result is an `Instruction` with every operand location resolved, so the interpreter never
/// looks at instruction bytes again. Undefined encodings throw `.invalidOpcode` (#UD), overlong
/// ones `.tooLong` (#GP(0)).
public enum Decoder {
    public static func decode(_ bytes: UnsafeRawPointer, count: Int, mode: CodeMode,
                              vendor: Vendor) throws(DecodeError) -> Instruction {
        var r = ByteReader(base: bytes, count: min(count, 15))
        var insn = Instruction()
        let long = mode == .long64
        var prefixes: Prefixes = []
        var segment: UInt8? = nil
        var lastRep: UInt8 = 0
        var rex: UInt8 = 0

        // Legacy prefixes, then REX (64-bit mode; a REX not directly before the opcode is ignored).
        var b = try r.next()
        while true {
            switch b {
            case 0x26: segment = SegmentRegister.es.rawValue
            case 0x2E: segment = SegmentRegister.cs.rawValue
            case 0x36: segment = SegmentRegister.ss.rawValue
            case 0x3E: segment = SegmentRegister.ds.rawValue
            case 0x64: segment = SegmentRegister.fs.rawValue
            case 0x65: segment = SegmentRegister.gs.rawValue
            case 0x66: prefixes.insert(.operandSize)
            case 0x67: prefixes.insert(.addressSize)
            case 0xF0: prefixes.insert(.lock)
            case 0xF2, 0xF3: lastRep = b
            case 0x40...0x4F where long:
                rex = b
                b = try r.next()
                if (0x40...0x4F).contains(b) { continue }
                if isLegacyPrefix(b) { rex = 0; continue }
                break
            default: break
            }
            if rex != 0 || !isLegacyPrefix(b) { break }
            b = try r.next()
        }
        if lastRep == 0xF3 { prefixes.insert(.rep) } else if lastRep == 0xF2 { prefixes.insert(.repne) }
        if rex != 0 { prefixes.insert(.rex); if rex & 8 != 0 { prefixes.insert(.rexW) } }

        // Opcode map selection, including the VEX/EVEX/XOP escapes.
        var map = 0
        let column = lastRep == 0xF3 ? 2 : lastRep == 0xF2 ? 3 : prefixes.contains(.operandSize) ? 1 : 0
        let rexR = rex & 4 != 0 ? 8 : 0, rexX = rex & 2 != 0 ? 8 : 0, rexB = rex & 1 != 0 ? 8 : 0
        let rexW = rex & 8 != 0
        let following: UInt8 = b == 0xC4 || b == 0xC5 || b == 0x62 || b == 0x8F ? try r.peek() : 0
        if b == 0x0F {
            b = try r.next()
            if b == 0x38 { map = 2; b = try r.next() }
            else if b == 0x3A { map = 3; b = try r.next() }
            else { map = 1 }
        } else if ((b == 0xC4 || b == 0xC5 || b == 0x62) && mode != .real && (long || following >= 0xC0))
                    || (b == 0x8F && following & 0x1F >= 8) {
            // VEX (C4/C5), EVEX (62) and AMD XOP (8F with map >= 8). Outside 64-bit mode C4/C5/62
            // are LES/LDS/BOUND unless ModRM.mod would be 11b (SDM vol. 2, 2.3.5 and 2.6).
            // A REX, 66, F2, F3 or LOCK prefix before them is #UD (after the length is known).
            let badPrefix = rex != 0 || lastRep != 0 || prefixes.contains(.operandSize) || prefixes.contains(.lock)
            return try decodeVector(&r, &insn, escape: b, mode: mode, prefixes: prefixes, segment: segment,
                                    badPrefix: badPrefix)
        }
        insn.opcode = UInt16(map) << 8 | UInt16(b)

        var entry = OpcodeTables.shared.entry(longMode: long, map: map, column: column, opcode: b)
        if !entry.defined {
            // An unassigned map-0F38/0F3A or VEX row, or a mode-restricted one-byte opcode.
            throw .invalidOpcode
        }

        // ModRM, SIB and displacement.
        var mod: UInt8 = 3, regField: UInt8 = 0, rmField: UInt8 = 0
        let addressSize: UInt8 = long ? (prefixes.contains(.addressSize) ? 4 : 8)
                                      : (mode.defaultSize == 2) != prefixes.contains(.addressSize) ? 2 : 4
        insn.addressSize = addressSize
        // AMD's UD0 has no ModRM byte (APM vol. 3, UD0).
        if vendor == .amd && map == 1 && b == 0xFF { entry.attributes.remove(.modrm) }
        if entry.attributes.contains(.modrm) {
            let modrm = try r.next()
            mod = modrm >> 6
            regField = (modrm >> 3) & 7
            rmField = modrm & 7
            if entry.group != 0 {
                entry = OpcodeTables.shared.groupEntry(entry.group, column: column, reg: Int(regField),
                                                       mod: mod, rm: Int(rmField))
                if !entry.defined { throw .invalidOpcode }
            }
            if entry.attributes.contains(.modIgnored) { mod = 3 }
            if mod != 3 {
                try decodeAddress(&r, &insn, mod: mod, rm: rmField, addressSize: addressSize,
                                  rexX: UInt8(rexX), rexB: UInt8(rexB), long: long)
            }
        }
        // Encoding rules are checked after the whole instruction is read: an overlong invalid
        // instruction raises #GP before #UD (SDM vol. 3, 6.15, exception priority).
        let attrs = entry.attributes
        var invalid = attrs.contains(.alwaysInvalid) || (attrs.contains(.no66) && prefixes.contains(.operandSize))
            || (attrs.contains(.address32) && addressSize != 4)
        if attrs.contains(.invalid64) && long { invalid = true }
        if attrs.contains(.only64) && !long { invalid = true }
        if attrs.contains(.memoryOnly) && mod == 3 { invalid = true }
        if attrs.contains(.registerOnly) && mod != 3 { invalid = true }
        // AMD encodes MOV CR8 as LOCK MOV CR0 (APM vol. 3, MOV CRn).
        let lockCR8 = vendor == .amd && map == 1 && (b == 0x20 || b == 0x22) && regField == 0
        if prefixes.contains(.lock) && (!attrs.contains(.lockable) || mod == 3) && !lockCR8 { invalid = true }
        if map == 1 && (b == 0x20 || b == 0x22) {
            // Only CR0, CR2, CR3, CR4 and CR8 exist (SDM vol. 2, MOV-Move to/from Control Registers).
            let cr = regField + UInt8(rexR) + (lockCR8 && prefixes.contains(.lock) ? 8 : 0)
            if ![0, 2, 3, 4, 8].contains(cr) { invalid = true }
        }
        if map == 1 && (b == 0x21 || b == 0x23) && rexR != 0 { invalid = true }   // DR8-DR15 do not exist

        // Operand size (SDM vol. 1, 3.6; vol. 2, 2.2.1.3 for 64-bit defaults).
        var size: UInt8
        if attrs.contains(.byteOperands) {
            size = 1
        } else if attrs.contains(.sizeNative) {
            size = long ? 8 : 4
        } else if long && attrs.contains(.force64) && !(vendor == .amd && prefixes.contains(.operandSize)) {
            size = 8
        } else if attrs.contains(.sizeY) {
            size = long && rexW ? 8 : 4
        } else if rexW {
            size = 8
        } else if long && (attrs.contains(.default64) || attrs.contains(.force64)) {
            size = prefixes.contains(.operandSize) ? 2 : 8
        } else {
            size = (mode.defaultSize == 2) != prefixes.contains(.operandSize) ? 2 : 4
        }
        if attrs.contains(.size16) { size = 2 }

        // Immediates.
        if attrs.contains(.imm8) { insn.immediate = try r.signed(1) }
        else if attrs.contains(.imm16) { insn.immediate = try r.unsigned(2) }
        else if attrs.contains(.immZ) { insn.immediate = try r.signed(size == 2 ? 2 : 4) }
        else if attrs.contains(.immV) { insn.immediate = try r.unsigned(Int(size)) }
        else if attrs.contains(.immOffset) {
            insn.displacement = Int64(bitPattern: try r.unsigned(Int(addressSize)))
            mod = 0
        } else if attrs.contains(.immFar) {
            insn.immediate = try r.unsigned(size == 2 ? 2 : 4)
            insn.immediate2 = UInt16(try r.unsigned(2))
        } else if attrs.contains(.immEnter) {
            insn.immediate = try r.unsigned(2)
            insn.immediate2 = UInt16(try r.next())
        }

        // 3DNow!: the imm8 suffix is the opcode (APM vol. 3, 3DNow! opcode map).
        if entry.op == .threeDNow && !isThreeDNowSuffix(UInt8(truncatingIfNeeded: insn.immediate)) { invalid = true }
        if invalid { throw .invalidOpcode }

        // Registers, normalised (byte registers without REX: 4-7 are AH, CH, DH, BH = 16-19).
        var reg = regField | UInt8(rexR)
        var rm = rmField | UInt8(rexB)
        if attrs.contains(.registerInOpcode) { rm = (b & 7) | UInt8(rexB); mod = 3 }
        if attrs.contains(.accumulatorRM) { rm = 0; mod = 3 }
        if attrs.contains(.accumulatorReg) { reg = 0 }
        if rex == 0 {
            if attrs.contains(.byteReg) && (4...7).contains(reg) { reg += 12 }
            if attrs.contains(.byteRM) && mod == 3 && (4...7).contains(rm) { rm += 12 }
        }

        insn.op = entry.op
        insn.form = entry.form
        insn.sub = entry.sub
        insn.size = size
        insn.mod = mod
        insn.reg = reg
        insn.rm = rm
        insn.length = UInt8(r.position)
        if let s = segment { insn.segment = s; prefixes.insert(.segmentOverride) }
        insn.prefixes = prefixes

        // Encodings whose operation depends on more than the tables say.
        switch insn.op {
        case .xchg where map == 0 && b == 0x90 && rexB == 0:
            insn.op = lastRep == 0xF3 ? .pause : .nop
            insn.form = .none
        case .cmpxchg8b where rexW:
            insn.op = .cmpxchg16b
        case .movToCR, .movFromCR:
            // AMD's alternate encoding of CR8: LOCK MOV CR0 (APM vol. 3, MOV CRn).
            if vendor == .amd && prefixes.contains(.lock) { insn.reg |= 8 }
        default: break
        }
        (insn.handler, insn.dst, insn.src) = Handler.select(insn)
        return insn
    }

    /// The defined 3DNow! and extended 3DNow! suffix opcodes (APM vol. 3, table A-13).
    static func isThreeDNowSuffix(_ s: UInt8) -> Bool {
        switch s {
        case 0x0C, 0x0D, 0x1C, 0x1D, 0x8A, 0x8E, 0x90, 0x94, 0x96, 0x97, 0x9A, 0x9E,
             0xA0, 0xA4, 0xA6, 0xA7, 0xAA, 0xAE, 0xB0, 0xB4, 0xB6, 0xB7, 0xBB, 0xBF:
            return true
        default:
            return false
        }
    }

    static func isLegacyPrefix(_ b: UInt8) -> Bool {
        switch b {
        case 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3: return true
        default: return false
        }
    }

    /// The memory operand of a ModRM byte with mod != 3 (SDM vol. 2, tables 2-1 to 2-3).
    static func decodeAddress(_ r: inout ByteReader, _ insn: inout Instruction, mod: UInt8, rm: UInt8,
                              addressSize: UInt8, rexX: UInt8, rexB: UInt8, long: Bool) throws(DecodeError) {
        let none = Instruction.noRegister
        var segment = SegmentRegister.ds.rawValue
        if addressSize == 2 {
            let bases: [UInt8] = [3, 3, 5, 5, 6, 7, 5, 3]       // BX, BX, BP, BP, SI, DI, BP, BX
            let indexes: [UInt8] = [6, 7, 6, 7, none, none, none, none]
            insn.base = bases[Int(rm)]
            insn.index = indexes[Int(rm)]
            if mod == 0 && rm == 6 {
                insn.base = none
                insn.displacement = Int64(try r.unsigned(2))
            } else {
                if rm == 2 || rm == 3 || rm == 6 { segment = SegmentRegister.ss.rawValue }
                if mod == 1 { insn.displacement = Int64(bitPattern: try r.signed(1)) }
                if mod == 2 { insn.displacement = Int64(try r.unsigned(2)) }
            }
            insn.segment = segment
            return
        }
        var base: UInt8
        if rm == 4 {
            let sib = try r.next()
            insn.scale = sib >> 6
            let index = ((sib >> 3) & 7) | rexX
            insn.index = index == 4 ? none : index
            base = sib & 7
            if base == 5 && mod == 0 {
                insn.base = none
                insn.displacement = Int64(bitPattern: try r.signed(4))
                insn.segment = segment
                return
            }
            base |= rexB
        } else if rm == 5 && mod == 0 {
            insn.base = long ? Instruction.ripRegister : none
            insn.displacement = Int64(bitPattern: try r.signed(4))
            insn.segment = segment
            return
        } else {
            base = rm | rexB
        }
        insn.base = base
        if base == 4 || base == 5 { segment = SegmentRegister.ss.rawValue }
        if mod == 1 { insn.displacement = Int64(bitPattern: try r.signed(1)) }
        if mod == 2 { insn.displacement = Int64(bitPattern: try r.signed(4)) }
        insn.segment = segment
    }
}
