/// The Multiboot 1 header (Multiboot Specification 0.6.96, 3.1.1): a 4-byte-aligned structure in
/// the first 8192 bytes of the image.
///
///     offset  field           note
///     0       magic           0x1BADB002
///     4       flags           bits 0-15 required features, 16-31 optional
///     8       checksum        magic + flags + checksum == 0 (mod 2^32)
///     12      header_addr     \
///     16      load_addr        |
///     20      load_end_addr    | present if flags bit 16 (the "a.out kludge")
///     24      bss_end_addr     |
///     28      entry_addr      /
///     32..44  mode_type, width, height, depth   (flags bit 2)
public struct MultibootHeader: Sendable, Equatable {
    public static let magic: UInt32 = 0x1BAD_B002
    /// The value a Multiboot 1 loader leaves in EAX.
    public static let bootloaderMagic: UInt32 = 0x2BAD_B002
    public static let searchLimit = 8192

    /// Flag bits (3.1.2).
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Bit 0: align boot modules on 4 KiB boundaries.
        public static let pageAlignModules = Flags(rawValue: 1 << 0)
        /// Bit 1: mem_* (and mmap_*) must be provided.
        public static let memoryInfo = Flags(rawValue: 1 << 1)
        /// Bit 2: video mode information must be provided.
        public static let videoMode = Flags(rawValue: 1 << 2)
        /// Bit 16: the address fields at offsets 12-28 are valid (the a.out kludge).
        public static let addressFields = Flags(rawValue: 1 << 16)
        /// Required-feature bits this loader honours.
        public static let understood: Flags = [.pageAlignModules, .memoryInfo, .videoMode]
    }

    /// The a.out kludge (offsets 12-28).
    public struct Addresses: Sendable, Equatable {
        public var headerAddress: UInt32
        public var loadAddress: UInt32
        /// 0: load to the end of the file.
        public var loadEndAddress: UInt32
        /// 0: no bss.
        public var bssEndAddress: UInt32
        public var entryAddress: UInt32
    }

    /// Offset of the magic in the file.
    public var offset: Int
    public var flags: Flags
    public var addresses: Addresses?

    /// Finds and checks the header. Returns nil if there is no magic at a 4-byte boundary in
    /// the first 8 KiB; throws when a header is there but unusable.
    public static func find(in bytes: [UInt8]) throws(BootError) -> MultibootHeader? {
        let f = ImageBytes(bytes: bytes)
        let end = min(bytes.count, searchLimit)
        var o = 0
        while o + 12 <= end {
            defer { o += 4 }
            guard f.u32(UInt64(o)) == magic, let flagBits = f.u32(UInt64(o + 4)),
                  let checksum = f.u32(UInt64(o + 8)) else { continue }
            guard magic &+ flagBits &+ checksum == 0 else { throw .badChecksum(offset: o) }
            let flags = Flags(rawValue: flagBits)
            let unknown = flagBits & 0xFFFF & ~Flags.understood.rawValue
            guard unknown == 0 else { throw .unsupportedRequiredFlags(flagBits) }
            var header = MultibootHeader(offset: o, flags: flags, addresses: nil)
            if flags.contains(.addressFields) {
                var v: [UInt32] = []
                for k in 0..<5 {
                    guard let x = f.u32(UInt64(o + 12 + 4 * k)) else { throw .badKludge("header truncated by the end of the file") }
                    v.append(x)
                }
                header.addresses = Addresses(headerAddress: v[0], loadAddress: v[1], loadEndAddress: v[2],
                                             bssEndAddress: v[3], entryAddress: v[4])
            }
            return header
        }
        return nil
    }
}
