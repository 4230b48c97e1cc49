/// QEMU's isa-debug-exit device (hw/misc/debugexit.c), configured as `iobase=0xf4,iosize=4`:
/// a write of V of any width to any of its ports ends the machine with host status (V << 1) | 1.
/// Reads return 0.
public final class DebugExitPort: PortDevice {
    public let base: UInt16
    public let size: UInt16
    let attention: Attention

    public init(base: UInt16 = 0xF4, size: UInt16 = 4, attention: Attention) {
        self.base = base
        self.size = size
        self.attention = attention
    }

    public var ports: ClosedRange<UInt16> { base...(base + size - 1) }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 { 0 }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        let mask: UInt32 = size >= 4 ? 0xFFFF_FFFF : (1 << (8 * UInt32(size))) - 1
        attention.requestDebugExit(value & mask)
    }
}
