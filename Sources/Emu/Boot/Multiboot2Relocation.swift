/// The Multiboot 2 relocatable header tag (Multiboot2 Specification 2.0, 3.1.13) and where a
/// loader following it puts the image. Like GRUB, the loader moves the whole image (every
/// segment, and the entry point) by one offset, chosen inside [min_addr, max_addr] at an
/// `align` boundary: as low as possible (preference 1), as high as possible (2), or, with no
/// preference (0), at the linked address when that satisfies the tag, else as low as possible.
/// Only usable RAM from 1 MiB up is considered; the kernel learns the base from the boot
/// information's "image load base physical address" tag (type 21, 3.6.14).
public struct Multiboot2Relocation: Sendable, Equatable {
    public enum Preference: UInt32, Sendable {
        case none = 0, lowest = 1, highest = 2
    }

    public var minAddress: UInt32
    public var maxAddress: UInt32
    public var align: UInt32
    public var preference: Preference

    /// The base for an image occupying `span` (linked addresses) in `ramSize` bytes of RAM, or
    /// nil when no address satisfies the tag.
    func base(for span: Range<UInt64>, ramSize: UInt64) -> UInt64? {
        let size = UInt64(span.count)
        let alignment = max(UInt64(align), 1)
        let low = max(UInt64(minAddress), E820Map.highMemoryStart)
        let high = min(UInt64(maxAddress), ramSize)
        guard high >= size else { return nil }
        let lowest = (low + alignment - 1) / alignment * alignment
        let highest = (high - size) / alignment * alignment
        guard lowest <= highest else { return nil }
        switch preference {
        case .lowest: return lowest
        case .highest: return highest
        case .none:
            let linked = span.lowerBound
            return linked >= lowest && linked <= highest && linked % alignment == 0 ? linked : lowest
        }
    }
}
