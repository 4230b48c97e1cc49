/// The code-segment state that decoding depends on.
public enum CodeMode: UInt8, Sendable {
    /// Real-address or virtual-8086 mode: 16-bit defaults, no VEX/EVEX.
    case real
    /// 16-bit protected mode (CS.D = 0).
    case protected16
    /// 32-bit protected or compatibility mode (CS.D = 1).
    case protected32
    /// 64-bit mode (CS.L = 1 with EFER.LMA).
    case long64

    var defaultSize: UInt8 {
        switch self {
        case .real, .protected16: return 2
        case .protected32, .long64: return 4
        }
    }
}
