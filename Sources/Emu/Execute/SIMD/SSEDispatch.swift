/// The legacy-encoded MMX/SSE instructions (`Op.sse`, Decoder/OpcodeMapSSE.swift), routed by
/// opcode: floating-point arithmetic, comparisons and conversions (SSEFloat*.swift), and
/// everything else, moves, logic, shuffles and the packed-integer set (SSEInteger.swift and the
/// files it dispatches to).
extension CPU {
    func executeSSE(_ i: Instruction) throws(Fault) {
        if CPU.isSSEFloatingPoint(opcode: i.opcode) {
            try executeSSEFloat(i)
        } else {
            try executeSSEInteger(i)
        }
    }

    /// True for the opcodes whose operation is IEEE arithmetic under MXCSR: CVT* (0F 2A, 2C, 2D,
    /// 5A, 5B, E6), (U)COMIS* (2E, 2F), SQRT/RSQRT/RCP (51-53), ADD..MAX (58-5F), HADD/HSUB
    /// (7C, 7D), CMP (C2), ADDSUB (D0), ROUND* (0F3A 08-0B), DPPS/DPPD (0F3A 40, 41).
    static func isSSEFloatingPoint(opcode: UInt16) -> Bool {
        let b = opcode & 0xFF
        switch opcode >> 8 {
        case 1:
            switch b {
            case 0x2A, 0x2C...0x2F, 0x51...0x53, 0x58...0x5F, 0x7C, 0x7D, 0xC2, 0xD0, 0xE6: return true
            default: return false
            }
        case 3: return (0x08...0x0B).contains(b) || b == 0x40 || b == 0x41
        default: return false
        }
    }
}
