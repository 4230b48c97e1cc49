/// Why a machine cannot be built or booted. All are the user's to fix: `swemu` prints the
/// description as one line and exits with status 2.
public enum MachineError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedMemorySize(String)
    case memorySizeOutOfRange(String)
    /// The host refused to map guest RAM.
    case cannotAllocateRAM(UInt64)
    case cannotOpenSerialFile(path: String, reason: String)
    case boot(BootError)

    public var description: String {
        switch self {
        case .malformedMemorySize(let s): return "malformed memory size '\(s)' (expected e.g. 64M, 512M, 2G)"
        case .memorySizeOutOfRange(let s): return "memory size '\(s)' out of range (2M to 1T)"
        case .cannotAllocateRAM(let n): return "cannot allocate \(n >> 20) MiB of guest RAM"
        case .cannotOpenSerialFile(let path, let reason): return "cannot open serial output file \(path): \(reason)"
        case .boot(let e): return e.description
        }
    }
}
