/// The I/O port space (SDM vol. 1, chapter 19). Unassigned ports read as all ones and ignore
/// writes, as on a PC.
public final class PortBus {
    private var handlers: [PortDevice] = []
    /// Per port: 0 = unassigned, otherwise index + 1 into `handlers`.
    private var owner = [UInt16](repeating: 0, count: 65536)

    public init() {}

    public func attach(_ device: PortDevice, ports: ClosedRange<UInt16>) {
        handlers.append(device)
        for p in ports { owner[Int(p)] = UInt16(handlers.count) }
    }

    public func read(_ port: UInt16, size: Int) -> UInt32 {
        let o = Int(owner[Int(port)])
        guard o != 0 else { return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFF_FFFF }
        return handlers[o - 1].portRead(port, size: size)
    }

    public func write(_ port: UInt16, size: Int, value: UInt32) {
        let o = Int(owner[Int(port)])
        guard o != 0 else { return }
        handlers[o - 1].portWrite(port, size: size, value: value)
    }
}

/// A device that answers port I/O.
public protocol PortDevice: AnyObject {
    func portRead(_ port: UInt16, size: Int) -> UInt32
    func portWrite(_ port: UInt16, size: Int, value: UInt32)
}
