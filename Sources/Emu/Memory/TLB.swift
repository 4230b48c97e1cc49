/// The software TLB: direct-mapped tables from a linear page to a host pointer, one per access
/// kind, so that a hit is a compare and a load (DESIGN.md). Filled on a miss by segmentation +
/// paging; only RAM pages are entered (MMIO always takes the slow path).
struct TLB {
    static let entries = 256
    static let mask: UInt64 = UInt64(entries - 1)
    static let invalidTag: UInt64 = ~0

    struct Entry {
        /// Linear page number (address >> 12), or `invalidTag`.
        var tag: UInt64
        var host: UnsafeMutableRawPointer
        var physicalPage: UInt64
    }

    let read: UnsafeMutablePointer<Entry>
    let write: UnsafeMutablePointer<Entry>
    let fetch: UnsafeMutablePointer<Entry>
    private let dummy: UnsafeMutableRawPointer
    /// The indices filled since the last full flush, so that a flush touches only those (VM
    /// entries and exits flush on every round trip); past `trackedFills` fills a flush clears
    /// every entry. Every valid entry's index is in the list while the count is in range.
    static let trackedFills = 64
    private let filled: UnsafeMutablePointer<UInt8>
    private let fillCount: UnsafeMutablePointer<Int>

    init() {
        dummy = .allocate(byteCount: 4096, alignment: 4096)
        let empty = Entry(tag: TLB.invalidTag, host: dummy, physicalPage: 0)
        read = .allocate(capacity: TLB.entries)
        read.initialize(repeating: empty, count: TLB.entries)
        write = .allocate(capacity: TLB.entries)
        write.initialize(repeating: empty, count: TLB.entries)
        fetch = .allocate(capacity: TLB.entries)
        fetch.initialize(repeating: empty, count: TLB.entries)
        filled = .allocate(capacity: TLB.trackedFills)
        filled.initialize(repeating: 0, count: TLB.trackedFills)
        fillCount = .allocate(capacity: 1)
        fillCount.initialize(to: 0)
    }

    func deallocate() {
        read.deallocate()
        write.deallocate()
        fetch.deallocate()
        dummy.deallocate()
        filled.deallocate()
        fillCount.deallocate()
    }

    /// Records that entry `index` (of any of the three tables) was filled.
    @inline(__always)
    func noteFill(_ index: Int) {
        let n = fillCount.pointee
        if n < TLB.trackedFills { filled[n] = UInt8(truncatingIfNeeded: index) }
        fillCount.pointee = n &+ 1
    }

    func flush() {
        let n = fillCount.pointee
        if n <= TLB.trackedFills {
            for k in 0..<n {
                let i = Int(filled[k])
                read[i].tag = TLB.invalidTag
                write[i].tag = TLB.invalidTag
                fetch[i].tag = TLB.invalidTag
            }
        } else {
            for i in 0..<TLB.entries {
                read[i].tag = TLB.invalidTag
                write[i].tag = TLB.invalidTag
                fetch[i].tag = TLB.invalidTag
            }
        }
        fillCount.pointee = 0
    }

    func flush(page: UInt64) {
        let i = Int(page & TLB.mask)
        if read[i].tag == page { read[i].tag = TLB.invalidTag }
        if write[i].tag == page { write[i].tag = TLB.invalidTag }
        if fetch[i].tag == page { fetch[i].tag = TLB.invalidTag }
    }
}
