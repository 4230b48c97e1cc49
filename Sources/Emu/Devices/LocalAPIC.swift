/// One processor's local APIC (SDM vol. 3, chapter 11; AMD APM vol. 2, chapter 16): xAPIC
/// registers in the 4 KiB page at IA32_APIC_BASE, x2APIC registers as MSRs 800h-8FFh
/// (LocalAPICMSRs.swift), the timer (LocalAPICTimer.swift), and interrupt acceptance.
///
/// Interrupts. A fixed interrupt (from an LVT entry, an IPI or the IOAPIC) sets its bit in the
/// IRR, and in the TMR when level-triggered. The CPU takes the highest IRR vector whose priority
/// class (vector[7:4]) is above the PPR's class (11.8.3); the acknowledge moves it into the ISR,
/// and an EOI clears the highest ISR bit, broadcasting the EOI to the IOAPIC when the TMR bit was
/// set (11.8.5). ExtINT through LINT0 takes the vector from the 8259A instead (virtual-wire
/// mode): the run loop does that INTA cycle (Machine/InterruptAcceptance.swift).
///
/// The IRR, EOI and task-priority changes raise the attention word, so the run loop re-examines
/// the interrupt state at the next instruction boundary.
public final class LocalAPIC: MMIODevice, ClockEventHandler {
    /// The processor this APIC belongs to (its index in `Machine.cpus`).
    public let index: Int
    unowned let cpu: CPU
    let clock: Clock
    let attention: Attention
    let timerEvent: ClockEvent
    /// The other APICs and the IOAPIC (IPIs, EOI broadcast); set by the machine.
    weak var bus: APICBus?

    /// Intel xAPIC version 14h with six LVT entries (max LVT 5): timer, thermal, performance
    /// counters, LINT0, LINT1, error. No EOI-broadcast suppression (bit 24 clear).
    public static let versionValue: UInt32 = 0x0005_0014

    /// IA32_APIC_BASE: base (MAXPHYADDR-1:12), EN (11), EXTD (10), BSP (8).
    public internal(set) var baseMSR: UInt64
    /// The 32-bit x2APIC ID; its low 8 bits are the xAPIC ID (ID register bits 31:24).
    public internal(set) var id: UInt32
    var tpr: UInt32 = 0
    var ldr: UInt32 = 0
    var dfr: UInt32 = 0xFFFF_FFFF
    var svr: UInt32 = 0xFF
    public internal(set) var irr = APICVectorSet()
    public internal(set) var isr = APICVectorSet()
    public internal(set) var tmr = APICVectorSet()
    var esr: UInt32 = 0
    /// Errors detected since the last ESR write (11.5.3).
    var errors: UInt32 = 0
    var icr: UInt64 = 0
    var lvtTimer: UInt32 = LVT.masked
    var lvtThermal: UInt32 = LVT.masked
    var lvtPerformance: UInt32 = LVT.masked
    var lvtLINT0: UInt32 = LVT.masked
    var lvtLINT1: UInt32 = LVT.masked
    var lvtError: UInt32 = LVT.masked
    var initialCount: UInt32 = 0
    var divideConfiguration: UInt32 = 0
    /// Timer state (LocalAPICTimer.swift): the count at `timerStart` and whether a one-shot
    /// count still has to reach zero.
    var timerStart: UInt64 = 0
    var timerStartCount: UInt32 = 0
    var timerRunning = false
    var tscDeadline: UInt64 = 0
    /// An NMI accepted and not yet taken by the processor.
    public internal(set) var nmiPending = false
    /// INIT received: the processor waits for a start-up IPI (SDM vol. 3, 9.4.2).
    public internal(set) var waitingForSIPI = false
    /// A start-up IPI's vector, to be applied at the next instruction boundary.
    public internal(set) var pendingStartup: UInt8?
    /// An INIT received in VMX operation: blocked in VMX root operation, a VM exit in non-root
    /// operation (VMX/VMXInitAndStartup.swift).
    public internal(set) var pendingINIT = false

