/// QEMU's firmware configuration device (QEMU docs/specs/fw_cfg.rst) on x86: a 16-bit selector
/// at port 510h and an 8-bit data port at 511h that reads the selected item byte by byte from
/// offset 0 (a selector write rewinds; past the end reads 0). Only the traditional interface:
/// FW_CFG_ID bit 0 set, bit 1 (DMA) clear; data writes are ignored, as since QEMU 2.4.
///
/// Items: 0000h signature "QEMU", 0001h interface ID, 0003h RAM size (u64), 0005h CPU count
/// (u16), 000Fh maximum CPU count (u16), 0014h/0015h command line size and data, 0019h the file
/// directory (big-endian count, then per file: size u32 BE, select u16 BE, reserved u16, 56-byte
/// name), and the files from 0020h: "etc/e820" (the memory map as packed {u64 address, u64
/// length, u32 type} little-endian entries).
public final class FirmwareConfig: PortDevice {
    public static let ports: ClosedRange<UInt16> = 0x510...0x511
    public static let signature: UInt16 = 0x0000
    public static let id: UInt16 = 0x0001
    public static let ramSize: UInt16 = 0x0003
    public static let cpuCount: UInt16 = 0x0005
    public static let maxCPUCount: UInt16 = 0x000F
    public static let commandLineSize: UInt16 = 0x0014
    public static let commandLineData: UInt16 = 0x0015
    public static let fileDirectory: UInt16 = 0x0019
    public static let firstFile: UInt16 = 0x0020

    var items: [UInt16: [UInt8]] = [:]
    public private(set) var selector: UInt16 = 0
    var offset = 0

    public init(ramSize: UInt64, cpuCount: Int, commandLine: String) {
        var ram = [UInt8](), cpus = [UInt8](), id = [UInt8](), cmdSize = [UInt8]()
        ram.append64(ramSize)
        cpus.append16(UInt16(cpuCount))
        id.append32(1)
        let cmd = Array(commandLine.utf8) + [0]
        cmdSize.append32(UInt32(cmd.count))
        items[FirmwareConfig.signature] = Array("QEMU".utf8)
        items[FirmwareConfig.id] = id
        items[FirmwareConfig.ramSize] = ram
        items[FirmwareConfig.cpuCount] = cpus
        items[FirmwareConfig.maxCPUCount] = cpus
        items[FirmwareConfig.commandLineSize] = cmdSize
        items[FirmwareConfig.commandLineData] = cmd
        var e820 = [UInt8]()
        for e in E820Map(ramSize: ramSize).entries {
            e820.append64(e.base)
            e820.append64(e.length)
            e820.append32(e.type.rawValue)
        }
        addFiles([("etc/e820", e820)])
    }

    /// Registers files from selector 0020h on and builds the directory (names sorted, as QEMU).
    func addFiles(_ files: [(String, [UInt8])]) {
        var dir = [UInt8]()
        func be32(_ v: UInt32) { for k in stride(from: 24, through: 0, by: -8) { dir.append(UInt8(truncatingIfNeeded: v >> UInt32(k))) } }
        be32(UInt32(files.count))
        for (k, (name, contents)) in files.sorted(by: { $0.0 < $1.0 }).enumerated() {
            let select = FirmwareConfig.firstFile + UInt16(k)
            items[select] = contents
            be32(UInt32(contents.count))
            dir.append(UInt8(select >> 8))
            dir.append(UInt8(select & 0xFF))
            dir += [0, 0]
            var n = Array(name.utf8.prefix(55))
            n += [UInt8](repeating: 0, count: 56 - n.count)
            dir += n
        }
        items[FirmwareConfig.fileDirectory] = dir
    }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        guard port == 0x511 else { return size >= 4 ? 0xFFFF_FFFF : (1 << (8 * UInt32(size))) - 1 }
        var v: UInt32 = 0
        for k in 0..<size { v |= UInt32(nextByte()) << (8 * UInt32(k)) }
        return v
    }

    func nextByte() -> UInt8 {
        guard let item = items[selector], offset < item.count else { return 0 }
        defer { offset += 1 }
        return item[offset]
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        guard port == 0x510 else { return }
        selector = UInt16(truncatingIfNeeded: value)
        offset = 0
    }
}
