/// Encoding rules of the VEX, EVEX and XOP opcode spaces, built once from the declarative maps in
/// `OpcodeMapVEXRules.swift`, `OpcodeMapEVEX.swift` and `OpcodeMapXOP.swift`
/// (SDM vol. 2, 2.3-2.7 and the instruction pages; APM vol. 4 / vol. 3 for XOP, TBM and LWP).
///
/// They say which opcode, mandatory-prefix (pp) and W combinations exist, and the field rules an
/// encoding must follow: VEX.L / EVEX.L'L, vvvv = 1111b where there is no vvvv operand,
/// memory-only or register-only r/m, EVEX.b (broadcast, rounding, SAE), EVEX.z and EVEX.aaa.
/// Layout: `rules[(((space * 8 + map) * 4 + pp) * 256 + opcode) * 2 + W]`, space 0 VEX (maps 0-7),
/// 1 EVEX (maps 0-7), 2 XOP (maps 8-15 stored as 0-7). Group opcodes (ModRM.reg extends the
/// opcode) keep 16 slots in `groups`: `id * 16 + (mod == 3 ? 8 : 0) + reg`.
final class VectorTables: Sendable {
    let rules: [VectorRule]
    let groups: [VectorRule]

    static let shared = VectorTables()

    @inline(__always)
    func rule(space: Int, map: Int, pp: Int, opcode: UInt8, w: Bool) -> VectorRule {
        rules[((((space * 8 + map) * 4 + pp) * 256 + Int(opcode)) << 1) | (w ? 1 : 0)]
    }

    @inline(__always)
    func groupRule(_ id: Int, register: Bool, reg: UInt8) -> VectorRule {
        groups[id * 16 + (register ? 8 : 0) + Int(reg)]
    }

    private init() {
        var builder = VectorTableBuilder()
        for line in OpcodeMapVEXRules.lines { builder.add(line, space: 0) }
        for line in OpcodeMapEVEX.lines { builder.add(line, space: 1) }
        for line in OpcodeMapXOP.lines { builder.add(line, space: 2) }
        rules = builder.rules
        groups = builder.groups
    }
}

/// The rules of one vector opcode (in one space, map, pp and W).
struct VectorRule: OptionSet, Sendable {
    let rawValue: UInt64
    init(rawValue: UInt64) { self.rawValue = rawValue }

    static let defined = VectorRule(rawValue: 1 << 0)
    /// No vvvv operand: vvvv (and EVEX.V') must be 1111b, else #UD.
    static let noVvvv = VectorRule(rawValue: 1 << 1)
    static let memoryOnly = VectorRule(rawValue: 1 << 2)
    static let registerOnly = VectorRule(rawValue: 1 << 3)
    static let imm8 = VectorRule(rawValue: 1 << 4)
    static let imm32 = VectorRule(rawValue: 1 << 5)
    /// EVEX.b with a memory operand (embedded broadcast) is allowed.
    static let broadcast = VectorRule(rawValue: 1 << 6)
    /// EVEX.b with register operands selects static rounding; L'L is the rounding control.
    static let rounding = VectorRule(rawValue: 1 << 7)
    /// EVEX.b with register operands suppresses all exceptions.
    static let sae = VectorRule(rawValue: 1 << 8)
    /// The destination is a mask register: EVEX.z must be 0.
    static let maskDestination = VectorRule(rawValue: 1 << 9)
    /// The r/m operand is the destination: EVEX.z must be 0 when it is memory.
    static let store = VectorRule(rawValue: 1 << 10)
    /// No opmask: EVEX.aaa and EVEX.z must be 0.
    static let noMask = VectorRule(rawValue: 1 << 11)
    /// An opmask is required: EVEX.aaa must not be 0 (gathers, scatters).
    static let maskRequired = VectorRule(rawValue: 1 << 12)
    /// A VSIB memory operand (a SIB byte is required).
    static let vsib = VectorRule(rawValue: 1 << 13)
    static let length128 = VectorRule(rawValue: 1 << 14)
    static let length256 = VectorRule(rawValue: 1 << 15)
    static let length512 = VectorRule(rawValue: 1 << 16)
    /// Scalar / length-ignored (LIG): any L (EVEX: L'L 0-2).
    static let lengthIgnored = VectorRule(rawValue: 1 << 17)
    /// ModRM.reg selects the rule from a group; the group id is in bits 48-63.
    static let group = VectorRule(rawValue: 1 << 18)
    /// With a register operand ModRM.rm must be 000b (TILERELEASE, TILEZERO).
    static let rmZero = VectorRule(rawValue: 1 << 19)
    /// No ModRM byte (VZEROUPPER, VZEROALL).
    static let noModRM = VectorRule(rawValue: 1 << 20)
    /// A gather: the destination, index (and VEX mask) registers must differ.
    static let gather = VectorRule(rawValue: 1 << 21)
    /// AMX: the tile operands (reg, rm, vvvv) must differ.
    static let distinctTiles = VectorRule(rawValue: 1 << 22)
    /// EVEX complex FP16: the destination must differ from the sources.
    static let distinctDestination = VectorRule(rawValue: 1 << 23)

    /// ModRM.reg names an opmask or tile register: VEX.R / EVEX.R and R' must not extend it, and
    /// a vvvv opmask operand must be k0-k7.
    static let maskRegister = VectorRule(rawValue: 1 << 24)
    /// No vvvv operand in the memory form only (VMOVSS/VMOVSD/VMOVSH xmm, m).
    static let noVvvvMemory = VectorRule(rawValue: 1 << 25)
    /// Valid in 64-bit mode only (CMPccXADD).
    static let only64 = VectorRule(rawValue: 1 << 26)

