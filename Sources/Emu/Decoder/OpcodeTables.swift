/// The opcode maps as dense lookup tables, built once from the declarative maps in
/// `OpcodeMap*.swift` (SDM vol. 2, appendix A; APM vol. 3, appendix A).
///
/// Layout: `entries[((mode * 8 + map) * 4 + column) * 256 + opcode]` where mode is 0 outside
/// 64-bit mode and 1 inside it, map is 0 (one-byte), 1 (0F), 2 (0F38), 3 (0F3A), 4-6 the VEX maps
/// 1-3, and column the mandatory prefix (0 none, 1 = 66, 2 = F3, 3 = F2). Groups (opcodes whose
/// ModRM.reg extends the opcode) live in `groups`, 288 slots each:
/// `column * 72 + reg * 9 + (memory ? 8 : rm)`.
final class OpcodeTables: Sendable {
    let entries: [OpcodeEntry]
    let groups: [OpcodeEntry]

    static let shared = OpcodeTables()

    static let maps = 7
    static let groupSlots = 288

    @inline(__always)
    func entry(longMode: Bool, map: Int, column: Int, opcode: UInt8) -> OpcodeEntry {
        entries[(((longMode ? 8 : 0) + map) * 4 + column) * 256 + Int(opcode)]
    }

    @inline(__always)
    func groupEntry(_ group: UInt16, column: Int, reg: Int, mod: UInt8, rm: Int) -> OpcodeEntry {
        groups[(Int(group) - 1) * OpcodeTables.groupSlots + column * 72 + reg * 9 + (mod == 3 ? rm : 8)]
    }

    private init() {
        var builder = OpcodeTableBuilder()
        for line in OpcodeMapOneByte.lines { builder.add(line, map: 0) }
        for line in OpcodeMapX87.lines { builder.add(line, map: 0) }
        for line in OpcodeMap0F.lines { builder.add(line, map: 1) }
        for line in OpcodeMapExtensions.lines { builder.add(line, map: 1) }
        for line in OpcodeMapSSE.lines { builder.add(line, map: nil) }
        for line in OpcodeMapVEX.lines { builder.add(line, map: nil) }
        entries = builder.entries
        groups = builder.groups
    }
}

/// Parses the lines of the declarative opcode maps:
/// `[np.|66.|f3.|f2.][vex.]OPCODE[-LAST][/REG[.m|.r|.rN]] op [OPERANDS] [flags]`
/// where OPCODE is hex with its escape bytes (`0f`, `0f38`, `0f3a`), OPERANDS use the SDM's
/// operand notation (Eb, Gv, Iz, Jb...) and flags are lock, i64, o64, d64, f64, cc, reg, L0, m, r, ud (always #UD
/// after the length is known), no66, a32, sub=N.
/// A later line overrides an earlier one for the same slot.
struct OpcodeTableBuilder {
    var entries = [OpcodeEntry](repeating: OpcodeEntry(), count: 2 * 8 * 4 * 256)
    var groups: [OpcodeEntry] = []
    private var groupIDs: [Int: UInt16] = [:]

