@testable import Emu
import Foundation

/// Builds small kernel images in memory for loader and machine tests, and finds the committed
/// ones in roms/.
enum TestImages {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rom(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent("roms/\(name)")))
    }

    static func romPath(_ name: String) -> String { root.appendingPathComponent("roms/\(name)").path }

    /// Boots roms/`name` on a 128 MiB machine of `vendor` until it exits (at most 50,000,000
    /// cycles): how it ended and what it printed on COM1.
    static func boot(_ name: String, vendor: Vendor = .intel) throws -> (MachineExit, String) {
        let sink = BufferSerialSink()
        var config = MachineConfig(memorySize: 128 << 20)
        config.vendor = vendor
        config.maxCycles = 50_000_000
        let m = try Machine(config: config, serialSink: sink)
        try m.load(try rom(name), name: URL(fileURLWithPath: name).lastPathComponent)
        return (m.run(), sink.text)
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    /// A Multiboot 1 header with `flags` and a correct checksum (12 bytes).
    static func multibootHeader(flags: UInt32, checksumDelta: UInt32 = 0) -> [UInt8] {
        le32(MultibootHeader.magic) + le32(flags) + le32((0 &- MultibootHeader.magic &- flags) &+ checksumDelta)
    }

    /// A raw (non-ELF) image booted through the a.out kludge: the header at file offset 0 is
    /// loaded at `loadAddress`, `code` follows it at offset 32 and is the entry point.
    static func kludge(code: [UInt8], loadAddress: UInt32 = 0x10_0000, bss: UInt32 = 0,
                       loadEnd: UInt32? = nil, headerAddress: UInt32? = nil) -> [UInt8] {
        let size = UInt32(32 + code.count)
        let end = loadEnd ?? loadAddress + size
        return multibootHeader(flags: 1 << 16)
            + le32(headerAddress ?? loadAddress) + le32(loadAddress) + le32(end)
            + le32(bss == 0 ? 0 : end + bss) + le32(loadAddress + 32) + code
    }

    /// An ELF32 executable with one PT_LOAD covering the whole file (loaded at `physical`,
    /// linked at `virtual`), a Multiboot header (flags 0) at offset 96 and `code` at offset 108.
    static func elf32(code: [UInt8], physical: UInt32 = 0x10_0000, virtual: UInt32? = nil, bss: UInt32 = 0,
                      headerFlags: UInt32 = 0) -> [UInt8] {
        let vaddr = virtual ?? physical
        let fileSize = UInt32(108 + code.count)
        var f: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        f += le16(2) + le16(3) + le32(1) + le32(vaddr + 108) + le32(52) + le32(0) + le32(0)
        f += le16(52) + le16(32) + le16(1) + le16(40) + le16(0) + le16(0)
        f += le32(1) + le32(0) + le32(vaddr) + le32(physical) + le32(fileSize) + le32(fileSize + bss)
            + le32(7) + le32(0x1000)
        f += [UInt8](repeating: 0, count: 96 - f.count)
        f += multibootHeader(flags: headerFlags)
        return f + code
    }

    /// An ELF64 executable like `elf32`: header at offset 120, code at offset 132.
    static func elf64(code: [UInt8], physical: UInt64 = 0x10_0000, bss: UInt64 = 0) -> [UInt8] {
        let fileSize = UInt64(132 + code.count)
        var f: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        f += le16(2) + le16(62) + le32(1) + le64(physical + 132) + le64(64) + le64(0) + le32(0)
        f += le16(64) + le16(56) + le16(1) + le16(64) + le16(0) + le16(0)
        f += le32(1) + le32(7) + le64(0) + le64(physical) + le64(physical) + le64(fileSize) + le64(fileSize + bss)
            + le64(0x1000)
        f += multibootHeader(flags: 0)
        return f + code
    }

    /// Reads `count` bytes of guest RAM.
    static func ram(_ memory: PhysicalMemory, _ address: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(memory.read(address + UInt64($0), size: 1)) }
    }

    static func ram32(_ memory: PhysicalMemory, _ address: UInt64) -> UInt32 {
        UInt32(memory.read(address, size: 4))
    }

    /// A NUL-terminated string in guest RAM.
    static func string(_ memory: PhysicalMemory, _ address: UInt64) -> String {
        var bytes: [UInt8] = []
        var a = address
        while bytes.count < 4096 {
            let b = UInt8(memory.read(a, size: 1))
            if b == 0 { break }
            bytes.append(b)
            a += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
