/// A PC: RAM at physical address 0, the I/O port bus, one CPU, the devices, and the run loop
/// that executes the guest until it exits (DESIGN.md, "The way data flows").
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
///     0x3F8-0x3FF                         COM1, 16550A UART -> IRQ4
///     0x604-0x605                         ACPI PM1a control: S5 power-off (`PowerManagementControl`)
///
/// Unassigned ports read as all ones. Time comes from `clock` (Machine/Clock.swift).
public final class Machine {
    public let config: MachineConfig
    public let memory: PhysicalMemory
    public let ports: PortBus
    public let cpu: CPU
    /// Checked once per instruction by the run loop; devices raise it.
    public let attention: Attention
    public let clock: Clock
    public let pic: PICPair
    public let pit: PIT8254
    public let rtc: CMOSRTC
    public let portB: SystemControlPortB
    public let a20: A20Gate
    public let keyboardController: KeyboardController
    public let com1: UART16550
    public let debugExit: DebugExitPort
    public let serialSink: SerialSink
    /// The loaded kernel, once `load` succeeded.
    public private(set) var bootImage: BootImage?

    /// Builds the machine; `serialSink` overrides `config.serial` (tests capture output).
    public init(config: MachineConfig, serialSink: SerialSink? = nil) throws(MachineError) {
        self.config = config
        guard let memory = PhysicalMemory(size: config.memorySize) else { throw .cannotAllocateRAM(config.memorySize) }
        self.memory = memory
        ports = PortBus()
        cpu = CPU(vendor: config.vendor, memory: memory, ports: ports)
        attention = Attention()
        if let serialSink {
            self.serialSink = serialSink
        } else {
            switch config.serial {
            case .stdio: self.serialSink = FileDescriptorSerialSink(fd: 1)
            case .none: self.serialSink = NullSerialSink()
            case .file(let path): self.serialSink = try FileDescriptorSerialSink(path: path)
            }
        }
        clock = Clock(attention: attention)
        clock.cpu = cpu
        pic = PICPair(attention: attention)
        pit = PIT8254(clock: clock, irq: pic)
        portB = SystemControlPortB(pit: pit, clock: clock)
        rtc = CMOSRTC(clock: clock, irq: pic, time: config.rtcTime, memorySize: config.memorySize)
        a20 = A20Gate()
        keyboardController = KeyboardController(attention: attention, a20: a20)
        com1 = UART16550(base: 0x3F8, sink: self.serialSink, irq: pic, irqNumber: 4)
        debugExit = DebugExitPort(base: 0xF4, size: 4, attention: attention)
        for range in PICPair.ports { ports.attach(pic, ports: range) }
        ports.attach(pit, ports: pit.ports)
        ports.attach(portB, ports: SystemControlPortB.port...SystemControlPortB.port)
        ports.attach(keyboardController, ports: KeyboardController.dataPort...KeyboardController.dataPort)
        ports.attach(keyboardController, ports: KeyboardController.commandPort...KeyboardController.commandPort)
        ports.attach(rtc, ports: 0x70...0x71)
        ports.attach(SystemControlPortA(attention: attention, a20: a20), ports: SystemControlPortA.port...SystemControlPortA.port)
        ports.attach(PowerManagementControl(attention: attention), ports: PowerManagementControl.ports)
        ports.attach(com1, ports: com1.ports)
        ports.attach(debugExit, ports: debugExit.ports)
        applyFirmwareSettings()
    }

    /// What a PC's firmware leaves behind for the OS: on a VMX model, IA32_FEATURE_CONTROL
    /// locked with VMX enabled outside SMX (SDM vol. 3, 24.7), as BIOSes do.
    func applyFirmwareSettings() {
        if cpu.cpuidModel.vmx { cpu.systemRegisters.featureControl = 0x5 }
    }

    /// Loads a kernel file. Its Multiboot command line is the file name, a space and
    /// `config.commandLine`, exactly as QEMU's `-kernel`/`-append` pass it (so the space is there
    /// even when the command line is empty, and a guest prints the same text under both).
    @discardableResult
    public func load(path: String) throws(MachineError) -> BootImage {
        let bytes: [UInt8]
        do { bytes = try ImageFile.read(path: path) } catch { throw .boot(error) }
        return try load(bytes, name: path)
    }