    public init(index: Int, cpu: CPU, clock: Clock, attention: Attention, bsp: Bool) {
        self.index = index
        self.cpu = cpu
        self.clock = clock
        self.attention = attention
        id = UInt32(index)
        timerEvent = .apicTimer(index)
        baseMSR = LocalAPIC.defaultBase | (1 << 11) | (bsp ? 1 << 8 : 0)
        clock.register(timerEvent, handler: self)
    }

    public static let defaultBase: UInt64 = 0xFEE0_0000

    // MARK: State

    /// IA32_APIC_BASE.EN: the APIC is globally enabled.
    public var hardwareEnabled: Bool { baseMSR & (1 << 11) != 0 }
    /// IA32_APIC_BASE.EXTD: x2APIC mode.
    public var x2APICMode: Bool { baseMSR & (1 << 10) != 0 }
    /// SVR bit 8 (11.4.7.2).
    public var softwareEnabled: Bool { svr & 0x100 != 0 }
    /// The xAPIC page's physical address.
    public var mmioBase: UInt64 { baseMSR & ~0xFFF & cpu.physicalAddressMask }
    /// The page answers memory accesses in xAPIC mode only (11.12.1).
    public var mmioActive: Bool { hardwareEnabled && !x2APICMode }

    /// Registers as after RESET or INIT (11.4.7.1): everything cleared, LVT masked, SVR FFh,
    /// DFR all ones; the ID and IA32_APIC_BASE are kept.
    func resetRegisters() {
        tpr = 0; ldr = 0; dfr = 0xFFFF_FFFF; svr = 0xFF
        irr = APICVectorSet(); isr = APICVectorSet(); tmr = APICVectorSet()
        esr = 0; errors = 0; icr = 0
        lvtTimer = LVT.masked; lvtThermal = LVT.masked; lvtPerformance = LVT.masked
        lvtLINT0 = LVT.masked; lvtLINT1 = LVT.masked; lvtError = LVT.masked
        initialCount = 0; divideConfiguration = 0; timerStartCount = 0; timerRunning = false; tscDeadline = 0
        nmiPending = false
        cpu.cr8 = 0
        clock.cancel(timerEvent)
        if x2APICMode { ldr = x2APICLogicalID }
    }

    /// What a PC BIOS leaves behind (SeaBIOS' smp_setup, the MP specification's virtual-wire
    /// mode): the APIC software-enabled, LINT0 ExtINT (the 8259A's INTR), LINT1 NMI, both
    /// level-triggered.
    public func applyFirmwareSettings() {
        svr |= 0x100
        lvtLINT0 = 0x8700
        lvtLINT1 = 0x8400
    }

    /// The logical x2APIC ID (11.12.10.2): cluster ID[19:4] in bits 31:16, 1 << ID[3:0].
    var x2APICLogicalID: UInt32 { (id >> 4) << 16 | 1 << (id & 0xF) }

    // MARK: Priorities (11.8.3)

    /// The TPR; bits 7:4 are CR8 (11.8.6.5), so a MOV to CR8 shows here.
    var taskPriority: UInt32 {
        if UInt32(truncatingIfNeeded: cpu.cr8) != tpr >> 4 { tpr = UInt32(truncatingIfNeeded: cpu.cr8 & 0xF) << 4 }
        return tpr
    }

    func setTaskPriority(_ v: UInt32) {
        tpr = v & 0xFF
        cpu.cr8 = UInt64(tpr >> 4)
        attention.pending |= Attention.interrupt
    }

    /// PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4.
    public var processorPriority: UInt32 {
        let t = taskPriority
        let isrv = UInt32(isr.highest ?? 0)
        return t >> 4 >= isrv >> 4 ? t : isrv & 0xF0
    }

    /// APR (11.6.2.4): TPR if it is at least the IRR's and above the ISR's class, else the
    /// highest of the three classes.
    var arbitrationPriority: UInt32 {
        let t = taskPriority, isrv = UInt32(isr.highest ?? 0), irrv = UInt32(irr.highest ?? 0)
        if t >> 4 >= irrv >> 4 && t >> 4 > isrv >> 4 { return t }
        return max(t >> 4, isrv >> 4, irrv >> 4) << 4
    }

