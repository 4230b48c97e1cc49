/// Reading and writing descriptor tables (GDT, LDT, IDT) and other system structures (TSS)
/// through paging. These are implicit supervisor-mode accesses (SDM vol. 3, 4.6): the U/S check
/// treats them as CPL 0 whatever the CPL is, but they still go through the page walk, and a
/// failed walk raises #PF. They bypass the software TLB, so they never fill it with supervisor
/// rights.
extension CPU {
    /// IA-32e mode active (EFER.LMA).
    var ia32e: Bool { efer & 0x400 != 0 }
    /// Protected mode (CR0.PE) and not virtual-8086 mode.
    var protectedMode: Bool { cr0 & 1 != 0 && controlFlags & RFlags.virtual8086.rawValue == 0 }
    var virtual8086: Bool { controlFlags & RFlags.virtual8086.rawValue != 0 }

    /// Translates one linear address; `asUser` selects user-mode (CPL 3) page permissions
    /// (stack accesses of a CPL-3 stack), otherwise supervisor rights at any CPL.
    func translateLinear(_ linear: UInt64, access: AccessKind, asUser: Bool) throws(Fault) -> UInt64 {
        let a = ia32e ? linear : linear & 0xFFFF_FFFF
        if ia32e && !isCanonical(a) { throw .generalProtection(0) }
        if cr0 & 0x8000_0000 == 0 { return try guestPhysicalToHost(a, access: access, .final(linear: a)) }
        return try walkPageTables(a, access: access, implicitSupervisor: !asUser, asUser: asUser)
    }

    /// Reads `size` (1-8) bytes at a linear address; a page-crossing access translates both
    /// pages before reading.
    func readLinear(_ linear: UInt64, size: Int, asUser: Bool = false) throws(Fault) -> UInt64 {
        let inPage = Int(linear & 0xFFF)
        if inPage + size <= 0x1000 {
            return memory.read(try translateLinear(linear, access: .read, asUser: asUser), size: size)
        }
        let first = 0x1000 - inPage
        let p0 = try translateLinear(linear, access: .read, asUser: asUser)
        let p1 = try translateLinear(linear &+ UInt64(first), access: .read, asUser: asUser)
        return memory.read(p0, size: first) | memory.read(p1, size: size - first) << (8 * UInt64(first))
    }

    /// Writes the low `size` (1-8) bytes of `value` at a linear address.
    func writeLinear(_ linear: UInt64, size: Int, _ value: UInt64, asUser: Bool = false) throws(Fault) {
        let inPage = Int(linear & 0xFFF)
        if inPage + size <= 0x1000 {
            memory.write(try translateLinear(linear, access: .write, asUser: asUser), size: size, value: value)
            return
        }
        let first = 0x1000 - inPage
        let p0 = try translateLinear(linear, access: .write, asUser: asUser)
        let p1 = try translateLinear(linear &+ UInt64(first), access: .write, asUser: asUser)
        memory.write(p0, size: first, value: value)
        memory.write(p1, size: size - first, value: value >> (8 * UInt64(first)))
    }

    /// The linear address of the descriptor `selector` refers to, or nil when the 8 bytes
    /// (16 with `wide`) lie beyond the GDT/LDT limit or the LDT is unusable (SDM 3.5.1).
    func descriptorAddress(_ selector: UInt16, wide: Bool = false) -> UInt64? {
        let offset = UInt64(selector & 0xFFF8)
        let last = offset + (wide ? 15 : 7)
        if selector.selectorIsLDT {
            if ldtr.selector.selectorIsNull || !ldtr.present { return nil }
            return last <= UInt64(ldtr.limit) ? ldtr.base &+ offset : nil
        }
        return last <= UInt64(gdtr.limit) ? gdtr.base &+ offset : nil
    }

    /// Reads the descriptor `selector` refers to; beyond the table limit it throws `fault`
    /// with the selector's error code (#GP(sel) or #TS(sel), as the caller's rule says).
    func readDescriptor(_ selector: UInt16, orFault vector: UInt8) throws(Fault) -> Descriptor {
        guard let address = descriptorAddress(selector) else {
            throw Fault(vector: vector, errorCode: selector.selectorErrorCode)
        }
        return Descriptor(low: try readLinear(address, size: 8))
    }

