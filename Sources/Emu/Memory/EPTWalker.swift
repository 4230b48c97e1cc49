/// The extended-page-table walk (SDM vol. 3, 29.3 "The Extended Page Table Mechanism"): in VMX
/// non-root operation with "enable EPT", every guest-physical address (the guest's own
/// paging-structure entries, the final address of data accesses and fetches, linear addresses
/// while guest paging is off, the PAE PDPTEs loaded by MOV to CR) is translated through the
/// 4-level EPT paging structures rooted at the EPTP. A failed translation is a VM exit: an EPT
/// misconfiguration (29.3.3.1, reason 49) or an EPT violation (29.3.3.2, reason 48); the walker
/// records it in `vmx.pendingExit` and throws `Fault.accessVMExit`, which ends the instruction
/// like a fault (RIP stays at it) and which `deliver` turns into the VM exit.
///
/// ```
/// EPTP:       2:0 memory type | 5:3 walk length - 1 | 6 A/D enable | 11:7 rsvd | N-1:12 PML4 | 63:N rsvd
/// EPT entry:  0 R | 1 W | 2 X | 5:3 memory type (leaf) | 6 ignore PAT (leaf) | 7 page size (PDPTE, PDE)
///             | 8 accessed | 9 dirty (leaf) | 10 user-mode execute (ignored) | N-1:12 address | 51:N rsvd
/// ```
extension CPU {
    /// EPT paging-structure entry bits (SDM 29.3.2, tables 29-1 to 29-6).
    enum EPTEntry {
        static let read: UInt64 = 1 << 0
        static let write: UInt64 = 1 << 1
        static let execute: UInt64 = 1 << 2
        static let permissions: UInt64 = 7
        static let pageSize: UInt64 = 1 << 7
        static let accessed: UInt64 = 1 << 8
        static let dirty: UInt64 = 1 << 9
    }

    /// Bits of the EPT-violation exit qualification (SDM 28.2.1, table "Exit Qualification for
    /// EPT Violations").
    enum EPTViolation {
        static let dataRead: UInt64 = 1 << 0
        static let dataWrite: UInt64 = 1 << 1
        static let instructionFetch: UInt64 = 1 << 2
        static let readable: UInt64 = 1 << 3
        static let writable: UInt64 = 1 << 4
        static let executable: UInt64 = 1 << 5
        static let linearAddressValid: UInt64 = 1 << 7
        static let linearTranslation: UInt64 = 1 << 8
        static let nmiUnblockingDueToIRET: UInt64 = 1 << 12
    }

    /// What a guest-physical access is, as the exit qualification reports it.
    enum GuestPhysicalAccess {
        /// The translation of a linear address (`linear`), or of an address used while guest
        /// paging is off (then `linear` equals it).
        case final(linear: UInt64)
        /// A guest paging-structure entry read or written while translating `linear`.
        case pagingStructure(linear: UInt64)
        /// An access with no linear address: the PDPTE loads of MOV to CR0/CR3/CR4 (bit 7 clear).
        case pdpteLoad
    }

    /// Guest-physical -> physical: the address itself outside EPT, else the EPT translation.
    @inline(__always)
    func guestPhysicalToHost(_ gpa: UInt64, access: AccessKind, _ kind: GuestPhysicalAccess) throws(Fault) -> UInt64 {
        guard vmx.eptActive else { return gpa }
        return try eptTranslate(gpa, access: access, kind)
    }

    /// Reads a guest paging-structure entry at guest-physical `gpa` (a read for EPT permission,
    /// a write when EPT accessed/dirty flags are on: SDM 29.3.3.2).
    func readGuestPagingEntry(_ gpa: UInt64, size: Int, linear: UInt64) throws(Fault) -> UInt64 {
        let host = try guestPhysicalToHost(gpa, access: .read, .pagingStructure(linear: linear))
        return memory.read(host, size: size)
    }

    /// Writes a guest paging-structure entry (accessed/dirty updates are data writes for EPT).
    func writeGuestPagingEntry(_ gpa: UInt64, size: Int, value: UInt64, linear: UInt64) throws(Fault) {
        let host = try guestPhysicalToHost(gpa, access: .write, .pagingStructure(linear: linear))
        memory.write(host, size: size, value: value)
    }

