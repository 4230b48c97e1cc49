/// The page walks of SDM vol. 3, chapter 4: 32-bit paging (4.3, with PSE and PSE-36), PAE paging
/// (4.4, through the PDPTE registers loaded by MOV to CR3), 4-level and 5-level paging (4.5,
/// with 1 GiB pages), the access rights of 4.6 (U/S, R/W with CR0.WP, XD, SMEP, SMAP with
/// EFLAGS.AC and implicit supervisor accesses, protection keys) and the accessed/dirty updates of
/// 4.8. A failed walk sets CR2 and throws #PF with the error code of 4.7.
///
/// Accessed and dirty flags are written only when the access is allowed: a faulting access
/// leaves every entry unchanged (SDM 4.8 lets A be set early; swemu never does).
///
/// ```
/// 4-level PTE:  63 XD | 62:59 PK | 58:52 ign | 51:M rsvd | M-1:12 address | 8 G | 7 PAT | 6 D | 5 A
///               | 4 PCD | 3 PWT | 2 U/S | 1 R/W | 0 P
/// ```
extension CPU {
    /// Paging-structure entry bits (SDM vol. 3, tables 4-4 to 4-20).
    enum PTE {
        static let present: UInt64 = 1 << 0
        static let writable: UInt64 = 1 << 1
        static let user: UInt64 = 1 << 2
        static let accessed: UInt64 = 1 << 5
        static let dirty: UInt64 = 1 << 6
        static let pageSize: UInt64 = 1 << 7
        static let global: UInt64 = 1 << 8
        static let executeDisable: UInt64 = 1 << 63
    }

    /// #PF error-code bits (SDM vol. 3, 4.7).
    enum PageFaultCode {
        static let present: UInt32 = 1 << 0
        static let write: UInt32 = 1 << 1
        static let user: UInt32 = 1 << 2
        static let reserved: UInt32 = 1 << 3
        static let instruction: UInt32 = 1 << 4
        static let protectionKey: UInt32 = 1 << 5
    }

    /// Linear -> physical for an implicit supervisor-mode access (GDT, LDT, IDT, TSS, shadow
    /// stack...): supervisor rights even at CPL 3 and SMAP regardless of EFLAGS.AC (SDM 4.6).
    /// It does not fill the TLB, whose entries are for explicit accesses.
    func implicitSupervisorTranslate(_ linear: UInt64, access: AccessKind) throws(Fault) -> UInt64 {
        if cr0 & CR0.pg.rawValue == 0 { return try guestPhysicalToHost(linear, access: access, .final(linear: linear)) }
        return try walkPageTables(linear, access: access, implicitSupervisor: true)
    }

