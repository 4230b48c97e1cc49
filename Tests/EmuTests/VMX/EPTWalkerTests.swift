import Testing
@testable import Emu

/// EPT translation, violations and misconfigurations against the SDM's definitions (29.3.2,
/// 29.3.3, 28.2.1 "Exit Qualification for EPT Violations").
@Suite struct EPTWalkerTests {
    typealias E = EPTGuest
    static let data: UInt64 = 0x9000

    @Test func identityEPTTranslates() {
        let e = E()
        e.memory.write(Self.data, size: 8, value: 0x1122_3344_5566_7788)
        #expect(e.exitOf(E.load(E.alias + Self.data) + E.cpuid) == 10)
        #expect(e.cpu.vmx.read(.guestRIP) == VMXGuestMachine.guestCode + 8)
    }

    @Test func eptRemapsGuestPhysicalPages() {
        let e = E()
        e.memory.write(0x1_5000, size: 8, value: 0xABCD)
        e.mapPage(Self.data, E.rwx | E.wb, to: 0x1_5000)
        #expect(e.exitOf(E.load(E.alias + Self.data) + E.cpuid) == 10)
        #expect(e.cpu.registers[0] == 0xABCD)
    }

    /// Not-present final translation, read: bit 0, permissions 0, GLA valid, final (bit 8).
    @Test func notPresentRead() {
        let e = E()
        e.mapPage(Self.data, 0)
        #expect(e.exitOf(E.load(E.alias + Self.data + 8)) == 48)
        #expect(e.qualification == 1 | 1 << 7 | 1 << 8)
        #expect(e.gpa == Self.data + 8 && e.gla == E.alias + Self.data + 8)
        #expect(e.g.savedRIP == VMXGuestMachine.guestCode)       // fault-like: RIP at the instruction
        #expect(e.cpu.vmx.read(.idtVectoringInformation) == 0)
    }

    /// A write to a read/execute page: bit 1, readable (3) and executable (5) reported.
    @Test func writeToReadOnlyPage() {
        let e = E()
        e.mapPage(Self.data, 5 | E.wb)
        #expect(e.exitOf(E.store(E.alias + Self.data)) == 48)
        #expect(e.qualification == 1 << 1 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 8)
        #expect(e.gpa == Self.data && e.gla == E.alias + Self.data)
    }

    /// A fetch from a read/write page: bit 2, readable and writable.
    @Test func fetchFromNonExecutablePage() {
        let e = E()
        e.mapPage(Self.data, 3 | E.wb)
        #expect(e.exitOf(E.jump(E.alias + Self.data)) == 48)
        #expect(e.qualification == 1 << 2 | 1 << 3 | 1 << 4 | 1 << 7 | 1 << 8)
        #expect(e.gpa == Self.data && e.gla == E.alias + Self.data)
        #expect(e.g.savedRIP == E.alias + Self.data)
    }

    /// Execute-only (IA32_VMX_EPT_VPID_CAP[0]): fetches work, reads exit with only bit 5 set.
    @Test func executeOnlyPage() {
        let e = E()
        e.mapPage(Self.data, 4 | E.wb)
        _ = e.memory.load(E.cpuid, at: Self.data)
        #expect(e.exitOf(E.jump(E.alias + Self.data)) == 10)
        let f = E()
        f.mapPage(Self.data, 4 | E.wb)
        #expect(f.exitOf(E.load(E.alias + Self.data)) == 48)
        #expect(f.qualification == 1 | 1 << 5 | 1 << 7 | 1 << 8)
    }

    /// A guest paging-structure entry whose page is not present in EPT: bit 8 clear, the GPA is
    /// the entry's address (guest PDPT entry 1 at 81008H for linear 4000_0000H-7FFF_FFFFH).
    @Test func guestPagingStructureAccess() {
        let e = E()
        e.mapPage(VMXTestMachine.pml4 + 0x1000, 0)
        // The first fetch walks PML4 -> PDPT[0] (the TLB is empty after VM entry).
        #expect(e.exitOf(E.cpuid) == 48)
        #expect(e.qualification == 1 | 1 << 7)
        #expect(e.gpa == VMXTestMachine.pml4 + 0x1000 && e.gla == VMXGuestMachine.guestCode)
        // With EPT accessed/dirty flags the read counts as a write: bits 0 and 1.
        let f = E(accessedDirty: true)
        f.mapPage(VMXTestMachine.pml4 + 0x1000, 0)
        #expect(f.exitOf(E.cpuid) == 48)
        #expect(f.qualification == 3 | 1 << 7)
    }

    /// Setting a guest accessed flag is a data write: a read-only EPT page holding the guest
    /// PDPT exits with bit 1 (and the permissions), bit 8 clear. (The alias's PDPTE has A clear;
    /// the host's own walks have set it in PDPTE 0.)
    @Test func guestAccessedFlagUpdateIsAWrite() {
        let e = E()
        #expect(e.memory.read(VMXTestMachine.pml4 + 0x1008, size: 8) & 0x20 == 0)
        e.mapPage(VMXTestMachine.pml4 + 0x1000, 5 | E.wb)
        #expect(e.exitOf(E.load(E.alias + Self.data)) == 48)
        #expect(e.qualification == 1 << 1 | 1 << 3 | 1 << 5 | 1 << 7)
        #expect(e.gpa == VMXTestMachine.pml4 + 0x1008 && e.gla == E.alias + Self.data)
    }

