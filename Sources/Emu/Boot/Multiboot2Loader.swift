/// Loads a Multiboot 2 kernel (Multiboot2 Specification 2.0): by its address tag (like the
/// Multiboot 1 a.out kludge) or as an ELF image, then builds the boot information tag list
/// (3.6). The machine state at entry is Multiboot 1's, with EAX = 0x36D76289.
public enum Multiboot2Loader {
    /// Boot information tag types (3.6).
    enum InfoTag: UInt32 {
        case end = 0
        case commandLine = 1
        case bootLoaderName = 2
        case module = 3
        case basicMemory = 4
        case memoryMap = 6
        /// A copy of the RSDP, ACPI 1.0 part (20 bytes) and ACPI 2.0+ (the whole structure).
        case acpiOldRSDP = 14
        case acpiNewRSDP = 15
        /// The image load base physical address, for an image with a relocatable tag (3.6.14).
        case loadBaseAddress = 21
    }

    public static func load(_ bytes: [UInt8], header: Multiboot2Header, into memory: PhysicalMemory,
                            commandLine: String, acpiRSDP: [UInt8] = [],
                            modules: [BootModule] = []) throws(BootError) -> BootImage {
        var pieces: [Multiboot1Loader.Piece]
        var entry: UInt64
        var format: String
        if var a = header.addresses {
            if a.loadAddress == 0xFFFF_FFFF {
                // -1: the file is loaded from its beginning.
                guard UInt64(a.headerAddress) >= UInt64(header.offset) else { throw .badKludge("header_addr below the header's offset") }
                a.loadAddress = a.headerAddress - UInt32(header.offset)
            }
            (pieces, entry) = try Multiboot1Loader.kludgePieces(bytes, headerOffset: header.offset, addresses: a)
            guard let e = header.entry else { throw .badMultiboot2("an address tag needs an entry address tag") }
            entry = UInt64(e)
            format = "Multiboot2 address tag"
        } else {
            let elf: ELFImage
            (pieces, entry, elf) = try Multiboot1Loader.elfPieces(bytes)
            if let e = header.entry { entry = UInt64(e) }
            format = elf.is64Bit ? "Multiboot2 ELF64" : "Multiboot2 ELF32"
        }
        var loadBase: UInt32?
        if let r = header.relocation {
            let loaded = pieces.filter { $0.memorySize > 0 }
            let lo = loaded.map(\.address).min() ?? 0, hi = loaded.map(\.range.upperBound).max() ?? 0
            guard let base = r.base(for: lo..<max(lo, hi), ramSize: memory.size) else {
                throw .badMultiboot2("relocatable image (\(hi - lo) bytes) does not fit in RAM between min_addr "
                                     + "0x\(UInt64(r.minAddress).hexDigits) and max_addr 0x\(UInt64(r.maxAddress).hexDigits)")
            }
            // Moving down subtracts modulo 2^64, which the additions below undo exactly.
            let offset = base &- lo
            for k in pieces.indices { pieces[k].address &+= offset }
            entry &+= offset
            loadBase = UInt32(truncatingIfNeeded: base)
            if base != lo { format += ", relocated to 0x\(base.hexDigits)" }
        }
        let ranges = try Multiboot1Loader.place(pieces, entry: entry, in: memory)
        let placed = try BootModule.place(modules, after: ranges, in: memory)
        let (info, gdt) = try writeInfo(memory: memory, occupied: ranges, commandLine: commandLine, acpiRSDP: acpiRSDP,
                                        modules: placed, loadBase: loadBase)
        return BootImage(format: format, entry: UInt32(entry), magic: Multiboot2Header.bootloaderMagic,
                         infoAddress: info, gdtAddress: gdt, loadedRanges: ranges)
    }

    /// The tag list (8-byte aligned, total_size first), then the GDT.
    static func writeInfo(memory: PhysicalMemory, occupied: [Range<UInt64>], commandLine: String,
                          acpiRSDP: [UInt8] = [], modules: [BootModule.Placed] = [],
                          loadBase: UInt32? = nil) throws(BootError) -> (info: UInt32, gdt: UInt32) {
        let map = E820Map(ramSize: memory.size)
        let size = 8 + 16 + commandLine.utf8.count + 1 + Multiboot1Loader.bootLoaderName.utf8.count + 1 + 16
            + 16 + 16 + 24 * map.entries.count + 8 + 8 + BootInfoBuilder.gdtSize + 16
            + (acpiRSDP.isEmpty ? 0 : 16 + 20 + 16 + acpiRSDP.count)
            + modules.reduce(0) { $0 + 16 + 8 + $1.string.utf8.count + 1 }
            + (loadBase == nil ? 0 : 16)
        guard let base = BootInfoBuilder.place(size: size, avoiding: occupied, limit: E820Map.lowMemoryEnd,
                                               ramSize: memory.size) else {
            throw .doesNotFit(what: "boot information", start: 0, end: UInt64(size), ramSize: memory.size)
        }
        var b = BootInfoBuilder(base: base)
        let total = b.reserve(8)              // total_size, reserved
        func tag(_ type: InfoTag, _ body: (inout BootInfoBuilder) -> Void) {
            b.align(8)
            let start = b.bytes.count
            b.append32(type.rawValue)
            let sizeField = b.reserve(4)
            body(&b)
            b.put32(UInt32(b.bytes.count - start), at: sizeField)
        }
        tag(.commandLine) { _ = $0.appendString(commandLine) }
        tag(.bootLoaderName) { _ = $0.appendString(Multiboot1Loader.bootLoaderName) }
        for m in modules {
            tag(.module) { b in
                b.append32(UInt32(truncatingIfNeeded: m.start))
                b.append32(UInt32(truncatingIfNeeded: m.end))
                _ = b.appendString(m.string)
            }
        }
        if let base = loadBase { tag(.loadBaseAddress) { $0.append32(base) } }
        tag(.basicMemory) { $0.append32(map.lowerKiB); $0.append32(map.upperKiB) }
        tag(.memoryMap) { b in
            b.append32(24)                    // entry_size
            b.append32(0)                     // entry_version
            for e in map.entries {
                b.append64(e.base)
                b.append64(e.length)
                b.append32(e.type.rawValue)
                b.append32(0)
            }
        }
        if acpiRSDP.count >= 20 {
            tag(.acpiOldRSDP) { b in b.append(acpiRSDP.prefix(20)) }
            tag(.acpiNewRSDP) { b in b.append(acpiRSDP) }
        }
        tag(.end) { _ in }
        b.put32(UInt32(b.bytes.count), at: total)
        let gdt = b.appendGDT()
        _ = memory.load(b.bytes, at: base)
        return (UInt32(truncatingIfNeeded: base), gdt)
    }
}
