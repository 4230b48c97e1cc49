/// A loaded kernel: where it went in RAM and the register state its boot protocol defines.
public struct BootImage: Sendable, Equatable {
    /// What was loaded, for `--verbose` ("Multiboot1 ELF32", "Multiboot1 a.out kludge", ...).
    public var format: String
    /// The first instruction (physical = linear: paging is off at entry).
    public var entry: UInt32
    /// EAX at entry: 0x2BADB002 (Multiboot 1) or 0x36D76289 (Multiboot 2).
    public var magic: UInt32
    /// EBX at entry: the physical address of the boot information.
    public var infoAddress: UInt32
    /// The GDT the loader leaves loaded (selector 0x10 code, 0x18 data, like GRUB and QEMU).
    public var gdtAddress: UInt32
    /// Physical ranges the image occupies (contents and zero-filled bss).
    public var loadedRanges: [Range<UInt64>]

    public static let codeSelector: UInt16 = 0x10
    public static let dataSelector: UInt16 = 0x18
    /// A flat 32-bit code segment: G, D, P, S, type execute/read accessed.
    public static let flatCode32: UInt16 = 0xC09B
    /// A flat 32-bit data segment: G, B, P, S, type read/write accessed.
    public static let flatData32: UInt16 = 0xC093
    /// ESP at entry. The specification leaves it undefined; swemu documents 0 (`swemu boot --help`).
    public static let initialESP: UInt32 = 0

    /// Puts `cpu` in the machine state of Multiboot 1, 3.2 (and Multiboot 2, 3.3 for i386):
    /// EAX = magic, EBX = info, CS flat 32-bit code (offset 0, limit 0xFFFFFFFF), DS ES FS GS SS
    /// flat 32-bit data, A20 on (swemu has no A20 gate), CR0.PG = 0, CR0.PE = 1, EFLAGS.VM = 0,
    /// EFLAGS.IF = 0. GDTR points at a small GDT matching the selectors; IDTR is the real-mode
    /// one (base 0, limit 0x3FF) the guest must replace before enabling interrupts. The x87 FPU
    /// is as firmware leaves it, initialised by FNINIT (FCW 037FH, every register empty), not
    /// in its RESET state (FCW 0040H, FTW 5555H; SDM vol. 3, table 10-1), as on a PC booted by
    /// a BIOS and GRUB and in QEMU.
    public func enter(_ cpu: CPU) {
        cpu.reset()
        cpu.x87Initialize()
        let code = SegmentCache(selector: BootImage.codeSelector, base: 0, limit: 0xFFFF_FFFF, attributes: BootImage.flatCode32)
        let data = SegmentCache(selector: BootImage.dataSelector, base: 0, limit: 0xFFFF_FFFF, attributes: BootImage.flatData32)
        cpu.setSegment(.cs, code)
        for s in [SegmentRegister.ds, .es, .fs, .gs, .ss] { cpu.setSegment(s, data) }
        cpu.cr0 = 0x11            // PE | ET; PG, CD, NW clear
        cpu.cr3 = 0
        cpu.cr4 = 0
        cpu.efer = 0
        cpu.rflags = 0x2          // IF = 0, VM = 0, IOPL = 0
        cpu.cpl = 0
        cpu.gdtr = DescriptorTable(base: UInt64(gdtAddress), limit: UInt16(BootInfoBuilder.gdtSize - 1))
        cpu.idtr = DescriptorTable(base: 0, limit: 0x3FF)
        cpu.tr = SegmentCache(selector: 0, base: 0, limit: 0xFFFF, attributes: 0x8B)
        for r in 0..<16 { cpu.registers[r] = 0 }
        cpu.registers[0] = UInt64(magic)        // EAX
        cpu.registers[3] = UInt64(infoAddress)  // EBX
        cpu.registers[4] = UInt64(BootImage.initialESP)
        cpu.rip = UInt64(entry)
        cpu.updateCodeMode()
        cpu.flushTLB()
    }
}
