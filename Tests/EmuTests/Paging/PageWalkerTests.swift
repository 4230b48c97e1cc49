import Testing
@testable import Emu

/// Translations, #PF error codes (SDM vol. 3, 4.7), CR2 and accessed/dirty updates (4.8) for
/// every paging format, with page tables built from the entry layouts of chapter 4.
@Suite struct PageWalkerTests {
    // MARK: 4-level

    @Test func fourLevelReadSetsAccessedOnEveryLevelButNotDirty() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel()
        #expect(f.walk(linear4, .read) == .success(0x20_0123))
        #expect(f.entry(0x10008) & 0x60 == 0x20)
        #expect(f.entry(0x11010) & 0x60 == 0x20)
        #expect(f.entry(0x12018) & 0x60 == 0x20)
        #expect(f.entry(0x13020) & 0x60 == 0x20)
    }

    @Test func fourLevelWriteSetsDirtyOnlyInTheFinalEntry() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel()
        #expect(f.walk(linear4, .write) == .success(0x20_0123))
        #expect(f.entry(0x13020) & 0x60 == 0x60)
        #expect(f.entry(0x12018) & 0x60 == 0x20)
        #expect(f.entry(0x10008) & 0x60 == 0x20)
    }

    @Test func twoMegabyteAndOneGigabytePages() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel()
        f.set(0x12018, 0x60_0000 | 0x80 | pwu)                     // PD[3]: 2 MiB page at 6 MiB
        #expect(f.walk(linear4, .write) == .success(0x60_0000 + (4 << 12) + 0x123))
        #expect(f.entry(0x12018) & 0x60 == 0x60)                    // the PDE is the final entry
        f.set(0x11010, 0x4000_0000 | 0x80 | pwu)                   // PDPT[2]: 1 GiB page at 1 GiB
        #expect(f.walk(linear4, .read) == .success(0x4000_0000 + (3 << 21) + (4 << 12) + 0x123))
    }

    @Test func notPresentFaultReportsCR2AndLeavesEntriesAlone() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel(pt: 0)
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0)))
        #expect(f.cpu.cr2 == linear4)
        #expect(f.entry(0x10008) & 0x20 == 0)
        f.cpu.cpl = 3
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x6)))  // W/R | U/S
    }

    @Test func userAccessRights() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel(pd: 0x5)                                   // PD: present, user, read-only
        f.cpu.cpl = 3
        #expect(f.walk(linear4, .read) == .success(0x20_0123))
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x7)))
        #expect(f.entry(0x13020) & 0x40 == 0)                        // no dirty flag on a fault
        f.buildFourLevel(pdpt: pw)                                  // a supervisor level
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0x5)))
        #expect(f.walk(linear4, .execute) == .failure(.pageFault(0x5)))  // I/D needs NXE or SMEP
    }

    @Test func writeProtectForSupervisorWrites() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel(pt: 0x1)                                   // read-only supervisor page
        f.cpu.cr0 &= ~(1 << 16)
        #expect(f.walk(linear4, .write) == .success(0x20_0123))
        #expect(f.entry(0x13020) & 0x40 == 0x40)
        f.cpu.cr0 |= 1 << 16
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x3)))
    }

    @Test func reservedBitsGiveRSVD() {
        let f = PagingFixture(.fourLevel)                           // MAXPHYADDR 46 on Intel
        f.buildFourLevel()
        f.set(0x12018, 0x13000 | 1 << 46 | pwu)
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0x9)))
        f.buildFourLevel(pml4: 0x80 | pwu)                         // PS in a PML4E
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0xB)))
        f.buildFourLevel()
        f.set(0x12018, 0x60_0000 | 1 << 13 | 0x80 | pwu)           // 2 MiB page, bit 13 set
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0x9)))
        f.set(0x12018, 0x60_0000 | 1 << 12 | 0x80 | pwu)           // bit 12 is PAT: allowed
        #expect(f.walk(linear4, .read) == .success(0x60_0000 + (4 << 12) + 0x123))
        f.buildFourLevel(pt: 1 << 63 | pwu)                         // XD without EFER.NXE
        #expect(f.walk(linear4, .execute) == .failure(.pageFault(0x9)))
        // A not-present entry's other bits are ignored.
        f.buildFourLevel(pt: 1 << 50)
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0)))
    }

    @Test func amdHasFortyEightPhysicalAddressBits() {
        let f = PagingFixture(.fourLevel, vendor: .amd)
        f.buildFourLevel(frame: 1 << 46)
        #expect(f.walk(linear4, .read) == .success(1 << 46 | 0x123))
        f.buildFourLevel(frame: 1 << 48)
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0x9)))
    }

    @Test func executeDisableAndInstructionFetchBit() {
        let f = PagingFixture(.fourLevel)
        f.cpu.efer |= 1 << 11
        f.buildFourLevel(pd: 1 << 63 | pwu)
        #expect(f.walk(linear4, .read) == .success(0x20_0123))
        #expect(f.walk(linear4, .execute) == .failure(.pageFault(0x11)))
        f.cpu.cpl = 3
        #expect(f.walk(linear4, .execute) == .failure(.pageFault(0x15)))
        f.buildFourLevel(pt: 0)
        #expect(f.walk(linear4, .execute) == .failure(.pageFault(0x14)))
    }

    @Test func smepBlocksSupervisorFetchFromUserPages() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel()
        #expect(f.walk(linear4, .execute) == .success(0x20_0123))
        f.cpu.cr4 |= 1 << 20
        #expect(f.walk(linear4, .execute) == .failure(.pageFault(0x11)))
        #expect(f.walk(linear4, .read) == .success(0x20_0123))
        f.buildFourLevel(pdpt: pw)                                  // a supervisor page
        #expect(f.walk(linear4, .execute) == .success(0x20_0123))
    }

    @Test func smapHonoursACForExplicitAccessesOnly() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel()
        f.cpu.cr4 |= 1 << 21
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0x1)))
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x3)))
        #expect(f.walk(linear4, .execute) == .success(0x20_0123))    // SMAP is for data only
        f.cpu.controlFlags |= RFlags.alignmentCheck.rawValue
        #expect(f.walk(linear4, .write) == .success(0x20_0123))
        // Implicit supervisor accesses (descriptor tables) ignore AC, and at CPL 3 report U/S = 0.
        f.cpu.cpl = 3
        #expect(throws: Fault.pageFault(0x1)) { try f.cpu.implicitSupervisorTranslate(linear4, access: .read) }
        #expect(f.walk(linear4, .read) == .success(0x20_0123))       // explicit user access
    }

    @Test func protectionKeys() {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel(pt: 5 << 59 | pwu)                          // key 5
        f.cpu.cr4 |= 1 << 22
        f.cpu.cpl = 3
        f.cpu.systemRegisters.pkru = 1 << 10                         // AD5
        #expect(f.walk(linear4, .read) == .failure(.pageFault(0x25)))
        #expect(f.walk(linear4, .execute) == .success(0x20_0123))    // keys never block fetches
        f.cpu.systemRegisters.pkru = 2 << 10                         // WD5
        #expect(f.walk(linear4, .read) == .success(0x20_0123))
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x27)))
        f.cpu.cpl = 0
        f.cpu.cr0 &= ~(1 << 16)
        #expect(f.walk(linear4, .write) == .success(0x20_0123))      // WD binds supervisors only with WP
        f.cpu.cr0 |= 1 << 16
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x23)))
        f.cpu.systemRegisters.pkru = 3                               // key 0 disabled; key 5 free
        #expect(f.walk(linear4, .write) == .success(0x20_0123))
        // Read-only page and WD: both reported, PK included (SDM 4.7).
        f.cpu.cpl = 3
        f.cpu.systemRegisters.pkru = 2 << 10
        f.buildFourLevel(pt: 5 << 59 | 0x5)
        #expect(f.walk(linear4, .write) == .failure(.pageFault(0x27)))
        // Supervisor pages are not subject to PKRU.
        f.cpu.cpl = 0
        f.cpu.systemRegisters.pkru = 0xFFFF_FFFF
        f.buildFourLevel(pd: pw, pt: 5 << 59 | pwu)
        #expect(f.walk(linear4, .write) == .success(0x20_0123))
    }

    @Test func fiveLevelPaging() {
        let f = PagingFixture(.fiveLevel)
        let linear: UInt64 = 3 << 48 | 1 << 39 | 2 << 30 | 3 << 21 | 4 << 12 | 0x123
        f.cpu.cr3 = 0xF000
        f.set(0xF000 + 24, 0x10000 | pwu)
        f.set(0x10000 + 8, 0x11000 | pwu)
        f.set(0x11000 + 16, 0x12000 | pwu)
        f.set(0x12000 + 24, 0x13000 | pwu)
        f.set(0x13000 + 32, 0x20_0000 | pwu)
        #expect(f.walk(linear, .write) == .success(0x20_0123))
        #expect(f.entry(0xF018) & 0x60 == 0x20)
        f.set(0xF018, 0x10000 | 0x80 | pwu)                          // PS in a PML5E
        #expect(f.walk(linear, .read) == .failure(.pageFault(0x9)))
    }

    // MARK: 32-bit paging

    @Test func thirtyTwoBitPaging() {
        let f = PagingFixture(.bits32)
        let linear: UInt64 = 0x0040_3123                             // PDE 1, PTE 3
        f.cpu.cr3 = 0x10000
        f.set(0x10004, 0x11000 | pwu, size: 4)
        f.set(0x1100C, 0x0030_0000 | pwu, size: 4)
        #expect(f.walk(linear, .write) == .success(0x30_0123))
        #expect(f.entry(0x10004, size: 4) & 0x60 == 0x20)
        #expect(f.entry(0x1100C, size: 4) & 0x60 == 0x60)
        // A 4 MiB page with PSE-36: PDE bits 20:13 are address bits 39:32.
        f.set(0x10004, 0x0080_0000 | 0x3 << 13 | 0x80 | pwu, size: 4)
        #expect(f.walk(linear, .read) == .success(0x3_0080_0000 + 0x3123))
        f.set(0x10004, 0x0080_0000 | 1 << 21 | 0x80 | pwu, size: 4)  // bit 21 reserved
        #expect(f.walk(linear, .read) == .failure(.pageFault(0x9)))
        // Without CR4.PSE the PS bit is ignored: the PDE points to a page table.
        f.cpu.cr4 = 0
        f.set(0x10004, 0x11000 | 0x80 | pwu, size: 4)
        #expect(f.walk(linear, .read) == .success(0x30_0123))
        // No XD in 32-bit entries, and I/D only with SMEP.
        f.set(0x1100C, 0, size: 4)
        #expect(f.walk(linear, .execute) == .failure(.pageFault(0)))
        f.cpu.cr4 = 1 << 20
        #expect(f.walk(linear, .execute) == .failure(.pageFault(0x10)))
        #expect(f.cpu.cr2 == linear)
    }

    // MARK: PAE

    /// PDPT at 0x10020 (32-byte aligned), PD at 0x11000, PT at 0x12000.
    private func paeMachine() -> PagingFixture {
        let f = PagingFixture(.pae)
        f.set(0x10020 + 8, 0x11000 | 1)                              // PDPTE 1: only P is allowed
        f.set(0x11000 + 16, 0x12000 | pwu)                           // PDE 2
        f.set(0x12000 + 24, 0x30_0000 | pwu)                         // PTE 3
        return f
    }

    private let paeLinear: UInt64 = 1 << 30 | 2 << 21 | 3 << 12 | 0x456

    @Test func paeUsesThePDPTERegistersLoadedByMovCR3() throws {
        let f = paeMachine()
        // MOV to CR3 with PAE paging active loads the PDPTEs (SDM 4.4.1).
        try f.cpu.writeCR3(0x10020)
        #expect(f.cpu.systemRegisters.pdptes.1 == 0x11001)
        #expect(f.walk(paeLinear, .write) == .success(0x30_0456))
        #expect(f.entry(0x10028) & 0x20 == 0)                        // PDPTEs get no accessed flag
        #expect(f.entry(0x11010) & 0x20 == 0x20)
        // Changing the PDPT in memory changes nothing until CR3 is written again.
        f.set(0x10028, 0)
        #expect(f.walk(paeLinear, .read) == .success(0x30_0456))
        try f.cpu.writeCR3(0x10020)
        #expect(f.walk(paeLinear, .read) == .failure(.pageFault(0)))
    }

    @Test func paeReservedPDPTEBitsAreGPOnLoad() {
        let f = paeMachine()
        f.set(0x10028, 0x11000 | 3)                                  // R/W is reserved in a PDPTE
        #expect(throws: Fault.generalProtection(0)) { try f.cpu.writeCR3(0x10020) }
        f.set(0x10028, 0x11000 | 2)                                  // not present: ignored
        #expect(throws: Never.self) { try f.cpu.writeCR3(0x10020) }
    }

    @Test func paeLargePagesReservedBitsAndXD() throws {
        let f = paeMachine()
        try f.cpu.writeCR3(0x10020)
        f.set(0x11010, 0x40_0000 | 0x80 | pwu)                        // 2 MiB page at 4 MiB
        #expect(f.walk(paeLinear, .read) == .success(0x40_0000 + (3 << 12) + 0x456))
        f.set(0x11010, 0x40_0000 | 1 << 52 | 0x80 | pwu)              // bits 62:52 reserved in PAE
        #expect(f.walk(paeLinear, .read) == .failure(.pageFault(0x9)))
        f.cpu.efer = 1 << 11
        f.set(0x11010, 0x40_0000 | 1 << 63 | 0x80 | pwu)
        #expect(f.walk(paeLinear, .read) == .success(0x40_0000 + (3 << 12) + 0x456))
        #expect(f.walk(paeLinear, .execute) == .failure(.pageFault(0x11)))
    }

    // MARK: Through the TLB

    @Test func tlbFollowsCR3WritesAndInvlpg() throws {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel()
        f.machine.memory.write(0x20_0123, size: 1, value: 0xAA)
        f.machine.memory.write(0x30_0123, size: 1, value: 0xBB)
        #expect(try f.cpu.read(3, linear4, size: 1) == 0xAA)
        f.set(0x13020, 0x30_0000 | pwu)
        try f.cpu.writeCR3(0x10000)
        #expect(try f.cpu.read(3, linear4, size: 1) == 0xBB)
        // A write through a TLB entry filled by a read walks again and sets D.
        #expect(f.entry(0x13020) & 0x40 == 0)
        try f.cpu.write(3, linear4, size: 1, 0xCC)
        #expect(f.entry(0x13020) & 0x40 == 0x40)
        // Non-canonical addresses fault before paging (#GP).
        #expect(throws: Fault.generalProtection(0)) { try f.cpu.read(3, 0x0000_8000_0000_0000, size: 1) }
    }
}
