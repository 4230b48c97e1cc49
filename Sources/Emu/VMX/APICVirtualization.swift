/// APIC virtualization (SDM vol. 3, chapter 29 "APIC Virtualization and Virtual Interrupts"):
/// the TPR shadow ("use TPR shadow": MOV to/from CR8 operate on VTPR, byte 80H of the
/// virtual-APIC page), "virtualize APIC accesses" (linear accesses to the APIC-access page
/// cause APIC-access VM exits, reason 44, except VTPR accesses, which go to the virtual-APIC
/// page), "virtualize x2APIC mode" (RDMSR/WRMSR of MSR 808H operate on VTPR), and TPR
/// virtualization with its TPR-below-threshold VM exit (reason 43). "APIC-register
/// virtualization", "virtual-interrupt delivery" and posted interrupts are not implemented
/// (VMXCapabilities does not advertise them).
///
/// ```
/// virtual-APIC page: 080H VTPR (32 bits) | 0A0H VPPR | 0B0H VEOI | 100H-170H VISR | 200H-270H VIRR
/// APIC-access exit qualification (28.2.1): 11:0 page offset | 15:12 access type
///     (0 linear read, 1 linear write, 2 linear instruction fetch, 3 linear access during event delivery)
/// ```
extension CPU {
    /// The VTPR field of the virtual-APIC page (29.1.1).
    static let virtualTPROffset: UInt64 = 0x80

    var virtualAPICAddress: UInt64 { vmx.read(.virtualAPICAddress) }
    var virtualTPR: UInt64 { memory.read(virtualAPICAddress &+ CPU.virtualTPROffset, size: 4) }

    /// VM entry: arms "virtualize APIC accesses". The TLB is flushed so that no translation to
    /// the APIC-access page remains; `translate` never enters one while the control is 1.
    func loadAPICVirtualization() {
        vmx.apicWriteEmulationPending = false
        if vmx.secondary.contains(.virtualizeAPICAccesses) {
            vmx.apicAccessPage = vmx.read(.apicAccessAddress) >> 12
            tlb.flush()
        } else {
            vmx.apicAccessPage = .max
        }
    }

    /// 26.7.7: with "use TPR shadow" (and no virtual-interrupt delivery), a VM exit occurs right
    /// after VM entry if TPR threshold[3:0] is above VTPR[7:4].
    func tprThresholdExitAtEntry() throws(Fault) {
        guard vmx.primary.contains(.useTPRShadow) else { return }
        try tprVirtualization()
    }

    // MARK: 29.3 MOV to and from CR8

    /// MOV from CR8 with "use TPR shadow": VTPR[7:4] in bits 3:0, bits 63:4 clear.
    func vmxReadTPRShadow() -> UInt64 { (virtualTPR >> 4) & 0xF }

    /// MOV to CR8 with "use TPR shadow" (and no CR8-load exiting): source[3:0] to VTPR[7:4],
    /// VTPR[3:0] and bytes 83H:81H cleared, then TPR virtualization.
    func vmxWriteTPRShadow(_ value: UInt64) throws(Fault) {
        if value >> 4 != 0 { throw .generalProtection(0) }
        memory.write(virtualAPICAddress &+ CPU.virtualTPROffset, size: 4, value: (value & 0xF) << 4)
        try tprVirtualization()
    }

    /// TPR virtualization without "virtual-interrupt delivery" (29.1.2): a trap-like VM exit
    /// (the instruction has completed, RIP is past it) if VTPR[7:4] < TPR threshold[3:0].
    func tprVirtualization() throws(Fault) {
        let threshold = vmx.read(.tprThreshold) & 0xF
        if (virtualTPR >> 4) & 0xF < threshold { try takeVMExit(.tprBelowThreshold) }
    }

    // MARK: 29.4 Memory-mapped APIC accesses

    /// A linear access of `size` bytes (0: unknown, as for an instruction fetch) whose physical
    /// address is on the APIC-access page. Without "APIC-register virtualization", only VTPR
    /// accesses are virtualized (29.4.2, 29.4.3.1): reads entirely within 080H-083H, writes at
    /// offset 080H of at most 32 bits, both only with "use TPR shadow". Returns the address on
    /// the virtual-APIC page; anything else is an APIC-access VM exit, fault-like (RIP at the
    /// instruction), below page faults and EPT violations in priority (29.4.1).
    func vmxAPICAccess(_ physical: UInt64, access: AccessKind, size: Int) throws(Fault) -> UInt64 {
        let offset = physical & 0xFFF
        if vmx.primary.contains(.useTPRShadow) && size > 0 && size <= 4 {
            switch access {
            case .read where offset >= 0x80 && offset &+ UInt64(size) <= 0x84:
                return virtualAPICAddress &+ offset
            case .write where offset == 0x80:
                vmx.apicWriteEmulationPending = true
                vmx.eventDeadline = cycles
                eventCycle = cycles
                return virtualAPICAddress &+ offset
            default:
                break
            }
        }
        let type: UInt64
        switch access {
        case .read: type = 0
        case .write: type = 1
        case .execute: type = 2
        }
        var info = VMExitInformation()
        info.qualification = offset | type << 12
        vmx.pendingExit = PendingVMExit(reason: .apicAccess, info: info)
        throw .accessVMExit
    }

    /// APIC-write emulation (29.4.3.2) after the instruction that wrote VTPR through the
    /// APIC-access page: bytes 083H:081H cleared, then TPR virtualization.
    func apicWriteEmulation() throws(Fault) {
        guard vmx.apicWriteEmulationPending else { return }
        vmx.apicWriteEmulationPending = false
        let vtpr = virtualAPICAddress &+ CPU.virtualTPROffset
        memory.write(vtpr, size: 4, value: memory.read(vtpr, size: 1))
        try tprVirtualization()
    }

    // MARK: 29.5 MSR-based APIC accesses

    /// RDMSR that did not exit: with "virtualize x2APIC mode", MSR 808H reads bytes 87H:80H of
    /// the virtual-APIC page, whatever the local APIC's mode. Nil: RDMSR operates normally.
    func vmxVirtualizedRDMSR(_ index: UInt32) -> UInt64? {
        guard vmx.secondary.contains(.virtualizeX2APICMode), index == 0x808 else { return nil }
        return memory.read(virtualAPICAddress &+ CPU.virtualTPROffset, size: 8)
    }

    /// WRMSR that did not exit: with "virtualize x2APIC mode", MSR 808H stores EDX:EAX to bytes
    /// 87H:80H of the virtual-APIC page (#GP(0) if bits 63:8 are set), then TPR virtualization.
    /// False: WRMSR operates normally.
    func vmxVirtualizedWRMSR(_ index: UInt32, _ value: UInt64) throws(Fault) -> Bool {
        guard vmx.secondary.contains(.virtualizeX2APICMode), index == 0x808 else { return false }
        if value >> 8 != 0 { throw .generalProtection(0) }
        memory.write(virtualAPICAddress &+ CPU.virtualTPROffset, size: 8, value: value)
        try tprVirtualization()
        return true
    }
}
