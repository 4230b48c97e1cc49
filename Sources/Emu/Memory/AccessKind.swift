/// What a memory access is for; it selects the TLB and the permission checks.
public enum AccessKind: UInt8, Sendable {
    case read, write, execute
}
