import Testing
@testable import Emu

/// Process-context identifiers (SDM vol. 3, 4.10.1, 4.10.2.4, 4.10.4; vol. 2, INVPCID): with
/// CR4.PCIDE, translations are cached per PCID. MOV to CR3 with bit 63 = 1 need not invalidate
/// anything, and swemu keeps every PCID's translations (stale ones too, as a TLB may) until
/// software invalidates them; with bit 63 = 0 it invalidates the new PCID's non-global ones.
/// INVLPG invalidates the page for the current PCID and its global translation; INVPCID type 0
/// one page of one PCID, type 1 one PCID, both except global translations; type 2 everything,
/// type 3 everything but global translations. Global translations serve every PCID; clearing
/// CR4.PCIDE or changing CR4.PGE invalidates everything.
@Suite struct PCIDTests {
    static let global: UInt64 = 1 << 8
    static let noFlush: UInt64 = 1 << 63
    static let pcide: UInt64 = 1 << 17
    static let pge: UInt64 = 1 << 7

    /// The 4-level layout of `buildFourLevel` (linear4 -> 20_0123H, holding 1111H; 30_0123H holds
    /// 2222H) plus the first GiB identity-mapped (code at 1000H, INVPCID descriptors at 5000H),
    /// with CR4.PCIDE (and CR4.PGE when `global`), CR3 = PCID 1.
    struct Machine {
        let f = PagingFixture(.fourLevel)
        var cpu: CPU { f.cpu }

        init(global: Bool = false) throws {
            f.buildFourLevel(pt: pwu | (global ? PCIDTests.global : 0))
            f.set(0x10000, 0x14000 | pwu)
            f.set(0x14000, 0x80 | pwu)                              // PDPT[0]: 1 GiB page at 0
            f.set(0x20_0123, 0x1111)
            f.set(0x30_0123, 0x2222)
            try cpu.writeCR4(cpu.cr4 | PCIDTests.pcide | (global ? PCIDTests.pge : 0))
            try setCR3(pcid: 1)
        }

        func read() throws -> UInt64 { try cpu.read(SegmentRegister.ds.rawValue, linear4, size: 8) }
        func setCR3(pcid: UInt64, noFlush: Bool = false) throws {
            try cpu.writeCR3(0x10000 | pcid | (noFlush ? PCIDTests.noFlush : 0))
        }
        /// Points linear4's PTE at 30_0000H in memory (no invalidation).
        func remap(global: Bool = false) { f.set(0x13000 + 32, 0x30_0000 | pwu | (global ? PCIDTests.global : 0)) }

        /// Runs INVPCID type, [descriptor] (66 0F 38 82 /r: invpcid rax, [rbx]).
        func invpcid(type: UInt64, pcid: UInt64, linear: UInt64 = linear4) throws {
            f.set(0x5000, pcid)
            f.set(0x5008, linear)
            _ = f.machine.memory.load([0x66, 0x0F, 0x38, 0x82, 0x03], at: 0x1000)
            cpu.rip = 0x1000
            cpu.registers[0] = type
            cpu.registers[3] = 0x5000
            try cpu.step()
        }

        /// Runs INVLPG [rbx].
        func invlpg(_ linear: UInt64) throws {
            _ = f.machine.memory.load([0x0F, 0x01, 0x3B], at: 0x1000)
            cpu.rip = 0x1000
            cpu.registers[3] = linear
            try cpu.step()
        }
    }

    @Test func noFlushSwitchKeepsEachPCIDsTranslations() throws {
        let m = try Machine()
        #expect(try m.read() == 0x1111)
        try m.setCR3(pcid: 2, noFlush: true)
        m.remap()
        #expect(try m.read() == 0x2222)                             // nothing cached for PCID 2
        try m.setCR3(pcid: 1, noFlush: true)
        #expect(try m.read() == 0x1111)                             // PCID 1's stale translation
        try m.setCR3(pcid: 2, noFlush: true)
        #expect(try m.read() == 0x2222)
        try m.setCR3(pcid: 1)                                       // bit 63 = 0: PCID 1 invalidated
        #expect(try m.read() == 0x2222)
    }

    @Test func invpcidIndividualAddressAndSingleContext() throws {
        // (type, PCID, address, value seen back in PCID 1)
        let cases: [(UInt64, UInt64, UInt64, UInt64)] = [
            (0, 1, linear4, 0x2222), (0, 1, linear4 + 0x1000, 0x1111), (0, 3, linear4, 0x1111),
            (1, 1, 0, 0x2222), (1, 3, 0, 0x1111), (2, 0, 0, 0x2222), (3, 0, 0, 0x2222),
        ]
        for (type, pcid, address, expected) in cases {
            let m = try Machine()
            #expect(try m.read() == 0x1111)
            try m.setCR3(pcid: 2, noFlush: true)
            m.remap()
            try m.invpcid(type: type, pcid: pcid, linear: address)
            try m.setCR3(pcid: 1, noFlush: true)
            #expect(try m.read() == expected, "INVPCID type \(type), PCID \(pcid), address \(address)")
        }
    }

