/// A PC: RAM at physical address 0, the I/O port bus, the processors (`--smp`), the devices, and
/// the run loop that executes the guest until it exits (DESIGN.md, "The way data flows").
///
/// Devices (PC/AT conventions):
///
///     0x20-0x21, 0xA0-0xA1, 0x4D0-0x4D1   8259A PIC pair and ELCR (`PICPair`)
///     0x40-0x43                           8254 PIT, channel 0 -> IRQ0 (`PIT8254`)
///     0x60, 0x64                          8042 keyboard controller: reset, A20 (`KeyboardController`)
///     0x61                                system control port B: speaker gate, OUT2, refresh toggle
///     0x70-0x71                           MC146818 RTC and CMOS RAM -> IRQ8 (`CMOSRTC`)
///     0x92                                fast A20 and reset (`SystemControlPortA`)
///     0xF4-0xF7                           isa-debug-exit
///     0x3F8-0x3FF                         COM1, 16550A UART -> IRQ4 (`--serial`)
///     0x2F8-0x2FF, 0x3E8-0x3EF, 0x2E8-0x2EF COM2 (IRQ3), COM3 (IRQ4), COM4 (IRQ3); output discarded
///     0x604-0x605                         ACPI PM1a control: S5 power-off (`PowerManagementControl`)
///     0x600-0x603, 0x608-0x60B            ACPI PM1a status/enable, PM timer (`ACPIPMTimer`)
///     0x510-0x511                         QEMU fw_cfg (`FirmwareConfig`)
///     0xCF8-0xCFF                         PCI configuration mechanism #1, reset control 0xCF9
///
/// Memory-mapped: a local APIC per processor at IA32_APIC_BASE (default 0xFEE00000, `APICBus`),
/// the IOAPIC at 0xFEC00000 (ISA IRQ n -> input n, IRQ0 -> input 2: `ISAInterruptRouter`), the
/// HPET at 0xFED00000. ACPI tables (RSDP at 0xF0000) describe it all (`ACPITables`).
///
/// Unassigned ports read as all ones. Time comes from `clock` (Machine/Clock.swift).
public final class Machine {
    public let config: MachineConfig
    public let memory: PhysicalMemory
    public let ports: PortBus
    /// The processors; `cpus[0]` is the bootstrap processor, the others wait for INIT-SIPI-SIPI.
    public let cpus: [CPU]
    /// The bootstrap processor.
    public var cpu: CPU { cpus[0] }
    /// `apics[i]` is the local APIC of `cpus[i]`.
    public let apics: [LocalAPIC]
    public let apicBus: APICBus
    /// Checked once per instruction by the run loop; devices raise it.
    public let attention: Attention
    public let clock: Clock
    public let pic: PICPair
    public let ioapic: IOAPIC
    /// The ISA interrupt lines: to the 8259A pair and to the IOAPIC.
    public let irqs: ISAInterruptRouter
    public let pit: PIT8254
    public let rtc: CMOSRTC
    public let portB: SystemControlPortB
    public let a20: A20Gate
    public let keyboardController: KeyboardController
    public let com1: UART16550
    /// COM2-COM4 at their PC addresses and IRQs; what the guest sends there is discarded.
    public let otherSerialPorts: [UART16550]
    public let debugExit: DebugExitPort
    public let pciHost: PCIHost
    public let firmwareConfig: FirmwareConfig
    public let hpet: HPET
    /// Written to RAM at `load` (the firmware's tables in the BIOS area).
    public let acpiTables: ACPITables
    public let serialSink: SerialSink
    /// COM1's input: stdin with `--serial stdio` (nil when tests give their own sink).
    public let serialSource: SerialSource?
    /// The loaded kernel, once `load` succeeded.
    public private(set) var bootImage: BootImage?

