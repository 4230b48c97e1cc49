/// VMX operation state of one logical processor (SDM vol. 3, chapter 24 and 31): whether it is
/// in VMX operation, root or non-root, the VMXON pointer, the current-VMCS pointer and the cache
/// that holds the current VMCS (layout in VMCSLayout.swift).
///
/// Every stored property is trivial (the VMCS cache is unsafe storage the CPU owns: `reset()`
/// keeps it, `deallocate()` frees it), so reading a field through `cpu.vmx` is a load: no copy
/// of arrays and no reference counting on the VM-entry and VM-exit paths.
public struct VMXState {
    /// The current-VMCS pointer value meaning "no current VMCS" (SDM 24.1).
    public static let invalidPointer: UInt64 = ~0

    /// What the model advertises in the IA32_VMX_* MSRs; it also decides which fields exist.
    public var capabilities = VMXCapabilities() {
        didSet { VMXState.fillSupportTable(fieldSupported, capabilities) }
    }
    public var inVMXOperation = false
    /// True in VMX non-root operation (set by VM entry, cleared by VM exit).
    public var nonRoot = false
    public var vmxonPointer: UInt64 = VMXState.invalidPointer
    public var currentVMCS: UInt64 = VMXState.invalidPointer
    /// The current VMCS's fields by catalog slot (zero-extended values), `VMCSLayout.slotCount`
    /// of them.
    public let fields: UnsafeMutablePointer<UInt64>
    /// The current VMCS's launch state.
    public var launched = false
    /// Per slot: the component exists in this model.
    let fieldSupported: UnsafeMutablePointer<Bool>
    /// `VMCSLayout.slotTable`.
    let slotTable = VMCSLayout.slotTable

    // MARK: Non-root operation (copied from the VMCS at VM entry, QEMU-style, so that the
    // instruction hooks never look fields up; VMWRITE cannot run in non-root operation)

    /// `CPU.step()` calls `vmxEventDeadline(singleStep:)` once `cycles` reaches this value: the VMX
    /// preemption timer, the monitor trap flag and the interrupt/NMI windows (VMXTimers.swift).
    /// All ones outside non-root operation, so the check in the dispatch loop never fires.
    public var eventDeadline: UInt64 = .max
    public var pin: PinBasedControls = []
    public var primary: PrimaryProcessorBasedControls = []
    public var secondary: SecondaryProcessorBasedControls = []
    public var exitControls: VMExitControls = []
    public var entryControls: VMEntryControls = []
    public var exceptionBitmap: UInt32 = 0
    public var cr0Mask: UInt64 = 0
    public var cr4Mask: UInt64 = 0
    public var cr0Shadow: UInt64 = 0
    public var cr4Shadow: UInt64 = 0
    /// The VMCS TSC offset when "use TSC offsetting" is 1, else 0.
    public var tscOffset: UInt64 = 0
    /// The VMCS TSC multiplier when "use TSC offsetting" and "use TSC scaling" are both 1, else
    /// nil (VMX/TSCOffsettingAndScaling.swift).
    public var tscMultiplier: UInt64? = nil
    /// PAUSE-loop exiting (VMX/PauseLoopExiting.swift): the cycle of the last PAUSE at CPL 0
    /// since VM entry (nil before the first one) and of the PAUSE that began the current loop.
    public var lastPauseCycle: UInt64? = nil
    public var pauseLoopStartCycle: UInt64 = 0
    /// The preemption timer expires when `cycles >> rate` reaches this value (SDM 26.7.4).
    public var preemptionTimerExpiry: UInt64 = .max
    /// The monitor trap flag: an MTF VM exit is due after the next instruction boundary.
    public var mtfPending = false
    /// Debug exceptions pending for the guest in the pending-debug-exceptions format: loaded by
    /// VM entry, or a single-step trap held back by a higher-priority VM exit at an instruction
    /// boundary (VMX/PendingDebugExceptions.swift).
    public var pendingDebugExceptions: UInt64 = 0
    /// CR2 before the page walker wrote it, so that a #PF that causes a VM exit leaves CR2
    /// unmodified (SDM 27.1).
    public var cr2BeforePageFault: UInt64 = 0
    /// "Enable EPT" in non-root operation: guest-physical addresses go through EPT (set by VM
    /// entry, cleared by VM exit).
    public var eptActive = false
    /// The EPTP of the running guest (the VMCS field at VM entry, or EPTP switching's choice).
    public var eptPointer: UInt64 = 0
    /// The APIC-access page (physical page number) while "virtualize APIC accesses" is 1 in
    /// non-root operation, else all ones (VMX/APICVirtualization.swift).
    public var apicAccessPage: UInt64 = .max
    /// The guest is in the wait-for-SIPI activity state (set by VM entry, cleared by VM exit).
    public var guestWaitingForSIPI = false
    /// The guest is in the shutdown activity state (set by VM entry; an NMI delivered through
    /// the guest IDT ends it, a VM exit clears it): only NMIs and INIT are taken (24.4.2).
    public var guestShutdown = false
    /// A TPR-below-threshold VM exit that VM entry suppressed because the guest entered the
    /// shutdown state: it follows the delivery of the NMI that ends shutdown (27.7.7).
    public var tprExitAfterShutdown = false
    /// The page offset of a write to the APIC-access page that was virtualized: APIC-write
    /// emulation follows the instruction (SDM 29.4.3.2).
    public var pendingAPICWrite: UInt16? = nil
    /// A virtual interrupt is recognized (RVI[7:4] > VPPR[7:4], SDM 29.2.1) and waits for an
    /// instruction boundary where it can be delivered (VMX/VirtualInterruptDelivery.swift).
    public var virtualInterruptPending = false
    /// The VM exit an access raised (`Fault.accessVMExit`), taken by `deliver`.
    var pendingExit: PendingVMExit? = nil
    /// `instructionsRetired` when an IRET in non-root operation unblocked NMIs: if that IRET
    /// faults into a VM exit, the exit reports "NMI unblocking due to IRET" (28.2.2, 28.2.1).
    public var iretUnblockedNMIAt: UInt64 = .max
    /// IDT-vectoring information and next RIP of an INT instruction whose delivery faulted, for
    /// an exception VM exit that the fault causes (27.2.4); consumed by the next `deliver`.
    var softwareEventVectoring: (information: UInt64, nextRIP: UInt64)? = nil
    /// The VM-entry interruption information of the event VM entry is delivering, else 0.
    public var injectedEventInformation: UInt64 = 0
    /// Set by a VMX abort (SDM 28.7): the processor shuts down.
    public var aborted = false
    /// Guest DEBUGCTL (the CPU implements no DEBUGCTL bits; kept so VM exits save what entry loaded).
    public var guestDebugCtl: UInt64 = 0
    /// VM exits taken, by basic exit reason (statistics for tests and the demo's summary).
    public var exitCount: UInt64 = 0

