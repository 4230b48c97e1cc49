/// The decoded-instruction cache (DESIGN.md): direct-mapped by physical address, each entry
/// validated by the write generation of its page and by the decoding mode, so code is decoded
/// once and executed many times, and self-modifying code is seen.
final class DecodeCache {
    static let entries = 1 << 15
    static let mask = UInt64(entries - 1)

    struct Entry {
        /// Physical address | mode << 56 | 1 << 63 when valid; 0 when empty.
        var tag: UInt64
        var generation: UInt32
        var instruction: Instruction
    }

    let slots: UnsafeMutablePointer<Entry>
    /// Holds an instruction that is not cached (it crosses a page, or runs from MMIO).
    let scratch: UnsafeMutablePointer<Instruction>

    init() {
        scratch = .allocate(capacity: 1)
        scratch.initialize(to: Instruction())
        slots = .allocate(capacity: DecodeCache.entries)
        slots.initialize(repeating: Entry(tag: 0, generation: 0, instruction: Instruction()), count: DecodeCache.entries)
    }

    func deallocate() {
        slots.deallocate()
        scratch.deallocate()
    }

    @inline(__always)
    func instructionPointer(_ slot: UnsafeMutablePointer<Entry>) -> UnsafeMutablePointer<Instruction> {
        UnsafeMutableRawPointer(slot).advanced(by: MemoryLayout<Entry>.offset(of: \Entry.instruction) ?? 0)
            .assumingMemoryBound(to: Instruction.self)
    }

    @inline(__always)
    static func tag(physical: UInt64, mode: CodeMode, vendor: Vendor) -> UInt64 {
        physical | UInt64(mode.rawValue) << 56 | (vendor == .amd ? 1 << 60 : 0) | 1 << 63
    }

    @inline(__always)
    static func slot(physical: UInt64) -> Int { Int(truncatingIfNeeded: physical & mask) }
}
