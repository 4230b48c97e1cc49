/// A segment or gate descriptor as stored in the GDT, LDT or IDT (SDM vol. 3, 3.4.5, 5.8.3,
/// 6.11, 7.2.2; APM vol. 2, 4.7-4.8). `low` is the classic 8-byte descriptor; `high` holds the
/// upper 8 bytes of the 16-byte system descriptors and gates of IA-32e mode (zero otherwise).
struct Descriptor: Equatable {
    var low: UInt64
    var high: UInt64 = 0

    /// The 4-bit type field (bits 40-43).
    var type: UInt8 { UInt8(truncatingIfNeeded: low >> 40) & 0xF }
    /// S = 0: a system descriptor (LDT, TSS, gate).
    var isSystem: Bool { low & (1 << 44) == 0 }
    var isCode: Bool { !isSystem && type & 8 != 0 }
    var isData: Bool { !isSystem && type & 8 == 0 }
    /// Code segments: conforming (C). Data segments: expand-down (E).
    var conforming: Bool { type & 4 != 0 }
    /// Code: readable; data: writable (type bit 1).
    var readableCode: Bool { isCode && type & 2 != 0 }
    var writableData: Bool { isData && type & 2 != 0 }
    var dpl: UInt8 { UInt8(truncatingIfNeeded: low >> 45) & 3 }
    var present: Bool { low & (1 << 47) != 0 }
    /// L: 64-bit code segment.
    var long: Bool { low & (1 << 53) != 0 }
    /// D/B.
    var defaultBig: Bool { low & (1 << 54) != 0 }
    var granularity: Bool { low & (1 << 55) != 0 }

    /// The 32-bit base of a segment descriptor (bits 16-39 and 56-63).
    var base: UInt64 { ((low >> 16) & 0xFF_FFFF) | ((low >> 32) & 0xFF00_0000) }
    /// The 64-bit base of a 16-byte system descriptor (LDT, TSS in IA-32e mode).
    var base64: UInt64 { base | (high & 0xFFFF_FFFF) << 32 }
    /// The limit in bytes, granularity applied.
    var limit: UInt32 {
        let raw = UInt32(truncatingIfNeeded: (low & 0xFFFF) | ((low >> 32) & 0xF_0000))
        return granularity ? raw << 12 | 0xFFF : raw
    }
    /// Attribute bits in the `SegmentCache` (VMX access-rights) layout.
    var attributes: UInt16 {
        UInt16(truncatingIfNeeded: (low >> 40) & 0xFF) | UInt16(truncatingIfNeeded: (low >> 52) & 0xF) << 12
    }
    /// Bits 8-12 of the upper doubleword of a 16-byte descriptor must be zero (SDM 5.8.3.1).
    var highTypeIsZero: Bool { (high >> 40) & 0x1F == 0 }

    // MARK: Gates

    var gateSelector: UInt16 { UInt16(truncatingIfNeeded: low >> 16) }
    /// The 32-bit offset of a 32-bit gate (a 16-bit gate uses the low 16 bits).
    var gateOffset: UInt64 { (low & 0xFFFF) | ((low >> 32) & 0xFFFF_0000) }
    /// The offset of a 16-byte IA-32e gate.
    var gateOffset64: UInt64 { gateOffset | (high & 0xFFFF_FFFF) << 32 }
    /// Call gates: the number of parameters to copy (bits 32-36).
    var parameterCount: Int { Int((low >> 32) & 0x1F) }
    /// IA-32e interrupt and trap gates: the interrupt stack table index (bits 32-34).
    var ist: Int { Int((low >> 32) & 7) }

    /// With the accessed bit (type bit 0) set.
    var accessed: Descriptor { var d = self; d.low |= 1 << 40; return d }

    /// The segment-register cache this descriptor loads (base and limit from the descriptor).
    func cache(selector: UInt16) -> SegmentCache {
        SegmentCache(selector: selector, base: base, limit: limit, attributes: attributes)
    }
}

/// System-descriptor and gate types (SDM vol. 3, table 3-2).
enum SystemType {
    static let tss16Available: UInt8 = 1
    static let ldt: UInt8 = 2
    static let tss16Busy: UInt8 = 3
    static let callGate16: UInt8 = 4
    static let taskGate: UInt8 = 5
    static let interruptGate16: UInt8 = 6
    static let trapGate16: UInt8 = 7
    static let tssAvailable: UInt8 = 9
    static let tssBusy: UInt8 = 0xB
    static let callGate: UInt8 = 0xC
    static let interruptGate: UInt8 = 0xE
    static let trapGate: UInt8 = 0xF
}

/// Segment selector fields (SDM vol. 3, 3.4.2).
extension UInt16 {
    var selectorRPL: UInt8 { UInt8(truncatingIfNeeded: self) & 3 }
    var selectorIsLDT: Bool { self & 4 != 0 }
    /// Null: index 0 in the GDT (any RPL).
    var selectorIsNull: Bool { self & 0xFFFC == 0 }
    /// The error code of a selector fault: index and TI, RPL bits cleared (SDM 6.13).
    var selectorErrorCode: UInt32 { UInt32(self & 0xFFFC) }
}
