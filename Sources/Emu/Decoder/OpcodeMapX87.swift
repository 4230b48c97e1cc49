/// The x87 escape opcodes D8-DF (SDM vol. 2, tables ): which ModRM.reg values are
/// defined with a memory operand and which ModRM bytes C0-FF are defined. The reserved ones are
/// #UD. Aliases the SDM lists as reserved but CPUs execute (FSTP1, FXCH4, FCOMP5, FFREEP...)
/// are defined, as they are on hardware.
enum OpcodeMapX87 {
    static let lines: [String] = {
        var l: [String] = []
        for (opcode, memory, registers) in table() {
            let hex = OpcodeMapOneByte.hex(opcode)
            for reg in 0..<8 where memory.contains(reg) { l.append("\(hex)/\(reg).m x87 Ev") }
            for modrm in 0xC0...0xFF where registers(modrm) {
                l.append("\(hex)/\((modrm >> 3) & 7).r\(modrm & 7) x87 Ev")
            }
        }
        return l
    }()

    static let allRegisters: [Int] = Array(0..<8)

    /// (opcode, ModRM.reg values defined with memory, ModRM bytes C0-FF defined).
    static func table() -> [(Int, [Int], (Int) -> Bool)] { [
        (0xD8, allRegisters, { _ in true }),
        // D9: /1 memory reserved; D1-D7, E2, E3, E6, E7, EF reserved.
        (0xD9, [0, 2, 3, 4, 5, 6, 7], { m in
            !(0xD1...0xD7).contains(m) && ![0xE2, 0xE3, 0xE6, 0xE7, 0xEF].contains(m) }),
        // DA: FCMOVcc C0-DF, FUCOMPP E9.
        (0xDA, allRegisters, { m in m < 0xE0 || m == 0xE9 }),
        // DB: /4 and /6 memory reserved; FNENI..FNSETPM E0-E4, FUCOMI E8-EF, FCOMI F0-F7.
        (0xDB, [0, 1, 2, 3, 5, 7], { m in m < 0xE0 || (0xE0...0xE4).contains(m) || (0xE8...0xF7).contains(m) }),
        (0xDC, allRegisters, { _ in true }),
        // DD: /5 memory reserved; F0-FF reserved.
        (0xDD, [0, 1, 2, 3, 4, 6, 7], { m in m < 0xF0 }),
        // DE: D8 and DA-DF reserved (D9 is FCOMPP).
        (0xDE, allRegisters, { m in m < 0xD8 || m == 0xD9 || m >= 0xE0 }),
        // DF: FNSTSW AX E0; E1-E7 and F8-FF reserved.
        (0xDF, allRegisters, { m in m <= 0xE0 || (0xE8...0xF7).contains(m) }),
    ] }
}
