/// Loads a Multiboot 1 kernel (Multiboot Specification 0.6.96): an ELF32/ELF64 image by its
/// PT_LOAD program headers, or any image by the a.out kludge address fields, then builds the
/// Multiboot information structure (3.3) in low memory.
public enum Multiboot1Loader {
    /// Multiboot information `flags` bits (3.3).
    public struct InfoFlags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let memory = InfoFlags(rawValue: 1 << 0)
        public static let bootDevice = InfoFlags(rawValue: 1 << 1)
        public static let commandLine = InfoFlags(rawValue: 1 << 2)
        public static let modules = InfoFlags(rawValue: 1 << 3)
        public static let memoryMap = InfoFlags(rawValue: 1 << 6)
        public static let bootLoaderName = InfoFlags(rawValue: 1 << 9)
    }

    /// Size of the information structure up to and including the framebuffer fields.
    static let infoSize = 120
    public static let bootLoaderName = "swemu"

    /// A piece of the image to put in RAM: `contents` at `address`, then zeros up to `memorySize`.
    struct Piece {
        var address: UInt64
        var contents: ArraySlice<UInt8>
        var memorySize: UInt64
        var range: Range<UInt64> { address..<(address + memorySize) }
    }

    /// Loads `bytes` (which holds `header`) into `memory` and writes the boot information.
    /// `commandLine` is passed verbatim (the command line decides whether it starts with the
    /// kernel's name, as GRUB and QEMU do).
    public static func load(_ bytes: [UInt8], header: MultibootHeader, into memory: PhysicalMemory,
                            commandLine: String, modules: [BootModule] = []) throws(BootError) -> BootImage {
        let format: String
        let pieces: [Piece]
        let entry: UInt64
        if let a = header.addresses {
            (pieces, entry) = try kludgePieces(bytes, headerOffset: header.offset, addresses: a)
            format = "Multiboot1 a.out kludge" + (ELFImage.isELF(bytes) ? (bytes.count > 4 && bytes[4] == 2 ? " (ELF64)" : " (ELF32)") : "")
        } else {
            let elf: ELFImage
            (pieces, entry, elf) = try elfPieces(bytes)
            format = elf.is64Bit ? "Multiboot1 ELF64" : "Multiboot1 ELF32"
        }
        let ranges = try place(pieces, entry: entry, in: memory)
        let placed = try BootModule.place(modules, after: ranges, in: memory)
        let (info, gdt) = try writeInfo(memory: memory, occupied: ranges, commandLine: commandLine, modules: placed)
        return BootImage(format: format, entry: UInt32(entry), magic: MultibootHeader.bootloaderMagic,
                         infoAddress: info, gdtAddress: gdt, loadedRanges: ranges)
    }

    /// The a.out kludge (3.1.3): the file from `header_offset - (header_addr - load_addr)` is
    /// loaded at load_addr up to load_end_addr (0: end of file), then zeros up to bss_end_addr.
    /// (Multiboot 2's address tag, 3.1.5, has the same meaning.)
    static func kludgePieces(_ bytes: [UInt8], headerOffset: Int,
                             addresses a: MultibootHeader.Addresses) throws(BootError) -> ([Piece], UInt64) {
        guard a.headerAddress >= a.loadAddress else { throw .badKludge("header_addr below load_addr") }
        let headerDistance = UInt64(a.headerAddress - a.loadAddress)
        guard headerDistance <= UInt64(headerOffset) else {
            throw .badKludge("load_addr is before the start of the file")
        }
        let textOffset = UInt64(headerOffset) - headerDistance
        let fileRest = UInt64(bytes.count) - textOffset
        let loadSize: UInt64
        if a.loadEndAddress == 0 {
            loadSize = fileRest
        } else {
            guard a.loadEndAddress >= a.loadAddress else { throw .badKludge("load_end_addr below load_addr") }
            loadSize = UInt64(a.loadEndAddress - a.loadAddress)
            guard loadSize <= fileRest else { throw .badKludge("load_end_addr is past the end of the file") }
        }
        var memorySize = loadSize
        if a.bssEndAddress != 0 {
            guard UInt64(a.bssEndAddress) >= UInt64(a.loadAddress) + loadSize else {
                throw .badKludge("bss_end_addr below load_end_addr")
            }
            memorySize = UInt64(a.bssEndAddress) - UInt64(a.loadAddress)
        }
        let contents = bytes[Int(textOffset)..<Int(textOffset + loadSize)]
        return ([Piece(address: UInt64(a.loadAddress), contents: contents, memorySize: memorySize)], UInt64(a.entryAddress))
    }

    /// Checks that the pieces and the entry point fit, copies them, and returns their ranges.
    static func place(_ pieces: [Piece], entry: UInt64, in memory: PhysicalMemory) throws(BootError) -> [Range<UInt64>] {
        guard entry < 1 << 32 else { throw .entryAbove4G(entry) }
        for p in pieces where p.memorySize > 0 {
            guard p.range.upperBound <= memory.size else {
                throw .doesNotFit(what: "image segment", start: p.address, end: p.range.upperBound, ramSize: memory.size)
            }
        }
        for p in pieces where p.memorySize > 0 { copy(p, to: memory) }
        return pieces.filter { $0.memorySize > 0 }.map(\.range)
    }

    /// The PT_LOAD segments of an ELF image as pieces, and its physical entry point.
    static func elfPieces(_ bytes: [UInt8]) throws(BootError) -> (pieces: [Piece], entry: UInt64, elf: ELFImage) {
        let elf = try ELFImage(bytes)
        let pieces = elf.segments.map { s in
            Piece(address: s.physicalAddress, contents: bytes[Int(s.fileOffset)..<Int(s.fileOffset + s.fileSize)],
                  memorySize: s.memorySize)
        }
        return (pieces, elf.physicalEntry, elf)
    }

    static func copy(_ p: Piece, to memory: PhysicalMemory) {
        let dst = memory.base + Int(p.address)
        p.contents.withUnsafeBytes { src in
            if let s = src.baseAddress { dst.copyMemory(from: s, byteCount: src.count) }
        }
        let zeros = Int(p.memorySize) - p.contents.count
        if zeros > 0 { (dst + p.contents.count).initializeMemory(as: UInt8.self, repeating: 0, count: zeros) }
        for page in (p.address >> 12)...((p.range.upperBound - 1) >> 12) { memory.noteWrite(page: page) }
    }

    /// Writes the information structure, the memory map, the strings and the GDT as one block.
    static func writeInfo(memory: PhysicalMemory, occupied: [Range<UInt64>], commandLine: String,
                          modules: [BootModule.Placed] = []) throws(BootError) -> (info: UInt32, gdt: UInt32) {
        let map = E820Map(ramSize: memory.size)
        let size = infoSize + 24 * map.entries.count + BootInfoBuilder.gdtSize + 8 + bootLoaderName.utf8.count + 1
            + commandLine.utf8.count + 1 + 16 + modules.reduce(0) { $0 + 16 + $1.string.utf8.count + 1 }
        guard let base = BootInfoBuilder.place(size: size, avoiding: occupied, limit: E820Map.lowMemoryEnd,
                                               ramSize: memory.size) else {
            throw .doesNotFit(what: "boot information", start: 0, end: UInt64(size), ramSize: memory.size)
        }
        var b = BootInfoBuilder(base: base)
        let info = b.reserve(infoSize)
        let mmap = b.here
        for e in map.entries {
            b.append32(20)                 // size of the entry, not counting this field
            b.append64(e.base)
            b.append64(e.length)
            b.append32(e.type.rawValue)
        }
        let mmapLength = UInt32(b.here - mmap)
        let gdt = b.appendGDT()
        // Module structures (3.3): mod_start, mod_end, string, reserved.
        let mods = UInt32(truncatingIfNeeded: b.here)
        let modTable = b.reserve(16 * modules.count)
        for (k, m) in modules.enumerated() {
            let string = b.appendString(m.string)
            b.put32(UInt32(truncatingIfNeeded: m.start), at: modTable + 16 * k)
            b.put32(UInt32(truncatingIfNeeded: m.end), at: modTable + 16 * k + 4)
            b.put32(string, at: modTable + 16 * k + 8)
        }
        let name = b.appendString(bootLoaderName)
        let cmdline = b.appendString(commandLine)
        let flags: InfoFlags = [.memory, .commandLine, .modules, .memoryMap, .bootLoaderName]
        b.put32(flags.rawValue, at: info + 0)
        b.put32(map.lowerKiB, at: info + 4)
        b.put32(map.upperKiB, at: info + 8)
        b.put32(cmdline, at: info + 16)
        b.put32(UInt32(modules.count), at: info + 20)   // mods_count
        b.put32(mods, at: info + 24)                    // mods_addr
        b.put32(mmapLength, at: info + 44)
        b.put32(UInt32(truncatingIfNeeded: mmap), at: info + 48)
        b.put32(name, at: info + 64)
        _ = memory.load(b.bytes, at: base)
        return (UInt32(truncatingIfNeeded: base), gdt)
    }
}
