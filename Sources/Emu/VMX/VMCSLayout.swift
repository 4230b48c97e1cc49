/// swemu's VMCS region format. The SDM fixes only the first 8 bytes (vol. 3, 24.2, table
/// "Format of the VMCS Region"); the rest is implementation-specific, and software must access it
/// only through VMREAD/VMWRITE:
///
///     bytes 0-3     VMCS revision identifier (bits 30:0), shadow-VMCS indicator (bit 31)
///     bytes 4-7     VMX-abort indicator
///     bytes 8-11    launch state: 1 = "launched", any other value = "clear"
///     bytes 12-15   reserved (written as 0)
///     bytes 16-...  field data: 8 bytes per component, little-endian, zero-extended, at
///                   16 + 8 * slot, where slot is the component's row in `VMCSField.catalog`
///                   (about 1.5 KiB of the 4-KiB region)
///
/// The current VMCS is cached in `VMXState` (VMPTRLD loads it, VMCLEAR and switching to another
/// VMCS write it back), so VMREAD and VMWRITE never touch guest memory.
public enum VMCSLayout {
    public static let revisionOffset: UInt64 = 0
    public static let abortIndicatorOffset: UInt64 = 4
    public static let launchStateOffset: UInt64 = 8
    public static let fieldsOffset: UInt64 = 16
    /// The value of the launch-state word of a launched VMCS.
    public static let launchedMarker: UInt64 = 1
    public static let regionSize: UInt64 = 0x1000
    public static let slotCount = VMCSField.catalog.count

    /// Slots by (width, type, index) for indices below 64: 16 groups of 64, 0xFFFF = no component.
    /// Unsafe storage built once and never freed: `key` is below 16 * 64 by construction, so a
    /// lookup is one load.
    nonisolated(unsafe) static let slotTable: UnsafeMutablePointer<UInt16> = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 16 * 64)
        table.initialize(repeating: 0xFFFF, count: 16 * 64)
        for (slot, e) in VMCSField.catalog.enumerated() {
            table[key(e.field)] = UInt16(slot)
        }
        return table
    }()

    @inline(__always)
    static func key(_ f: VMCSField) -> Int {
        Int((f.rawValue >> 13) & 3) << 8 | Int((f.rawValue >> 10) & 3) << 6 | Int(f.index & 0x3F)
    }

    /// The slot of a component (either access type), or nil when no component has this encoding.
    /// High access exists only for 64-bit fields (SDM 24.11.2).
    public static func slot(of field: VMCSField) -> Int? { slot(of: field, in: slotTable) }

    /// `slot(of:)` with the table passed in (VMXState keeps a copy of the pointer, so the hot
    /// paths skip the lazy initialisation check of the static).
    @inline(__always)
    static func slot(of field: VMCSField, in table: UnsafeMutablePointer<UInt16>) -> Int? {
        guard !field.hasReservedBits, field.index < 64 else { return nil }
        if field.accessType == .high && field.width != .bits64 { return nil }
        let s = table[key(field)]
        return s == 0xFFFF ? nil : Int(s)
    }

    /// Same as `slot(of:)` for a raw register value (VMREAD/VMWRITE take 32 or 64 bits).
    public static func slot(ofEncoding value: UInt64) -> Int? {
        guard value <= UInt64(UInt32.max) else { return nil }
        return slot(of: VMCSField(rawValue: UInt32(value)))
    }
}
