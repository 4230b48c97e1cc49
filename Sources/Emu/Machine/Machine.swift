/// A PC: RAM at physical address 0, the I/O port bus, one CPU, the devices, and the run loop
/// that executes the guest until it exits (DESIGN.md, "The way data flows").
///
/// Devices: COM1 (16550A UART at 0x3F8-0x3FF) and isa-debug-exit (0xF4-0xF7). Unassigned ports
/// read as all ones.
public final class Machine {
    public let config: MachineConfig
    public let memory: PhysicalMemory
    public let ports: PortBus
    public let cpu: CPU
    /// Checked once per instruction by the run loop; devices raise it.
    public let attention: Attention
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
        com1 = UART16550(base: 0x3F8, sink: self.serialSink)
        debugExit = DebugExitPort(base: 0xF4, size: 4, attention: attention)
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
    /// The inner loop runs to the next deadline: the cycle budget or the next output flush
    /// (later: the clock's next timer event).
    func runLoop() -> MachineExit {
        let cpu = self.cpu
        let attention = self.attention
        let budget = config.maxCycles ?? UInt64.max
        while true {
            let (next, overflow) = cpu.cycles.addingReportingOverflow(Machine.flushQuantum)
            let deadline = overflow ? budget : min(budget, next)
            do {
                while cpu.cycles < deadline {
                    try cpu.step()
                    if attention.pending != 0 || cpu.halted { break }
                }
            } catch {
                // Deliver through the IDT (or IVT); only a triple fault ends the machine.
                if case .tripleFault(let last) = cpu.deliver(error) {
                    return .shutdown(fault: last, state: CPUStateSummary(cpu))
                }
            }
            if let v = attention.debugExitValue { return .debugExit(value: v) }
            if cpu.halted {
                // Nothing can raise an interrupt yet, so a halted CPU never wakes.
                return .halted(state: CPUStateSummary(cpu))
            }
            if cpu.cycles >= budget { return .cycleBudgetExhausted(cycles: cpu.cycles, state: CPUStateSummary(cpu)) }
            if cpu.cycles >= deadline { serialSink.flush() }
            attention.pending = 0
        }
    }
}