    /// Builds the machine; `serialSink` overrides `config.serial` (tests capture output).
    public init(config: MachineConfig, serialSink: SerialSink? = nil) throws(MachineError) {
        self.config = config
        guard let memory = PhysicalMemory(size: config.memorySize) else { throw .cannotAllocateRAM(config.memorySize) }
        self.memory = memory
        ports = PortBus()
        let cpuCount = min(max(1, config.cpuCount), MachineConfig.maximumCPUCount)
        let ports = self.ports
        let cpus = (0..<cpuCount).map { _ in CPU(vendor: config.vendor, memory: memory, ports: ports) }
        self.cpus = cpus
        let attention = Attention()
        self.attention = attention
        if let serialSink {
            self.serialSink = serialSink
            serialSource = nil
        } else {
            serialSource = config.serial == .stdio ? FileDescriptorSerialSource(fd: 0) : nil
            switch config.serial {
            case .stdio: self.serialSink = FileDescriptorSerialSink(fd: 1)
            case .none: self.serialSink = NullSerialSink()
            case .file(let path): self.serialSink = try FileDescriptorSerialSink(path: path)
            }
        }
        let clock = Clock(attention: attention, cpus: cpuCount)
        self.clock = clock
        clock.cpu = cpus[0]
        let apicBus = APICBus(memory: memory)
        self.apicBus = apicBus
        apics = cpus.indices.map { i in
            LocalAPIC(index: i, cpu: cpus[i], clock: clock, attention: attention, bsp: i == 0)
        }
        for (c, a) in zip(cpus, apics) {
            c.localAPIC = a
            c.cpuidModel.apicID = UInt32(a.index)
            c.cpuidModel.coresPerPackage = cpuCount
            c.cpuidModel.localAPIC = true
            c.cpuidModel.x2APIC = true
            c.cpuidModel.tscDeadline = config.vendor == .intel
            apicBus.add(a)
        }
        pic = PICPair(attention: attention)
        let ioapic = IOAPIC(bus: apicBus)
        self.ioapic = ioapic
        apicBus.eoiReceiver = { [unowned ioapic] vector in ioapic.endOfInterrupt(vector: vector) }
        memory.map(MMIORegion(start: IOAPIC.defaultBase, length: 0x1000, device: ioapic))
        let isa = ISAInterruptRouter(pic: pic, ioapic: ioapic)
        irqs = isa
        pit = PIT8254(clock: clock, irq: isa)
        portB = SystemControlPortB(pit: pit, clock: clock)
        rtc = CMOSRTC(clock: clock, irq: isa, time: config.rtcTime, memorySize: config.memorySize)
        a20 = A20Gate()
        keyboardController = KeyboardController(attention: attention, a20: a20)
        com1 = UART16550(base: 0x3F8, sink: self.serialSink, irq: isa, irqNumber: 4)
        otherSerialPorts = [(0x2F8, 3), (0x3E8, 4), (0x2E8, 3)].map { base, irq in
            UART16550(base: base, sink: NullSerialSink(), irq: isa, irqNumber: irq)
        }
        debugExit = DebugExitPort(base: 0xF4, size: 4, attention: attention)
        for range in PICPair.ports { ports.attach(pic, ports: range) }
        ports.attach(pit, ports: pit.ports)
        ports.attach(portB, ports: SystemControlPortB.port...SystemControlPortB.port)
        ports.attach(keyboardController, ports: KeyboardController.dataPort...KeyboardController.dataPort)
        ports.attach(keyboardController, ports: KeyboardController.commandPort...KeyboardController.commandPort)
        ports.attach(rtc, ports: 0x70...0x71)
        ports.attach(SystemControlPortA(attention: attention, a20: a20), ports: SystemControlPortA.port...SystemControlPortA.port)
        ports.attach(PowerManagementControl(attention: attention), ports: PowerManagementControl.ports)
        let pmTimer = ACPIPMTimer(clock: clock)
        ports.attach(pmTimer, ports: ACPIPMTimer.ports)
        ports.attach(PowerManagementEvents(timer: pmTimer), ports: PowerManagementEvents.ports)
        pciHost = PCIHost(attention: attention)
        ports.attach(pciHost, ports: PCIHost.ports)
        firmwareConfig = FirmwareConfig(ramSize: config.memorySize, cpuCount: cpuCount, commandLine: config.commandLine)
        ports.attach(firmwareConfig, ports: FirmwareConfig.ports)
        hpet = HPET(clock: clock, irqs: isa, ioapic: ioapic)
        memory.map(MMIORegion(start: HPET.defaultBase, length: 0x400, device: hpet))
        acpiTables = ACPITables(cpuCount: cpuCount)
        ports.attach(com1, ports: com1.ports)
        for uart in otherSerialPorts { ports.attach(uart, ports: uart.ports) }
        ports.attach(debugExit, ports: debugExit.ports)
        applyFirmwareSettings()
    }

