/// APIC virtualization (SDM vol. 3, chapter 29 "APIC Virtualization and Virtual Interrupts"):
/// the TPR shadow ("use TPR shadow": MOV to/from CR8 operate on VTPR, byte 80H of the
/// virtual-APIC page), "virtualize APIC accesses" (linear accesses to the APIC-access page
/// cause APIC-access VM exits, reason 44, except VTPR accesses, which go to the virtual-APIC
/// page), "APIC-register virtualization" (reads and writes of the APIC registers go to the
/// virtual-APIC page; writes other than TPR, EOI and self-IPI end in APIC-write VM exits,
/// reason 56), "virtualize x2APIC mode" (RDMSR/WRMSR of MSRs 800H-8FFH operate on the
/// virtual-APIC page), and TPR virtualization with its TPR-below-threshold VM exit (reason 43).
/// Virtual-interrupt delivery is in VirtualInterruptDelivery.swift; posted interrupts are not
/// implemented (VMXCapabilities does not advertise them).
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
    /// VTPR[7:4] below TPR threshold[3:0]: the condition of the TPR-below-threshold VM exit.
    var virtualTPRBelowThreshold: Bool { (virtualTPR >> 4) & 0xF < vmx.read(.tprThreshold) & 0xF }

    /// VM entry: arms "virtualize APIC accesses". The TLB is flushed so that no translation to
    /// the APIC-access page remains; `translate` never enters one while the control is 1.
    func loadAPICVirtualization() {
        vmx.pendingAPICWrite = nil
        vmx.virtualInterruptPending = false
        vmx.tprExitAfterShutdown = false
        if vmx.secondary.contains(.virtualizeAPICAccesses) {
            vmx.apicAccessPage = vmx.read(.apicAccessAddress) >> 12
            tlb.flush()
        } else {
            vmx.apicAccessPage = .max
        }
    }

    /// After VM entry: with "virtual-interrupt delivery", PPR virtualization and the evaluation
    /// of pending virtual interrupts (26.3.2.5); else with "use TPR shadow", a VM exit right
    /// after entry if TPR threshold[3:0] is above VTPR[7:4] (26.7.7), which wakes a guest
    /// entered in HLT but does not occur in shutdown (it follows the NMI that ends it) or in
    /// wait-for-SIPI.
    func apicVirtualizationAtEntry() throws(Fault) {
        guard vmx.primary.contains(.useTPRShadow) else { return }
        if (vmx.guestShutdown || vmx.guestWaitingForSIPI) && !vmx.secondary.contains(.virtualInterruptDelivery) {
            vmx.tprExitAfterShutdown = vmx.guestShutdown && virtualTPRBelowThreshold
            return
        }
        try tprVirtualization(singleStep: false)
    }

    // MARK: 29.3 MOV to and from CR8

    /// MOV from CR8 with "use TPR shadow": VTPR[7:4] in bits 3:0, bits 63:4 clear.
    func vmxReadTPRShadow() -> UInt64 { (virtualTPR >> 4) & 0xF }

    /// MOV to CR8 with "use TPR shadow" (and no CR8-load exiting): source[3:0] to VTPR[7:4],
    /// VTPR[3:0] and bytes 83H:81H cleared, then TPR virtualization.
    func vmxWriteTPRShadow(_ value: UInt64) throws(Fault) {
        if value >> 4 != 0 { throw .generalProtection(0) }
        memory.write(virtualAPICAddress &+ CPU.virtualTPROffset, size: 4, value: (value & 0xF) << 4)
        try tprVirtualization(singleStep: instructionSingleStep)
    }

    /// TPR virtualization (29.1.2): with "virtual-interrupt delivery", PPR virtualization and
    /// the evaluation of pending virtual interrupts; else a trap-like VM exit (the instruction
    /// has completed, RIP is past it) if VTPR[7:4] < TPR threshold[3:0]. `singleStep`: the
    /// instruction's single-step trap is due (`takeTrapLikeVMExit`).
    func tprVirtualization(singleStep: Bool) throws(Fault) {
        if vmx.secondary.contains(.virtualInterruptDelivery) {
            pprVirtualization()
            evaluatePendingVirtualInterrupts()
            return
        }
        if virtualTPRBelowThreshold { try takeTrapLikeVMExit(.tprBelowThreshold, singleStep: singleStep) }
    }

    // MARK: 29.4 Memory-mapped APIC accesses

    /// APIC registers whose reads "APIC-register virtualization" virtualizes (29.4.2), by the
    /// offset of their 16-byte slot: ID, version, TPR, EOI, LDR, DFR, SVR, ISR, TMR, IRR, ESR,
    /// ICR low/high, the LVT, initial count, divide configuration.
    static func apicReadIsVirtualized(slot: UInt64) -> Bool {
        switch slot {
        case 0x20, 0x30, 0x80, 0xB0, 0xD0, 0xE0, 0xF0, 0x100...0x2F0, 0x300, 0x310, 0x320...0x370, 0x380, 0x3E0:
            return true
        default:
            return false
        }
    }

    /// APIC registers whose writes "APIC-register virtualization" virtualizes (29.4.3.1).
    static func apicWriteIsVirtualized(slot: UInt64) -> Bool {
        switch slot {
        case 0x20, 0x80, 0xB0, 0xD0, 0xE0, 0xF0, 0x280, 0x300, 0x310, 0x320...0x370, 0x380, 0x3E0:
            return true
        default:
            return false
        }
    }

    /// A linear access of `size` bytes (0: unknown, as for an instruction fetch) whose physical
    /// address is on the APIC-access page (29.4.2, 29.4.3.1). With "use TPR shadow", data
    /// accesses of at most 32 bits are virtualized: without "APIC-register virtualization",
    /// reads entirely within 080H-083H and writes at 080H (also 0B0H and 300H with
    /// "virtual-interrupt delivery"); with it, accesses entirely within one of the registers
    /// listed above. Returns the address on the virtual-APIC page; anything else is an
    /// APIC-access VM exit, fault-like (RIP at the instruction), below page faults and EPT
    /// violations in priority (29.4.1).
    func vmxAPICAccess(_ physical: UInt64, access: AccessKind, size: Int) throws(Fault) -> UInt64 {
        let offset = physical & 0xFFF
        if vmx.primary.contains(.useTPRShadow) && size > 0 && size <= 4 {
            let registers = vmx.secondary.contains(.apicRegisterVirtualization)
            let within = (offset & 0xF) &+ UInt64(size) <= 4
            let slot = offset & ~0xF
            switch access {
            case .read:
                let virtualized = registers ? within && CPU.apicReadIsVirtualized(slot: slot)
                                            : offset >= 0x80 && offset &+ UInt64(size) <= 0x84
                if virtualized { return virtualAPICAddress &+ offset }
            case .write:
                let virtualized: Bool
                if registers {
                    virtualized = within && CPU.apicWriteIsVirtualized(slot: slot)
                } else if vmx.secondary.contains(.virtualInterruptDelivery) {
                    virtualized = offset == 0x80 || offset == 0xB0 || offset == 0x300
                } else {
                    virtualized = offset == 0x80
                }
                if virtualized {
                    vmx.pendingAPICWrite = UInt16(offset)
                    vmx.eventDeadline = cycles
                    eventCycle = cycles
                    return virtualAPICAddress &+ offset
                }
            case .execute:
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

    /// APIC-write emulation (29.4.3.2) after the instruction that wrote the APIC-access page:
    /// at 080H, bytes 083H:081H cleared and TPR virtualization; with "virtual-interrupt
    /// delivery", EOI virtualization at 0B0H and self-IPI virtualization at 300H when VICR_LO
    /// holds a fixed, edge-triggered self IPI with a vector of at least 16; any other write is
    /// an APIC-write VM exit (reason 56, trap-like) whose qualification is the page offset.
    /// `singleStep`: the writing instruction's single-step trap is due (`takeTrapLikeVMExit`).
    func apicWriteEmulation(singleStep: Bool) throws(Fault) {
        guard let offset = vmx.pendingAPICWrite.map({ UInt64($0) }) else { return }
        vmx.pendingAPICWrite = nil
        let vid = vmx.secondary.contains(.virtualInterruptDelivery)
        let base = virtualAPICAddress
        switch offset {
        case 0x80:
            memory.write(base &+ 0x80, size: 4, value: memory.read(base &+ 0x80, size: 1))
            try tprVirtualization(singleStep: singleStep)
            return
        case 0xB0 where vid:
            try eoiVirtualization(singleStep: singleStep)
            return
        case 0x300 where vid:
            let icr = memory.read(base &+ 0x300, size: 4)
            // Reserved bits 31:20, 17:16, 13; shorthand self (19:18 = 01); edge (15); fixed (10:8).
            let selfIPI = icr & 0xFFF3_2000 == 0 && (icr >> 18) & 3 == 1 && icr & 0x8000 == 0
                && (icr >> 8) & 7 == 0 && icr & 0xF0 != 0
            if selfIPI { selfIPIVirtualization(UInt8(icr & 0xFF)); return }
        default:
            break
        }
        var info = VMExitInformation()
        info.qualification = offset
        try takeTrapLikeVMExit(.apicWrite, info, singleStep: singleStep)
    }

    // MARK: 29.5 MSR-based APIC accesses

    /// RDMSR that did not exit, with "virtualize x2APIC mode": MSR 808H, and with
    /// "APIC-register virtualization" every readable x2APIC register (ID, version, TPR, PPR,
    /// LDR, SVR, ISR, TMR, IRR, ESR, ICR, the LVT, initial count, divide configuration), read
    /// the 8 bytes at offset (ECX & FFH) << 4 of the virtual-APIC page, whatever the local
    /// APIC's mode. Nil: RDMSR operates normally.
    func vmxVirtualizedRDMSR(_ index: UInt32) -> UInt64? {
        guard vmx.secondary.contains(.virtualizeX2APICMode) else { return nil }
        let virtualized: Bool
        if vmx.secondary.contains(.apicRegisterVirtualization) {
            switch index {
            case 0x802, 0x803, 0x808, 0x80A, 0x80D, 0x80F, 0x810...0x828, 0x830, 0x832...0x838, 0x83E:
                virtualized = true
            default:
                virtualized = false
            }
        } else {
            virtualized = index == 0x808
        }
        guard virtualized else { return nil }
        return memory.read(virtualAPICAddress &+ (UInt64(index & 0xFF) << 4), size: 8)
    }

    /// WRMSR that did not exit, with "virtualize x2APIC mode": MSR 808H stores EDX:EAX to
    /// bytes 87H:80H of the virtual-APIC page, then TPR virtualization; with "virtual-interrupt
    /// delivery", 80BH (EOI; the value must be 0) runs EOI virtualization and 83FH (self IPI)
    /// stores EAX[7:0] to VICR_LO and runs self-IPI virtualization. #GP(0) if bits 63:8 of the
    /// value are set. False: WRMSR operates normally.
    func vmxVirtualizedWRMSR(_ index: UInt32, _ value: UInt64) throws(Fault) -> Bool {
        guard vmx.secondary.contains(.virtualizeX2APICMode) else { return false }
        let vid = vmx.secondary.contains(.virtualInterruptDelivery)
        switch index {
        case 0x808:
            if value >> 8 != 0 { throw .generalProtection(0) }
            memory.write(virtualAPICAddress &+ CPU.virtualTPROffset, size: 8, value: value)
            try tprVirtualization(singleStep: instructionSingleStep)
        case 0x80B where vid:
            if value != 0 { throw .generalProtection(0) }
            memory.write(virtualAPICAddress &+ 0xB0, size: 4, value: 0)
            try eoiVirtualization(singleStep: instructionSingleStep)
        case 0x83F where vid:
            if value >> 8 != 0 { throw .generalProtection(0) }
            memory.write(virtualAPICAddress &+ 0x300, size: 4, value: value)
            selfIPIVirtualization(UInt8(value))
        default:
            return false
        }
        return true
    }
}
