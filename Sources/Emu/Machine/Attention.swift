/// The one word the run loop checks after each instruction (blink's "attention", Bochs'
/// `async_event`): devices set a bit when the machine must leave the fast loop, instead of the
/// loop polling every device.
public final class Attention {
    /// Nonzero when something needs the run loop's attention.
    public var pending: UInt32 = 0
    /// Set by isa-debug-exit: the value the guest wrote.
    public private(set) var debugExitValue: UInt32?

    public static let debugExit: UInt32 = 1 << 0

    public init() {}

    /// Records a write to isa-debug-exit; the first one wins.
    public func requestDebugExit(_ value: UInt32) {
        if debugExitValue == nil { debugExitValue = value }
        pending |= Attention.debugExit
    }
}