    mutating func add(_ line: String, map fixedMap: Int?) {
        let parts = line.split(separator: " ").map(String.init)
        guard parts.count >= 2 else { preconditionFailure("opcode map line: \(line)") }
        var key = parts[0]
        var columns = [0, 1, 2, 3]
        var vex = false
        var mandatory = false
        for (prefix, column) in [("np.", 0), ("66.", 1), ("f3.", 2), ("f2.", 3)] where key.hasPrefix(prefix) {
            columns = [column]
            mandatory = true
            key.removeFirst(3)
        }
        if key.hasPrefix("vex.") { vex = true; key.removeFirst(4) }
        // Group selector.
        var groupSpec: (reg: Int, kind: Character, rm: Int)? = nil
        if let slash = key.firstIndex(of: "/") {
            let spec = key[key.index(after: slash)...]
            key = String(key[..<slash])
            let reg = Int(String(spec.prefix(1)))!
            var kind: Character = "a"
            var rm = -1
            if spec.count >= 3 {
                kind = spec[spec.index(spec.startIndex, offsetBy: 2)]
                if spec.count >= 4 { rm = Int(String(spec.suffix(1)))! }
            }
            groupSpec = (reg, kind, rm)
        }
        var map = fixedMap ?? 0
        if key.hasPrefix("0f38") { map = 2; key.removeFirst(4) }
        else if key.hasPrefix("0f3a") { map = 3; key.removeFirst(4) }
        else if key.hasPrefix("0f") && fixedMap != 0 && key.count > 2 { map = 1; key.removeFirst(2) }
        if vex { map += 3 }
        let range = key.split(separator: "-").map { Int($0, radix: 16)! }
        let first = range[0], last = range.count > 1 ? range[1] : range[0]

        var entry = OpcodeEntry()
        entry.defined = true
        entry.op = Op.named(parts[1]) ?? { preconditionFailure("unknown op \(parts[1])") }()
        var operands: [String] = []
        var flags = parts.dropFirst(2)
        if let o = flags.first, !OpcodeTableBuilder.flagWords.contains(o), !o.hasPrefix("sub=") {
            operands = o.split(separator: ",").map(String.init)
            flags = flags.dropFirst()
        }
        OpcodeTableBuilder.applyOperands(operands, to: &entry)
        if mandatory { entry.attributes.insert(.mandatoryPrefix) }
        var ccRows = false
        var modes = [0, 1]
        for flag in flags {
            switch flag {
            case "lock": entry.attributes.insert(.lockable)
            case "i64": entry.attributes.insert(.invalid64); modes = [0]
            case "o64": entry.attributes.insert(.only64); modes = [1]
            case "d64": entry.attributes.insert(.default64)
            case "f64": entry.attributes.insert(.force64)
            case "cc": ccRows = true
            case "L0": entry.attributes.insert(.vexL0)
            case "m": entry.attributes.insert(.memoryOnly)
            case "r": entry.attributes.insert(.registerOnly)
            case "ud": entry.attributes.insert(.alwaysInvalid)
            case "no66": entry.attributes.insert(.no66)
            case "a32": entry.attributes.insert(.address32)
            default:
                guard flag.hasPrefix("sub=") else { preconditionFailure("flag \(flag) in \(line)") }
                entry.sub = UInt8(flag.dropFirst(4))!
            }
        }
        for opcode in first...last {
            var e = entry
            if ccRows { e.sub = UInt8(opcode & 0xF) }
            if let g = groupSpec {
                let id = groupID(map: map, opcode: opcode)
                var top = OpcodeEntry()
                top.defined = true
                top.group = id
                top.attributes = [.modrm]
                // Group slots serve both modes; a group entry keeps its i64/o64 attribute,
                // which the decoder checks.
                for mode in [0, 1] {
                    for column in columns {
                        let index = ((mode * 8 + map) * 4 + column) * 256 + opcode
                        if entries[index].group != id { entries[index] = top }
                    }
                }
                for column in columns {
                    let base = (Int(id) - 1) * OpcodeTables.groupSlots + column * 72 + g.reg * 9
                    var slots: [Int] = []
                    switch g.kind {
                    case "m": slots = [8]
                    case "r": slots = g.rm >= 0 ? [g.rm] : Array(0...7)
                    default: slots = Array(0...8)
                    }
                    for s in slots { groups[base + s] = e }
                }
            } else {
                for mode in modes {
                    for column in columns {
                        entries[((mode * 8 + map) * 4 + column) * 256 + opcode] = e
                    }
                }
            }
        }
    }

    private mutating func groupID(map: Int, opcode: Int) -> UInt16 {
        let key = map * 256 + opcode
        if let id = groupIDs[key] { return id }
        let id = UInt16(groupIDs.count + 1)
        groupIDs[key] = id
        groups.append(contentsOf: repeatElement(OpcodeEntry(), count: OpcodeTables.groupSlots))
        return id
    }

    static let flagWords = ["lock", "i64", "o64", "d64", "f64", "cc", "L0", "m", "r", "ud", "no66", "a32"]

