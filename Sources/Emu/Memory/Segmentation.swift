extension CPU {
    /// Segment + offset -> linear address, with the type and limit checks of protected and real
    /// mode (SDM vol. 3, 3.4, 5.3 and 5.5). In 64-bit mode only FS and GS have a base and there
    /// are no checks; canonical checks happen when the linear page is translated.
    @inline(__always)
    func linearAddress(_ seg: UInt8, _ offset: UInt64, size: UInt8,
                       write: Bool = false) throws(Fault) -> UInt64 {
        if codeMode == .long64 { return uncheckedLinearAddress(seg, offset) }
        let s = segments[Int(seg)]
        // The common case: present, writable, expand-up data. Code, read-only, expand-down and
        // null segments take checkedLinearAddress (CPU/SegmentRights.swift).
        if _slowPath(s.attributes & 0x9E != 0x92) { return try checkedLinearAddress(seg, offset, size: size, write: write) }
        let last = offset &+ UInt64(size) &- 1
        if last > UInt64(s.limit) || last < offset { throw segmentFault(seg) }
        return (s.base &+ offset) & 0xFFFF_FFFF
    }

    /// Segment + offset -> linear address without checks, for addresses that access no memory
    /// through the segment (INVLPG, instruction breakpoints): in 64-bit mode only FS and GS
    /// have a base; otherwise the sum wraps at 4 GiB.
    @inline(__always)
    func uncheckedLinearAddress(_ seg: UInt8, _ offset: UInt64) -> UInt64 {
        if codeMode == .long64 {
            return seg >= SegmentRegister.fs.rawValue ? segments[Int(seg)].base &+ offset : offset
        }
        return (segments[Int(seg)].base &+ offset) & 0xFFFF_FFFF
    }

    /// #SS(0) for stack-segment accesses, #GP(0) otherwise.
    @inline(__always)
    func segmentFault(_ seg: UInt8) -> Fault {
        seg == SegmentRegister.ss.rawValue ? .stackFault(0) : .generalProtection(0)
    }

    /// True if `linear` is canonical: 48-bit linear addresses, 57-bit with CR4.LA57
    /// (SDM vol. 1, 3.3.7.1).
    @inline(__always)
    func isCanonical(_ linear: UInt64) -> Bool {
        let top = Int64(bitPattern: linear) >> (cr4 & (1 << 12) != 0 ? 56 : 47)
        return top == 0 || top == -1
    }
}
