/// The parts of an ELF executable a boot loader needs (System V gABI, "ELF header" and
/// "Program header"): class, machine, entry point and the PT_LOAD segments.
public struct ELFImage: Sendable, Equatable {
    /// One PT_LOAD program header.
    public struct Segment: Sendable, Equatable {
        public var fileOffset: UInt64
        public var virtualAddress: UInt64
        public var physicalAddress: UInt64
        public var fileSize: UInt64
        public var memorySize: UInt64
    }

    /// ELFCLASS32 or ELFCLASS64.
    public var is64Bit: Bool
    /// e_machine: 3 (EM_386) or 62 (EM_X86_64).
    public var machine: UInt16
    /// e_entry, a virtual address.
    public var entry: UInt64
    public var segments: [Segment]

    static let elfMagic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]   // "\x7FELF"
    static let ptLoad: UInt32 = 1
    static let etExec: UInt16 = 2

    /// Whether `bytes` starts with the ELF magic.
    public static func isELF(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && Array(bytes[0..<4]) == elfMagic
    }

    /// Parses the ELF header and program headers of an x86 executable.
    public init(_ bytes: [UInt8]) throws(BootError) {
        guard ELFImage.isELF(bytes) else { throw .notELF }
        let f = ImageBytes(bytes: bytes)
        guard let cls = f.u8(4), cls == 1 || cls == 2 else { throw .badELF("unknown class (EI_CLASS)") }
        guard f.u8(5) == 1 else { throw .badELF("not little-endian (EI_DATA)") }
        is64Bit = cls == 2
        guard let type = f.u16(16), let machine = f.u16(18) else { throw .badELF("truncated ELF header") }
        guard type == ELFImage.etExec else { throw .badELF("not an executable (e_type \(type), want ET_EXEC)") }
        guard machine == 3 || machine == 62 else { throw .badELF("not an x86 executable (e_machine \(machine))") }
        self.machine = machine
        let entry: UInt64?, phoff: UInt64?, phentsize: UInt16?, phnum: UInt16?
        if is64Bit {
            entry = f.u64(24); phoff = f.u64(32); phentsize = f.u16(54); phnum = f.u16(56)
        } else {
            entry = f.u32(24).map(UInt64.init); phoff = f.u32(28).map(UInt64.init)
            phentsize = f.u16(42); phnum = f.u16(44)
        }
        guard let entry, let phoff, let phentsize, let phnum else { throw .badELF("truncated ELF header") }
        self.entry = entry
        let minimum: UInt16 = is64Bit ? 56 : 32
        guard phnum == 0 || phentsize >= minimum else { throw .badELF("program header entries too small") }
        var segments: [Segment] = []
        for k in 0..<UInt64(phnum) {
            let (product, overflow) = k.multipliedReportingOverflow(by: UInt64(phentsize))
            guard !overflow, case let (h, o2) = phoff.addingReportingOverflow(product), !o2 else {
                throw .badELF("program header table out of range")
            }
            guard let ptype = f.u32(h) else { throw .badELF("program header table past the end of the file") }
            guard ptype == ELFImage.ptLoad else { continue }
            // p_offset, p_vaddr, p_paddr, p_filesz, p_memsz (ELF64 puts p_flags before them).
            let width = is64Bit ? 8 : 4
            let offsets: [UInt64] = is64Bit ? [8, 16, 24, 32, 40] : [4, 8, 12, 16, 20]
            var v: [UInt64] = []
            for o in offsets {
                guard let x = f.load(h + o, size: width) else { throw .badELF("program header past the end of the file") }
                v.append(x)
            }
            let s = Segment(fileOffset: v[0], virtualAddress: v[1], physicalAddress: v[2], fileSize: v[3], memorySize: v[4])
            guard s.fileSize <= s.memorySize else { throw .badELF("PT_LOAD with p_filesz > p_memsz") }
            guard f.slice(s.fileOffset, length: s.fileSize) != nil else {
                throw .badELF("PT_LOAD contents past the end of the file")
            }
            guard s.physicalAddress.addingReportingOverflow(s.memorySize).overflow == false else {
                throw .badELF("PT_LOAD wraps around the address space")
            }
            segments.append(s)
        }
        guard !segments.isEmpty else { throw .badELF("no PT_LOAD segments") }
        self.segments = segments
    }

    /// The entry point as a physical address: e_entry translated through the PT_LOAD segment
    /// whose virtual range holds it (how GRUB boots kernels linked above their load address).
    public var physicalEntry: UInt64 {
        for s in segments where entry >= s.virtualAddress && entry - s.virtualAddress < max(s.memorySize, 1) {
            return s.physicalAddress &+ (entry - s.virtualAddress)
        }
        return entry
    }
}