    public init() {
        fields = .allocate(capacity: VMCSLayout.slotCount)
        fieldSupported = .allocate(capacity: VMCSLayout.slotCount)
        fields.initialize(repeating: 0, count: VMCSLayout.slotCount)
        fieldSupported.initialize(repeating: false, count: VMCSLayout.slotCount)
        VMXState.fillSupportTable(fieldSupported, capabilities)
    }

    private init(reusing old: VMXState) {
        fields = old.fields
        fieldSupported = old.fieldSupported
        fields.update(repeating: 0, count: VMCSLayout.slotCount)
        VMXState.fillSupportTable(fieldSupported, capabilities)
    }

    /// The power-on state, keeping the VMCS cache's storage.
    public mutating func reset() { self = VMXState(reusing: self) }

    /// Frees the VMCS cache (the owning CPU's deinit).
    public func deallocate() {
        fields.deallocate()
        fieldSupported.deallocate()
    }

    static func fillSupportTable(_ table: UnsafeMutablePointer<Bool>, _ c: VMXCapabilities) {
        for (s, e) in VMCSField.catalog.enumerated() { table[s] = c.supports(e.feature) }
    }

    public var hasCurrentVMCS: Bool { currentVMCS != VMXState.invalidPointer }

    /// The slot of a supported component, or nil (VMREAD/VMWRITE fail with error 12).
    func supportedSlot(_ encoding: UInt64) -> Int? {
        guard let s = VMCSLayout.slot(ofEncoding: encoding), fieldSupported[s] else { return nil }
        return s
    }

    /// Reads a component of the current VMCS as VMREAD sees it (high access: bits 63:32).
    @inline(__always)
    public func read(_ field: VMCSField) -> UInt64 {
        guard let s = VMCSLayout.slot(of: field, in: slotTable) else { return 0 }
        return field.accessType == .high ? fields[s] >> 32 : fields[s]
    }

    /// Writes a component of the current VMCS as VMWRITE does: the value is truncated to the
    /// field's width; a high access writes bits 63:32 and keeps bits 31:0. (Non-mutating: the
    /// cache is storage the struct points to.)
    @inline(__always)
    public func write(_ field: VMCSField, _ value: UInt64) {
        guard let s = VMCSLayout.slot(of: field, in: slotTable) else { return }
        if field.accessType == .high {
            fields[s] = fields[s] & 0xFFFF_FFFF | (value & 0xFFFF_FFFF) << 32
        } else {
            fields[s] = value & field.valueMask
        }
    }
}
