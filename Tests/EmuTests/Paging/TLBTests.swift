import Testing
@testable import Emu

/// The software TLB's flush clears every entry filled since the previous flush, whether it
/// tracked the fills one by one or fell back to clearing the whole table.
@Suite struct TLBTests {
    func fill(_ tlb: TLB, pages: [UInt64]) {
        let dummy = UnsafeMutableRawPointer(bitPattern: 0x1000)!
        for p in pages {
            let i = Int(p & TLB.mask)
            tlb.noteFill(i, access: .write)
            tlb.read[i] = TLB.Entry(tag: p, host: dummy, physicalPage: p)
            tlb.write[i] = TLB.Entry(tag: p, host: dummy, physicalPage: p)
            tlb.fetch[i] = TLB.Entry(tag: p, host: dummy, physicalPage: p)
        }
    }

    func allInvalid(_ tlb: TLB) -> Bool {
        (0..<TLB.entries).allSatisfy {
            tlb.read[$0].tag == TLB.invalidTag && tlb.write[$0].tag == TLB.invalidTag && tlb.fetch[$0].tag == TLB.invalidTag
        }
    }

    @Test(arguments: [0, 1, 10, TLBSet.trackedFills, TLBSet.trackedFills + 1, 1000])
    func flushClearsEveryFilledEntry(count: Int) {
        let tlb = TLB()
        defer { tlb.deallocate() }
        fill(tlb, pages: (0..<UInt64(count)).map { $0 &* 0x9E37 &+ 5 })
        tlb.flush()
        #expect(allInvalid(tlb))
        // And again after the tracking restarted.
        fill(tlb, pages: [7, 0x1234, 0xFFFF_FFFF])
        tlb.flush()
        #expect(allInvalid(tlb))
    }
}
