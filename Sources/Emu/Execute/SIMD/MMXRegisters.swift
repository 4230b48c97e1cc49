/// MM0-MM7 and the MMX state rules (SDM vol. 1, 9.5 "Compatibility with x87 FPU Architecture"):
/// MMn aliases bits 63:0 of the x87 data register Rn; executing an MMX instruction sets TOP to 0
/// and every tag to valid (EMMS: empty), and a write to MMn sets Rn's sign and exponent bits to
/// all ones.
extension CPU {
    /// MMn; only the low 3 bits of `n` count (REX does not extend MMX register numbers).
    @inline(__always)
    func mmRegister(_ n: UInt8) -> UInt64 {
        x87.registers[Int(n & 7)].significand
    }

    /// Writes MMn and applies the MMX state transition.
    @inline(__always)
    func setMMRegister(_ n: UInt8, _ v: UInt64) {
        x87.registers[Int(n & 7)] = Float80Bits(significand: v, signExponent: 0xFFFF)
        mmxTransition()
    }

    /// The x87 state change of every MMX instruction but EMMS: TOP = 0, all tags valid (00).
    @inline(__always)
    func mmxTransition() {
        x87.status &= ~0x3800
        x87.tags = 0
    }

    /// The checks before an MMX instruction executes: #UD when CR0.EM is set, #NM when CR0.TS
    /// is set (vol. 3, table 2-2), then #MF when an unmasked x87 exception is pending, FSW.ES
    /// (vol. 1, 9.6.2 "Transitions Between x87 FPU and MMX Code"; the MMX instructions' #MF).
    @inline(__always)
    func requireMMXExecution() throws(Fault) {
        try requireMMX()
        try x87CheckPending()
    }

    /// The r/m operand of an MMX instruction: MM(rm & 7) or 64 bits of memory (no alignment).
    @inline(__always)
    func readMMXOperand(_ i: Instruction) throws(Fault) -> UInt64 {
        if i.mod == 3 { return mmRegister(i.rm) }
        return try read(i.segment, effectiveAddress(i), size: 8)
    }

    /// EMMS (0F 77): marks every x87 register empty (tag word FFFFh). Being an MMX instruction
    /// it also sets TOP to 0 (vol. 3, 12.2 and table 12-2).
    func emms() throws(Fault) {
        try requireMMXExecution()
        x87.status &= ~0x3800
        x87.tags = 0xFFFF
    }
}
