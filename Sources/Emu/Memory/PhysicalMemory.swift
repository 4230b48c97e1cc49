#if canImport(Glibc)
import Glibc
#endif

/// Guest RAM (one host mapping, zero-filled on demand by the host) and the physical address
/// space around it: accesses outside RAM go to MMIO devices or read as all ones.
///
/// Per 4 KiB page it also keeps a write generation and a "holds decoded code" mark, so that the
/// decoded-instruction cache is invalidated when code is written (DESIGN.md).
public final class PhysicalMemory {
    public let size: UInt64
    public let base: UnsafeMutableRawPointer
    /// Bumped when a page that holds decoded instructions is written.
    let generation: UnsafeMutablePointer<UInt32>
    /// Nonzero when the decoded-instruction cache holds instructions from this page.
    let codePage: UnsafeMutablePointer<UInt8>
    let pageCount: Int
    var mmio: [MMIORegion] = [] { didSet { mmioFloor = mmio.map(\.start).min() ?? .max } }
    /// The lowest MMIO address: RAM below it needs no region lookup (the device windows sit
    /// near 4 GiB, far above where kernels run).
    private(set) var mmioFloor: UInt64 = .max

    /// Maps `size` bytes of RAM (rounded up to 4 KiB). Returns nil if the host refuses.
    public init?(size: UInt64) {
        let rounded = (size + 0xFFF) & ~0xFFF
        guard rounded > 0, rounded <= 1 << 40,
              let p = mmap(nil, Int(rounded), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              p != MAP_FAILED else { return nil }
        self.size = rounded
        base = p
        pageCount = Int(rounded >> 12)
        generation = .allocate(capacity: pageCount)
        generation.initialize(repeating: 0, count: pageCount)
        codePage = .allocate(capacity: pageCount)
        codePage.initialize(repeating: 0, count: pageCount)
    }

    deinit {
        munmap(base, Int(size))
        generation.deallocate()
        codePage.deallocate()
    }

    /// Adds a device window; later regions take precedence over RAM.
    public func map(_ region: MMIORegion) { mmio.append(region) }

    /// Removes the windows of `device` (a relocated or disabled device page).
    public func unmap(_ device: MMIODevice) { mmio.removeAll { $0.device === device } }

    /// Host pointer to a RAM page, or nil when the page is not RAM (MMIO, unbacked).
    @inline(__always)
    func hostPage(_ physicalPage: UInt64) -> UnsafeMutableRawPointer? {
        let address = physicalPage << 12
        guard address < size else { return nil }
        if address &+ 0x1000 > mmioFloor {
            for r in mmio where r.contains(page: physicalPage) { return nil }
        }
        return base + Int(address)
    }

    /// Notes a write to a RAM page: code decoded from it is stale now.
    @inline(__always)
    func noteWrite(page: UInt64) {
        let p = Int(page)
        if p < pageCount && codePage[p] != 0 {
            codePage[p] = 0
            generation[p] &+= 1
        }
    }

    // Byte-granular physical access, used by slow paths, page walks, DMA-like device access.

    public func read(_ address: UInt64, size: Int) -> UInt64 {
        var v: UInt64 = 0
        if address >= mmioFloor, let r = mmio.first(where: { $0.contains(address) }) {
            return r.device.mmioRead(address - r.start, size: size)
        }
        for k in 0..<size {
            let a = address &+ UInt64(k)
            let byte: UInt64 = a < self.size ? UInt64(base.load(fromByteOffset: Int(a), as: UInt8.self)) : 0xFF
            v |= byte << (8 * UInt64(k))
        }
        return v
    }

    public func write(_ address: UInt64, size: Int, value: UInt64) {
        if address >= mmioFloor, let r = mmio.first(where: { $0.contains(address) }) {
            r.device.mmioWrite(address - r.start, size: size, value: value)
            return
        }
        for k in 0..<size {
            let a = address &+ UInt64(k)
            guard a < self.size else { continue }
            base.storeBytes(of: UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))), toByteOffset: Int(a), as: UInt8.self)
            noteWrite(page: a >> 12)
        }
    }

    /// Copies bytes into RAM (image loading). Returns false if they do not fit.
    public func load(_ bytes: [UInt8], at address: UInt64) -> Bool {
        guard address <= size, UInt64(bytes.count) <= size - address else { return false }
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { (base + Int(address)).copyMemory(from: s, byteCount: bytes.count) }
        }
        let first = address >> 12, last = (address + UInt64(max(bytes.count, 1)) - 1) >> 12
        for p in first...last { noteWrite(page: p) }
        return true
    }
}

/// A device that answers memory-mapped accesses.
public protocol MMIODevice: AnyObject {
    func mmioRead(_ offset: UInt64, size: Int) -> UInt64
    func mmioWrite(_ offset: UInt64, size: Int, value: UInt64)
}

/// A window of the physical address space served by a device.
public struct MMIORegion {
    public let start: UInt64
    public let length: UInt64
    public let device: MMIODevice

    public init(start: UInt64, length: UInt64, device: MMIODevice) {
        self.start = start
        self.length = length
        self.device = device
    }

    func contains(_ address: UInt64) -> Bool { address >= start && address - start < length }
    func contains(page: UInt64) -> Bool {
        let p = page << 12
        return p < start + length && p + 0x1000 > start
    }
}
