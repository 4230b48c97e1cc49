/// The decoded-instruction cache (DESIGN.md): direct-mapped by physical address, each entry
/// validated by the write generation of its page and by the decoding mode, so code is decoded
/// once and executed many times, and self-modifying code is seen. The slot of an address is its
/// low bits, so the instructions of a straight run of code sit in consecutive slots and the next
/// one is found without a TLB lookup (`sequentialEntry`).
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
    /// Holds an instruction that is not cached (it crosses a page, or runs from MMIO); its tag
    /// (no valid bit, the last byte of a page) has no instruction after it (`sequentialEntry`).
    let scratch: UnsafeMutablePointer<Entry>

    init() {
        scratch = .allocate(capacity: 1)
        scratch.initialize(to: Entry(tag: 0xFFF, generation: 0, instruction: Instruction()))
        slots = .allocate(capacity: DecodeCache.entries)
        slots.initialize(repeating: Entry(tag: 0, generation: 0, instruction: Instruction()), count: DecodeCache.entries)
    }

    func deallocate() {
        slots.deallocate()
        scratch.deallocate()
    }

    @inline(__always)
    static func instruction(_ entry: UnsafePointer<Entry>) -> UnsafePointer<Instruction> {
        UnsafeRawPointer(entry).advanced(by: MemoryLayout<Entry>.offset(of: \Entry.instruction) ?? 0)
            .assumingMemoryBound(to: Instruction.self)
    }

    @inline(__always)
    static func tag(physical: UInt64, mode: CodeMode, vendor: Vendor) -> UInt64 {
        physical | UInt64(mode.rawValue) << 56 | (vendor == .amd ? 1 << 60 : 0) | 1 << 63
    }

    @inline(__always)
    static func slot(physical: UInt64) -> Int { Int(truncatingIfNeeded: physical & mask) }

    /// The physical address bits of a tag.
    static let physicalMask: UInt64 = 1 << 56 - 1

    /// The entry of the instruction that follows the one in `entry` (`length` bytes long) in
    /// the same physical page and mode, if it is cached and valid (`generations`: the pages'
    /// write generations). Only for an instruction that did not branch and cannot have changed
    /// the mode or the mapping of its page (a specialised `Handler`).
    @inline(__always)
    static func sequentialEntry(after entry: UnsafePointer<Entry>, length: UInt8,
                                generations: UnsafeMutablePointer<UInt32>) -> UnsafePointer<Entry>? {
        let tag = entry.pointee.tag &+ UInt64(length)
        // In the same page, hence in the next slots of the same 32 KiB block.
        guard (tag ^ entry.pointee.tag) >> 12 == 0 else { return nil }
        let next = entry + Int(length)
        if next.pointee.tag == tag
            && next.pointee.generation == generations[Int(truncatingIfNeeded: (tag & physicalMask) >> 12)] {
            return next
        }
        return nil
    }
}
