import Testing
@testable import Emu

/// The guest-state checks of VM entry (SDM vol. 3, 26.3.1), one field at a time: each broken
/// field makes VMLAUNCH fail with exit reason 33 | 80000000H ("VM-entry failure due to invalid
/// guest state", 26.8) and the qualification of 26.8 (0, 2 for PDPTEs, 4 for the link pointer),
/// with the CPU back at the host RIP and the VMCS still clear.
@Suite struct GuestStateCheckTests {
    typealias G = VMXGuestMachine

    /// Applies `change` to a valid VMCS, launches, returns (exit reason or nil if entered, qualification).
    func entry(_ change: (G) -> Void) -> (UInt64?, UInt64) {
        let g = G()
        change(g)
        let o = g.launch()
        if g.cpu.vmx.nonRoot { return (nil, 0) }
        #expect(o == .fault(.vmExitTaken))
        #expect(g.cpu.rip == G.hostRIP)
        #expect(!g.cpu.vmx.launched)
        return (g.exitReason, g.qualification)
    }

    func w(_ f: VMCSField, _ v: UInt64) -> (G) -> Void { { $0.cpu.vmx.write(f, v) } }

    static let invalid: UInt64 = 0x8000_0021

    @Test func validGuestEnters() {
        let g = G()
        #expect(g.launch() == .succeed)
        #expect(g.cpu.vmx.nonRoot && g.cpu.vmx.launched)
        #expect(g.cpu.rip == G.guestCode && g.cpu.registers[4] == G.guestStack)
        #expect(g.cpu.codeMode == .long64 && g.cpu.efer & 0x500 == 0x500)
    }

    @Test(arguments: [
        // 26.3.1.1 control registers and MSRs
        ("CR0.PE clear", VMCSField.guestCR0, UInt64(0x8000_0030)),
        ("CR0.NE clear", .guestCR0, 0x8000_0011),
        ("CR0 bit 32", .guestCR0, 0x1_8000_0031),
        ("CR4.VMXE clear", .guestCR4, 0x20),
        ("CR4 reserved bit 15", .guestCR4, 0xA020),
        ("CR4.PAE clear in IA-32e mode", .guestCR4, 0x2000),
        ("CR3 beyond MAXPHYADDR", .guestCR3, 1 << 50),
        ("SYSENTER_ESP not canonical", .guestIA32SysenterESP, 0x8000_0000_0000_0000),
        ("SYSENTER_EIP not canonical", .guestIA32SysenterEIP, 0x0001_0000_0000_0000),
        // 26.3.1.2 segment registers
        ("TR.TI", .guestTRSelector, 0x1C),
        ("SS.RPL != CS.RPL", .guestSSSelector, 0x13),
        ("CS type 3 without unrestricted guest", .guestCSAccessRights, 0xA093),
        ("CS not present", .guestCSAccessRights, 0xA01B),
        ("CS.L and CS.D", .guestCSAccessRights, 0xE09B),
        ("CS DPL != SS DPL (type 11)", .guestCSAccessRights, 0xA0BB),
        ("CS AR reserved bit 8", .guestCSAccessRights, 0xA19B),
        ("CS limit/G inconsistent", .guestCSLimit, 0xFFFF_F000),
        ("CS base above 4 GiB", .guestCSBase, 1 << 32),
        ("SS type 1", .guestSSAccessRights, 0xC091),
        ("SS DPL != RPL", .guestSSAccessRights, 0xC0B3),
        ("DS not accessed", .guestDSAccessRights, 0xC092),
        ("DS execute-only code", .guestDSAccessRights, 0xC099),
        ("DS S = 0", .guestDSAccessRights, 0xC083),
        ("ES DPL < RPL", .guestESSelector, 0x13),
        ("FS base not canonical", .guestFSBase, 0x8000_0000_0000_0000),
        ("GS base not canonical", .guestGSBase, 0x0000_8000_0000_0000),
        ("TR type 9 (not busy)", .guestTRAccessRights, 0x89),
        ("TR 16-bit busy in IA-32e mode", .guestTRAccessRights, 0x83),
        ("TR unusable", .guestTRAccessRights, 0x1_008B),
        ("TR base not canonical", .guestTRBase, 0x8000_0000_0000_0000),
        ("LDTR usable with type 3", .guestLDTRAccessRights, 0x83),
        // 26.3.1.3 descriptor-table registers
        ("GDTR base not canonical", .guestGDTRBase, 0x8000_0000_0000_0000),
        ("IDTR limit above 16 bits", .guestIDTRLimit, 0x1_0000),
        // 26.3.1.4 RIP and RFLAGS
        ("RIP not canonical", .guestRIP, 0x8000_0000_0000_0000),
        ("RFLAGS bit 1 clear", .guestRFLAGS, 0),
        ("RFLAGS reserved bit 3", .guestRFLAGS, 0xA),
        ("RFLAGS.VM in IA-32e mode", .guestRFLAGS, 0x2_0002),
        // 26.3.1.5 non-register state
        ("activity state 4", .guestActivityState, 4),
        ("activity state 7 (reserved)", .guestActivityState, 7),
        ("interruptibility STI and MOV SS", .guestInterruptibilityState, 3),
        ("STI blocking with IF = 0", .guestInterruptibilityState, 1),
        ("SMI blocking outside SMM", .guestInterruptibilityState, 4),
        ("interruptibility reserved bit 5", .guestInterruptibilityState, 0x20),
        ("pending debug exceptions reserved bit 4", .guestPendingDebugExceptions, 0x10),
    ] as [(String, VMCSField, UInt64)])
    func oneFieldFails(_ name: String, _ field: VMCSField, _ value: UInt64) {
        let (reason, q) = entry(w(field, value))
        #expect(reason == Self.invalid, "\(name)")
        #expect(q == 0, "\(name)")
    }

