import Testing
@testable import Emu

/// Random page-table contents and random CR0/CR3/CR4/EFER: only architectural outcomes (a
/// translation, #PF with CR2 and a well-formed error code, #GP from a control-register write),
/// never a trap.
@Suite struct RandomPagingTests {
    @Test func randomTablesAndControlRegisters() {
        var rng = SystemRandomNumberGenerator()
        for vendor in [Vendor.intel, .amd] {
            let f = PagingFixture(.fourLevel, vendor: vendor)
            let cpu = f.cpu
            // Page tables live in the first 128 KiB; bias entries towards "present, pointing
            // inside that region" so that walks go deep.
            for round in 0..<16 {
                for k in 0..<(1 << 14) {
                    var e = UInt64.random(in: 0...UInt64.max, using: &rng)
                    if Int.random(in: 0..<4, using: &rng) != 0 {
                        e = (e & 0xF000_0000_0000_01FF & ~(UInt64.random(in: 0...1, using: &rng) << 63)) | (e & 0x1_F000) | 1
                    }
                    f.set(UInt64(k) * 8, e)
                }
                cpu.cr3 = UInt64.random(in: 0..<0x20, using: &rng) << 12 | (round & 1 == 0 ? 0 : UInt64.random(in: 0...0xFFF, using: &rng))
                let format = Int.random(in: 0..<4, using: &rng)
                cpu.cr4 = UInt64.random(in: 0...UInt64.max, using: &rng) & (0x10 | 0x80 | 1 << 20 | 1 << 21 | 1 << 22)
                switch format {
                case 0: cpu.efer = 0
                case 1: cpu.efer = 0; cpu.cr4 |= 0x20
                case 2: cpu.efer = 0x500; cpu.cr4 |= 0x20
                default: cpu.efer = 0x500; cpu.cr4 |= 0x20 | 0x1000
                }
                if Bool.random(using: &rng) { cpu.efer |= 0x800 }
                cpu.cr0 = 0x8000_0011 | (Bool.random(using: &rng) ? 0x1_0000 : 0)
                cpu.cpl = Bool.random(using: &rng) ? 3 : 0
                cpu.controlFlags = Bool.random(using: &rng) ? 0x4_0002 : 0x2
                cpu.systemRegisters.pkru = UInt32.random(in: 0...UInt32.max, using: &rng)
                if format == 1 {
                    for n in 0..<4 {
                        let v = f.entry((cpu.cr3 & 0xFFFF_FFE0) + UInt64(8 * n))
                        switch n {
                        case 0: cpu.systemRegisters.pdptes.0 = v & ~0x1E6
                        case 1: cpu.systemRegisters.pdptes.1 = v & ~0x1E6
                        case 2: cpu.systemRegisters.pdptes.2 = v & ~0x1E6
                        default: cpu.systemRegisters.pdptes.3 = v & 0xF_FFFF_F001
                        }
                    }
                }
                for _ in 0..<2000 {
                    var linear = UInt64.random(in: 0...UInt64.max, using: &rng)
                    if format < 2 { linear &= 0xFFFF_FFFF }
                    let access = [AccessKind.read, .write, .execute].randomElement(using: &rng)!
                    switch f.walk(linear, access) {
                    case .success(let physical):
                        #expect(physical < 1 << 52)
                        #expect(physical & 0xFFF == linear & 0xFFF)
                    case .failure(let fault):
                        #expect(fault.vector == 14)
                        #expect((fault.errorCode ?? 0xFF) & ~0x3F == 0)
                        #expect(cpu.cr2 == linear)
                        if access == .write { #expect(fault.errorCode! & 2 != 0) }
                    }
                }
            }
        }
    }

    @Test func randomControlRegisterWrites() {
        var rng = SystemRandomNumberGenerator()
        for vendor in [Vendor.intel, .amd] {
            let m = systemMachine(.long64, vendor: vendor)
            let cpu = m.cpu
            for _ in 0..<20_000 {
                let v = UInt64.random(in: 0...UInt64.max, using: &rng) & [~0, 0xFFFF_FFFF, 0xE005_003F, 0x7F_FFFF, 0x3F_FFFF_F000, 0xD01].randomElement(using: &rng)!
                if Bool.random(using: &rng) {
                    let c = m.cpu.segment(.cs)
                    var n = c
                    n.attributes = Bool.random(using: &rng) ? (c.attributes | 0x2000) & ~0x4000 : (c.attributes & ~0x2000) | 0x4000
                    cpu.setSegment(.cs, n)
                    cpu.updateCodeMode()
                }
                let result: Fault?
                do throws(Fault) {
                    switch Int.random(in: 0..<5, using: &rng) {
                    case 0: try cpu.writeCR0(v)
                    case 1: try cpu.writeCR3(v)
                    case 2: try cpu.writeCR4(v)
                    case 3: try cpu.writeCR8(v)
                    default: try cpu.writeMSR(MSR.efer, v)
                    }
                    result = nil
                } catch {
                    result = error
                }
                if let r = result { #expect(r == .generalProtection(0)) }
                // Invariants no sequence of writes may break (SDM 2.5, 10.8.5).
                #expect(cpu.cr0 & 0x8000_0001 != 0x8000_0000)            // PG needs PE
                #expect(cpu.cr0 & 0x6000_0000 != 0x2000_0000)            // NW needs CD
                #expect(cpu.cr0 & 0x10 != 0)
                if cpu.efer & 0x400 != 0 {
                    #expect(cpu.cr0 & 0x8000_0000 != 0 && cpu.cr4 & 0x20 != 0 && cpu.efer & 0x100 != 0)
                }
                if cpu.cr4 & 1 << 17 != 0 { #expect(cpu.efer & 0x400 != 0) }
                #expect(cpu.cr8 <= 0xF)
            }
        }
    }
}
