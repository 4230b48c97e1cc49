/// The APIC bus (the system bus on xAPIC parts): carries interprocessor interrupts between the
/// local APICs, messages from the IOAPIC, and EOI broadcasts back to it (SDM vol. 3, 11.6).
/// It also serves the xAPIC page: a memory access there reaches the local APIC of the
/// processor that made it (`current`).
public final class APICBus: MMIODevice {
    public private(set) var apics: [LocalAPIC] = []
    let memory: PhysicalMemory
    /// The processor whose accesses the xAPIC page serves (the run loop switches it).
    public private(set) var current = 0
    /// Where the page is mapped now, or nil (current APIC disabled or in x2APIC mode).
    private var mappedBase: UInt64?
    /// Hears EOIs for level-triggered vectors (the IOAPIC).
    public var eoiReceiver: ((UInt8) -> Void)?

    public init(memory: PhysicalMemory) {
        self.memory = memory
    }

    public func add(_ apic: LocalAPIC) {
        apics.append(apic)
        apic.bus = self
        if apics.count == 1 { mapWindow(of: apic) }
    }

    /// Makes the xAPIC page serve processor `index` (the run loop, at each processor's turn).
    /// No TLB flush: a processor's TLB never holds its own APIC page, which is mapped whenever
    /// it runs.
    public func select(_ index: Int) {
        guard index != current, index < apics.count else { return }
        current = index
        mapWindow(of: apics[index])
    }

    /// IA32_APIC_BASE changed: flush that processor's TLB, which may hold the RAM page the APIC
    /// now covers (or map a page it uncovered as MMIO), and move the page if it is current.
    func apicWindowMoved(_ apic: LocalAPIC) {
        apic.cpu.flushTLB()
        if apic.index == current { mapWindow(of: apic) }
    }

    private func mapWindow(of apic: LocalAPIC) {
        let base: UInt64? = apic.mmioActive ? apic.mmioBase : nil
        guard base != mappedBase else { return }
        mappedBase = base
        memory.unmap(self)
        if let base { memory.map(MMIORegion(start: base, length: 0x1000, device: self)) }
    }

    public func mmioRead(_ offset: UInt64, size: Int) -> UInt64 {
        current < apics.count ? apics[current].mmioRead(offset, size: size) : 0
    }

    public func mmioWrite(_ offset: UInt64, size: Int, value: UInt64) {
        if current < apics.count { apics[current].mmioWrite(offset, size: size, value: value) }
    }

    // MARK: Messages

    /// An ICR write (11.6.1): vector 7:0, delivery mode 10:8, destination mode 11, level 14,
    /// trigger mode 15, shorthand 19:18, destination 63:56 (xAPIC) or 63:32 (x2APIC).
    func sendIPI(from source: LocalAPIC, command: UInt64) {
        let vector = UInt8(truncatingIfNeeded: command)
        guard let mode = APICDeliveryMode(rawValue: UInt8((command >> 8) & 7)) else { return }
        let logical = command & (1 << 11) != 0
        let assert = command & (1 << 14) != 0
        let levelTriggered = command & (1 << 15) != 0
        // INIT level de-assert only resynchronises arbitration IDs (11.6.1).
        if mode == .initialize && !assert && levelTriggered { return }
        if (mode == .fixed || mode == .lowestPriority) && vector < 16 {
            source.signal(error: APICError.sendIllegalVector)
            return
        }
        let destination = source.x2APICMode ? UInt32(truncatingIfNeeded: command >> 32) : UInt32(command >> 56)
        switch (command >> 18) & 3 {
        case 1: deliver(to: [source], vector: vector, mode: mode, levelTriggered: levelTriggered)
        case 2: deliver(to: apics, vector: vector, mode: mode, levelTriggered: levelTriggered)
        case 3: deliver(to: apics.filter { $0 !== source }, vector: vector, mode: mode, levelTriggered: levelTriggered)
        default:
            send(destination: destination, logical: logical, x2APICFormat: source.x2APICMode,
                 vector: vector, mode: mode, levelTriggered: levelTriggered)
        }
    }

    /// Delivers a message addressed by destination (IPIs, IOAPIC redirection entries).
    public func send(destination: UInt32, logical: Bool, x2APICFormat: Bool, vector: UInt8, mode: APICDeliveryMode,
                     levelTriggered: Bool) {
        let targets = apics.filter { matches($0, destination: destination, logical: logical, x2APICFormat: x2APICFormat) }
        deliver(to: targets, vector: vector, mode: mode, levelTriggered: levelTriggered)
    }

    func deliver(to targets: [LocalAPIC], vector: UInt8, mode: APICDeliveryMode, levelTriggered: Bool) {
        guard !targets.isEmpty else { return }
        switch mode {
        case .fixed:
            for t in targets { t.accept(vector: vector, levelTriggered: levelTriggered) }
        case .lowestPriority:
            // The target with the lowest arbitration priority; ties go to the lowest index.
            var best = targets[0]
            for t in targets.dropFirst() where t.arbitrationPriority < best.arbitrationPriority { best = t }
            best.accept(vector: vector, levelTriggered: levelTriggered)
        case .nmi:
            for t in targets { t.acceptNMI() }
        case .initialize:
            for t in targets { t.receiveINIT() }
        case .startup:
            for t in targets { t.receiveStartup(vector: vector) }
        case .smi, .extINT:
            break   // no SMM; ExtINT comes only through LINT0
        }
    }

    /// Destination matching (11.6.2): physical by APIC ID, or all ones for a broadcast; logical
    /// by the LDR in the flat or cluster model (DFR) in xAPIC mode, or cluster[31:16] and
    /// bitmap[15:0] in x2APIC mode.
    func matches(_ r: LocalAPIC, destination: UInt32, logical: Bool, x2APICFormat: Bool) -> Bool {
        guard r.hardwareEnabled else { return false }
        let broadcast: UInt32 = x2APICFormat ? 0xFFFF_FFFF : 0xFF
        if destination == broadcast { return true }
        if !logical { return r.x2APICMode ? r.id == destination : r.id & 0xFF == destination & 0xFF }
        if r.x2APICMode {
            return destination >> 16 == r.ldr >> 16 && destination & r.ldr & 0xFFFF != 0
        }
        let d = destination & 0xFF, l = r.ldr >> 24
        if r.dfr >> 28 == 0xF { return d & l != 0 }                       // flat model
        return d >> 4 == l >> 4 && d & l & 0xF != 0                       // cluster model
    }

    func broadcastEOI(vector: UInt8) { eoiReceiver?(vector) }
}
