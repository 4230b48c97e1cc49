/// The page walks of SDM vol. 3, chapter 4: 32-bit paging (4.3, with PSE and PSE-36), PAE paging
/// (4.4) and 4-level paging (4.5), with the permission checks of 4.6 and the accessed/dirty
/// updates of 4.8. A failed walk sets CR2 and throws #PF with the error code of 4.7.
extension CPU {
    private static let present: UInt64 = 1, writable: UInt64 = 2, user: UInt64 = 4
    private static let accessed: UInt64 = 0x20, dirty: UInt64 = 0x40, large: UInt64 = 0x80
    private static let noExecute: UInt64 = 1 << 63

    func walkPageTables(_ linear: UInt64, access: AccessKind) throws(Fault) -> UInt64 {
        let userAccess = cpl == 3
        let nxe = efer & 0x800 != 0
        var entries: [(address: UInt64, value: UInt64, size: Int)] = []
        var physical: UInt64
        var pageMask: UInt64 = 0xFFF

        if cr4 & 0x20 == 0 {
            // 32-bit paging.
            let pdeAddress = (cr3 & 0xFFFF_F000) | ((linear >> 20) & 0xFFC)
            let pde = memory.read(pdeAddress, size: 4)
            guard pde & CPU.present != 0 else { throw pageFault(linear, access, present: false, rsvd: false) }
            entries.append((pdeAddress, pde, 4))
            if pde & CPU.large != 0 && cr4 & 0x10 != 0 {
                // 4 MiB page; bits 13-20 hold physical address bits 32-39 (PSE-36).
                if pde & (1 << 21) != 0 { throw pageFault(linear, access, present: true, rsvd: true) }
                physical = (pde & 0xFFC0_0000) | ((pde >> 13) & 0xFF) << 32
                pageMask = 0x3F_FFFF
            } else {
                let pteAddress = (pde & 0xFFFF_F000) | ((linear >> 10) & 0xFFC)
                let pte = memory.read(pteAddress, size: 4)
                guard pte & CPU.present != 0 else { throw pageFault(linear, access, present: false, rsvd: false) }
                entries.append((pteAddress, pte, 4))
                physical = pte & 0xFFFF_F000
            }
        } else {
            let maxPhysical: UInt64 = 0x000F_FFFF_FFFF_F000   // 52-bit physical addresses
            var table: UInt64
            var level: Int
            if efer & 0x400 != 0 {
                table = cr3 & maxPhysical
                level = 4
            } else {
                // PAE: the PDPTE (SDM 4.4.1).
                let pdpteAddress = (cr3 & 0xFFFF_FFE0) | ((linear >> 27) & 0x18)
                let pdpte = memory.read(pdpteAddress, size: 8)
                guard pdpte & CPU.present != 0 else { throw pageFault(linear, access, present: false, rsvd: false) }
                if pdpte & 0x1E6 != 0 || pdpte & (physicalAddressReservedMask | 0xFFF0_0000_0000_0000) != 0 {
                    throw pageFault(linear, access, present: true, rsvd: true)
                }
                table = pdpte & maxPhysical
                level = 2
            }
            while true {
                let shift = UInt64(12 + 9 * (level - 1))
                let address = table | ((linear >> shift) & 0x1FF) << 3
                let e = memory.read(address, size: 8)
                guard e & CPU.present != 0 else { throw pageFault(linear, access, present: false, rsvd: false) }
                // Reserved: bits 51:MAXPHYADDR, bit 63 without EFER.NXE, and under PAE bits 62:52.
                var reserved = physicalAddressReservedMask
                if !nxe { reserved |= CPU.noExecute }
                if efer & 0x400 == 0 { reserved |= 0x7FF0_0000_0000_0000 }
                if e & reserved != 0 { throw pageFault(linear, access, present: true, rsvd: true) }
                if level == 4 && e & CPU.large != 0 { throw pageFault(linear, access, present: true, rsvd: true) }
                entries.append((address, e, 8))
                if level == 1 || (e & CPU.large != 0 && level <= 3) {
                    pageMask = (1 << shift) - 1
                    if level > 1 && e & pageMask & ~0x1FFF != 0 {
                        throw pageFault(linear, access, present: true, rsvd: true)
                    }
                    physical = e & maxPhysical & ~pageMask
                    break
                }
                table = e & maxPhysical
                level -= 1
            }
        }

        // Permissions (SDM 4.6): every level must allow the access.
        var allowWrite = true, allowUser = true, allowExecute = true
        for e in entries {
            if e.value & CPU.writable == 0 { allowWrite = false }
            if e.value & CPU.user == 0 { allowUser = false }
            if e.size == 8 && nxe && e.value & CPU.noExecute != 0 { allowExecute = false }
        }
        let wp = cr0 & 0x1_0000 != 0
        var denied = false
        if userAccess && !allowUser { denied = true }
        if access == .write && !allowWrite && (userAccess || wp) { denied = true }
        if access == .execute && !allowExecute { denied = true }
        if !userAccess && allowUser {
            if access == .execute && cr4 & (1 << 20) != 0 { denied = true }                 // SMEP
            if access != .execute && cr4 & (1 << 21) != 0 && controlFlags & RFlags.alignmentCheck.rawValue == 0 {
                denied = true                                                               // SMAP
            }
        }
        if denied { throw pageFault(linear, access, present: true, rsvd: false) }

        // Accessed and dirty flags (SDM 4.8).
        for (k, e) in entries.enumerated() {
            var v = e.value | CPU.accessed
            if k == entries.count - 1 && access == .write { v |= CPU.dirty }
            if v != e.value { memory.write(e.address, size: e.size, value: v) }
        }
        return physical | (linear & pageMask)
    }

    /// Bits 51:MAXPHYADDR of a paging-structure entry.
    var physicalAddressReservedMask: UInt64 {
        let bits = UInt64(cpuidModel.physicalAddressBits)
        return (1 << 52) - (1 << bits)
    }

    private func pageFault(_ linear: UInt64, _ access: AccessKind, present: Bool, rsvd: Bool) -> Fault {
        cr2 = linear
        var code: UInt32 = present ? 1 : 0
        if access == .write { code |= 2 }
        if cpl == 3 { code |= 4 }
        if rsvd { code |= 8 }
        if access == .execute && (efer & 0x800 != 0 || cr4 & (1 << 20) != 0) { code |= 0x10 }
        return .pageFault(code)
    }
}
