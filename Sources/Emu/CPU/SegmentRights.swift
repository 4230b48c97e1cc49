/// The access-rights checks of a data access through a segment register (SDM vol. 3, 5.5 and
/// 5.6; vol. 2, "Protected Mode Exceptions" of every memory instruction): in protected mode a
/// read through an execute-only code segment, a write to a read-only data segment or to any
/// code segment, and any access through a null (unusable) segment register is #GP(0), or #SS(0)
/// through SS.
///
/// Real-address and virtual-8086 mode do not check them: there a cache may still hold the
/// attributes of a protected-mode code segment (CS after a far JMP back to real mode, 10.9.2)
/// and real-mode code writes through it.
extension CPU {
    /// `linearAddress` for every segment that is not present, writable, expand-up data: the
    /// rights, then the limit (expand-down segments: offsets above the limit up to FFFFh or
    /// FFFFFFFFh by the B flag, 3.4.5.1).
    @inline(never)
    func checkedLinearAddress(_ seg: UInt8, _ offset: UInt64, size: UInt8, write: Bool) throws(Fault) -> UInt64 {
        let s = segments[Int(seg)]
        let rights = s.attributes & 0x9A
        let denied = write ? rights != 0x92 : rights & 0x90 != 0x90 || rights == 0x98
        if denied && cr0 & CR0.pe.rawValue != 0 && !virtual8086 { throw segmentFault(seg) }
        let last = offset &+ UInt64(size) &- 1
        if s.expandDown {
            let upper: UInt64 = s.defaultBig ? 0xFFFF_FFFF : 0xFFFF
            if offset <= UInt64(s.limit) || last > upper { throw segmentFault(seg) }
        } else if last > UInt64(s.limit) || last < offset {
            throw segmentFault(seg)
        }
        return (s.base &+ offset) & 0xFFFF_FFFF
    }
}
