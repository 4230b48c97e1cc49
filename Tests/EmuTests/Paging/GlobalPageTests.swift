import Testing
@testable import Emu

/// Global pages (SDM vol. 3, 4.10.2.4, 4.10.4.1): with CR4.PGE, MOV to CR3 leaves translations
/// of pages whose G flag is set (an implementation may keep them; swemu does) and must
/// invalidate all others; clearing CR4.PGE invalidates the global ones too.
@Suite struct GlobalPageTests {
    static let global: UInt64 = 1 << 8

    /// Reads linear4 (mapped to 20_0000H holding 1111H, 30_0000H holds 2222H), remaps it to
    /// 30_0000H in memory, runs `change`, and reads again.
    func reread(g: Bool, pge: Bool, change: (CPU) throws(Fault) -> Void) throws -> UInt64 {
        let f = PagingFixture(.fourLevel)
        f.buildFourLevel(pt: pwu | (g ? Self.global : 0))
        f.cpu.cr4 |= pge ? 0x80 : 0
        f.set(0x20_0123, 0x1111)
        f.set(0x30_0123, 0x2222)
        let ds = SegmentRegister.ds.rawValue
        #expect(try f.cpu.read(ds, linear4, size: 8) == 0x1111)
        f.set(0x13000 + 32, 0x30_0000 | pwu | (g ? Self.global : 0))
        try change(f.cpu)
        return try f.cpu.read(ds, linear4, size: 8)
    }

    @Test func globalTranslationSurvivesCR3Write() throws {
        #expect(try reread(g: true, pge: true) { cpu throws(Fault) in try cpu.writeCR3(cpu.cr3) } == 0x1111)
    }

    @Test func nonGlobalOrWithoutPGEIsInvalidated() throws {
        #expect(try reread(g: false, pge: true) { cpu throws(Fault) in try cpu.writeCR3(cpu.cr3) } == 0x2222)
        #expect(try reread(g: true, pge: false) { cpu throws(Fault) in try cpu.writeCR3(cpu.cr3) } == 0x2222)
    }

    @Test func clearingPGEOrINVLPGInvalidatesGlobal() throws {
        #expect(try reread(g: true, pge: true) { cpu throws(Fault) in try cpu.writeCR4(cpu.cr4 & ~0x80) } == 0x2222)
        #expect(try reread(g: true, pge: true) { cpu throws(Fault) in cpu.flushTLB(linear: linear4) } == 0x2222)
    }

    /// Many fills (past the tracked list): the CR3 write still clears every non-global entry and
    /// keeps the global one.
    @Test(arguments: [true, false])
    func untrackedFlushKeepsOnlyGlobal(g: Bool) throws {
        let value = try reread(g: g, pge: true) { cpu throws(Fault) in
            let base = linear4 & ~0x1F_FFFF
            for k in UInt64(5)..<105 {
                cpu.memory.write(0x13000 + 8 * k, size: 8, value: (0x40_0000 + k << 12) | pwu)
                _ = try cpu.read(SegmentRegister.ds.rawValue, base + k << 12, size: 1)
            }
            try cpu.writeCR3(cpu.cr3)
        }
        #expect(value == (g ? 0x1111 : 0x2222))
    }
}