    /// `asUser` makes the access a user-mode one whatever the CPL (stack accesses of a CPL-3
    /// stack made while delivering or returning). In VMX non-root operation with EPT the
    /// paging-structure entries and the result are guest-physical addresses, translated through
    /// EPT (EPTWalker.swift); the result is the physical address of the access.
    func walkPageTables(_ linear: UInt64, access: AccessKind, implicitSupervisor: Bool = false,
                        asUser: Bool = false) throws(Fault) -> UInt64 {
        let userAccess = asUser || (cpl == 3 && !implicitSupervisor)
        let nxe = efer & EFER.nxe.rawValue != 0
        let ia32e = efer & EFER.lma.rawValue != 0
        let pae = cr4 & CR4.pae.rawValue != 0
        // Up to five entries (guest-physical address, value); 4 bytes each without PAE, else 8.
        var entries = WalkEntries()
        let entrySize = pae ? 8 : 4
        var physical: UInt64
        var pageMask: UInt64 = 0xFFF
        var fault = FaultContext(linear: linear, access: access, user: userAccess,
                                 instructionBit: access == .execute
                                    && (cr4 & CR4.smep.rawValue != 0 || (pae && nxe)))

        if !pae {
            // 32-bit paging (SDM 4.3).
            let pdeAddress = (cr3 & 0xFFFF_F000) | ((linear >> 20) & 0xFFC)
            let pde = try readGuestPagingEntry(pdeAddress, size: 4, linear: linear)
            if pde & PTE.present == 0 { throw fault.raise(self) }
            if pde & PTE.pageSize != 0 && cr4 & CR4.pse.rawValue != 0 {
                // 4 MiB page; PDE bits 20:13 are physical address bits 39:32 (PSE-36), up to
                // min(MAXPHYADDR, 40) bits; bit 21 and the bits above that width are reserved.
                let width = min(cpuidModel.physicalAddressBits, 40)
                let reserved: UInt64 = (1 << 21) | (((1 << 8) - 1) << 13 & ~(((1 << UInt64(width - 32)) - 1) << 13))
                if pde & reserved != 0 { fault.rsvd = true; throw fault.raise(self) }
                entries.append(pdeAddress, pde)
                physical = (pde & 0xFFC0_0000) | ((pde >> 13) & 0xFF) << 32
                pageMask = 0x3F_FFFF
            } else {
                entries.append(pdeAddress, pde)
                let pteAddress = (pde & 0xFFFF_F000) | ((linear >> 10) & 0xFFC)
                let pte = try readGuestPagingEntry(pteAddress, size: 4, linear: linear)
                if pte & PTE.present == 0 { throw fault.raise(self) }
                entries.append(pteAddress, pte)
                physical = pte & 0xFFFF_F000
            }
        } else {
            let addressMask = physicalAddressMask & ~0xFFF
            // Reserved: bits 51:MAXPHYADDR; XD without EFER.NXE; under PAE also bits 62:52.
            var reserved = ~physicalAddressMask & ((1 << 52) - 1)
            if !nxe { reserved |= PTE.executeDisable }
            if !ia32e { reserved |= 0x7FF0_0000_0000_0000 }
            var table: UInt64
            var level: Int
            if ia32e {
                table = cr3 & addressMask
                level = cr4 & CR4.la57.rawValue != 0 ? 5 : 4
            } else {
                // PAE: the PDPTE register for bits 31:30 (checked for reserved bits when loaded).
                let pdpte = systemRegisters.pdpte(Int((linear >> 30) & 3))
                if pdpte & PTE.present == 0 { throw fault.raise(self) }
                table = pdpte & addressMask
                level = 2
            }
            while true {
                let shift = UInt64(12 + 9 * (level - 1))
                let address = table | ((linear >> shift) & 0x1FF) << 3
                let e = try readGuestPagingEntry(address, size: 8, linear: linear)
                if e & PTE.present == 0 { throw fault.raise(self) }
                var rsvd = e & reserved != 0
                let large = e & PTE.pageSize != 0
                // PS is reserved in PML5Es and PML4Es, and in PDPTEs without 1 GiB pages.
                if large && (level >= 4 || (level == 3 && !cpuidModel.pdpe1GB)) { rsvd = true }
                let leaf = level == 1 || (large && level <= 3)
                if leaf && level > 1 {
                    // A large page's address bits below its size (except PAT, bit 12) are reserved.
                    let low: UInt64 = ((1 << shift) - 1) & ~0x1FFF
                    if e & low != 0 { rsvd = true }
                }
                if rsvd { fault.rsvd = true; throw fault.raise(self) }
                entries.append(address, e)
                if leaf {
                    pageMask = (1 << shift) - 1
                    physical = e & addressMask & ~pageMask
                    break
                }
                table = e & addressMask
                level -= 1
            }
        }

        // Access rights (SDM 4.6): the combined U/S and R/W of every entry, XD of any entry.
        var allWritable = true, allUser = true, executeDisabled = false
        for k in 0..<entries.count {
            let value = entries[k].value
            if value & PTE.writable == 0 { allWritable = false }
            if value & PTE.user == 0 { allUser = false }
            if nxe && entrySize == 8 && value & PTE.executeDisable != 0 { executeDisabled = true }
        }
        let wp = cr0 & CR0.wp.rawValue != 0
        let final = entries[entries.count - 1].value
        var denied = false
        if access == .execute {
            if executeDisabled { denied = true }
            if userAccess && !allUser { denied = true }
            // SMEP: no supervisor fetches from user-mode addresses.
            if !userAccess && allUser && cr4 & CR4.smep.rawValue != 0 { denied = true }
        } else {
            if userAccess {
                if !allUser { denied = true }
                if access == .write && !allWritable { denied = true }
            } else {
                // SMAP: supervisor data accesses to user-mode addresses need EFLAGS.AC = 1 and an
                // explicit access at CPL < 3; implicit accesses never pass.
                if allUser && cr4 & CR4.smap.rawValue != 0
                    && (implicitSupervisor || controlFlags & RFlags.alignmentCheck.rawValue == 0) {
                    denied = true
                }
                if access == .write && !allWritable && wp { denied = true }
            }
            // Protection keys (SDM 4.6.2): user-mode addresses, IA-32e paging, CR4.PKE.
            if ia32e && allUser && cr4 & CR4.pke.rawValue != 0 {
                let key = (final >> 59) & 0xF
                let rights = UInt64(systemRegisters.pkru) >> (2 * key)
                let accessDisabled = rights & 1 != 0
                let writeDisabled = rights & 2 != 0 && access == .write && (userAccess || wp)
                if accessDisabled || writeDisabled {
                    denied = true
                    fault.protectionKey = true
                }
            }
        }
        if denied { fault.present = true; throw fault.raise(self) }

        // Accessed flags on every entry used, dirty on the final one for writes (SDM 4.8).
        for k in 0..<entries.count {
            let e = entries[k]
            var v = e.value | PTE.accessed
            if k == entries.count - 1 && access == .write { v |= PTE.dirty }
            if v != e.value { try writeGuestPagingEntry(e.address, size: entrySize, value: v, linear: linear) }
        }
        // Global translation (4.10.2.4): CR4.PGE and G in the entry that maps the page.
        tlb.lastWalkGlobal = cr4 & CR4.pge.rawValue != 0 && final & PTE.global != 0
        tlb.lastWalkShift = UInt8(truncatingIfNeeded: (pageMask &+ 1).trailingZeroBitCount &- 12)
        return try guestPhysicalToHost(physical | (linear & pageMask), access: access, .final(linear: linear))
    }

