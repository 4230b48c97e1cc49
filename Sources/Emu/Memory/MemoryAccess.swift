extension CPU {
    // MARK: Fast paths (software TLB hit inside one page)

    /// Reads `size` (1, 2, 4, 8) bytes at segment:offset.
    @inline(__always)
    public func read(_ seg: UInt8, _ offset: UInt64, size: UInt8) throws(Fault) -> UInt64 {
        let linear = try linearAddress(seg, offset, size: size)
        let page = linear >> 12
        let e = tlb.read[Int(page & TLB.mask)]
        let inPage = Int(linear & 0xFFF)
        if e.tag == page && inPage &+ Int(size) <= 0x1000 {
            let p = e.host + inPage
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
            default: return p.loadUnaligned(as: UInt64.self)
            }
        }
        return try readSlow(linear, size: Int(size), seg: seg)
    }

    /// Writes the low `size` bytes of `value` at segment:offset.
    @inline(__always)
    public func write(_ seg: UInt8, _ offset: UInt64, size: UInt8, _ value: UInt64) throws(Fault) {
        let linear = try linearAddress(seg, offset, size: size, write: true)
        let page = linear >> 12
        let e = tlb.write[Int(page & TLB.mask)]
        let inPage = Int(linear & 0xFFF)
        if e.tag == page && inPage &+ Int(size) <= 0x1000 {
            let p = e.host + inPage
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
            default: p.storeBytes(of: value, as: UInt64.self)
            }
            memory.noteWrite(page: e.physicalPage)
            return
        }
        try writeSlow(linear, size: Int(size), value: value, seg: seg)
    }

    /// Checks that a write to segment:offset would succeed without writing (read-modify-write
    /// instructions fault before changing anything).
    @inline(__always)
    public func probeWrite(_ seg: UInt8, _ offset: UInt64, size: UInt8) throws(Fault) {
        let linear = try linearAddress(seg, offset, size: size, write: true)
        let page = linear >> 12
        if tlb.write[Int(page & TLB.mask)].tag == page && Int(linear & 0xFFF) &+ Int(size) <= 0x1000 { return }
        _ = try translate(linear, access: .write, seg: seg, size: Int(size))
        if Int(linear & 0xFFF) + Int(size) > 0x1000 {
            _ = try translate((linear | 0xFFF) &+ 1, access: .write, seg: seg)
        }
    }

    // MARK: Slow paths

    @inline(never)
    func readSlow(_ linear: UInt64, size: Int, seg: UInt8) throws(Fault) -> UInt64 {
        try checkAlignment(linear, size: size)
        if _slowPath(systemRegisters.breakpoints.data != 0) { noteDataAccess(linear, size: size, write: false) }
        let inPage = Int(linear & 0xFFF)
        if inPage + size <= 0x1000 {
            let physical = try translate(linear, access: .read, seg: seg, size: size)
            return memory.read(physical, size: size)
        }
        // Split access: translate both pages before reading anything.
        let first = 0x1000 - inPage
        let p0 = try translate(linear, access: .read, seg: seg, size: first)
        let p1 = try translate(linear &+ UInt64(first), access: .read, seg: seg, size: size - first)
        let lo = memory.read(p0, size: first)
        let hi = memory.read(p1, size: size - first)
        return lo | hi << (8 * UInt64(first))
    }

    @inline(never)
    func writeSlow(_ linear: UInt64, size: Int, value: UInt64, seg: UInt8) throws(Fault) {
        try checkAlignment(linear, size: size)
        if _slowPath(systemRegisters.breakpoints.data != 0) { noteDataAccess(linear, size: size, write: true) }
        let inPage = Int(linear & 0xFFF)
        if inPage + size <= 0x1000 {
            let physical = try translate(linear, access: .write, seg: seg, size: size)
            memory.write(physical, size: size, value: value)
            return
        }
        let first = 0x1000 - inPage
        let p0 = try translate(linear, access: .write, seg: seg, size: first)
        let p1 = try translate(linear &+ UInt64(first), access: .write, seg: seg, size: size - first)
        memory.write(p0, size: first, value: value)
        memory.write(p1, size: size - first, value: value >> (8 * UInt64(first)))
    }

    /// Linear -> physical for one access of `size` bytes (0 when unknown), filling the TLB for
    /// RAM pages. In a guest with "virtualize APIC accesses", an access to the APIC-access page
    /// exits or is redirected to the virtual-APIC page (VMX/APICVirtualization.swift).
    func translate(_ linear: UInt64, access: AccessKind, seg: UInt8, size: Int = 0) throws(Fault) -> UInt64 {
        if codeMode == .long64 && !isCanonical(linear) { throw segmentFault(seg) }
        tlb.lastWalkGlobal = false
        tlb.lastWalkShift = 0
        let physical = try pageTranslate(linear, access: access)
        if _slowPath(physical >> 12 == vmx.apicAccessPage) && vmx.nonRoot {
            return try vmxAPICAccess(physical, access: access, size: size)
        }
        let page = linear >> 12
        // Pages with a data breakpoint, and data pages while alignment checking is in force,
        // stay out of the TLB (CPU/DebugBreakpoints.swift, CPU/AlignmentCheck.swift).
        if let host = memory.hostPage(physical >> 12), !pageHoldsDataBreakpoint(page),
           access == .execute || !alignmentCheckActive {
            let entry = TLB.Entry(tag: page, host: host, physicalPage: physical >> 12)
            let i = Int(page & TLB.mask)
            tlb.noteFill(i, access: access)
            switch access {
            case .read: tlb.read[i] = entry
            case .write: tlb.write[i] = entry; tlb.read[i] = entry
            case .execute: tlb.fetch[i] = entry
            }
        }
        return physical
    }

    /// Paging (SDM vol. 3, chapter 4): identity while CR0.PG is clear; then EPT in a guest.
    func pageTranslate(_ linear: UInt64, access: AccessKind) throws(Fault) -> UInt64 {
        if cr0 & 0x8000_0000 == 0 { return try guestPhysicalToHost(linear, access: access, .final(linear: linear)) }
        return try walkPageTables(linear, access: access)
    }

    public func flushTLB() { tlb.flush() }
    /// MOV to CR3: with CR4.PGE, global translations survive (SDM 4.10.4.1).
    public func flushTLB(keepingGlobalPages: Bool) {
        if keepingGlobalPages { tlb.flushNonGlobal() } else { tlb.flush() }
    }
}
