/// Why an image cannot be booted. Every case is bad user input: the command line prints
/// `description` (one line) and exits with status 2.
public enum BootError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read (`reason` is the host's strerror text).
    case cannotRead(path: String, reason: String)
    /// The file is empty.
    case emptyImage
    /// No Multiboot 1 header (magic 0x1BADB002, 4-byte aligned, in the first 8 KiB) and no
    /// Multiboot 2 header; `isELF` tells whether the file is at least an ELF file.
    case noMultibootHeader(isELF: Bool)
    /// A header whose magic + flags + checksum is not 0 (mod 2^32).
    case badChecksum(offset: Int)
    /// The header sets a required-feature bit (0-15) this loader does not implement.
    case unsupportedRequiredFlags(UInt32)
    /// Without the a.out kludge (flag bit 16) the image must be an ELF file.
    case notELF
    /// The ELF file is malformed or not an x86 executable; `detail` says what.
    case badELF(String)
    /// The a.out kludge address fields are inconsistent.
    case badKludge(String)
    /// A part of the image, or the boot information, does not fit in guest RAM.
    case doesNotFit(what: String, start: UInt64, end: UInt64, ramSize: UInt64)
    /// The image file is larger than guest RAM.
    case imageLargerThanRAM(imageSize: UInt64, ramSize: UInt64)
    /// A Multiboot 2 header that is malformed or asks for what swemu cannot do.
    case badMultiboot2(String)
    /// The entry point is not reachable from 32-bit protected mode.
    case entryAbove4G(UInt64)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        case .emptyImage: return "the image is empty"
        case .noMultibootHeader(let isELF):
            return isELF ? "no Multiboot header (magic 0x1BADB002 in the first 8 KiB or 0xE85250D6 in the first 32 KiB)"
                         : "not an ELF file and no Multiboot header"
        case .badChecksum(let offset):
            return "Multiboot header at file offset 0x\(UInt64(offset).hexDigits) has a bad checksum"
        case .unsupportedRequiredFlags(let f):
            return "Multiboot header requires features this loader lacks (flags 0x\(UInt64(f).hexDigits))"
        case .notELF: return "not an ELF file (a non-ELF Multiboot image needs the a.out kludge, flag bit 16)"
        case .badELF(let detail): return "bad ELF file: \(detail)"
        case .badKludge(let detail): return "bad Multiboot a.out kludge: \(detail)"
        case .doesNotFit(let what, let start, let end, let ram):
            return "\(what) at 0x\(start.hexDigits)-0x\(end.hexDigits) does not fit in \(ram >> 20) MiB of RAM"
        case .imageLargerThanRAM(let image, let ram):
            return "image (\(image) bytes) is larger than RAM (\(ram >> 20) MiB)"
        case .badMultiboot2(let detail): return "bad Multiboot2 header: \(detail)"
        case .entryAbove4G(let e): return "entry point 0x\(e.hexDigits) is above 4 GiB"
        }
    }
}

extension UInt64 {
    /// Lower-case hexadecimal without a prefix, for messages.
    var hexDigits: String { String(self, radix: 16) }
}