    /// The entries one walk used, in order, without a heap allocation (at most five levels).
    struct WalkEntries {
        private var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0
        private var v0: UInt64 = 0, v1: UInt64 = 0, v2: UInt64 = 0, v3: UInt64 = 0, v4: UInt64 = 0
        private(set) var count = 0

        mutating func append(_ address: UInt64, _ value: UInt64) {
            switch count {
            case 0: a0 = address; v0 = value
            case 1: a1 = address; v1 = value
            case 2: a2 = address; v2 = value
            case 3: a3 = address; v3 = value
            default: a4 = address; v4 = value
            }
            count = min(count + 1, 5)
        }

        subscript(k: Int) -> (address: UInt64, value: UInt64) {
            switch k {
            case 0: return (a0, v0)
            case 1: return (a1, v1)
            case 2: return (a2, v2)
            case 3: return (a3, v3)
            default: return (a4, v4)
            }
        }
    }

    /// Bits 51:MAXPHYADDR of a paging-structure entry.
    var physicalAddressReservedMask: UInt64 {
        let bits = UInt64(cpuidModel.physicalAddressBits)
        return (1 << 52) - (1 << bits)
    }

    /// What a #PF reports; `raise` sets CR2 and builds the error code.
    struct FaultContext {
        let linear: UInt64
        let access: AccessKind
        let user: Bool
        let instructionBit: Bool
        var present = false
        var rsvd = false
        var protectionKey = false

        init(linear: UInt64, access: AccessKind, user: Bool, instructionBit: Bool) {
            self.linear = linear
            self.access = access
            self.user = user
            self.instructionBit = instructionBit
        }

        func raise(_ cpu: CPU) -> Fault {
            if cpu.vmx.nonRoot { cpu.vmx.cr2BeforePageFault = cpu.cr2 }   // a #PF VM exit keeps CR2
            cpu.cr2 = linear
            var code: UInt32 = 0
            if present || rsvd { code |= PageFaultCode.present }
            if access == .write { code |= PageFaultCode.write }
            if user { code |= PageFaultCode.user }
            if rsvd { code |= PageFaultCode.reserved }
            if instructionBit { code |= PageFaultCode.instruction }
            if protectionKey { code |= PageFaultCode.protectionKey }
            return .pageFault(code)
        }
    }
}