    // MARK: Accepting and taking interrupts

    /// A fixed (or lowest-priority) interrupt arrives (11.8.4). Vectors 0-15 are illegal:
    /// "received illegal vector" and no IRR bit. A software-disabled APIC drops it.
    public func accept(vector: UInt8, levelTriggered: Bool) {
        guard hardwareEnabled, softwareEnabled else { return }
        if vector < 16 {
            signal(error: APICError.receiveIllegalVector)
            return
        }
        irr.insert(vector)
        if levelTriggered { tmr.insert(vector) } else { tmr.remove(vector) }
        attention.pending |= Attention.interrupt
    }

    public func acceptNMI() {
        nmiPending = true
        attention.pending |= Attention.interrupt
    }

    /// The vector the processor would take now: the highest IRR vector whose class is above
    /// the PPR's, or nil.
    public var deliverableVector: UInt8? {
        guard hardwareEnabled, softwareEnabled, let v = irr.highest else { return nil }
        return UInt32(v) & 0xF0 > processorPriority & 0xF0 ? v : nil
    }

    /// The interrupt acknowledge: the vector moves from the IRR into the ISR.
    public func acknowledge(_ vector: UInt8) {
        irr.remove(vector)
        isr.insert(vector)
    }

    public func takeNMI() { nmiPending = false }

    /// EOI: the highest in-service vector is done; for a level-triggered one the IOAPIC hears
    /// the EOI (11.8.5).
    func endOfInterrupt() {
        guard let v = isr.highest else { return }
        isr.remove(v)
        if tmr.contains(v) { bus?.broadcastEOI(vector: v) }
        attention.pending |= Attention.interrupt
    }

    /// Whether LINT0 passes the 8259A's INTR to the processor: with the APIC globally disabled
    /// LINT0 is the INTR pin itself (11.4.3); otherwise an unmasked ExtINT entry.
    public var acceptsExtINT: Bool {
        guard hardwareEnabled else { return index == 0 }
        return lvtLINT0 & LVT.masked == 0 && (lvtLINT0 >> 8) & 7 == UInt32(APICDeliveryMode.extINT.rawValue)
    }

    /// An interrupt from a local source through its LVT entry (11.5.1).
    func raiseLocal(_ entry: UInt32) {
        guard entry & LVT.masked == 0 else { return }
        let vector = UInt8(truncatingIfNeeded: entry)
        switch APICDeliveryMode(rawValue: UInt8((entry >> 8) & 7)) {
        case .fixed?: accept(vector: vector, levelTriggered: false)
        case .nmi?: acceptNMI()
        case .initialize?: receiveINIT()
        default: break   // SMI: no SMM; ExtINT comes only through LINT0 (acceptsExtINT)
        }
    }

    /// Records an error in the ESR's shadow and raises the LVT error entry (11.5.3).
    func signal(error: UInt32) {
        let fresh = errors & error != error
        errors |= error
        if fresh { raiseLocal(lvtError) }
    }

    // MARK: INIT and start-up (SDM vol. 3, 9.4 and 11.6.1)

    /// INIT (9.1, 11.6.1): the APIC is initialised (ID and mode kept) and the processor takes
    /// its INIT state; an application processor then waits for a start-up IPI, the bootstrap
    /// processor (IA32_APIC_BASE.BSP) runs from the reset vector (no firmware is there on
    /// swemu). In VMX operation INIT stays pending: blocked in root operation (24.8), a VM exit
    /// in non-root operation (25.2), taken by the run loop.
    func receiveINIT() {
        if cpu.vmx.inVMXOperation {
            pendingINIT = true
            attention.pending |= Attention.interrupt
            return
        }
        takeINIT()
    }

    /// The processor acts on INIT.
    public func takeINIT() {
        pendingINIT = false
        resetRegisters()
        waitingForSIPI = baseMSR & (1 << 8) == 0
        pendingStartup = nil
        cpu.applyINIT()
        attention.pending |= Attention.interrupt
    }

