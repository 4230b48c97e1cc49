/// The PCI host bridge's configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2) at ports
/// CF8h (CONFIG_ADDRESS: enable 31, bus 23:16, device 15:11, function 10:8, register 7:2,
/// dword access only) and CFCh-CFFh (CONFIG_DATA, byte/word/dword), plus the reset control
/// register at CF9h (byte access; ICH9: a 0 -> 1 transition of RST_CPU, bit 2, resets).
///
/// Bus 0 holds a q35-like host bridge at 00:00.0 (8086:29C0) and an ICH9 LPC/ISA bridge at
/// 00:1F.0 (8086:2918). A function that is not there reads all ones; writes to it are dropped.
public final class PCIHost: PortDevice {
    public static let ports: ClosedRange<UInt16> = 0xCF8...0xCFF
    let attention: Attention
    public private(set) var address: UInt32 = 0
    var resetControl: UInt8 = 0
    var functions: [PCIFunction]

    public init(attention: Attention) {
        self.attention = attention
        functions = [PCIFunction(device: 0, vendorID: 0x8086, deviceID: 0x29C0, classCode: 0x06_00_00, headerType: 0),
                     PCIFunction(device: 0x1F, vendorID: 0x8086, deviceID: 0x2918, classCode: 0x06_01_00,
                                 headerType: 0x80)]
    }

    /// The function CONFIG_ADDRESS selects (enable bit set, bus 0), if present.
    func selected() -> Int? {
        guard address & 0x8000_0000 != 0, (address >> 16) & 0xFF == 0 else { return nil }
        let device = (address >> 11) & 0x1F, function = (address >> 8) & 7
        return functions.firstIndex { $0.device == device && function == 0 }
    }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        let ones: UInt32 = size >= 4 ? 0xFFFF_FFFF : (1 << (8 * UInt32(size))) - 1
        switch port {
        case 0xCF8 where size == 4: return address
        case 0xCF9 where size == 1: return UInt32(resetControl)
        case 0xCFC...0xCFF:
            guard let f = selected() else { return ones }
            let offset = Int(address & 0xFC) + Int(port - 0xCFC)
            var v: UInt32 = 0
            for k in 0..<size where offset + k < 256 { v |= UInt32(functions[f].space[offset + k]) << (8 * UInt32(k)) }
            return v
        default: return ones
        }
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        switch port {
        case 0xCF8 where size == 4: address = value & 0x80FF_FFFC
        case 0xCF9 where size == 1:
            let v = UInt8(truncatingIfNeeded: value) & 0x0E
            if v & 4 != 0 && resetControl & 4 == 0 { attention.request(.reset(source: "reset control register 0xCF9")) }
            resetControl = v
        case 0xCFC...0xCFF:
            guard let f = selected() else { return }
            let offset = Int(address & 0xFC) + Int(port - 0xCFC)
            for k in 0..<size where offset + k < 256 {
                functions[f].write(offset + k, UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))))
            }
        default: break
        }
    }
}

/// One PCI function's 256-byte type-0 configuration space (PCI Local Bus 3.0, 6.1): IDs, the
/// command register (I/O, memory, bus master, parity, SERR writable), class code, header type,
/// subsystem IDs (1AF4:1100, QEMU's), interrupt line; everything else reads as written by
/// nothing (zero) and ignores writes.
struct PCIFunction {
    let device: UInt32
    var space = [UInt8](repeating: 0, count: 256)

    init(device: UInt32, vendorID: UInt16, deviceID: UInt16, classCode: UInt32, headerType: UInt8) {
        self.device = device
        space.put16(vendorID, at: 0x00)
        space.put16(deviceID, at: 0x02)
        space.put16(0x0007, at: 0x04)                    // I/O, memory, bus master on (firmware)
        space.put16(0x0200, at: 0x06)                    // status: DEVSEL medium
        space.put32(classCode << 8, at: 0x08)            // revision 0, class code
        space[0x0E] = headerType
        space.put16(0x1AF4, at: 0x2C)
        space.put16(0x1100, at: 0x2E)
    }

    mutating func write(_ offset: Int, _ v: UInt8) {
        switch offset {
        case 0x04: space[offset] = v & 0x47
        case 0x05: space[offset] = v & 0x01
        case 0x3C: space[offset] = v                     // interrupt line
        default: break
        }
    }
}
