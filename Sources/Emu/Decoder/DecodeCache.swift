/// The decoded-instruction cache (DESIGN.md): direct-mapped by physical address, each entry
/// validated by the write generation of its page and by the decoding mode, so code is decoded
/// once and executed many times, and self-modifying code is seen. The slot of an address is its
/// low bits, so the instructions of a page sit in the slots of one block at their distances, and
/// the next one is found from the last without a TLB lookup (`entry(near:distance:)`).
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
    /// has no valid bit, so no instruction is looked up from it.
    let scratch: UnsafeMutablePointer<Entry>

    init() {
        scratch = .allocate(capacity: 1)
        scratch.initialize(to: Entry(tag: 0, generation: 0, instruction: Instruction()))
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

    /// The entry of the instruction `distance` bytes (RIP after minus RIP before, wrapping)
    /// from the one in `entry`, if it lies in the same physical page and mode and is cached and
    /// valid there (`generations`: the pages' write generations). Only after an instruction that
    /// cannot have changed the mode, CS or the mapping of its page (a specialised `Handler`):
    /// then the linear and physical addresses move together inside the page.
    @inline(__always)
    static func entry(near entry: UnsafePointer<Entry>, distance: UInt64,
                      generations: UnsafeMutablePointer<UInt32>) -> UnsafePointer<Entry>? {
        let tag = entry.pointee.tag &+ distance
        // A valid tag, and the same page, hence slots of the same 32 KiB block.
        guard Int64(bitPattern: entry.pointee.tag) < 0 && (tag ^ entry.pointee.tag) >> 12 == 0 else { return nil }
        let next = entry + Int(truncatingIfNeeded: Int64(bitPattern: distance))
        if next.pointee.tag == tag
            && next.pointee.generation == generations[Int(truncatingIfNeeded: (tag & physicalMask) >> 12)] {
            return next
        }
        return nil
    }
}