    /// EPT misconfigurations (29.3.3.1) exit with reason 49 and the guest-physical address.
    @Test(arguments: [
        UInt64(2) | EPTGuest.wb,             // write without read
        UInt64(6) | EPTGuest.wb,             // write and execute without read
        UInt64(7) | 2 << 3,                  // memory type 2
        UInt64(7) | 7 << 3,                  // memory type 7
        UInt64(7) | EPTGuest.wb | 1 << 51,   // beyond MAXPHYADDR
    ])
    func misconfiguredLeaf(entry: UInt64) {
        let e = E()
        e.mapPage(Self.data, entry)
        #expect(e.exitOf(E.load(E.alias + Self.data + 0x10)) == 49)
        #expect(e.gpa == Self.data + 0x10)
    }

    @Test func misconfiguredNonLeaf() {
        let e = E()
        // Bits 7:3 of a non-leaf EPT PDE are reserved.
        e.memory.write(E.eptPD, size: 8, value: E.eptPT | E.rwx | 1 << 3)
        #expect(e.exitOf(E.cpuid) == 49)
        #expect(e.gpa == VMXTestMachine.pml4)
    }

    /// Large EPT pages: a 2-MByte PDE (bit 7) and a 1-GByte PDPTE map with the low GPA bits.
    @Test func largePages() {
        let e = E()
        e.memory.write(E.eptPD, size: 8, value: 0 | E.rwx | E.wb | 1 << 7)
        #expect(e.exitOf(E.load(E.alias + Self.data) + E.cpuid) == 10)
        let f = E()
        f.memory.write(E.eptPDPT, size: 8, value: 0 | E.rwx | E.wb | 1 << 7)
        #expect(f.exitOf(E.load(E.alias + Self.data) + E.cpuid) == 10)
        // Address bits 20:12 of a 2-MByte leaf are reserved.
        let h = E()
        h.memory.write(E.eptPD, size: 8, value: 0x1000 | E.rwx | E.wb | 1 << 7)
        #expect(h.exitOf(E.cpuid) == 49)
    }

    /// EPT accessed and dirty flags (EPTP bit 6, 29.3.5): accessed on every entry used, dirty on
    /// the leaf of a written page and of pages holding guest paging structures.
    @Test func accessedAndDirtyFlags() {
        let e = E(accessedDirty: true)
        #expect(e.exitOf(E.load(E.alias + Self.data) + E.store(E.alias + 0x1_0000) + E.cpuid) == 10)
        let accessed: UInt64 = 1 << 8, dirty: UInt64 = 1 << 9
        #expect(e.memory.read(E.eptPML4, size: 8) & accessed != 0)
        #expect(e.memory.read(E.eptPD, size: 8) & accessed != 0)
        #expect(e.ptEntry(Self.data) & (accessed | dirty) == accessed)
        #expect(e.ptEntry(0x1_0000) & (accessed | dirty) == accessed | dirty)
        #expect(e.ptEntry(VMXTestMachine.pml4) & dirty != 0)
        #expect(e.ptEntry(VMXGuestMachine.guestCode) & (accessed | dirty) == accessed)
        #expect(e.ptEntry(0x2_0000) & accessed == 0)
        // Without bit 6 the flags are left alone.
        let f = E()
        #expect(f.exitOf(E.load(E.alias + Self.data) + E.cpuid) == 10)
        #expect(f.ptEntry(Self.data) & accessed == 0)
    }

    /// Paging off with "unrestricted guest": linear addresses are guest-physical and go through
    /// EPT (GLA = GPA, bit 8 set).
    @Test func unrestrictedGuestWithPagingOff() {
        let e = E()
        e.g.setSecondary(1 << 7)
        e.cpu.vmx.write(.guestCR0, 0x31)
        e.cpu.vmx.write(.guestCR4, 0x2000)
        e.cpu.vmx.write(.guestCSAccessRights, 0xC09B)
        e.cpu.vmx.write(.vmEntryControls, e.cpu.vmx.read(.vmEntryControls) & ~0x200)
        e.cpu.vmx.write(.guestIA32EFER, 0)
        e.mapPage(Self.data, 0)
        #expect(e.exitOf([0x8B, 0x05] + E.le32(Self.data)) == 48)   // MOV EAX, [9000H]
        #expect(e.qualification == 1 | 1 << 7 | 1 << 8)
        #expect(e.gpa == Self.data && e.gla == Self.data)
    }