    /// 26.3.1.5: with blocking by MOV SS (or STI, or activity state HLT), BS must be 1 when TF = 1
    /// and BTF = 0, and 0 when TF = 0; without such blocking TF = 1 needs no BS (BS without
    /// blocking is a #DB at entry: PendingDebugExceptionTests).
    @Test func singleStepPendingWithBlocking() {
        func state(rflags: UInt64, interruptibility: UInt64, pending: UInt64, activity: UInt64 = 0) -> (G) -> Void {
            { g in
                g.cpu.vmx.write(.guestRFLAGS, rflags)
                g.cpu.vmx.write(.guestInterruptibilityState, interruptibility)
                g.cpu.vmx.write(.guestPendingDebugExceptions, pending)
                g.cpu.vmx.write(.guestActivityState, activity)
            }
        }
        #expect(entry(state(rflags: 0x102, interruptibility: 2, pending: 0)).0 == Self.invalid)
        #expect(entry(state(rflags: 0x2, interruptibility: 2, pending: 0x4000)).0 == Self.invalid)
        #expect(entry(state(rflags: 0x302, interruptibility: 1, pending: 0)).0 == Self.invalid)
        #expect(entry(state(rflags: 0x102, interruptibility: 0, pending: 0, activity: 1)).0 == Self.invalid)
        #expect(entry(state(rflags: 0x102, interruptibility: 2, pending: 0x4000)).0 == nil)
        #expect(entry(state(rflags: 0x102, interruptibility: 0, pending: 0)).0 == nil)
    }

    /// DR7 and DEBUGCTL are checked only with "load debug controls".
    @Test func debugControls() {
        func withLoad(_ f: VMCSField, _ v: UInt64) -> (G) -> Void {
            { g in g.setControl(.vmEntryControls, 4); g.cpu.vmx.write(f, v) }
        }
        #expect(entry(withLoad(.guestDR7, 1 << 32 | 0x400)).0 == Self.invalid)
        #expect(entry(withLoad(.guestIA32DebugCtl, 4)).0 == Self.invalid)
        #expect(entry(w(.guestDR7, 1 << 32 | 0x400)).0 == nil)
        #expect(entry(withLoad(.guestDR7, 0x400)).0 == nil)
    }

