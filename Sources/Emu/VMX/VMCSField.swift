/// A VMCS component encoding, the 32-bit value VMREAD and VMWRITE take (SDM vol. 3, 24.11.2,
/// table "Structure of VMCS Component Encoding"; the encodings are listed in appendix B):
///
///     bit 0       access type: 0 = full, 1 = high (only 64-bit fields have a high encoding)
///     bits 9:1    index
///     bits 11:10  type: 0 = control, 1 = VM-exit information (read-only data), 2 = guest state,
///                 3 = host state
///     bit 12      reserved (0)
///     bits 14:13  width: 0 = 16-bit, 1 = 64-bit, 2 = 32-bit, 3 = natural width
///     bits 31:15  reserved (0)
///
/// The named constants are the full-access encodings; `high` gives the high-access encoding of a
/// 64-bit field. The static lists (VMCSFieldCatalog*.swift) say which fields swemu supports.
public struct VMCSField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    public enum Width: UInt8, Sendable {
        case bits16 = 0, bits64 = 1, bits32 = 2, natural = 3
    }

    public enum FieldType: UInt8, Sendable {
        case control = 0
        /// VM-exit information fields (read-only unless IA32_VMX_MISC[29]).
        case readOnlyData = 1
        case guestState = 2
        case hostState = 3
    }

    public enum AccessType: UInt8, Sendable {
        case full = 0, high = 1
    }

    @inlinable public var accessType: AccessType { rawValue & 1 == 0 ? .full : .high }
    @inlinable public var index: UInt16 { UInt16((rawValue >> 1) & 0x1FF) }
    @inlinable public var type: FieldType { FieldType(rawValue: UInt8((rawValue >> 10) & 3)) ?? .control }
    @inlinable public var width: Width { Width(rawValue: UInt8((rawValue >> 13) & 3)) ?? .bits16 }
    /// Bit 12 or bits 31:15 set: no VMCS component can have this encoding.
    @inlinable public var hasReservedBits: Bool { rawValue & 0xFFFF_9000 != 0 }

    /// The high-access encoding of a 64-bit field (bits 63:32 of the field).
    @inlinable public var high: VMCSField { VMCSField(rawValue: rawValue | 1) }
    /// The full-access encoding of the same component.
    @inlinable public var full: VMCSField { VMCSField(rawValue: rawValue & ~1) }

    /// Bits of the field's value (high access reads 32 bits). Natural width is 64 bits on
    /// processors that support Intel 64 architecture.
    @inline(__always)
    public var valueMask: UInt64 {
        if accessType == .high { return 0xFFFF_FFFF }
        switch width {
        case .bits16: return 0xFFFF
        case .bits32: return 0xFFFF_FFFF
        case .bits64, .natural: return UInt64.max
        }
    }

    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        let name = VMCSField.names[full] ?? "field"
        return "\(name)\(accessType == .high ? " (high)" : "") [\(String(repeating: "0", count: max(0, 8 - hex.count)))\(hex)H]"
    }
}
