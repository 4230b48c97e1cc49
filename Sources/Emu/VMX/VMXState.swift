/// VMX operation state of one logical processor (SDM vol. 3, chapter 24 and 31): whether it is
/// in VMX operation, root or non-root, the VMXON pointer, the current-VMCS pointer and the cache
/// that holds the current VMCS (layout in VMCSLayout.swift).
public struct VMXState: Sendable {
    /// The current-VMCS pointer value meaning "no current VMCS" (SDM 24.1).
    public static let invalidPointer: UInt64 = ~0

    /// What the model advertises in the IA32_VMX_* MSRs; it also decides which fields exist.
    public var capabilities = VMXCapabilities() {
        didSet { fieldSupported = VMXState.supportTable(capabilities) }
    }
    public var inVMXOperation = false
    /// True in VMX non-root operation (set by VM entry, cleared by VM exit).
    public var nonRoot = false
    public var vmxonPointer: UInt64 = VMXState.invalidPointer
    public var currentVMCS: UInt64 = VMXState.invalidPointer
    /// The current VMCS's fields by catalog slot (zero-extended values).
    public var fields: [UInt64]
    /// The current VMCS's launch state.
    public var launched = false
    /// Per slot: the component exists in this model.
    var fieldSupported: [Bool]

    // MARK: Non-root operation (copied from the VMCS at VM entry, QEMU-style, so that the
    // instruction hooks never look fields up; VMWRITE cannot run in non-root operation)

    /// `CPU.step()` calls `vmxEventDeadline()` once `cycles` reaches this value: the VMX
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
    /// The preemption timer expires when `cycles >> rate` reaches this value (SDM 26.7.4).
    public var preemptionTimerExpiry: UInt64 = .max
    /// The monitor trap flag: an MTF VM exit is due after the next instruction boundary.
    public var mtfPending = false
    /// CR2 before the page walker wrote it, so that a #PF that causes a VM exit leaves CR2
    /// unmodified (SDM 27.1).
    public var cr2BeforePageFault: UInt64 = 0
    /// "Enable EPT" in non-root operation: guest-physical addresses go through EPT (set by VM
    /// entry, cleared by VM exit).
    public var eptActive = false
    /// The EPTP of the running guest (the VMCS field at VM entry, or EPTP switching's choice).
    public var eptPointer: UInt64 = 0
    /// The VM exit an access raised (`Fault.accessVMExit`), taken by `deliver`.
    var pendingExit: PendingVMExit? = nil
    /// The VM-entry interruption information of the event VM entry is delivering, else 0.
    public var injectedEventInformation: UInt64 = 0
    /// Set by a VMX abort (SDM 28.7): the processor shuts down.
    public var aborted = false
    /// Guest DEBUGCTL (the CPU implements no DEBUGCTL bits; kept so VM exits save what entry loaded).
    public var guestDebugCtl: UInt64 = 0
    /// VM exits taken, by basic exit reason (statistics for tests and the demo's summary).
    public var exitCount: UInt64 = 0

    public init() {
        fields = [UInt64](repeating: 0, count: VMCSLayout.slotCount)
        fieldSupported = VMXState.supportTable(VMXCapabilities())
    }

    static func supportTable(_ c: VMXCapabilities) -> [Bool] {
        VMCSField.catalog.map { c.supports($0.feature) }
    }

    public var hasCurrentVMCS: Bool { currentVMCS != VMXState.invalidPointer }

    /// The slot of a supported component, or nil (VMREAD/VMWRITE fail with error 12).
    func supportedSlot(_ encoding: UInt64) -> Int? {
        guard let s = VMCSLayout.slot(ofEncoding: encoding), s < fieldSupported.count, fieldSupported[s] else {
            return nil
        }
        return s
    }

    /// Reads a component of the current VMCS as VMREAD sees it (high access: bits 63:32).
    public func read(_ field: VMCSField) -> UInt64 {
        guard let s = VMCSLayout.slot(of: field), s < fields.count else { return 0 }
        return field.accessType == .high ? fields[s] >> 32 : fields[s]
    }

    /// Writes a component of the current VMCS as VMWRITE does: the value is truncated to the
    /// field's width; a high access writes bits 63:32 and keeps bits 31:0.
    public mutating func write(_ field: VMCSField, _ value: UInt64) {
        guard let s = VMCSLayout.slot(of: field), s < fields.count else { return }
        if field.accessType == .high {
            fields[s] = fields[s] & 0xFFFF_FFFF | (value & 0xFFFF_FFFF) << 32
        } else {
            fields[s] = value & field.valueMask
        }
    }
}
