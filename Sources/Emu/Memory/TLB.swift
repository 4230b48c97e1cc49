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

    init() {
        dummy = .allocate(byteCount: 4096, alignment: 4096)
        let empty = Entry(tag: TLB.invalidTag, host: dummy, physicalPage: 0)
        read = .allocate(capacity: TLB.entries)
        read.initialize(repeating: empty, count: TLB.entries)
        write = .allocate(capacity: TLB.entries)
        write.initialize(repeating: empty, count: TLB.entries)
        fetch = .allocate(capacity: TLB.entries)
        fetch.initialize(repeating: empty, count: TLB.entries)
    }

    func deallocate() {
        read.deallocate()
        write.deallocate()
        fetch.deallocate()
        dummy.deallocate()
    }

    func flush() {
        for i in 0..<TLB.entries {
            read[i].tag = TLB.invalidTag
            write[i].tag = TLB.invalidTag
            fetch[i].tag = TLB.invalidTag
        }
    }

    func flush(page: UInt64) {
        let i = Int(page & TLB.mask)
        if read[i].tag == page { read[i].tag = TLB.invalidTag }
        if write[i].tag == page { write[i].tag = TLB.invalidTag }
        if fetch[i].tag == page { fetch[i].tag = TLB.invalidTag }
    }
}
