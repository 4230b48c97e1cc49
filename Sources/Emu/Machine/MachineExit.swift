/// Why a machine stopped, and the host exit status `swemu boot` gives it.
///
///     status          meaning
///     0               the guest powered the machine off (ACPI S5: port 0x604 written 0x2000)
///     (V << 1) | 1    the guest wrote V to isa-debug-exit (port 0xf4), as QEMU does:
///                     always odd; 1 means V = 0 (the usual "success")
///     2               bad usage or input (swemu itself, before the guest runs)
///     4               triple fault (shutdown)
///     6               the guest halted and nothing can wake it (HLT with no interrupt source)
///     8               the guest reset the machine (port 0x92 bit 0, keyboard controller 0xFE);
///                     swemu never reboots, like QEMU with -no-reboot (which exits 0 there)
///     124             the --max-cycles budget ran out (like timeout(1))
///
/// swemu's own statuses are even so that they never collide with a debug-exit status.
public enum MachineExit: Sendable, Equatable {
    case debugExit(value: UInt32)
    /// The CPU shut down: a triple fault, reported with the last fault of the chain.
    /// `chain` names the events whose delivery failed, then `fault`.
    case shutdown(fault: Fault, chain: [String], state: CPUStateSummary)
    /// HLT with nothing left to wake the CPU.
    case halted(state: CPUStateSummary)
    case cycleBudgetExhausted(cycles: UInt64, state: CPUStateSummary)
    /// The guest asked for a reset; `source` names the path.
    case reset(source: String, state: CPUStateSummary)
    /// ACPI S5 (power-off).
    case powerOff

    public static let powerOffStatus: Int32 = 0
    public static let usageStatus: Int32 = 2
    public static let shutdownStatus: Int32 = 4
    public static let haltedStatus: Int32 = 6
    public static let resetStatus: Int32 = 8
    public static let cycleBudgetStatus: Int32 = 124

    /// The host process exit status (the host keeps its low 8 bits).
    public var status: Int32 {
        switch self {
        case .debugExit(let v): return Int32(truncatingIfNeeded: (UInt64(v) << 1) | 1)
        case .shutdown: return MachineExit.shutdownStatus
        case .halted: return MachineExit.haltedStatus
        case .cycleBudgetExhausted: return MachineExit.cycleBudgetStatus
        case .reset: return MachineExit.resetStatus
        case .powerOff: return MachineExit.powerOffStatus
        }
    }

    /// One line for stderr, or nil for a debug exit (the guest chose to stop; QEMU prints nothing).
    public var report: String? {
        switch self {
        case .debugExit, .powerOff: return nil
        case .shutdown(let fault, let chain, let s):
            let events = chain.count > 1 ? " (\(chain.joined(separator: " -> ")))" : ""
            return "triple fault: \(fault.name) (vector \(fault.vector)) could not be delivered\(events) at \(s)"
        case .halted(let s):
            return "guest halted with \(s.interruptsEnabled ? "no interrupt source" : "interrupts disabled") at \(s)"
        case .cycleBudgetExhausted(let cycles, let s):
            return "cycle budget of \(cycles) cycles exhausted at \(s)"
        case .reset(let source, let s):
            return "guest reset the machine (\(source)) at \(s); swemu does not reboot"
        }
    }

    /// A short name for `--verbose`.
    public var summary: String {
        switch self {
        case .debugExit(let v): return "debug exit 0x\(String(v, radix: 16))"
        case .shutdown: return "shutdown"
        case .halted: return "halted"
        case .cycleBudgetExhausted: return "cycle budget exhausted"
        case .reset: return "reset"
        case .powerOff: return "power-off"
        }
    }
}

/// The CPU registers an exit report shows.
public struct CPUStateSummary: Sendable, Equatable, CustomStringConvertible {
    public var rip: UInt64
    public var cr0: UInt64
    public var cr3: UInt64
    public var cr4: UInt64
    public var efer: UInt64
    public var interruptsEnabled: Bool

    public init(_ cpu: CPU) {
        rip = cpu.rip
        cr0 = cpu.cr0
        cr3 = cpu.cr3
        cr4 = cpu.cr4
        efer = cpu.efer
        interruptsEnabled = cpu.rflags & RFlags.interrupt.rawValue != 0
    }

    public var description: String {
        func h(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        return "RIP=\(h(rip)) CR0=\(h(cr0)) CR3=\(h(cr3)) CR4=\(h(cr4)) EFER=\(h(efer))"
    }
}
