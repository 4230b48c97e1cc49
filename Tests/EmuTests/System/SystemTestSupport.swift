@testable import Emu

/// Builders for descriptor tables in guest memory, with the bit layouts of SDM vol. 3
/// figure 3-8 (segment descriptor), 5-8 (call gate), 6-2 (IDT gates), 6-8 (64-bit IDT gate)
/// and 7-3 (TSS descriptor).
enum GDT {
    /// An 8-byte segment descriptor. `type` is the 4-bit type, `system` clears S.
    static func segment(base: UInt32 = 0, limit: UInt32 = 0xFFFFF, type: UInt8, dpl: UInt8 = 0,
                        present: Bool = true, system: Bool = false, long: Bool = false,
                        big: Bool = true, granular: Bool = true) -> UInt64 {
        var d: UInt64 = UInt64(limit & 0xFFFF) | UInt64(base & 0xFF_FFFF) << 16
        d |= UInt64(type & 0xF) << 40
        if !system { d |= 1 << 44 }
        d |= UInt64(dpl & 3) << 45
        if present { d |= 1 << 47 }
        d |= UInt64((limit >> 16) & 0xF) << 48
        if long { d |= 1 << 53 }
        if big { d |= 1 << 54 }
        if granular { d |= 1 << 55 }
        d |= UInt64(base >> 24) << 56
        return d
    }

    static func code32(dpl: UInt8 = 0, conforming: Bool = false, present: Bool = true) -> UInt64 {
        segment(type: conforming ? 0xE : 0xA, dpl: dpl, present: present)
    }
    static func data32(dpl: UInt8 = 0, present: Bool = true) -> UInt64 {
        segment(type: 0x2, dpl: dpl, present: present)
    }
    static func code64(dpl: UInt8 = 0) -> UInt64 {
        segment(type: 0xA, dpl: dpl, long: true, big: false)
    }

    /// A 32-bit call gate, interrupt gate (type E), trap gate (F) or task gate (5).
    static func gate(selector: UInt16, offset: UInt32, type: UInt8, dpl: UInt8 = 0, present: Bool = true,
                     parameters: UInt8 = 0) -> UInt64 {
        var d = UInt64(offset & 0xFFFF) | UInt64(selector) << 16
        d |= UInt64(parameters & 0x1F) << 32
        d |= UInt64(type & 0xF) << 40 | UInt64(dpl & 3) << 45
        if present { d |= 1 << 47 }
        d |= UInt64(offset >> 16) << 48
        return d
    }

    /// A 16-byte IA-32e gate (interrupt E, trap F, call C).
    static func gate64(selector: UInt16, offset: UInt64, type: UInt8, dpl: UInt8 = 0, ist: UInt8 = 0) -> [UInt64] {
        var d = gate(selector: selector, offset: UInt32(truncatingIfNeeded: offset), type: type, dpl: dpl)
        d |= UInt64(ist & 7) << 32
        return [d, offset >> 32]
    }

    /// A TSS descriptor (type 9 available, B busy), byte-granular.
    static func tss(base: UInt32, limit: UInt32 = 0x67, busy: Bool = false, dpl: UInt8 = 0) -> UInt64 {
        segment(base: base, limit: limit, type: busy ? 0xB : 0x9, dpl: dpl, system: true, big: false, granular: false)
    }
}

/// A protected-mode or IA-32e test machine with a GDT at 0x10000, an IDT at 0x11000 and a TSS
/// at 0x12000, code at 0x1000.
struct SystemMachine {
    let m: FlatMachine
    var cpu: CPU { m.cpu }
    static let gdtBase: UInt64 = 0x10000
    static let idtBase: UInt64 = 0x11000
    static let tssBase: UInt64 = 0x12000

    init(mode: CodeMode = .protected32, memorySize: UInt64 = 1 << 22, vendor: Vendor = .intel) {
        m = FlatMachine(memorySize: memorySize, mode: mode, vendor: vendor)!
        cpu.gdtr = DescriptorTable(base: SystemMachine.gdtBase, limit: 0xFFF)
        cpu.idtr = DescriptorTable(base: SystemMachine.idtBase, limit: 0xFFF)
        cpu.rip = 0x1000
        cpu.registers[4] = 0x8000
    }

    func setGDT(_ index: Int, _ d: UInt64) {
        write64(SystemMachine.gdtBase + UInt64(index) * 8, d)
    }
    func setGDT(_ index: Int, _ d: [UInt64]) {
        for (k, q) in d.enumerated() { setGDT(index + k, q) }
    }
    func setIDT(_ vector: Int, _ d: UInt64) {
        write64(SystemMachine.idtBase + UInt64(vector) * 8, d)
    }
    func setIDT64(_ vector: Int, _ d: [UInt64]) {
        write64(SystemMachine.idtBase + UInt64(vector) * 16, d[0])
        write64(SystemMachine.idtBase + UInt64(vector) * 16 + 8, d[1])
    }
    func write64(_ a: UInt64, _ v: UInt64) { m.memory.write(a, size: 8, value: v) }
    func write32(_ a: UInt64, _ v: UInt64) { m.memory.write(a, size: 4, value: v) }
    func write16(_ a: UInt64, _ v: UInt64) { m.memory.write(a, size: 2, value: v) }
    func read(_ a: UInt64, _ size: Int) -> UInt64 { m.memory.read(a, size: size) }
    func code(_ bytes: [UInt8], at a: UInt64 = 0x1000) { _ = m.memory.load(bytes, at: a) }

    /// Loads TR with the TSS at `tssBase` through GDT entry `index` (available -> busy).
    func loadTR(index: Int, limit: UInt32 = 0x67) {
        setGDT(index, GDT.tss(base: UInt32(SystemMachine.tssBase), limit: limit, busy: true))
        cpu.tr = SegmentCache(selector: UInt16(index * 8), base: SystemMachine.tssBase, limit: limit, attributes: 0x8B)
    }

    /// Puts the CPU at CPL 3 with CS/SS = the given DPL-3 selectors (caches as the descriptors say).
    func enterRing3(cs: UInt16, ss: UInt16, long: Bool = false) {
        cpu.segments[1] = SegmentCache(selector: cs, base: 0, limit: 0xFFFF_FFFF,
                                       attributes: long ? 0xA0FB : 0xC0FB)
        for s in [0, 2, 3, 4, 5] {
            cpu.segments[s] = SegmentCache(selector: ss, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC0F3)
        }
        cpu.cpl = 3
        cpu.updateCodeMode()
        cpu.flushTLB()
    }
}

extension CPU {
    /// One instruction as the run loop executes it: a fault it throws is delivered.
    @discardableResult
    /// Executes one instruction and delivers the exception it raises, as the run loop does.
    /// INT n/INT3/INTO/INT1 deliver by themselves: a step that completes is `.delivered` then.
    func stepDelivering() -> DeliveryOutcome {
        do throws(Fault) {
            try step()
            return .delivered
        } catch {
            return deliver(error)
        }
    }
}