    /// What a PC's firmware leaves behind for the OS: on a VMX model, IA32_FEATURE_CONTROL
    /// locked with VMX enabled outside SMX (SDM vol. 3, 24.7), as BIOSes do; the bootstrap
    /// processor's APIC in virtual-wire mode; the application processors halted in
    /// wait-for-SIPI, as the BIOS leaves them after its own INIT-SIPI-SIPI round.
    func applyFirmwareSettings() {
        applyFirmwareMSRs()
        apics[0].applyFirmwareSettings()
        for a in apics.dropFirst() { a.holdForStartup() }
    }

    /// IA32_FEATURE_CONTROL as the firmware locks it; applied again after the boot protocol's
    /// entry state (`BootImage.enter` resets the processor, MSRs included).
    func applyFirmwareMSRs() {
        for c in cpus where c.cpuidModel.vmx { c.systemRegisters.featureControl = 0x5 }
    }

    /// Loads a kernel file. Its Multiboot command line is the file name, a space and
    /// `config.commandLine`, exactly as QEMU's `-kernel`/`-append` pass it (so the space is there
    /// even when the command line is empty, and a guest prints the same text under both).
    @discardableResult
    public func load(path: String) throws(MachineError) -> BootImage {
        let bytes: [UInt8]
        var modules: [BootModule] = []
        do {
            bytes = try ImageFile.read(path: path)
            for m in config.modules { modules.append(BootModule(string: m.string, bytes: try ImageFile.read(path: m.path))) }
        } catch { throw .boot(error) }
        return try load(bytes, name: path, modules: modules)
    }

    /// Loads a kernel image and puts the CPU in its entry state.
    @discardableResult
    public func load(_ bytes: [UInt8], name: String, modules: [BootModule] = []) throws(MachineError) -> BootImage {
        let commandLine = name + " " + config.commandLine
        let image: BootImage
        VGATextScreen.clear(memory)
        _ = memory.load(acpiTables.tables, at: ACPITables.tablesAddress)
        _ = memory.load(acpiTables.rsdp, at: ACPITables.rsdpAddress)
        do {
            image = try BootLoader.load(bytes, into: memory, commandLine: commandLine, acpiRSDP: acpiTables.rsdp,
                                        modules: modules)
        } catch { throw .boot(error) }
        image.enter(cpu)
        applyFirmwareMSRs()
        bootImage = image
        return image
    }

    /// Runs the guest until it exits. Deterministic: the same image and configuration give the
    /// same output and the same cycle count. The serial output is flushed before returning.
    public func run() -> MachineExit {
        pollSerialInput()
        let exit = runLoop()
        serialSink.flush()
        return exit
    }

    /// Virtual cycles between two flushes of the serial output, so that a partial line (a
    /// prompt, progress dots) shows up while the guest runs on; about 15 ms of host time.
    static let flushQuantum: UInt64 = 1 << 20

    /// Virtual cycles each processor runs before the next one's turn (SMP only): about 10 us.
    static let smpQuantum: UInt64 = 10_000

    /// Runs the processors. One processor runs to the end in one piece. Several run round-robin
    /// in fixed quanta of virtual time on this thread (DESIGN.md): in each round every processor
    /// runs until its cycle counter reaches the round's end, so all counters agree at round
    /// boundaries and a run is reproducible to the cycle.
    func runLoop() -> MachineExit {
        let budget = config.maxCycles ?? UInt64.max
        var nextFlush = Machine.flushQuantum
        if cpus.count == 1 {
            switch runProcessor(0, until: budget, nextFlush: &nextFlush) {
            case .exit(let e): return e
            case .stuck: return .halted(state: CPUStateSummary(cpu))
            case .reachedEnd: return .cycleBudgetExhausted(cycles: cpu.cycles, state: CPUStateSummary(cpu))
            }
        }
        var now = cpus[0].cycles
        while true {
            let (sum, overflow) = now.addingReportingOverflow(Machine.smpQuantum)
            let end = min(budget, overflow ? .max : sum)
            var allStuck = true
            for i in cpus.indices {
                apicBus.select(i)
                clock.cpu = cpus[i]
                switch runProcessor(i, until: end, nextFlush: &nextFlush) {
                case .exit(let e): return e
                case .stuck: if cpus[i].cycles < end { cpus[i].cycles = end }
                case .reachedEnd: allStuck = false
                }
            }
            apicBus.select(0)
            clock.cpu = cpus[0]
            // Stuck everywhere, unless an IPI sent late in the round can wake a processor.
            if allStuck && !clock.hasArmedEvent && !cpus.indices.contains(where: { canBeWoken($0) }) {
                return .halted(state: CPUStateSummary(cpu))
            }
            now = end
            if now >= budget { return .cycleBudgetExhausted(cycles: now, state: CPUStateSummary(cpu)) }
        }
    }

