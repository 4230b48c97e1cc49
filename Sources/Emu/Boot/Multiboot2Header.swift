/// The Multiboot 2 header (Multiboot2 Specification 2.0, 3.1): 8-byte aligned in the first
/// 32768 bytes, followed by 8-byte-aligned tags up to `header_length`.
///
///     offset  field            note
///     0       magic            0xE85250D6
///     4       architecture     0 = i386 32-bit protected mode
///     8       header_length    including the tags
///     12      checksum         magic + architecture + header_length + checksum == 0
///     16      tags             u16 type, u16 flags (bit 0 = optional), u32 size, payload
public struct Multiboot2Header: Sendable, Equatable {
    public static let magic: UInt32 = 0xE852_50D6
    /// The value a Multiboot 2 loader leaves in EAX.
    public static let bootloaderMagic: UInt32 = 0x36D7_6289
    public static let searchLimit = 32768

    /// Header tag types (3.1.3-3.1.13).
    public enum TagType: UInt16, Sendable {
        case end = 0
        case informationRequest = 1
        case address = 2
        case entryAddress = 3
        case consoleFlags = 4
        case framebuffer = 5
        case moduleAlignment = 6
        case efiBootServices = 7
        case entryAddressEFI32 = 8
        case entryAddressEFI64 = 9
        case relocatable = 10
    }

    /// Boot information tag types swemu provides (3.6): command line, boot loader name, modules
    /// (when there are some), basic memory information, memory map, the ACPI RSDP copies, and the
    /// image load base address (for an image with a relocatable tag).
    public static let providedInformation: Set<UInt32> = [1, 2, 3, 4, 6, 14, 15, 21]
    /// The information tag that exists only for relocatable images.
    static let loadBaseInformation: UInt32 = 21

    public var offset: Int
    /// The address tag: the same fields as the Multiboot 1 a.out kludge (entry from `entry`).
    public var addresses: MultibootHeader.Addresses?
    /// The entry address tag.
    public var entry: UInt32?
    /// The relocatable tag.
    public var relocation: Multiboot2Relocation?

    /// Finds and checks the header; nil if there is none.
    public static func find(in bytes: [UInt8]) throws(BootError) -> Multiboot2Header? {
        let f = ImageBytes(bytes: bytes)
        let end = min(bytes.count, searchLimit)
        var o = 0
        while o + 16 <= end {
            defer { o += 8 }
            guard f.u32(UInt64(o)) == magic, let arch = f.u32(UInt64(o + 4)), let length = f.u32(UInt64(o + 8)),
                  let checksum = f.u32(UInt64(o + 12)) else { continue }
            guard magic &+ arch &+ length &+ checksum == 0 else { throw .badChecksum(offset: o) }
            guard arch == 0 else { throw .badMultiboot2("architecture \(arch) is not i386 (0)") }
            guard length >= 16, UInt64(o) + UInt64(length) <= UInt64(bytes.count) else {
                throw .badMultiboot2("header_length \(length) out of range")
            }
            return try parseTags(f, headerOffset: o, end: o + Int(length))
        }
        return nil
    }

    static func parseTags(_ f: ImageBytes, headerOffset: Int, end: Int) throws(BootError) -> Multiboot2Header {
        var header = Multiboot2Header(offset: headerOffset, addresses: nil, entry: nil)
        var requiresLoadBase = false
        var t = headerOffset + 16
        while true {
            guard t + 8 <= end, let rawType = f.u16(UInt64(t)), let flags = f.u16(UInt64(t + 2)),
                  let size = f.u32(UInt64(t + 4)) else {
                throw .badMultiboot2("tags run past header_length (no end tag)")
            }
            guard size >= 8, UInt64(t) + UInt64(size) <= UInt64(end) else { throw .badMultiboot2("tag \(rawType) has size \(size)") }
            let optional = flags & 1 != 0
            let payload = UInt64(t + 8)
            switch TagType(rawValue: rawType) {
            case .end?:
                if requiresLoadBase && header.relocation == nil {
                    throw .badMultiboot2("requires the load base address tag (21), given only to relocatable images")
                }
                return header
            case .informationRequest?:
                var p = payload
                while p + 4 <= UInt64(t) + UInt64(size) {
                    if let request = f.u32(p), !optional {
                        guard providedInformation.contains(request) else {
                            throw .badMultiboot2("requires boot information tag \(request), which swemu does not provide")
                        }
                        if request == loadBaseInformation { requiresLoadBase = true }
                    }
                    p += 4
                }
            case .address?:
                guard size >= 24, let h = f.u32(payload), let l = f.u32(payload + 4), let le = f.u32(payload + 8),
                      let b = f.u32(payload + 12) else { throw .badMultiboot2("address tag too short") }
                header.addresses = MultibootHeader.Addresses(headerAddress: h, loadAddress: l, loadEndAddress: le,
                                                             bssEndAddress: b, entryAddress: 0)
            case .entryAddress?:
                guard size >= 12, let e = f.u32(payload) else { throw .badMultiboot2("entry address tag too short") }
                header.entry = e
            case .relocatable?:
                guard size >= 24, let lo = f.u32(payload), let hi = f.u32(payload + 4), let align = f.u32(payload + 8),
                      let raw = f.u32(payload + 12) else { throw .badMultiboot2("relocatable tag too short") }
                guard let preference = Multiboot2Relocation.Preference(rawValue: raw) else {
                    throw .badMultiboot2("relocatable tag preference \(raw) is not 0, 1 or 2")
                }
                header.relocation = Multiboot2Relocation(minAddress: lo, maxAddress: hi, align: align, preference: preference)
            case .consoleFlags?, .framebuffer?, .moduleAlignment?:
                break   // text console only; modules are page-aligned already
            case .efiBootServices?, .entryAddressEFI32?, .entryAddressEFI64?, nil:
                if !optional { throw .badMultiboot2("requires header tag \(rawType), which swemu does not support") }
            }
            t += (Int(size) + 7) & ~7
        }
    }
}
