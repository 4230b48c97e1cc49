/// A bare machine for tests and tools: RAM, a port bus and one CPU placed directly in a flat
/// code mode (all segment bases 0, limits 4 GiB, paging off), with no firmware or devices.
/// Long mode without paging cannot be reached architecturally; this machine sets it up
/// directly so that single instructions can be checked against the host CPU.
public final class FlatMachine {
    public let memory: PhysicalMemory
    public let ports: PortBus
    public let cpu: CPU

    public init?(memorySize: UInt64, mode: CodeMode, vendor: Vendor = .intel) {
        guard let memory = PhysicalMemory(size: memorySize) else { return nil }
        self.memory = memory
        ports = PortBus()
        cpu = CPU(vendor: vendor, memory: memory, ports: ports)
        cpu.enterFlatMode(mode)
    }
}

extension CPU {
    /// Loads flat segments and the control state of `mode` (see `FlatMachine`).
    public func enterFlatMode(_ mode: CodeMode) {
        let big = mode != .protected16 && mode != .real
        let code: UInt16 = 0x9B | (mode == .long64 ? 0x2000 : 0) | (big && mode != .long64 ? 0x4000 : 0) | 0x8000
        let data: UInt16 = 0x93 | (big ? 0x4000 : 0) | 0x8000
        let limit: UInt32 = mode == .real ? 0xFFFF : 0xFFFF_FFFF
        for s in SegmentRegister.allCases {
            segments[Int(s.rawValue)] = SegmentCache(selector: s == .cs ? 0x8 : (mode == .real ? 0 : 0x10),
                                                     base: 0, limit: limit, attributes: s == .cs ? code : data)
        }
        switch mode {
        case .real: cr0 = 0x10; efer = 0
        case .protected16, .protected32: cr0 = 0x11; efer = 0
        case .long64: cr0 = 0x11; efer = 0x500
        }
        // A TSS too short to hold an I/O permission bitmap: port access needs CPL <= IOPL.
        tr = SegmentCache(selector: 0, base: 0, limit: 0, attributes: 0x8B)
        updateCodeMode()
        flushTLB()
    }

    /// Moves a flat-mode CPU to CPL 3: CS and SS (and the data segments) get DPL 3.
    public func enterUserMode() {
        for s in SegmentRegister.allCases {
            var c = segments[Int(s.rawValue)]
            c.attributes |= 0x60
            c.selector |= 3
            segments[Int(s.rawValue)] = c
        }
        cpl = 3
        flushTLB()
    }
}
