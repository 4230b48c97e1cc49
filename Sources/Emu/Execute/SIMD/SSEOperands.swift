/// A 128-bit XMM value: `low` is bits 63:0, `high` bits 127:64.
public struct XMMValue: Equatable, Sendable {
    public var low: UInt64
    public var high: UInt64

    @inlinable public init(low: UInt64 = 0, high: UInt64 = 0) {
        self.low = low
        self.high = high
    }
}

/// XMM registers and 128-bit memory operands of the SSE instructions.
extension CPU {
    @inline(__always)
    public func xmmRegister(_ n: UInt8) -> XMMValue {
        let slot = Int(n & 15) &* 2
        return XMMValue(low: xmm[slot], high: xmm[slot &+ 1])
    }

    @inline(__always)
    public func setXMMRegister(_ n: UInt8, _ v: XMMValue) {
        let slot = Int(n & 15) &* 2
        xmm[slot] = v.low
        xmm[slot &+ 1] = v.high
    }

    /// Reads 16 bytes at segment:offset. `aligned`: the instruction requires a 16-byte aligned
    /// operand and raises #GP(0) otherwise (MOVAPS, MOVDQA and the packed forms of the legacy
    /// SSE instructions, SDM vol. 1, 10.4 and 11.5).
    public func readMemory128(_ seg: UInt8, _ offset: UInt64, aligned: Bool) throws(Fault) -> XMMValue {
        let linear = try linearAddress(seg, offset, size: 16)
        if aligned && linear & 15 != 0 { throw .generalProtection(0) }
        let low = try read(seg, offset, size: 8)
        return XMMValue(low: low, high: try read(seg, offset &+ 8, size: 8))
    }

    /// Writes 16 bytes at segment:offset; nothing is written unless all 16 can be.
    public func writeMemory128(_ seg: UInt8, _ offset: UInt64, _ v: XMMValue, aligned: Bool) throws(Fault) {
        let linear = try linearAddress(seg, offset, size: 16, write: true)
        if aligned && linear & 15 != 0 { throw .generalProtection(0) }
        try probeWrite(seg, offset, size: 16)
        try write(seg, offset, size: 8, v.low)
        try write(seg, offset &+ 8, size: 8, v.high)
    }

    /// The r/m operand of an SSE instruction as 128 bits: XMM `rm` or memory.
    public func readXMMOperand(_ i: Instruction, aligned: Bool) throws(Fault) -> XMMValue {
        if i.mod == 3 { return xmmRegister(i.rm) }
        return try readMemory128(i.segment, effectiveAddress(i), aligned: aligned)
    }

    /// The r/m operand of the forms that read a low quadword: XMM `rm` bits 63:0 or 8 bytes of
    /// memory, without an alignment requirement (scalar double precision, CVTPS2PD, CVTDQ2PD,
    /// CVTPS2PI, MOVQ xmm, xmm/m64, MOVDDUP).
    @inline(__always)
    public func scalarOperand64(_ i: Instruction) throws(Fault) -> UInt64 {
        if i.mod == 3 { return xmm[Int(i.rm & 15) &* 2] }
        return try read(i.segment, effectiveAddress(i), size: 8)
    }

    /// The mandatory prefix selecting an SSE instruction (SDM vol. 2, 2.1.2 and table A-3):
    /// 0 none, 1 66, 2 F3, 3 F2, as the decoder's opcode-table columns number them.
    @inline(__always)
    public static func ssePrefixColumn(_ i: Instruction) -> Int {
        i.prefixes.contains(.rep) ? 2 : i.prefixes.contains(.repne) ? 3 : i.prefixes.contains(.operandSize) ? 1 : 0
    }
}
