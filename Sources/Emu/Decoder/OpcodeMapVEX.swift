/// VEX-encoded rows (SDM vol. 2, appendix A, the VEX columns): the BMI1/BMI2 general-purpose
/// instructions, executed here, and the AVX/AVX2/FMA/mask rows, decoded for length and validity
/// and executed by a later issue.
enum OpcodeMapVEX {
    static let lines: [String] = avx + bmi

    static let bmi: [String] = [
        "np.vex.0f38f2 andn Gy,By,Ey L0",
        "np.vex.0f38f3/1 blsr By,Ey L0", "np.vex.0f38f3/2 blsmsk By,Ey L0", "np.vex.0f38f3/3 blsi By,Ey L0",
        "np.vex.0f38f5 bzhi Gy,Ey,By L0", "f3.vex.0f38f5 pext Gy,By,Ey L0", "f2.vex.0f38f5 pdep Gy,By,Ey L0",
        "f2.vex.0f38f6 mulx Gy,By,Ey L0",
        "np.vex.0f38f7 bextr Gy,Ey,By L0", "66.vex.0f38f7 shlx Gy,Ey,By L0",
        "f3.vex.0f38f7 sarx Gy,Ey,By L0", "f2.vex.0f38f7 shrx Gy,Ey,By L0",
        "f2.vex.0f3af0 rorx Gy,Ey,Ib L0",
    ]

    static func rows(_ first: Int, _ last: Int, _ prefixes: String, _ operands: String = "Vx,Hx,Wx") -> [String] {
        var l: [String] = []
        for opcode in first...last {
            for p in prefixes.split(separator: ",") {
                let escape = opcode >> 8 == 0x38 ? "0f38" : opcode >> 8 == 0x3A ? "0f3a" : "0f"
                l.append("\(p).vex.\(escape)\(OpcodeMapOneByte.hex(opcode & 0xFF)) vex \(operands)")
            }
        }
        return l
    }

    static let imm = "Vx,Hx,Wx,Ib"

    static let avx: [String] =
        rows(0x10, 0x12, "np,66,f3,f2") + rows(0x13, 0x15, "np,66") + rows(0x16, 0x16, "np,66,f3") +
        rows(0x17, 0x17, "np,66") + rows(0x28, 0x29, "np,66") + rows(0x2A, 0x2A, "f3,f2") +
        rows(0x2B, 0x2B, "np,66") + rows(0x2C, 0x2D, "f3,f2") + rows(0x2E, 0x2F, "np,66") +
        rows(0x41, 0x42, "np,66") + rows(0x44, 0x47, "np,66") + rows(0x4A, 0x4B, "np,66") +
        rows(0x50, 0x50, "np,66") + rows(0x51, 0x51, "np,66,f3,f2") + rows(0x52, 0x53, "np,f3") +
        rows(0x54, 0x57, "np,66") + rows(0x58, 0x5A, "np,66,f3,f2") + rows(0x5B, 0x5B, "np,66,f3") +
        rows(0x5C, 0x5F, "np,66,f3,f2") + rows(0x60, 0x6E, "66") + rows(0x6F, 0x6F, "66,f3") +
        rows(0x70, 0x70, "66,f3,f2", imm) + rows(0x74, 0x76, "66") + ["np.vex.0f77 vex"] +
        rows(0x7C, 0x7D, "66,f2") + rows(0x7E, 0x7F, "66,f3") + rows(0x90, 0x93, "np,66") +
        rows(0x98, 0x99, "np,66") + rows(0xC2, 0xC2, "np,66,f3,f2", imm) + rows(0xC4, 0xC5, "66", imm) +
        rows(0xC6, 0xC6, "np,66", imm) + rows(0xD0, 0xD0, "66,f2") + rows(0xD1, 0xE5, "66") +
        rows(0xE6, 0xE6, "66,f3,f2") + rows(0xE7, 0xEF, "66") + rows(0xF0, 0xF0, "f2") +
        rows(0xF1, 0xFE, "66") +
        ["66.vex.0f71/2.r vex Hx,Ux,Ib", "66.vex.0f71/4.r vex Hx,Ux,Ib", "66.vex.0f71/6.r vex Hx,Ux,Ib",
         "66.vex.0f72/2.r vex Hx,Ux,Ib", "66.vex.0f72/4.r vex Hx,Ux,Ib", "66.vex.0f72/6.r vex Hx,Ux,Ib",
         "66.vex.0f73/2.r vex Hx,Ux,Ib", "66.vex.0f73/3.r vex Hx,Ux,Ib", "66.vex.0f73/6.r vex Hx,Ux,Ib",
         "66.vex.0f73/7.r vex Hx,Ux,Ib"] +
        rows(0x3800, 0x380F, "66") + rows(0x3813, 0x3813, "66") + rows(0x3816, 0x381A, "66") +
        rows(0x381C, 0x381E, "66") + rows(0x3820, 0x3825, "66") + rows(0x3828, 0x382F, "66") +
        rows(0x3830, 0x3841, "66") + rows(0x3845, 0x3847, "66") + rows(0x3850, 0x3853, "66") +
        rows(0x3858, 0x385A, "66") + rows(0x3878, 0x3879, "66") + rows(0x388C, 0x388C, "66") +
        rows(0x388E, 0x388E, "66") + rows(0x3890, 0x3893, "66") + rows(0x3896, 0x389F, "66") +
        rows(0x38A6, 0x38AF, "66") + rows(0x38B6, 0x38BF, "66") + rows(0x38CF, 0x38CF, "66") +
        rows(0x38DB, 0x38DF, "66") +
        rows(0x3A00, 0x3A02, "66", imm) + rows(0x3A04, 0x3A06, "66", imm) + rows(0x3A08, 0x3A0F, "66", imm) +
        rows(0x3A14, 0x3A19, "66", imm) + rows(0x3A1D, 0x3A1D, "66", imm) + rows(0x3A20, 0x3A22, "66", imm) +
        rows(0x3A38, 0x3A39, "66", imm) + rows(0x3A40, 0x3A42, "66", imm) + rows(0x3A44, 0x3A44, "66", imm) +
        rows(0x3A46, 0x3A46, "66", imm) + rows(0x3A48, 0x3A4C, "66", imm) + rows(0x3A5C, 0x3A5F, "66", imm) +
        rows(0x3A60, 0x3A63, "66", imm) + rows(0x3A68, 0x3A6F, "66", imm) + rows(0x3A78, 0x3A7F, "66", imm) +
        rows(0x3ACE, 0x3ACF, "66", imm) + rows(0x3ADF, 0x3ADF, "66", imm)
}
