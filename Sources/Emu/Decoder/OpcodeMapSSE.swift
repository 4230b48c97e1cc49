/// Legacy-encoded MMX/SSE rows of the 0F, 0F38 and 0F3A maps (SDM vol. 2, tables A-3 to A-5),
/// per mandatory prefix. They are decoded exactly (length, validity) and executed by the SSE issue.
enum OpcodeMapSSE {
    static let lines: [String] = twoByte + threeByte38 + threeByte3A

    /// `rows(opcodes, prefixes, operands)` expands to one line per opcode and prefix column.
    static func rows(_ first: Int, _ last: Int, _ prefixes: String, _ operands: String = "Vx,Wx",
                     _ flags: String = "") -> [String] {
        var l: [String] = []
        for opcode in first...last {
            for p in prefixes.split(separator: ",") {
                let hex = OpcodeMapOneByte.hex(opcode & 0xFF)
                let escape = opcode >> 8 == 0x38 ? "0f38" : opcode >> 8 == 0x3A ? "0f3a" : "0f"
                l.append("\(p).\(escape)\(hex) sse \(operands)\(flags.isEmpty ? "" : " " + flags)")
            }
        }
        return l
    }

    static let twoByte: [String] =
        rows(0x10, 0x11, "np,66,f3,f2") + rows(0x12, 0x12, "np,f3,f2") + rows(0x12, 0x12, "66", "Vx,Mq") +
        rows(0x13, 0x13, "np,66", "Mq,Vx") + rows(0x14, 0x15, "np,66") + rows(0x16, 0x16, "np,f3") +
        rows(0x16, 0x16, "66", "Vx,Mq") + rows(0x17, 0x17, "np,66", "Mq,Vx") +
        rows(0x28, 0x29, "np,66") + rows(0x2A, 0x2A, "np,66", "Vx,Qq") + rows(0x2A, 0x2A, "f3,f2", "Vx,Ey") +
        rows(0x2B, 0x2B, "np,66,f3,f2", "Mx,Vx") + rows(0x2C, 0x2D, "np,66", "Pq,Wx") +
        rows(0x2C, 0x2D, "f3,f2", "Gy,Wx") + rows(0x2E, 0x2F, "np,66") +
        rows(0x50, 0x50, "np,66", "Gd,Ux") + rows(0x51, 0x51, "np,66,f3,f2") + rows(0x52, 0x53, "np,f3") +
        rows(0x54, 0x57, "np,66") + rows(0x58, 0x5A, "np,66,f3,f2") + rows(0x5B, 0x5B, "np,66,f3") +
        rows(0x5C, 0x5F, "np,66,f3,f2") + rows(0x60, 0x6B, "np,66") + rows(0x6C, 0x6D, "66") +
        rows(0x6E, 0x6E, "np,66", "Vx,Ey") + rows(0x6F, 0x6F, "np,66,f3") +
        rows(0x70, 0x70, "np,66,f3,f2", "Vx,Wx,Ib") +
        group(0x71, [2, 4, 6], "np,66") + group(0x72, [2, 4, 6], "np,66") +
        group(0x73, [2, 6], "np,66") + group(0x73, [3, 7], "66") +
        rows(0x74, 0x76, "np,66") + ["np.0f77 sse"] +
        ["np.0f78 vmread Ey,Gy", "np.0f79 vmwrite Gy,Ey"] +
        rows(0x79, 0x79, "66,f2", "Vx,Ux") +
        rows(0x7C, 0x7D, "66,f2") + rows(0x7E, 0x7E, "np,66", "Ey,Vx") + rows(0x7E, 0x7E, "f3") +
        rows(0x7F, 0x7F, "np,66,f3", "Wx,Vx") +
        rows(0xC2, 0xC2, "np,66,f3,f2", "Vx,Wx,Ib") + rows(0xC4, 0xC4, "np,66", "Vx,Ey,Ib") +
        rows(0xC5, 0xC5, "np,66", "Gd,Ux,Ib") + rows(0xC6, 0xC6, "np,66", "Vx,Wx,Ib") +
        rows(0xD0, 0xD0, "66,f2") + rows(0xD1, 0xD5, "np,66") + rows(0xD6, 0xD6, "66", "Wx,Vx") +
        rows(0xD6, 0xD6, "f3,f2", "Vx,Ux") + rows(0xD7, 0xD7, "np,66", "Gd,Ux") + rows(0xD8, 0xDF, "np,66") +
        rows(0xE0, 0xE5, "np,66") + rows(0xE6, 0xE6, "66,f3,f2") + rows(0xE7, 0xE7, "np,66", "Mx,Vx") +
        rows(0xE8, 0xEF, "np,66") + rows(0xF0, 0xF0, "f2", "Vx,Mx") + rows(0xF1, 0xF6, "np,66") +
        rows(0xF7, 0xF7, "np,66", "Vx,Ux") + rows(0xF8, 0xFE, "np,66")

    static func group(_ opcode: Int, _ regs: [Int], _ prefixes: String) -> [String] {
        var l: [String] = []
        for p in prefixes.split(separator: ",") {
            for r in regs { l.append("\(p).0f\(OpcodeMapOneByte.hex(opcode))/\(r).r sse Ux,Ib") }
        }
        return l
    }

    static let threeByte38: [String] =
        rows(0x3800, 0x380B, "np,66") + rows(0x3810, 0x3810, "66") + rows(0x3814, 0x3815, "66") +
        rows(0x3817, 0x3817, "66") + rows(0x381C, 0x381E, "np,66") + rows(0x3820, 0x3825, "66") +
        rows(0x3828, 0x3829, "66") + rows(0x382A, 0x382A, "66", "Vx,Mx") + rows(0x382B, 0x382B, "66") +
        rows(0x3830, 0x3835, "66") + rows(0x3837, 0x3841, "66") + rows(0x38C8, 0x38CD, "np") +
        rows(0x38CF, 0x38CF, "66") + rows(0x38DB, 0x38DF, "66")

    static let threeByte3A: [String] =
        rows(0x3A0F, 0x3A0F, "np", "Vx,Wx,Ib") + rows(0x3A08, 0x3A0F, "66", "Vx,Wx,Ib") +
        rows(0x3A14, 0x3A17, "66", "Ey,Vx,Ib") + rows(0x3A20, 0x3A22, "66", "Vx,Ey,Ib") +
        rows(0x3A40, 0x3A42, "66", "Vx,Wx,Ib") + rows(0x3A44, 0x3A44, "66", "Vx,Wx,Ib") +
        rows(0x3A60, 0x3A63, "66", "Vx,Wx,Ib") + rows(0x3ACC, 0x3ACC, "np", "Vx,Wx,Ib") +
        rows(0x3ACE, 0x3ACF, "66", "Vx,Wx,Ib") + rows(0x3ADF, 0x3ADF, "66", "Vx,Wx,Ib")
}
