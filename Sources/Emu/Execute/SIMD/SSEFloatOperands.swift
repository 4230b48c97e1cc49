/// Lanes of XMM values and the scalar operands of the SSE floating-point instructions.
extension XMMValue {
    /// Single-precision lane `k` (0-3): bits 32k+31:32k.
    @inline(__always)
    func binary32(_ k: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: (k < 2 ? low : high) >> (UInt64(k & 1) &* 32))
    }

    @inline(__always)
    mutating func setBinary32(_ k: Int, _ v: UInt32) {
        let shift = UInt64(k & 1) &* 32
        let keep = ~(0xFFFF_FFFF as UInt64 &<< shift)
        if k < 2 {
            low = low & keep | UInt64(v) &<< shift
        } else {
            high = high & keep | UInt64(v) &<< shift
        }
    }

    /// Double-precision lane `k` (0-1).
    @inline(__always)
    func binary64(_ k: Int) -> UInt64 { k == 0 ? low : high }

    @inline(__always)
    mutating func setBinary64(_ k: Int, _ v: UInt64) {
        if k == 0 { low = v } else { high = v }
    }
}

extension CPU {
    /// The r/m operand of a scalar single-precision form: XMM `rm` bits 31:0 or 4 bytes of memory.
    @inline(__always)
    func scalarOperand32(_ i: Instruction) throws(Fault) -> UInt32 {
        if i.mod == 3 { return UInt32(truncatingIfNeeded: xmm[Int(i.rm & 15) &* 2]) }
        return UInt32(truncatingIfNeeded: try read(i.segment, effectiveAddress(i), size: 4))
    }
}