    /// Loads a kernel image and puts the CPU in its entry state.
    @discardableResult
    public func load(_ bytes: [UInt8], name: String) throws(MachineError) -> BootImage {
        let commandLine = name + " " + config.commandLine
        let image: BootImage
        do { image = try BootLoader.load(bytes, into: memory, commandLine: commandLine) } catch { throw .boot(error) }
        image.enter(cpu)
        bootImage = image
        return image
    }

    /// Runs the guest until it exits. Deterministic: the same image and configuration give the
    /// same output and the same cycle count. The serial output is flushed before returning.
    public func run() -> MachineExit {
        let exit = runLoop()
        serialSink.flush()
        return exit
    }

    /// Virtual cycles between two flushes of the serial output, so that a partial line (a
    /// prompt, progress dots) shows up while the guest runs on; about 15 ms of host time.
    static let flushQuantum: UInt64 = 1 << 20

    /// The hot loop: one instruction, then one test of the attention word and HLT. No
    /// allocation, closure or existential call per instruction (DESIGN.md, hot path rules).
    /// The inner loop runs to the next deadline: the cycle budget, the next output flush or
    /// the clock's next event, whichever comes first.
    ///
    /// Between runs of the inner loop (instruction boundaries): due clock events fire, then an
    /// external interrupt is taken if the PIC's INTR is asserted, RFLAGS.IF = 1 and no STI or
    /// MOV SS shadow holds (SDM vol. 3, 6.8.1 and 6.8.3). A halted CPU with IF = 1 sleeps to
    /// the next clock event; with IF = 0, or with no event armed, nothing can wake it.
    /// While INTR is asserted and not deliverable the attention bit stays set, so the loop
    /// re-checks after every instruction until IF opens (or the request goes away).
    func runLoop() -> MachineExit {
        let cpu = self.cpu
        let attention = self.attention
        let clock = self.clock
        let budget = config.maxCycles ?? UInt64.max
        var nextFlush = Machine.flushQuantum
        while true {
            // An instruction boundary: due events, then an external interrupt, then HLT.
            if cpu.cycles >= clock.nextDeadline { clock.fireDue() }
            if pic.interruptRequested {
                if cpu.controlFlags & RFlags.interrupt.rawValue != 0 && cpu.interruptShadow & 3 == 0 {
                    let vector = pic.acknowledge()
                    if case .tripleFault(let last) = cpu.deliverExternalInterrupt(vector: vector) {
                        return .shutdown(fault: last, state: CPUStateSummary(cpu))
                    }
                }
            } else {
                attention.pending &= ~Attention.interrupt
            }
            if cpu.halted {
                // Sleep to the next event, if one can wake the CPU.
                guard cpu.controlFlags & RFlags.interrupt.rawValue != 0, clock.hasArmedEvent else {
                    return .halted(state: CPUStateSummary(cpu))
                }
                let wake = min(clock.nextDeadline, budget)
                if wake > cpu.cycles { cpu.cycles = wake }
            } else {
                let deadline = min(budget, nextFlush, clock.nextDeadline)
                attention.pending &= Attention.interrupt
                do {
                    if attention.pending == 0 {
                        try cpu.run(until: deadline, attention: attention)
                    } else if cpu.cycles < deadline {
                        try cpu.step()   // INTR pending but not deliverable: one instruction at a time
                    }
                } catch {
                    // Deliver through the IDT (or IVT); only a triple fault ends the machine.
                    if case .tripleFault(let last) = cpu.deliver(error) {
                        return .shutdown(fault: last, state: CPUStateSummary(cpu))
                    }
                }
                if attention.pending & (Attention.debugExit | Attention.platform) != 0 {
                    if let v = attention.debugExitValue { return .debugExit(value: v) }
                    switch attention.platformRequest {
                    case .reset(let source)?: return .reset(source: source, state: CPUStateSummary(cpu))
                    case .powerOff?: return .powerOff
                    case nil: break
                    }
                }
            }
            if cpu.cycles >= budget { return .cycleBudgetExhausted(cycles: cpu.cycles, state: CPUStateSummary(cpu)) }
            if cpu.cycles >= nextFlush {
                serialSink.flush()
                let (n, overflow) = cpu.cycles.addingReportingOverflow(Machine.flushQuantum)
                nextFlush = overflow ? .max : n
            }
        }
    }
}