    /// Hands what the host typed to COM1.
    func pollSerialInput() {
        if let serialSource { com1.receiveFromHost(serialSource.poll()) }
    }

    /// How a processor's run to a deadline ended.
    enum ProcessorRun {
        case exit(MachineExit)
        /// The cycle counter reached the deadline.
        case reachedEnd
        /// Halted with nothing that can wake it, or waiting for a start-up IPI.
        case stuck
    }

    /// The exit for a shutdown whose last fault is `last`. The CPU's chain is used only when it
    /// ends with that fault (a VMX abort shuts down without a delivery chain).
    func shutdown(_ cpu: CPU, _ last: Fault) -> MachineExit {
        let chain = cpu.shutdownChain.last == last.name ? cpu.shutdownChain : [last.name]
        return .shutdown(fault: last, chain: chain, state: CPUStateSummary(cpu))
    }

    /// The hot loop: one instruction, then one test of the attention word and HLT. No
    /// allocation, closure or existential call per instruction (DESIGN.md, hot path rules).
    /// The inner loop runs to the next deadline: `end`, the next output flush or the clock's
    /// next event, whichever comes first.
    ///
    /// Between runs of the inner loop (instruction boundaries): due clock events fire, then an
    /// interrupt is taken if one is deliverable (Machine/InterruptAcceptance.swift). A halted
    /// CPU that an interrupt can wake sleeps to the next clock event (a VMX guest's preemption
    /// timer may end the sleep earlier, VMX/VMXTimers.swift); otherwise it is stuck.
    /// While an interrupt is pending and not deliverable the attention bit stays set, so the
    /// loop re-checks after every instruction until IF opens (or the request goes away).
    func runProcessor(_ index: Int, until end: UInt64, nextFlush: inout UInt64) -> ProcessorRun {
        let cpu = cpus[index]
        let apic = apics[index]
        let attention = self.attention
        let clock = self.clock
        // The attention word is shared: another processor's turn may have cleared the bit
        // after an IPI to this one, so the first boundary always looks.
        var firstBoundary = true
        while true {
            // An instruction boundary: due events, then an interrupt, then HLT.
            if cpu.cycles >= clock.nextDeadline { clock.fireDue() }
            if firstBoundary || attention.pending & Attention.interrupt != 0 || pic.interruptRequested {
                firstBoundary = false
                switch acceptInterrupt(cpu, apic) {
                case .idle: attention.pending &= ~Attention.interrupt
                case .pending: break
                case .shutdown(let last): return .exit(shutdown(cpu, last))
                }
            }
            if apic.waitingForSIPI { return .stuck }
            if cpu.halted {
                // Sleep to the next event, if an interrupt (or a VMX-preemption timer) can wake the CPU.
                let interruptible = canWake(cpu) && clock.hasArmedEvent
                guard cpu.sleepUntil(min(clock.nextDeadline, end), interruptible: interruptible) else { return .stuck }
            } else {
                let deadline = min(end, nextFlush, clock.nextDeadline)
                attention.pending &= Attention.interrupt
                do {
                    if attention.pending == 0 {
                        try cpu.run(until: deadline, attention: attention)
                    } else if cpu.cycles < deadline {
                        try cpu.step()   // interrupt pending but not deliverable: one instruction at a time
                    }
                } catch {
                    // Deliver through the IDT (or IVT); only a triple fault ends the machine.
                    if case .tripleFault(let last) = cpu.deliver(error) { return .exit(shutdown(cpu, last)) }
                }
                if attention.pending & (Attention.debugExit | Attention.platform) != 0 {
                    if let v = attention.debugExitValue { return .exit(.debugExit(value: v)) }
                    switch attention.platformRequest {
                    case .reset(let source)?: return .exit(.reset(source: source, state: CPUStateSummary(cpu)))
                    case .powerOff?: return .exit(.powerOff)
                    case nil: break
                    }
                }
            }
            if cpu.cycles >= end { return .reachedEnd }
            if cpu.cycles >= nextFlush {
                serialSink.flush()
                pollSerialInput()
                let (n, overflow) = cpu.cycles.addingReportingOverflow(Machine.flushQuantum)
                nextFlush = overflow ? .max : n
            }
        }
    }
}
