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