    /// An EPT violation while delivering an exception (the guest IDT's page is not present):
    /// the IDT-vectoring information describes the exception (27.2.4).
    @Test func exitDuringEventDelivery() {
        let e = E()
        e.mapPage(VMXGuestMachine.guestIDT, 0)
        #expect(e.exitOf([0x0F, 0x0B]) == 48)                            // UD2
        #expect(e.gpa == VMXGuestMachine.guestIDT + 6 * 16)
        #expect(e.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0306)
        #expect(e.g.savedRIP == VMXGuestMachine.guestCode)
        // #GP carries its error code into the IDT-vectoring error-code field.
        let f = E()
        f.mapPage(VMXGuestMachine.guestIDT, 0)
        #expect(f.exitOf([0x31, 0xC0, 0x0F, 0x22, 0xC0]) == 48)           // XOR EAX, EAX; MOV CR0, RAX: #GP(0)
        #expect(f.gpa == VMXGuestMachine.guestIDT + 13 * 16)
        #expect(f.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0B0D)
        #expect(f.cpu.vmx.read(.idtVectoringErrorCode) == 0)
        #expect(f.g.savedRIP == VMXGuestMachine.guestCode + 2)
    }

    /// INT n, INT3 and INT1 whose delivery causes an EPT violation: IDT-vectoring type 4, 6, 5,
    /// the instruction length, RIP at the instruction (27.2.4).
    static let softwareInterrupts: [([UInt8], UInt64)] = [([0xCD, 0x30], 0x8000_0430), ([0xCC], 0x8000_0603),
                                                          ([0xF1], 0x8000_0501), ([0x66, 0xCD, 0x30], 0x8000_0430)]

    @Test(arguments: EPTWalkerTests.softwareInterrupts)
    func exitDuringSoftwareInterrupt(code: [UInt8], vectoring: UInt64) {
        let e = E()
        e.mapPage(VMXGuestMachine.guestIDT, 0)
        #expect(e.exitOf(code) == 48)
        #expect(e.cpu.vmx.read(.idtVectoringInformation) == vectoring)
        #expect(e.g.savedRIP == VMXGuestMachine.guestCode && e.g.instructionLength == UInt64(code.count))
    }

    /// An EPT violation while delivering an injected event: the IDT-vectoring fields repeat the
    /// injected type; a software interrupt keeps VM entry's RIP and reports its length.
    @Test func exitDuringInjectedEventDelivery() {
        let e = E()
        e.mapPage(VMXGuestMachine.guestIDT, 0)
        e.cpu.vmx.write(.vmEntryInterruptionInformation, 0x30 | 4 << 8 | 1 << 31)   // INT 30H
        e.cpu.vmx.write(.vmEntryInstructionLength, 2)
        #expect(e.exitOf([0xF4]) == 48)
        #expect(e.gpa == VMXGuestMachine.guestIDT + 0x30 * 16)
        #expect(e.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0430)
        #expect(e.g.savedRIP == VMXGuestMachine.guestCode && e.g.instructionLength == 2)
        let f = E()
        f.mapPage(VMXGuestMachine.guestIDT, 0)
        f.cpu.vmx.write(.vmEntryInterruptionInformation, 13 | 3 << 8 | 1 << 11 | 1 << 31)   // #GP(1234H)
        f.cpu.vmx.write(.vmEntryExceptionErrorCode, 0x1234)
        #expect(f.exitOf([0xF4]) == 48)
        #expect(f.cpu.vmx.read(.idtVectoringInformation) == 0x8000_0B0D)
        #expect(f.cpu.vmx.read(.idtVectoringErrorCode) == 0x1234)
        #expect(f.g.savedRIP == VMXGuestMachine.guestCode)
        // The valid bit of the VM-entry interruption-information field is cleared by the exit.
        #expect(f.cpu.vmx.read(.vmEntryInterruptionInformation) >> 31 == 0)
    }

    /// INVEPT makes a changed mapping visible: the guest reads through the old mapping, the
    /// host changes the EPT PTE and executes INVEPT (all-context), the guest sees the new page.
    @Test func inveptMakesChangesVisible() {
        let e = E()
        e.memory.write(Self.data, size: 8, value: 0x1111)
        e.memory.write(0x1_5000, size: 8, value: 0x2222)
        #expect(e.exitOf(E.load(E.alias + Self.data) + E.cpuid + E.load(E.alias + Self.data) + E.cpuid) == 10)
        #expect(e.cpu.vmx.read(.guestRIP) == VMXGuestMachine.guestCode + 8)
        e.mapPage(Self.data, E.rwx | E.wb, to: 0x1_5000)
        e.memory.write(VMXTestMachine.operand, size: 8, value: 0)
        e.memory.write(VMXTestMachine.operand + 8, size: 8, value: 0)
        #expect(e.g.m.run(VMXTestMachine.inveptRAXMem, [0: 2, 1: VMXTestMachine.operand]) == .succeed)
        e.cpu.vmx.write(.guestRIP, VMXGuestMachine.guestCode + 10)
        #expect(e.g.m.run(VMXTestMachine.vmresume) == .succeed)
        #expect(e.g.runUntilExit() == 10)
        #expect(e.cpu.vmx.read(.guestRIP) == VMXGuestMachine.guestCode + 18)
        #expect(e.cpu.registers[0] == 0x2222)
    }
}
