/// Decoding of the VEX (C4/C5), EVEX (62) and XOP (8F) encodings (SDM vol. 2, 2.3-2.7;
/// APM vol. 3, 1.8). The payload selects the map, the mandatory prefix (pp), W and the vector
/// length; `VectorTables` says whether the opcode exists and which field rules it follows.
///
/// An undefined opcode is #UD as soon as it is read. A defined opcode whose fields break a rule
/// is read to its end first, so that an overlong one raises #GP before #UD.
extension Decoder {
    static func decodeVector(_ r: inout ByteReader, _ insn: inout Instruction, escape: UInt8, mode: CodeMode,
                             prefixes: Prefixes, segment: UInt8?, badPrefix: Bool) throws(DecodeError) -> Instruction {
        let long = mode == .long64
        var bad = badPrefix
        let p0 = try r.next()
        var space = 0, map = 1, pp = 0
        var w = false
        var l: UInt8 = 0
        var rexR: UInt8 = p0 & 0x80 == 0 ? 8 : 0, rexX: UInt8 = 0, rexB: UInt8 = 0
        var vvvv: UInt8 = (~p0 >> 3) & 0xF
        var highR: UInt8 = 0, highV: UInt8 = 0
        var z = false, bBit = false
        var aaa: UInt8 = 0
        switch escape {
        case 0xC5:
            l = (p0 >> 2) & 1
            pp = Int(p0 & 3)
        case 0x62:
            // EVEX: P0 = R X B R' 0 m m m, P1 = W vvvv 1 pp, P2 = z L'L b V' aaa.
            let p1 = try r.next()
            let p2 = try r.next()
            if p1 & 4 == 0 || p0 & 0x08 != 0 { _ = try r.next(); throw .invalidOpcode }
            space = 1
            map = Int(p0 & 7)
            rexX = p0 & 0x40 == 0 ? 8 : 0
            rexB = p0 & 0x20 == 0 ? 8 : 0
            highR = p0 & 0x10 == 0 ? 16 : 0
            w = p1 & 0x80 != 0
            vvvv = (~p1 >> 3) & 0xF
            pp = Int(p1 & 3)
            z = p2 & 0x80 != 0
            l = (p2 >> 5) & 3
            bBit = p2 & 0x10 != 0
            highV = p2 & 0x08 == 0 ? 16 : 0
            aaa = p2 & 7
        default:
            // C4 (VEX) and 8F (XOP): R X B m-mmmm, then W vvvv L pp.
            let p1 = try r.next()
            rexX = p0 & 0x40 == 0 ? 8 : 0
            rexB = p0 & 0x20 == 0 ? 8 : 0
            map = Int(p0 & 0x1F)
            w = p1 & 0x80 != 0
            vvvv = (~p1 >> 3) & 0xF
            l = (p1 >> 2) & 1
            pp = Int(p1 & 3)
            if escape == 0x8F { space = 2; map -= 8 }
            // An undefined map is #UD once the opcode byte is read.
            guard (0...7).contains(map) else { _ = try r.next(); throw .invalidOpcode }
        }
        if !long { rexR = 0; rexX = 0; rexB = 0; highR = 0 }
        let op = try r.next()
        insn.opcode = UInt16(0x10 * (space + 1) + (space == 2 ? map + 8 : map)) << 8 | UInt16(op)
        var rule = VectorTables.shared.rule(space: space, map: map, pp: pp, opcode: op, w: w)
        if !rule.contains(.defined) { throw .invalidOpcode }

        let addressSize: UInt8 = long ? (prefixes.contains(.addressSize) ? 4 : 8)
                                      : (mode.defaultSize == 2) != prefixes.contains(.addressSize) ? 2 : 4
        insn.addressSize = addressSize
        var mod: UInt8 = 3, regField: UInt8 = 0, rmField: UInt8 = 0, sib: UInt8 = 0
        if !rule.contains(.noModRM) {
            let modrm = try r.next()
            mod = modrm >> 6
            regField = (modrm >> 3) & 7
            rmField = modrm & 7
            if rule.contains(.group) {
                rule = VectorTables.shared.groupRule(rule.groupID, register: mod == 3, reg: regField)
                if !rule.contains(.defined) { throw .invalidOpcode }
            }
            if mod != 3 {
                if rmField == 4 && addressSize != 2 { sib = try r.peek() }
                try decodeAddress(&r, &insn, mod: mod, rm: rmField, addressSize: addressSize,
                                  rexX: rexX, rexB: rexB, long: long)
            }
        }
        var immediate: UInt64 = 0
        if rule.contains(.imm8) { immediate = space == 0 ? try r.signed(1) : try r.unsigned(1) }
        if rule.contains(.imm32) { immediate = try r.unsigned(4) }

        // Field rules, checked now that the length is known.
        let register = mod == 3
        if rule.contains(.memoryOnly) && register { bad = true }
        if rule.contains(.registerOnly) && !register { bad = true }
        if rule.contains(.rmZero) && rmField != 0 { bad = true }
        if rule.contains(.only64) && !long { bad = true }
        if rule.contains(.noVvvvMemory) && !register && (vvvv != 0 || highV != 0) { bad = true }
        if rule.contains(.maskRegister) && (rexR != 0 || highR != 0 || (space == 0 && long && vvvv > 7)) {
            bad = true
        }
        if rule.contains(.gprRegister) && highR != 0 { bad = true }
        if rule.contains(.noVvvv) && (vvvv != 0 || (highV != 0 && !rule.contains(.vsib))) { bad = true }
        if rule.contains(.vsib) && (register || rmField != 4 || addressSize == 2) { bad = true }
        if space == 1 {
            let embedded = bBit && register && !rule.isDisjoint(with: [.rounding, .sae])
            if bBit && !register && !rule.contains(.broadcast) { bad = true }
            if bBit && register && !embedded { bad = true }
            if !embedded && !lengthAllowed(rule, l) { bad = true }
            if z && (rule.contains(.noMask) || rule.contains(.maskDestination) || (rule.contains(.store) && !register)) {
                bad = true
            }
            if aaa != 0 && rule.contains(.noMask) { bad = true }
            if z && aaa == 0 { bad = true }
            if rule.contains(.maskDestination) && (rexR != 0 || highR != 0) { bad = true }
            if aaa == 0 && rule.contains(.maskRequired) { bad = true }
            if !long && highV != 0 { bad = true }
        } else if !lengthAllowed(rule, l) {
            bad = true
        }
        let reg = regField | rexR | highR
        let index = ((sib >> 3) & 7) | rexX | (space == 1 ? highV : 0)
        let vvvvRegister = long ? vvvv : vvvv & 7
        if rule.contains(.gather) {
            if reg == index { bad = true }
            if space == 0 && (reg == vvvvRegister || index == vvvvRegister) { bad = true }
        }
        if rule.contains(.distinctTiles) {
            let rm = rmField | rexB
            if reg == rm || reg == vvvv || rm == vvvv || reg > 7 || rm > 7 || vvvv > 7 { bad = true }
        }
        if rule.contains(.distinctDestination) {
            if reg == (vvvvRegister | highV) || (register && reg == (rmField | rexB | (rexX << 1))) { bad = true }
        }
        if bad { throw .invalidOpcode }

        // The instruction, with the operation the main tables give VEX rows that execute here.
        insn.op = space == 0 ? .vex : space == 1 ? .evex : .xop
        insn.form = .regVvvvRm
        if space == 0 && (1...3).contains(map) {
            var entry = OpcodeTables.shared.entry(longMode: long, map: 3 + map, column: pp, opcode: op)
            if entry.group != 0 {
                entry = OpcodeTables.shared.groupEntry(entry.group, column: pp, reg: Int(regField), mod: mod,
                                                       rm: Int(rmField))
            }
            if entry.defined {
                insn.op = entry.op
                insn.form = entry.form
                insn.sub = entry.sub
            }
        }
        insn.immediate = immediate
        insn.mod = mod
        insn.reg = reg
        insn.rm = rmField | rexB | (space == 1 && register ? rexX << 1 : 0)
        insn.vvvv = long ? vvvv | highV : vvvv & 7
        insn.size = long && w ? 8 : 4
        insn.length = UInt8(r.position)
        var p = prefixes
        if let s = segment { insn.segment = s; p.insert(.segmentOverride) }
        insn.prefixes = p
        return insn
    }

    @inline(__always)
    static func lengthAllowed(_ rule: VectorRule, _ l: UInt8) -> Bool {
        if l == 3 { return false }
        if rule.contains(.lengthIgnored) { return true }
        return rule.contains(VectorRule(rawValue: VectorRule.length128.rawValue << UInt64(l)))
    }
}
