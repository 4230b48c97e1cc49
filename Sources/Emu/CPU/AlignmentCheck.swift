/// Alignment checking (#AC, SDM vol. 3, 6.15 interrupt 17, and vol. 1, 4.1.1): with CR0.AM = 1,
/// EFLAGS.AC = 1 and CPL = 3, a data access whose address is not a multiple of its operand size
/// (2, 4 or 8 bytes; table 6-7) is a fault with error code 0. Implicit supervisor accesses
/// (descriptor tables, TSS, interrupt frames on a privileged stack) and instruction fetches are
/// never checked.
///
/// The check sits on the memory slow path: while alignment checking is in force no data page
/// enters the TLB, so every data access reaches `readSlow`/`writeSlow`. The TLB is empty when
/// CPL becomes 3 (it is flushed on every change to or from CPL 3) and `noteAlignmentCheckFlags`
/// flushes it when POPF or IRET set AC at CPL 3, the only way to enter the state in place.
extension CPU {
    /// CR0.AM, EFLAGS.AC and CPL 3.
    var alignmentCheckActive: Bool {
        cpl == 3 && cr0 & CR0.am.rawValue != 0 && controlFlags & RFlags.alignmentCheck.rawValue != 0
    }

    /// #AC(0) for a misaligned data access of `size` bytes while alignment checking is active.
    @inline(__always)
    func checkAlignment(_ linear: UInt64, size: Int) throws(Fault) {
        if size > 1 && linear & UInt64(size &- 1) != 0 && alignmentCheckActive { throw .alignmentCheck() }
    }

    /// After POPF or IRET: if they turned alignment checking on at CPL 3, the TLB entries filled
    /// without it must go.
    func noteAlignmentCheckFlags(wasActive: Bool) {
        if !wasActive && alignmentCheckActive { flushTLB() }
    }
}