    /// A start-up IPI reaches a processor only while it waits for one (or its VMX guest is in
    /// the wait-for-SIPI activity state).
    func receiveStartup(vector: UInt8) {
        guard waitingForSIPI || cpu.vmx.guestWaitingForSIPI else { return }
        pendingStartup = vector
        attention.pending |= Attention.interrupt
    }

    /// Called by the run loop in VMX operation: the INIT became a VM exit, or the start-up IPI
    /// (returned) one.
    public func clearPendingINIT() { pendingINIT = false }
    public func takePendingStartupVector() -> UInt8? {
        defer { pendingStartup = nil }
        return pendingStartup
    }

    /// Called by the run loop: the processor leaves wait-for-SIPI at vector:0000.
    public func takeStartup() {
        guard let v = pendingStartup else { return }
        pendingStartup = nil
        waitingForSIPI = false
        cpu.applyStartup(vector: v)
    }

    // MARK: Register file (shared by the xAPIC page and the x2APIC MSRs)

    /// Reads the register at `offset`, or nil where there is none in the current mode.
    func readRegister(_ offset: UInt32) -> UInt32? {
        let x2 = x2APICMode
        switch offset {
        case APICRegister.id: return x2 ? id : (id & 0xFF) << 24
        case APICRegister.version: return LocalAPIC.versionValue
        case APICRegister.tpr: return taskPriority
        case APICRegister.apr: return x2 ? nil : arbitrationPriority
        case APICRegister.ppr: return processorPriority
        case APICRegister.eoi: return x2 ? nil : 0
        case APICRegister.rrd: return x2 ? nil : 0
        case APICRegister.ldr: return ldr
        case APICRegister.dfr: return x2 ? nil : dfr
        case APICRegister.svr: return svr
        case APICRegister.isr..<APICRegister.isr + 0x80: return isr.register(Int((offset - APICRegister.isr) >> 4))
        case APICRegister.tmr..<APICRegister.tmr + 0x80: return tmr.register(Int((offset - APICRegister.tmr) >> 4))
        case APICRegister.irr..<APICRegister.irr + 0x80: return irr.register(Int((offset - APICRegister.irr) >> 4))
        case APICRegister.esr: return esr
        case APICRegister.icrLow: return UInt32(truncatingIfNeeded: icr)
        case APICRegister.icrHigh: return x2 ? nil : UInt32(truncatingIfNeeded: icr >> 32)
        case APICRegister.lvtTimer: return lvtTimer
        case APICRegister.lvtThermal: return lvtThermal
        case APICRegister.lvtPerformance: return lvtPerformance
        case APICRegister.lvtLINT0: return lvtLINT0
        case APICRegister.lvtLINT1: return lvtLINT1
        case APICRegister.lvtError: return lvtError
        case APICRegister.initialCount: return initialCount
        case APICRegister.currentCount: return currentCount
        case APICRegister.divideConfiguration: return divideConfiguration
        default: return nil
        }
    }

