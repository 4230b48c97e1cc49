/// A Multiboot module (Multiboot 0.6.96, 3.3 mods; Multiboot2 3.6.6): a file loaded into RAM
/// beside the kernel, with a string the kernel reads (swemu passes "FILE ARGS", or "FILE" with no
/// arguments, as QEMU's -initrd "FILE ARGS" does).
public struct BootModule: Sendable, Equatable {
    public var string: String
    public var bytes: [UInt8]

    public init(string: String, bytes: [UInt8]) {
        self.string = string
        self.bytes = bytes
    }

    /// Where a module went.
    struct Placed {
        var start: UInt64
        var end: UInt64
        var string: String
    }

    /// Copies the modules into RAM, each at a 4 KiB boundary (as GRUB and QEMU place them),
    /// from the first page above everything in `occupied` and above 1 MiB; when that runs out of
    /// RAM (an image relocated to the top of RAM), in the first gap from 1 MiB that holds it.
    static func place(_ modules: [BootModule], after occupied: [Range<UInt64>],
                      in memory: PhysicalMemory) throws(BootError) -> [Placed] {
        var taken = occupied
        var next = max(occupied.map(\.upperBound).max() ?? 0, E820Map.highMemoryStart)
        var placed: [Placed] = []
        for m in modules {
            let size = UInt64(m.bytes.count)
            var start = (next + 0xFFF) & ~0xFFF
            if start + size > memory.size { start = firstGap(of: size, avoiding: taken) }
            let end = start + size
            // Module addresses are 32-bit fields.
            guard end <= memory.size, end <= 1 << 32, memory.load(m.bytes, at: start) else {
                throw .doesNotFit(what: "module \(m.string)", start: start, end: end, ramSize: memory.size)
            }
            placed.append(Placed(start: start, end: end, string: m.string))
            taken.append(start..<end)
            next = end
        }
        return placed
    }

    /// The lowest page boundary from 1 MiB where `size` bytes overlap none of `taken`.
    static func firstGap(of size: UInt64, avoiding taken: [Range<UInt64>]) -> UInt64 {
        var start = E820Map.highMemoryStart
        while let blocker = taken.first(where: { $0.overlaps(start..<(start + max(size, 1))) }) {
            start = (blocker.upperBound + 0xFFF) & ~0xFFF
        }
        return start
    }
}