    /// ModRM.reg names a general-purpose register: EVEX.R' must not extend it.
    static let gprRegister = VectorRule(rawValue: 1 << 27)

    var groupID: Int { Int(rawValue >> 48) }
}

/// Parses the lines of the vector rule maps: `PP.MAP OPCODES[/REG] FLAGS...` where PP is np, 66,
/// f3 or f2, MAP is 0f, 0f38, 0f3a or mN (EVEX map N, XOP map N), OPCODES is a hex opcode or
/// range (`58-5f`), and the flags are:
/// `w0`/`w1` (only that W; absent: both), `l0` `l1` `l01` `l2` `l12` `l012` `lig` (allowed
/// vector lengths; absent: l01 for VEX/XOP, l012 for EVEX), `nv` (no vvvv operand), `m`, `r`,
/// `ib`, `id`, `b` (broadcast), `er`, `sae`, `kd` (mask destination), `st` (r/m destination),
/// `nk` (no opmask), `km` (opmask required), `vsib`, `g` (gather), `rm0`, `nomodrm`, `tiles`,
/// `dd` (destination distinct from sources), `kr` (ModRM.reg is an opmask or a tile), `nvm` (no vvvv in
/// the memory form), `o64` (64-bit mode only), `gr` (ModRM.reg is a general-purpose register).
/// A later line for the same slot overrides an earlier one.
struct VectorTableBuilder {
    var rules = [VectorRule](repeating: [], count: 3 * 8 * 4 * 256 * 2)
    var groups = [VectorRule](repeating: [], count: 16)   // id 0 is unused
    private var groupIDs: [Int: Int] = [:]

    mutating func add(_ line: String, space: Int) {
        let parts = line.split(separator: " ").map(String.init)
        guard parts.count >= 2 else { preconditionFailure("vector map line: \(line)") }
        let head = parts[0].split(separator: ".").map(String.init)
        guard head.count == 2, let pp = ["np", "66", "f3", "f2"].firstIndex(of: head[0]) else {
            preconditionFailure("vector map line: \(line)")
        }
        var map: Int
        switch head[1] {
        case "0f": map = 1
        case "0f38": map = 2
        case "0f3a": map = 3
        default:
            guard head[1].hasPrefix("m"), let n = Int(head[1].dropFirst()) else {
                preconditionFailure("vector map line: \(line)")
            }
            map = space == 2 ? n - 8 : n
        }
        var key = parts[1]
        var groupReg: Int? = nil
        if let slash = key.firstIndex(of: "/") {
            groupReg = Int(String(key[key.index(after: slash)...]))!
            key = String(key[..<slash])
        }
        let range = key.split(separator: "-").map { Int($0, radix: 16)! }
        let first = range[0], last = range.count > 1 ? range[1] : range[0]

        var rule: VectorRule = .defined
        var ws = [0, 1]
        var lengths: VectorRule = space == 1 ? [.length128, .length256, .length512] : [.length128, .length256]
        for flag in parts.dropFirst(2) {
            switch flag {
            case "w0": ws = [0]
            case "w1": ws = [1]
            case "l0": lengths = [.length128]
            case "l1": lengths = [.length256]
            case "l2": lengths = [.length512]
            case "l01": lengths = [.length128, .length256]
            case "l12": lengths = [.length256, .length512]
            case "l012": lengths = [.length128, .length256, .length512]
            case "lig": lengths = [.lengthIgnored]
            case "nv": rule.insert(.noVvvv)
            case "m": rule.insert(.memoryOnly)
            case "r": rule.insert(.registerOnly)
            case "ib": rule.insert(.imm8)
            case "id": rule.insert(.imm32)
            case "b": rule.insert(.broadcast)
            case "er": rule.insert(.rounding)
            case "sae": rule.insert(.sae)
            case "kd": rule.insert(.maskDestination)
            case "st": rule.insert(.store)
            case "nk": rule.insert(.noMask)
            case "km": rule.insert(.maskRequired)
            case "vsib": rule.formUnion([.vsib, .memoryOnly])
            case "g": rule.insert(.gather)
            case "rm0": rule.insert(.rmZero)
            case "nomodrm": rule.insert(.noModRM)
            case "tiles": rule.insert(.distinctTiles)
            case "dd": rule.insert(.distinctDestination)
            case "kr": rule.insert(.maskRegister)
            case "nvm": rule.insert(.noVvvvMemory)
            case "o64": rule.insert(.only64)
            case "gr": rule.insert(.gprRegister)
            default: preconditionFailure("flag \(flag) in \(line)")
            }
        }
        rule.formUnion(lengths)
        for opcode in first...last {
            let slot = ((space * 8 + map) * 4 + pp) * 256 + opcode
            for w in ws {
                if let reg = groupReg {
                    let id = groupID(slot * 2 + w)
                    rules[slot * 2 + w] = VectorRule(rawValue: VectorRule([.defined, .group]).rawValue | UInt64(id) << 48)
                    if !rule.contains(.registerOnly) { groups[id * 16 + reg] = rule }
                    if !rule.contains(.memoryOnly) { groups[id * 16 + 8 + reg] = rule }
                } else {
                    rules[slot * 2 + w] = rule
                }
            }
        }
    }

    private mutating func groupID(_ slot: Int) -> Int {
        if let id = groupIDs[slot] { return id }
        let id = groupIDs.count + 1
        precondition(id < 65536, "too many vector groups")
        groupIDs[slot] = id
        groups.append(contentsOf: repeatElement(VectorRule(), count: 16))
        return id
    }
}
