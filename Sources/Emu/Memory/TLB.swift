/// The software TLB: direct-mapped tables from a linear page to a host pointer, one per access
/// kind, so that a hit is a compare and a load (DESIGN.md). Filled on a miss by segmentation +
/// paging (and EPT in a guest); only RAM pages are entered (MMIO always takes the slow path).
///
/// It holds several sets of tables (TLBContexts.swift), each tagged by VPID, EPTRTA and PCID, so
/// that VM entries and exits with VPID and MOV to CR3 with CR4.PCIDE switch sets instead of
/// flushing (SDM vol. 3, 4.10.1, 29.4). `read`, `write` and `fetch` are the current set's tables;
/// the fast paths load only those.
struct TLB {
    static let entries = 256
    static let mask: UInt64 = UInt64(entries - 1)
    static let invalidTag: UInt64 = ~0
    /// Sets, reused least recently used first.
    static let setCount = 8

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
    /// Set by the page walk: log2 of its page size in 4 KiB pages (0, 9, 10 or 18), so that an
    /// invalidation of one page drops the entries of every 4 KiB piece of a large page.
    var lastWalkShift: UInt8 = 0
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
        contexts[0].valid = true
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
    /// fills the read table too) by the last page walk (`lastWalkGlobal`, `lastWalkShift`).
    @inline(__always)
    func noteFill(_ index: Int, access: AccessKind) {
        sets[currentSet].noteFill(index, access: access, global: lastWalkGlobal, shift: lastWalkShift)
    }

    /// Invalidates the current set.
    func flush() { sets[currentSet].flush() }

    /// Invalidates the current set's non-global translations (MOV to CR3, SDM 4.10.4.1).
    func flushNonGlobal() { sets[currentSet].invalidate(page: nil, .nonGlobal) }
}

/// The translations an invalidation removes: all, only the non-global or only the global ones.
enum TLBInvalidation {
    case all, nonGlobal, global
}

/// One set of TLB tables with the list of entries filled since its last flush, so that a flush
/// touches only those (VM entries and exits without VPID flush on every round trip); past
/// `trackedFills` fills a flush clears every entry. Every valid entry's index is in the list
/// while the count is in range. Per entry it keeps whether the translation is global and the
/// size of the page it came from (`TLB.lastWalkShift`).
struct TLBSet {
    static let trackedFills = 64

    let read: UnsafeMutablePointer<TLB.Entry>
    let write: UnsafeMutablePointer<TLB.Entry>
    let fetch: UnsafeMutablePointer<TLB.Entry>
    private let filled: UnsafeMutablePointer<UInt8>
    private let fillCount: UnsafeMutablePointer<Int>
    /// Per entry of read, write, fetch (at 0, 256, 512): the translation is global.
    private let global: UnsafeMutablePointer<Bool>
    /// Per entry, as `global`: log2 of the size of its page in 4 KiB pages.
    private let shift: UnsafeMutablePointer<UInt8>

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
        shift = .allocate(capacity: 3 * TLB.entries)
        shift.initialize(repeating: 0, count: 3 * TLB.entries)
    }

    func deallocate() {
        read.deallocate()
        write.deallocate()
        fetch.deallocate()
        filled.deallocate()
        fillCount.deallocate()
        global.deallocate()
        shift.deallocate()
    }

    @inline(__always)
    func noteFill(_ index: Int, access: AccessKind, global g: Bool, shift s: UInt8) {
        switch access {
        case .read: global[index] = g; shift[index] = s
        case .write:
            global[index] = g; global[TLB.entries + index] = g
            shift[index] = s; shift[TLB.entries + index] = s
        case .execute: global[2 * TLB.entries + index] = g; shift[2 * TLB.entries + index] = s
        }
        noteFilled(index)
    }

    @inline(__always)
    private func noteFilled(_ index: Int) {
        let n = fillCount.pointee
        if n < TLBSet.trackedFills { filled[n] = UInt8(truncatingIfNeeded: index) }
        fillCount.pointee = n &+ 1
    }

    /// The tables in the order of `global` and `shift`.
    private func table(_ k: Int) -> UnsafeMutablePointer<TLB.Entry> { k == 0 ? read : k == 1 ? write : fetch }

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

    /// Invalidates the entries `which` names, of linear page `page` (every 4 KiB piece of the
    /// page a translation came from) or of every page when nil; the fill list keeps the indices
    /// that still hold an entry (in place: it only shrinks).
    func invalidate(page: UInt64?, _ which: TLBInvalidation) {
        let n = fillCount.pointee
        if n == 0 { return }
        func clear(_ i: Int) -> Bool {
            var kept = false
            for k in 0..<3 {
                let t = table(k)
                if t[i].tag == TLB.invalidTag { continue }
                let g = global[k * TLB.entries + i]
                var drop = which == .all || (which == .global) == g
                if drop, let page {
                    let s = UInt64(shift[k * TLB.entries + i])
                    drop = t[i].tag >> s == page >> s
                }
                if drop { t[i].tag = TLB.invalidTag } else { kept = true }
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

    /// Copies the global entries of `source` (global translations are shared by all PCIDs,
    /// SDM vol. 3, 4.10.2.4).
    func copyGlobals(from source: TLBSet) {
        func copy(_ i: Int) {
            var copied = false
            for k in 0..<3 where source.global[k * TLB.entries + i] {
                let e = source.table(k)[i]
                if e.tag == TLB.invalidTag { continue }
                table(k)[i] = e
                global[k * TLB.entries + i] = true
                shift[k * TLB.entries + i] = source.shift[k * TLB.entries + i]
                copied = true
            }
            if copied { noteFilled(i) }
        }
        let n = source.fillCount.pointee
        if n <= TLBSet.trackedFills {
            for k in 0..<n { copy(Int(source.filled[k])) }
        } else {
            for i in 0..<TLB.entries { copy(i) }
        }
    }
}