    /// Reads the upper 8 bytes of a 16-byte IA-32e system descriptor or gate into `d`.
    func readDescriptorHigh(_ selector: UInt16, _ d: inout Descriptor, orFault vector: UInt8) throws(Fault) {
        guard let address = descriptorAddress(selector, wide: true) else {
            throw Fault(vector: vector, errorCode: selector.selectorErrorCode)
        }
        d.high = try readLinear(address &+ 8, size: 8)
    }

    /// Sets the accessed bit of a code or data descriptor in memory (SDM 3.4.5.1); only when
    /// it is clear, as hardware does (a locked read-modify-write of the type byte).
    func markAccessed(_ selector: UInt16, _ d: Descriptor) throws(Fault) {
        if d.low & (1 << 40) != 0 { return }
        guard let address = descriptorAddress(selector) else { return }
        try writeLinear(address &+ 5, size: 1, (d.low >> 40) | 1)
    }

    /// Rewrites the type byte (bits 40-47) of the GDT descriptor `selector` (TSS busy bits).
    func writeDescriptorTypeByte(_ selector: UInt16, _ byte: UInt8) throws(Fault) {
        guard let address = descriptorAddress(selector) else { return }
        try writeLinear(address &+ 5, size: 1, UInt64(byte))
    }
}

/// A stack being built or read by a far transfer or event delivery, not yet committed to
/// SS:RSP: the transfer either completes or leaves the registers as they were.
struct StackCursor {
    var cache: SegmentCache
    var sp: UInt64
    /// 2, 4 or 8: the stack-pointer width (SS.B, or 8 for 64-bit stacks).
    var addressSize: UInt8
    /// The error code of the #SS a limit violation raises (0, or the new SS selector).
    var faultCode: UInt32 = 0
    /// The privilege the accesses are made with (page U/S checks).
    var user: Bool
}

extension CPU {
    /// A cursor over the current stack (SS:RSP with the current stack width).
    var currentStack: StackCursor {
        StackCursor(cache: segments[Int(SegmentRegister.ss.rawValue)], sp: stackPointer,
                    addressSize: stackAddressSize, user: cpl == 3)
    }

    /// The linear address of `size` bytes at offset `sp` of the cursor's stack, with the limit
    /// checks of SDM 5.3 (#SS(faultCode)); 64-bit stacks have no limit but must be canonical.
    func stackLinear(_ c: StackCursor, _ sp: UInt64, size: UInt8) throws(Fault) -> UInt64 {
        if c.addressSize == 8 {
            if !isCanonical(sp) || !isCanonical(sp &+ UInt64(size) &- 1) { throw .stackFault(c.faultCode) }
            return sp
        }
        let s = c.cache
        let last = sp &+ UInt64(size) &- 1
        if s.expandDown {
            let upper: UInt64 = s.defaultBig ? 0xFFFF_FFFF : 0xFFFF
            if sp <= UInt64(s.limit) || last > upper { throw .stackFault(c.faultCode) }
        } else if last > UInt64(s.limit) || last < sp {
            throw .stackFault(c.faultCode)
        }
        return (s.base &+ sp) & 0xFFFF_FFFF
    }

    func pushStack(_ c: inout StackCursor, _ value: UInt64, size: UInt8) throws(Fault) {
        let sp = (c.sp &- UInt64(size)) & CPU.mask(c.addressSize)
        try writeLinear(try stackLinear(c, sp, size: size), size: Int(size), value, asUser: c.user)
        c.sp = sp
    }

    func popStack(_ c: inout StackCursor, size: UInt8) throws(Fault) -> UInt64 {
        let v = try readLinear(try stackLinear(c, c.sp, size: size), size: Int(size), asUser: c.user)
        c.sp = (c.sp &+ UInt64(size)) & CPU.mask(c.addressSize)
        return v
    }

    /// Writes a cursor's stack pointer back to RSP, keeping the bits above its width.
    func commitStackPointer(_ c: StackCursor) {
        let m = CPU.mask(c.addressSize)
        registers[4] = registers[4] & ~m | c.sp & m
    }
}