    /// The LDTR.TI case needs a usable LDTR with a TI selector.
    @Test func ldtrTI() {
        let (reason, _) = entry { g in
            g.cpu.vmx.write(.guestLDTRAccessRights, 0x82)
            g.cpu.vmx.write(.guestLDTRSelector, 0x24)
        }
        #expect(reason == Self.invalid)
        #expect(entry { $0.cpu.vmx.write(.guestLDTRAccessRights, 0x82); $0.cpu.vmx.write(.guestLDTRSelector, 0x20) }.0 == nil)
    }

    @Test func vmcsLinkPointerQualification4() {
        #expect(entry(w(.vmcsLinkPointer, 0x5001)) == (Self.invalid, 4))        // not aligned
        #expect(entry(w(.vmcsLinkPointer, 0x5000)) == (Self.invalid, 4))        // wrong revision
        #expect(entry { g in
            g.memory.write(0x5000, size: 4, value: UInt64(g.cpu.vmx.capabilities.revisionIdentifier))
            g.cpu.vmx.write(.vmcsLinkPointer, 0x5000)
        }.0 == nil)
    }

    /// A 32-bit PAE guest whose PDPTE sets a reserved bit: qualification 2 (26.3.1.6, 26.8).
    @Test func pdpteQualification2() {
        func paeGuest(_ g: G, pdpte: UInt64) {
            g.cpu.vmx.write(.vmEntryControls, g.cpu.vmx.read(.vmEntryControls) & ~0x200)
            g.cpu.vmx.write(.guestCSAccessRights, 0xC09B)
            g.cpu.vmx.write(.guestCR3, 0x5000)
            g.memory.write(0x5000, size: 8, value: pdpte)
        }
        // The host must be 64-bit and the guest not IA-32e: the controls allow it.
        #expect(entry { paeGuest($0, pdpte: 0x6001 | 1 << 5) } == (Self.invalid, 2))
        #expect(entry { paeGuest($0, pdpte: 0x6001) }.0 == nil)
    }

    @Test func injectionChecks() {
        // External interrupt with IF = 0.
        #expect(entry(w(.vmEntryInterruptionInformation, 0x8000_0020)).0 == Self.invalid)
        // NMI with blocking by MOV SS.
        #expect(entry { g in
            g.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0202)
            g.cpu.vmx.write(.guestInterruptibilityState, 2)
        }.0 == Self.invalid)
        // HLT activity state with an injected #GP is not allowed.
        #expect(entry { g in
            g.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0B0D)
            g.cpu.vmx.write(.guestActivityState, 1)
        }.0 == Self.invalid)
    }

    /// VM-entry MSR-load list: entry 2 names an MSR WRMSR rejects -> reason 34, qualification 2.
    @Test func msrLoadFailure() {
        let g = G()
        g.cpu.vmx.write(.vmEntryMSRLoadCount, 2)
        g.cpu.vmx.write(.vmEntryMSRLoadAddress, 0x5000)
        g.memory.write(0x5000, size: 8, value: 0x175)            // SYSENTER_ESP
        g.memory.write(0x5008, size: 8, value: 0x1234)
        g.memory.write(0x5010, size: 8, value: 0xC000_0100)      // FS base: not allowed in the list
        g.launch()
        #expect(g.exitReason == 0x8000_0022)
        #expect(g.qualification == 2)
        #expect(!g.cpu.vmx.nonRoot)
        g.memory.write(0x5010, size: 8, value: 0x174)
        g.cpu.vmx.write(.vmExitReason, 0)
        g.launch()
        #expect(g.cpu.vmx.nonRoot)
        #expect(g.cpu.systemRegisters.sysenterESP == 0x1234)
    }
}
