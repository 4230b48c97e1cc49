/// The one word the run loop checks after each instruction (blink's "attention", Bochs'
/// `async_event`): devices set a bit when the machine must leave the fast loop, instead of the
/// loop polling every device.
public final class Attention {
    /// Nonzero when something needs the run loop's attention.
    public var pending: UInt32 = 0
    /// Set by isa-debug-exit: the value the guest wrote.
    public private(set) var debugExitValue: UInt32?
    /// Set when the guest asked for a reset or a power-off (the first request wins).
    public private(set) var platformRequest: PlatformRequest?

    public static let debugExit: UInt32 = 1 << 0
    /// A clock deadline moved earlier than the one the run loop runs to.
    public static let timer: UInt32 = 1 << 1
    /// The interrupt controller's INTR output is asserted.
    public static let interrupt: UInt32 = 1 << 2
    /// Reset or power-off requested.
    public static let platform: UInt32 = 1 << 3

    /// A request that ends the run (swemu never reboots, like QEMU with -no-reboot).
    public enum PlatformRequest: Sendable, Equatable {
        /// Port 0x92 bit 0, keyboard controller 0xFE / output port bit 0, reset-control writes.
        case reset(source: String)
        /// ACPI S5 through PM1a_CNT at port 0x604 (QEMU's PIIX4 PM convention).
        case powerOff
    }

    public init() {}

    /// Records a write to isa-debug-exit; the first one wins.
    public func requestDebugExit(_ value: UInt32) {
        if debugExitValue == nil { debugExitValue = value }
        pending |= Attention.debugExit
    }

    public func request(_ r: PlatformRequest) {
        if platformRequest == nil { platformRequest = r }
        pending |= Attention.platform
    }
}
