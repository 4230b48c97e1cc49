/// What to build: the hardware of a `Machine` and how to run it. `swemu boot` fills it from its
/// flags; tests build it directly.
public struct MachineConfig: Sendable, Equatable {
    /// Where COM1's output goes.
    public enum SerialOutput: Sendable, Equatable {
        case stdio
        case none
        case file(String)
    }

    /// `--cpu intel` (VMX model) or `--cpu amd` (SVM model).
    public var vendor: Vendor = .intel
    /// `-m`: guest RAM in bytes, at physical address 0.
    public var memorySize: UInt64 = MachineConfig.defaultMemorySize
    /// `--cmdline`: appended to the image name in the Multiboot command line.
    public var commandLine: String = ""
    /// `--serial`.
    public var serial: SerialOutput = .stdio
    /// `--max-cycles`: stop when the virtual clock reaches this many cycles.
    public var maxCycles: UInt64?
    /// `--verbose`: load and exit details on stderr.
    public var verbose = false
    /// `--module FILE[,ARGS]`, in order: files loaded as Multiboot modules.
    public var modules: [ModuleFile] = []
    /// `--vga`: print the VGA text screen (0xB8000) to standard output at exit.
    public var vgaText = false
    /// `--smp`: the number of processors (1 to `maximumCPUCount`).
    public var cpuCount = 1
    public static let maximumCPUCount = 64
    /// `--rtc`: the CMOS clock's time at cycle 0, in seconds since 1970-01-01 00:00:00 UTC.
    /// Fixed by default (2024-01-01 00:00:00) so that runs are reproducible.
    public var rtcTime: Int64 = MachineConfig.defaultRTCTime

    public static let defaultRTCTime: Int64 = 1_704_067_200

    public static let defaultMemorySize: UInt64 = 256 << 20
    /// Below 2 MiB a Multiboot kernel (loaded at 1 MiB) has no room.
    public static let minimumMemorySize: UInt64 = 2 << 20
    /// The largest RAM `PhysicalMemory` maps.
    public static let maximumMemorySize: UInt64 = 1 << 40

    public init(vendor: Vendor = .intel, memorySize: UInt64 = MachineConfig.defaultMemorySize, commandLine: String = "",
                serial: SerialOutput = .stdio, maxCycles: UInt64? = nil, verbose: Bool = false) {
        self.vendor = vendor
        self.memorySize = memorySize
        self.commandLine = commandLine
        self.serial = serial
        self.maxCycles = maxCycles
        self.verbose = verbose
    }

    /// Parses a memory size as QEMU's `-m` does: a decimal number with an optional binary
    /// suffix K, M, G or T (case-insensitive, optionally followed by "B" or "iB"); no suffix
    /// means MiB. The result must lie between 2 MiB and 1 TiB.
    public static func parseMemorySize(_ text: String) -> Result<UInt64, MachineError> {
        var digits = Substring(text)
        var shift: UInt64 = 20
        let lower = text.lowercased()
        for (suffixes, s) in [(["kib", "kb", "k"], UInt64(10)), (["mib", "mb", "m"], 20), (["gib", "gb", "g"], 30),
                              (["tib", "tb", "t"], 40)] {
            if let suffix = suffixes.first(where: { lower.hasSuffix($0) }) {
                digits = digits.dropLast(suffix.count)
                shift = s
                break
            }
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(digits),
              n <= (UInt64.max >> shift) else {
            return .failure(.malformedMemorySize(text))
        }
        let bytes = n << shift
        guard bytes >= minimumMemorySize, bytes <= maximumMemorySize else {
            return .failure(.memorySizeOutOfRange(text))
        }
        return .success(bytes)
    }
}

/// A `--module` argument: the file, and the arguments that follow it in the module string.
public struct ModuleFile: Sendable, Equatable {
    public var path: String
    public var arguments: String

    public init(path: String, arguments: String = "") {
        self.path = path
        self.arguments = arguments
    }

    /// "FILE,ARGS" or "FILE".
    public init(argument: String) {
        if let comma = argument.firstIndex(of: ",") {
            path = String(argument[..<comma])
            arguments = String(argument[argument.index(after: comma)...])
        } else {
            path = argument
            arguments = ""
        }
    }

    /// The module string the kernel reads: "FILE ARGS", or "FILE" (QEMU's -initrd "FILE ARGS").
    public var string: String { arguments.isEmpty ? path : path + " " + arguments }
}
