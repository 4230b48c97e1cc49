/// Builds a block of boot information at a fixed guest-physical address: fixed-size structures
/// first, then strings and tables, each addressed by its physical address. Also finds a place
/// for the block in low memory that does not overlap the loaded image.
struct BootInfoBuilder {
    /// The GDT every loader in swemu leaves behind: null, null, code 0x10, data 0x18.
    static let gdtSize = 32
    /// Lowest address used: page 0 holds the real-mode IVT and BIOS data area on a PC.
    static let lowestAddress: UInt64 = 0x1000

    let base: UInt64
    private(set) var bytes: [UInt8] = []

    init(base: UInt64) { self.base = base }

    /// The physical address of the next byte appended.
    var here: UInt64 { base + UInt64(bytes.count) }

    mutating func align(_ n: Int) {
        while bytes.count % n != 0 { bytes.append(0) }
    }

    mutating func reserve(_ n: Int) -> Int {
        let o = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: n))
        return o
    }

    mutating func append32(_ v: UInt32) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) } }
    mutating func append64(_ v: UInt64) { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
    mutating func append16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    mutating func append(_ b: some Collection<UInt8>) { bytes.append(contentsOf: b) }

    /// Appends a NUL-terminated string and returns its physical address.
    mutating func appendString(_ s: String) -> UInt32 {
        let a = UInt32(truncatingIfNeeded: here)
        bytes.append(contentsOf: Array(s.utf8))
        bytes.append(0)
        return a
    }

    mutating func put32(_ v: UInt32, at offset: Int) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }

    /// Appends the flat GDT (8-byte aligned) and returns its address.
    mutating func appendGDT() -> UInt32 {
        align(8)
        let a = UInt32(truncatingIfNeeded: here)
        append64(0)
        append64(0)
        append64(0x00CF_9B00_0000_FFFF)   // 0x10: base 0, limit 0xFFFFF pages, code execute/read accessed, D, G
        append64(0x00CF_9300_0000_FFFF)   // 0x18: base 0, limit 0xFFFFF pages, data read/write accessed, B, G
        return a
    }

    /// The lowest address at or above `lowestAddress` where `size` bytes fit below `limit`
    /// without touching `occupied`; else the first page above everything occupied, if that fits
    /// in RAM and below 4 GiB.
    static func place(size: Int, avoiding occupied: [Range<UInt64>], limit: UInt64, ramSize: UInt64) -> UInt64? {
        let n = UInt64(size)
        var candidate = lowestAddress
        let sorted = occupied.sorted { $0.lowerBound < $1.lowerBound }
        for r in sorted where !r.isEmpty {
            if candidate + n <= r.lowerBound { break }
            if r.upperBound > candidate { candidate = (r.upperBound + 0xFFF) & ~0xFFF }
        }
        if candidate + n <= limit { return candidate }
        let top = (sorted.map(\.upperBound).max() ?? lowestAddress) + 0xFFF & ~0xFFF
        let high = max(top, E820Map.highMemoryStart)
        guard high + n <= ramSize, high + n <= 1 << 32 else { return nil }
        return high
    }
}
