/// The physical memory map a PC firmware reports through INT 15h, AX=E820h (ACPI 6.5, 15.1),
/// which Multiboot hands on as `mmap`: usable RAM below 640 KiB, the legacy hole (VGA memory,
/// option ROMs, BIOS) from 640 KiB to 1 MiB, and usable RAM from 1 MiB to the end of RAM.
public struct E820Map: Sendable, Equatable {
    /// Address range types (ACPI table 15.6).
    public enum RangeType: UInt32, Sendable {
        case usable = 1
        case reserved = 2
        case acpiReclaimable = 3
        case acpiNVS = 4
        case unusable = 5
    }

    public struct Entry: Sendable, Equatable {
        public var base: UInt64
        public var length: UInt64
        public var type: RangeType
        public var end: UInt64 { base + length }
    }

    public static let lowMemoryEnd: UInt64 = 0xA_0000      // 640 KiB
    public static let highMemoryStart: UInt64 = 0x10_0000  // 1 MiB

    public var entries: [Entry]

    /// The map of a machine with `ramSize` bytes of RAM (at least 1 MiB) at physical address 0.
    public init(ramSize: UInt64) {
        let low = min(ramSize, E820Map.lowMemoryEnd)
        entries = [Entry(base: 0, length: low, type: .usable)]
        if ramSize > E820Map.lowMemoryEnd {
            entries.append(Entry(base: E820Map.lowMemoryEnd, length: E820Map.highMemoryStart - E820Map.lowMemoryEnd,
                                 type: .reserved))
        }
        if ramSize > E820Map.highMemoryStart {
            entries.append(Entry(base: E820Map.highMemoryStart, length: ramSize - E820Map.highMemoryStart, type: .usable))
        }
    }

    /// Multiboot mem_lower: KiB of RAM from 0 (at most 640).
    public var lowerKiB: UInt32 { UInt32(entries[0].length >> 10) }

    /// Multiboot mem_upper: KiB of RAM from 1 MiB to the first hole (saturated to 32 bits).
    public var upperKiB: UInt32 {
        guard let high = entries.first(where: { $0.base == E820Map.highMemoryStart }) else { return 0 }
        return UInt32(min(high.length >> 10, UInt64(UInt32.max)))
    }
}
