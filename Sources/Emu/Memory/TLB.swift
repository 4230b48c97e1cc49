/// The software TLB: direct-mapped tables from a linear page to a host pointer, one per access
/// kind, so that a hit is a compare and a load (DESIGN.md). Filled on a miss by segmentation +
/// paging (and EPT in a guest); only RAM pages are entered (MMIO always takes the slow path).
///
/// It holds several sets of tables (TLBContexts.swift): set 0 for VPID 0 (VMX root operation and
/// guests without "enable VPID"), the others for guests tagged by VPID and EPTP, so that VM
/// entries and exits with VPID switch sets instead of flushing (SDM vol. 3, 29.4). `read`,
/// `write` and `fetch` are the current set's tables; the fast paths load only those.
struct TLB {
    static let entries = 256
    static let mask: UInt64 = UInt64(entries - 1)
    static let invalidTag: UInt64 = ~0
    /// Sets: one for VPID 0 and `setCount - 1` for VPID-tagged guests.
    static let setCount = 5

    struct Entry {
        /// Linear page number (address >> 12), or `invalidTag`.
        var tag: UInt64
        var host: UnsafeMutableRawPointer
        var physicalPage: UInt64
    }

    private(set) var read: UnsafeMutablePointer<Entry>
    private(set) var write: UnsafeMutablePointer<Entry>
    private(set) var fetch: UnsafeMutablePointer<Entry>
    /// The current set (an index into `sets`).
    private(set) var currentSet = 0
    /// Counts set selections for VPID-tagged guests (least-recently-used replacement).
    var useCounter: UInt64 = 0
    /// Set by the page walk: the translation it made is global (CR4.PGE and G in the leaf).
    var lastWalkGlobal = false
    let sets: UnsafeMutablePointer<TLBSet>
    /// What each set's entries were filled under (TLBContexts.swift).
    let contexts: UnsafeMutablePointer<TLBContext>
    private let dummy: UnsafeMutableRawPointer

    init() {
        dummy = .allocate(byteCount: 4096, alignment: 4096)
        sets = .allocate(capacity: TLB.setCount)
        contexts = .allocate(capacity: TLB.setCount)
        for k in 0..<TLB.setCount {
            (sets + k).initialize(to: TLBSet(dummy: dummy))
            (contexts + k).initialize(to: TLBContext())
        }
        read = sets[0].read
        write = sets[0].write
        fetch = sets[0].fetch
    }

    func deallocate() {
        for k in 0..<TLB.setCount { sets[k].deallocate() }
        sets.deallocate()
        contexts.deallocate()
        dummy.deallocate()
    }

    /// Makes set `k` current.
    mutating func select(_ k: Int) {
        currentSet = k
        read = sets[k].read
        write = sets[k].write
        fetch = sets[k].fetch
    }

    /// Records that entry `index` of the current set's tables for `access` was filled (a write
    /// fills the read table too), with a global translation or not.
    @inline(__always)
    func noteFill(_ index: Int, access: AccessKind, global: Bool = false) {
        sets[currentSet].noteFill(index, access: access, global: global)
    }

    /// Invalidates the current set.
    func flush() { sets[currentSet].flush() }

    /// Invalidates the current set's non-global translations (MOV to CR3, SDM 4.10.4.1).
    func flushNonGlobal() { sets[currentSet].flushNonGlobal() }

    /// Invalidates one page in the current set.
    func flush(page: UInt64) { sets[currentSet].flush(page: page) }
}

/// One set of TLB tables with the list of entries filled since its last flush, so that a flush
/// touches only those (VM entries and exits without VPID flush on every round trip); past
/// `trackedFills` fills a flush clears every entry. Every valid entry's index is in the list
/// while the count is in range.
struct TLBSet {
    static let trackedFills = 64

    let read: UnsafeMutablePointer<TLB.Entry>
    let write: UnsafeMutablePointer<TLB.Entry>
    let fetch: UnsafeMutablePointer<TLB.Entry>
    private let filled: UnsafeMutablePointer<UInt8>
    private let fillCount: UnsafeMutablePointer<Int>
    /// Per entry of read, write, fetch (at 0, 256, 512): the translation is global.
    private let global: UnsafeMutablePointer<Bool>

    init(dummy: UnsafeMutableRawPointer) {
        let empty = TLB.Entry(tag: TLB.invalidTag, host: dummy, physicalPage: 0)
        read = .allocate(capacity: TLB.entries)
        read.initialize(repeating: empty, count: TLB.entries)
        write = .allocate(capacity: TLB.entries)
        write.initialize(repeating: empty, count: TLB.entries)
        fetch = .allocate(capacity: TLB.entries)
        fetch.initialize(repeating: empty, count: TLB.entries)
        filled = .allocate(capacity: TLBSet.trackedFills)
        filled.initialize(repeating: 0, count: TLBSet.trackedFills)
        fillCount = .allocate(capacity: 1)
        fillCount.initialize(to: 0)
        global = .allocate(capacity: 3 * TLB.entries)
        global.initialize(repeating: false, count: 3 * TLB.entries)
    }

    func deallocate() {
        read.deallocate()
        write.deallocate()
        fetch.deallocate()
        filled.deallocate()
        fillCount.deallocate()
        global.deallocate()
    }

    @inline(__always)
    func noteFill(_ index: Int, access: AccessKind, global g: Bool) {
        switch access {
        case .read: global[index] = g
        case .write: global[index] = g; global[TLB.entries + index] = g
        case .execute: global[2 * TLB.entries + index] = g
        }
        let n = fillCount.pointee
        if n < TLBSet.trackedFills { filled[n] = UInt8(truncatingIfNeeded: index) }
        fillCount.pointee = n &+ 1
    }

    func flush() {
        let n = fillCount.pointee
        if n == 0 { return }
        if n <= TLBSet.trackedFills {
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

    /// Invalidates every entry but the global ones; the fill list keeps the indices that still
    /// hold one (in place: it only shrinks).
    func flushNonGlobal() {
        let n = fillCount.pointee
        if n == 0 { return }
        func clear(_ i: Int) -> Bool {
            var kept = false
            if read[i].tag != TLB.invalidTag { if global[i] { kept = true } else { read[i].tag = TLB.invalidTag } }
            if write[i].tag != TLB.invalidTag {
                if global[TLB.entries + i] { kept = true } else { write[i].tag = TLB.invalidTag }
            }
            if fetch[i].tag != TLB.invalidTag {
                if global[2 * TLB.entries + i] { kept = true } else { fetch[i].tag = TLB.invalidTag }
            }
            return kept
        }
        if n <= TLBSet.trackedFills {
            var kept = 0
            for k in 0..<n {
                let i = Int(filled[k])
                if clear(i) { filled[kept] = UInt8(truncatingIfNeeded: i); kept += 1 }
            }
            fillCount.pointee = kept
        } else {
            // Untracked: clear every table; the count stays past the limit (full flush next).
            for i in 0..<TLB.entries { _ = clear(i) }
        }
    }

    func flush(page: UInt64) {
        let i = Int(page & TLB.mask)
        if read[i].tag == page { read[i].tag = TLB.invalidTag }
        if write[i].tag == page { write[i].tag = TLB.invalidTag }
        if fetch[i].tag == page { fetch[i].tag = TLB.invalidTag }
    }
}
