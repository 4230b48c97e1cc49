/// The access-rights checks of a data access through a segment register (SDM vol. 3, 5.5 and
/// 5.6; vol. 2, "Protected Mode Exceptions" of every memory instruction): in protected mode a
/// read through an execute-only code segment, a write to a read-only data segment or to any
/// code segment, and any access through a null (unusable) segment register is #GP(0), or #SS(0)
/// through SS. `linearAddress` tests the cached attributes inline and calls this only when they
/// deny the access.
///
/// Real-address and virtual-8086 mode do not check them: there a cache may still hold the
/// attributes of a protected-mode code segment (CS after a far JMP back to real mode, 10.9.2)
/// and real-mode code writes through it.
extension CPU {
    @inline(never)
    func checkSegmentRights(_ seg: UInt8) throws(Fault) {
        if cr0 & CR0.pe.rawValue != 0 && !virtual8086 { throw segmentFault(seg) }
    }
}