    @Test func invlpgInvalidatesOnlyTheCurrentPCID() throws {
        let m = try Machine()
        #expect(try m.read() == 0x1111)
        try m.setCR3(pcid: 2, noFlush: true)
        #expect(try m.read() == 0x1111)
        m.remap()
        try m.invlpg(linear4)
        #expect(try m.read() == 0x2222)
        try m.setCR3(pcid: 1, noFlush: true)
        #expect(try m.read() == 0x1111)
    }

    /// A global translation made under PCID 1 serves PCID 2; MOV to CR3, INVPCID types 0, 1 and
    /// 3 keep it; INVPCID type 2, INVLPG and a CR4.PGE toggle remove it.
    @Test func globalTranslationsAreSharedByPCIDs() throws {
        let m = try Machine(global: true)
        #expect(try m.read() == 0x1111)
        try m.setCR3(pcid: 2)
        m.remap(global: true)
        #expect(try m.read() == 0x1111)
        try m.setCR3(pcid: 1)
        #expect(try m.read() == 0x1111)
        for (type, pcid) in [(UInt64(0), UInt64(1)), (1, 1), (3, 0)] {
            try m.invpcid(type: type, pcid: pcid)
            #expect(try m.read() == 0x1111, "INVPCID type \(type)")
        }
        try m.invpcid(type: 2, pcid: 0)
        #expect(try m.read() == 0x2222)

        let p = try Machine(global: true)
        #expect(try p.read() == 0x1111)
        try p.setCR3(pcid: 2, noFlush: true)
        p.remap(global: true)
        try p.writeCR4Toggling(PCIDTests.pge)
        try p.setCR3(pcid: 1, noFlush: true)
        #expect(try p.read() == 0x2222)

        let i = try Machine(global: true)
        #expect(try i.read() == 0x1111)
        try i.setCR3(pcid: 2, noFlush: true)
        i.remap(global: true)
        try i.invlpg(linear4)                                        // the global one of PCID 1 too
        try i.setCR3(pcid: 1, noFlush: true)
        #expect(try i.read() == 0x2222)
    }

    @Test func clearingPCIDEInvalidatesEveryPCID() throws {
        let m = try Machine()
        #expect(try m.read() == 0x1111)
        try m.setCR3(pcid: 0, noFlush: true)
        m.remap()
        #expect(try m.read() == 0x2222)
        try m.setCR3(pcid: 1, noFlush: true)
        #expect(try m.read() == 0x1111)
        try m.cpu.writeCR4(m.cpu.cr4 & ~PCIDTests.pcide)
        #expect(try m.read() == 0x2222)
    }

    /// A data breakpoint armed while another PCID was current is seen on a page the first PCID
    /// had cached (SDM vol. 3, 18.2.4: every access to the range is checked).
    @Test func dataBreakpointOnAPageAnotherPCIDCached() throws {
        let m = try Machine()
        #expect(try m.read() == 0x1111)
        try m.setCR3(pcid: 2, noFlush: true)
        m.cpu.dr[0] = linear4
        m.cpu.dr[7] = 0x401 | 3 << 16 | 3 << 18                         // L0, read/write, 4 bytes
        m.cpu.refreshBreakpoints()
        try m.setCR3(pcid: 1, noFlush: true)
        #expect(try m.read() == 0x1111)
        #expect(m.cpu.systemRegisters.breakpoints.hits & 1 != 0)
    }

    /// INVLPG of one address of a 2 MiB page drops the translations of its other 4 KiB pieces.
    @Test func invlpgDropsEveryPieceOfALargePage() throws {
        let m = try Machine()
        m.f.set(0x12000 + 24, 0x20_0000 | 0x80 | pwu)                // PD[3]: 2 MiB page at 20_0000H
        try m.setCR3(pcid: 1)
        m.f.set(0x20_5123, 0x5555)
        m.f.set(0x40_5123, 0x6666)
        let other = linear4 + 0x1000
        #expect(try m.cpu.read(SegmentRegister.ds.rawValue, other, size: 8) == 0x5555)
        m.f.set(0x12000 + 24, 0x40_0000 | 0x80 | pwu)
        try m.invlpg(linear4)
        #expect(try m.cpu.read(SegmentRegister.ds.rawValue, other, size: 8) == 0x6666)
    }
}

extension PCIDTests.Machine {
    /// MOV to CR4 clearing and then setting `bit` again.
    func writeCR4Toggling(_ bit: UInt64) throws {
        try cpu.writeCR4(cpu.cr4 & ~bit)
        try cpu.writeCR4(cpu.cr4 | bit)
    }
}
