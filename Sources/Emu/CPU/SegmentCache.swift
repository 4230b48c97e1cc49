/// The hidden part of a segment register: what the last load of the selector put there
/// (SDM vol. 3, 3.4.3). Real-mode loads set base = selector << 4 and keep limit and attributes,
/// which is how "unreal" mode works.
public struct SegmentCache: Sendable, Equatable {
    public var selector: UInt16 = 0
    public var base: UInt64 = 0
    /// The limit in bytes (granularity already applied).
    public var limit: UInt32 = 0xFFFF
    /// Descriptor attribute bits 40-47 and 52-55 as in VMX's access-rights format:
    /// type (0-3), S (4), DPL (5-6), P (7), AVL (12), L (13), D/B (14), G (15).
    public var attributes: UInt16 = 0x93

    public init(selector: UInt16 = 0, base: UInt64 = 0, limit: UInt32 = 0xFFFF, attributes: UInt16 = 0x93) {
        self.selector = selector
        self.base = base
        self.limit = limit
        self.attributes = attributes
    }

    public var present: Bool { attributes & 0x80 != 0 }
    public var dpl: UInt8 { UInt8((attributes >> 5) & 3) }
    public var long: Bool { attributes & 0x2000 != 0 }
    public var defaultBig: Bool { attributes & 0x4000 != 0 }
    /// Data segment with the expand-down bit (type bit 2, code bit 3 clear).
    public var expandDown: Bool { attributes & 0x1C == 0x14 }
}