    /// Derives ModRM presence, immediates, operand-size rules and the operand form from the
    /// SDM operand notation.
    static func applyOperands(_ operands: [String], to e: inout OpcodeEntry) {
        var kinds = ""
        var sizeDecided = false
        for o in operands {
            let k = o.first!
            let sizeCode = o.dropFirst()
            let fixedRegister = ["DX", "AL", "rAX", "eAX", "CL", "1"].contains(o)
            switch fixedRegister ? "-" : k {
            case "E", "G", "M", "R", "S", "C", "D", "V", "W", "P", "Q", "U", "N", "H":
                if k != "H" { e.attributes.insert(.modrm) }
            default: break
            }
            if k == "M" && !fixedRegister { e.attributes.insert(.memoryOnly) }
            if sizeCode == "b" && (k == "E" || k == "Z") { e.attributes.insert(.byteRM) }
            if sizeCode == "b" && k == "G" { e.attributes.insert(.byteReg) }
            if (k == "R" || k == "U" || k == "N") && !fixedRegister { e.attributes.insert(.registerOnly) }
            if (k == "C" || k == "D") && !fixedRegister { e.attributes.formUnion([.modIgnored, .sizeNative]) }
            if "EGMRZXYO".contains(k) || o == "AL" || o == "rAX" || o == "eAX" {
                if !sizeDecided {
                    if sizeCode == "b" || o == "AL" { e.attributes.insert(.byteOperands) }
                    if sizeCode == "y" { e.attributes.insert(.sizeY) }
                    if sizeCode == "w" && (k == "E" || k == "M" || k == "R") { e.attributes.insert(.size16) }
                    sizeDecided = true
                }
            }
            switch o {
            case "Ib": e.attributes.insert(.imm8); kinds += "I"
            case "Iw": e.attributes.insert(.imm16); kinds += "I"
            case "Iz", "Jz": e.attributes.insert(.immZ); kinds += k == "J" ? "J" : "I"
            case "Iv": e.attributes.insert(.immV); kinds += "I"
            case "Jb": e.attributes.insert(.imm8); kinds += "J"
            case "Ob", "Ov": e.attributes.insert(.immOffset); kinds += "O"
            case "Ap": e.attributes.insert(.immFar); kinds += "F"
            case "1": kinds += "1"
            case "CL": kinds += "L"
            case "DX": break
            case "AL", "rAX", "eAX": kinds += "A"
            default:
                switch k {
                case "E", "M", "R", "W", "Q", "U", "N": kinds += "E"
                case "G", "S", "C", "D", "V", "P": kinds += "G"
                case "Z": kinds += "Z"; e.attributes.insert(.registerInOpcode)
                case "B", "H": kinds += "B"
                case "X", "Y": break
                default: preconditionFailure("operand \(o)")
                }
            }
        }
        if e.attributes.contains(.immEnter) { return }
        if operands == ["Iw", "Ib"] {
            e.attributes.remove(.imm16); e.attributes.remove(.imm8); e.attributes.insert(.immEnter)
            e.form = .imm
            return
        }
        switch kinds {
        case "": e.form = .none
        case "E", "Z": e.form = .rm
        case "EG": e.form = .rmReg
        case "GE": e.form = .regRm
        case "EI", "ZI": e.form = .rmImm
        case "AI", "IA": e.form = .rmImm; e.attributes.insert(.accumulatorRM)
        case "AO": e.form = .regRm; e.attributes.insert(.accumulatorReg)
        case "OA": e.form = .rmReg; e.attributes.insert(.accumulatorReg)
        case "AZ", "ZA": e.form = .rmReg; e.attributes.insert(.accumulatorReg)
        case "A": e.form = .none
        case "GEI": e.form = .regRmImm
        case "EGI": e.form = .rmRegImm
        case "EGL": e.form = .rmRegCL
        case "E1": e.form = .rmOne
        case "EL": e.form = .rmCL
        case "I": e.form = .imm
        case "J": e.form = .rel
        case "F": e.form = .farPointer
        case "GBE": e.form = .regVvvvRm
        case "GEB": e.form = .regRmVvvv
        case "BE": e.form = .vvvvRm
        case "GBEI", "GEBI", "BEI": e.form = .regRmImm
        case "EE", "GG", "EGG", "GEE", "EEI", "GGI": e.form = .regRm
        default: preconditionFailure("operand pattern \(kinds) for \(operands)")
        }
    }
}