    /// The EPT walk of SDM 29.3.2 for one access.
    func eptTranslate(_ gpa: UInt64, access: AccessKind, _ kind: GuestPhysicalAccess) throws(Fault) -> UInt64 {
        let eptp = vmx.eptPointer
        let adEnabled = eptp & 0x40 != 0
        // Guest paging-structure accesses count as writes when EPT A/D flags are on (29.3.3.2).
        var isWrite = access == .write
        if adEnabled, case .pagingStructure = kind { isWrite = true }
        let addressMask = physicalAddressMask & ~0xFFF
        let reservedHigh = physicalAddressReservedMask
        let caps = vmx.capabilities
        var table = eptp & addressMask
        var level = 4
        var allowed = EPTEntry.permissions
        // Entry addresses (physical) for the accessed/dirty updates.
        var used: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var pageMask: UInt64 = 0xFFF
        var leaf: UInt64 = 0
        while true {
            let shift = UInt64(12 + 9 * (level - 1))
            let address = table | ((gpa >> shift) & 0x1FF) << 3
            let e = memory.read(address, size: 8)
            switch level {
            case 4: used.0 = address
            case 3: used.1 = address
            case 2: used.2 = address
            default: used.3 = address
            }
            let rwx = e & EPTEntry.permissions
            if rwx == 0 {
                throw eptViolation(gpa, access: access, isWrite: isWrite, allowed: 0, kind)
            }
            if eptEntryIsMisconfigured(e, level: level, reservedHigh: reservedHigh, caps: caps) {
                throw eptMisconfiguration(gpa)
            }
            allowed &= rwx
            let isLeaf = level == 1 || (level <= 3 && e & EPTEntry.pageSize != 0)
            if isLeaf {
                pageMask = (1 << shift) - 1
                leaf = e
                break
            }
            table = e & addressMask
            level -= 1
        }
        let needed: UInt64
        switch access {
        case .read: needed = isWrite ? EPTEntry.write : EPTEntry.read
        case .write: needed = EPTEntry.write
        case .execute: needed = EPTEntry.execute
        }
        if allowed & needed == 0 {
            throw eptViolation(gpa, access: access, isWrite: isWrite, allowed: allowed, kind)
        }
        if adEnabled {
            // 29.3.5: accessed in every entry used, dirty in the leaf for writes.
            for k in 0...(4 - level) {
                let a = k == 0 ? used.0 : k == 1 ? used.1 : k == 2 ? used.2 : used.3
                let old = memory.read(a, size: 8)
                var v = old | EPTEntry.accessed
                if k == 4 - level && isWrite { v |= EPTEntry.dirty }
                if v != old { memory.write(a, size: 8, value: v) }
            }
        }
        return (leaf & addressMask & ~pageMask) | (gpa & pageMask)
    }

    /// EPT misconfiguration conditions of 29.3.3.1 for a present entry at `level` (4 = PML4E):
    /// write without read, execute-only without support, reserved bits (51:MAXPHYADDR; 7:3 of
    /// PML4Es and non-leaf entries; the address bits below a large page's size; bit 7 of a PDPTE
    /// without 1-GByte page support), or a reserved memory type (2, 3, 7) in a leaf.
    func eptEntryIsMisconfigured(_ e: UInt64, level: Int, reservedHigh: UInt64, caps: VMXCapabilities) -> Bool {
        let rwx = e & EPTEntry.permissions
        if rwx & EPTEntry.read == 0 && rwx & EPTEntry.write != 0 { return true }
        if rwx == EPTEntry.execute && !caps.hasEPTVPID(bit: 0) { return true }
        if e & reservedHigh != 0 { return true }
        let large = e & EPTEntry.pageSize != 0
        let isLeaf = level == 1 || (level <= 3 && large)
        if !isLeaf {
            if e & 0xF8 != 0 { return true }   // bits 7:3
            return false
        }
        if level == 3 && !caps.hasEPTVPID(bit: 17) { return true }
        if level == 2 && !caps.hasEPTVPID(bit: 16) { return true }
        if level > 1 {
            let low: UInt64 = ((1 << UInt64(12 + 9 * (level - 1))) - 1) & ~0xFFF
            if e & low != 0 { return true }
        }
        let memoryType = (e >> 3) & 7
        return memoryType == 2 || memoryType == 3 || memoryType == 7
    }

    /// Records an EPT violation (reason 48) and returns the fault that ends the instruction.
    func eptViolation(_ gpa: UInt64, access: AccessKind, isWrite: Bool, allowed: UInt64,
                      _ kind: GuestPhysicalAccess) -> Fault {
        var q: UInt64 = 0
        switch access {
        case .read: q |= EPTViolation.dataRead
        case .write: q |= EPTViolation.dataWrite
        case .execute: q |= EPTViolation.instructionFetch
        }
        // A paging-structure access treated as a write reports both bits 0 and 1.
        if isWrite { q |= EPTViolation.dataWrite }
        q |= (allowed & EPTEntry.permissions) << 3
        var info = VMExitInformation()
        info.guestPhysicalAddress = gpa
        switch kind {
        case .final(let linear):
            q |= EPTViolation.linearAddressValid | EPTViolation.linearTranslation
            info.guestLinearAddress = linear
        case .pagingStructure(let linear):
            q |= EPTViolation.linearAddressValid
            info.guestLinearAddress = linear
        case .pdpteLoad:
            break
        }
        info.qualification = q
        vmx.pendingExit = PendingVMExit(reason: .eptViolation, info: info)
        return .accessVMExit
    }

    /// Records an EPT misconfiguration (reason 49): only the guest-physical address is reported.
    func eptMisconfiguration(_ gpa: UInt64) -> Fault {
        var info = VMExitInformation()
        info.guestPhysicalAddress = gpa
        vmx.pendingExit = PendingVMExit(reason: .eptMisconfiguration, info: info)
        return .accessVMExit
    }
}