    /// Writes the register at `offset`; false where there is no writable register in the current
    /// mode (the x2APIC MSRs raise #GP then).
    func writeRegister(_ offset: UInt32, _ v: UInt32) -> Bool {
        let x2 = x2APICMode
        let forceMask: UInt32 = softwareEnabled ? 0 : LVT.masked   // 11.4.7.2
        switch offset {
        case APICRegister.id:
            guard !x2 else { return false }
            id = (id & ~0xFF) | v >> 24
        case APICRegister.tpr: setTaskPriority(v)
        case APICRegister.eoi: endOfInterrupt()
        case APICRegister.ldr:
            guard !x2 else { return false }
            ldr = v & 0xFF00_0000
        case APICRegister.dfr:
            guard !x2 else { return false }
            dfr = v | 0x0FFF_FFFF
        case APICRegister.svr:
            svr = v & 0x3FF
            if !softwareEnabled {
                for k in 0..<6 { setLVT(k, lvt(k) | LVT.masked) }
            }
            attention.pending |= Attention.interrupt
        case APICRegister.esr:
            esr = errors
            errors = 0
        case APICRegister.icrLow:
            icr = (icr & 0xFFFF_FFFF_0000_0000) | UInt64(v & 0x000C_CFFF)
            bus?.sendIPI(from: self, command: icr)
        case APICRegister.icrHigh:
            guard !x2 else { return false }
            icr = (icr & 0xFFFF_FFFF) | UInt64(v & 0xFF00_0000) << 32
        case APICRegister.lvtTimer: writeTimerLVT((v & LVT.timerWritable) | forceMask)
        case APICRegister.lvtThermal: lvtThermal = (v & LVT.otherWritable) | forceMask
        case APICRegister.lvtPerformance: lvtPerformance = (v & LVT.otherWritable) | forceMask
        case APICRegister.lvtLINT0: lvtLINT0 = (v & LVT.lintWritable) | forceMask | (lvtLINT0 & LVT.remoteIRR)
        case APICRegister.lvtLINT1: lvtLINT1 = (v & LVT.lintWritable) | forceMask | (lvtLINT1 & LVT.remoteIRR)
        case APICRegister.lvtError: lvtError = (v & LVT.errorWritable) | forceMask
        case APICRegister.initialCount: writeInitialCount(v)
        case APICRegister.divideConfiguration: writeDivideConfiguration(v & 0xB)
        case APICRegister.selfIPI:
            guard x2 else { return false }
            accept(vector: UInt8(truncatingIfNeeded: v), levelTriggered: false)
        default: return false
        }
        return true
    }

    /// LVT entries by index: timer, thermal, performance, LINT0, LINT1, error.
    func lvt(_ k: Int) -> UInt32 {
        switch k {
        case 0: return lvtTimer
        case 1: return lvtThermal
        case 2: return lvtPerformance
        case 3: return lvtLINT0
        case 4: return lvtLINT1
        default: return lvtError
        }
    }

    func setLVT(_ k: Int, _ v: UInt32) {
        switch k {
        case 0: lvtTimer = v
        case 1: lvtThermal = v
        case 2: lvtPerformance = v
        case 3: lvtLINT0 = v
        case 4: lvtLINT1 = v
        default: lvtError = v
        }
    }

    // MARK: The xAPIC page

    /// Registers sit at 16-byte-aligned offsets and are 32 bits wide (11.4.1); other bytes of
    /// each 16-byte slot read as zero. A reserved register reads zero and records "illegal
    /// register address" (11.5.3).
    public func mmioRead(_ offset: UInt64, size: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<size {
            let a = offset &+ UInt64(k)
            guard a & 0xC == 0 else { continue }
            let byte = UInt64(registerForMMIO(UInt32(a & 0xFF0)) >> (8 * UInt32(a & 3)) & 0xFF)
            v |= byte << (8 * UInt64(k))
        }
        return v
    }

    func registerForMMIO(_ offset: UInt32) -> UInt32 {
        if let r = readRegister(offset) { return r }
        signal(error: APICError.illegalRegisterAddress)
        return 0
    }

    /// Writes take effect as 32-bit stores to the start of a register's slot; narrower or
    /// misaligned stores are ignored (11.4.1: "all other accesses ... undefined").
    public func mmioWrite(_ offset: UInt64, size: Int, value: UInt64) {
        guard offset & 0xF == 0, size >= 4 else { return }
        let o = UInt32(offset & 0xFF0)
        guard readRegister(o) != nil || o == APICRegister.eoi else {
            signal(error: APICError.illegalRegisterAddress)
            return
        }
        _ = writeRegister(o, UInt32(truncatingIfNeeded: value))
    }
}

extension LocalAPIC {
    /// MOV to CR8 changed the task priority: pending interrupts may be deliverable now.
    func taskPriorityChanged() { attention.pending |= Attention.interrupt }

    /// An application processor at power-up: it waits for INIT-SIPI-SIPI (SDM vol. 3, 9.4).
    func holdForStartup() { waitingForSIPI = true }
}
