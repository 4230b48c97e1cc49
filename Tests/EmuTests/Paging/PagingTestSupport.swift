@testable import Emu

/// Page tables built by hand in guest RAM, for walker tests. Expected values come from the
/// entry formats of SDM vol. 3, chapter 4, never from the walker.
struct PagingFixture {
    let machine: FlatMachine
    var cpu: CPU { machine.cpu }

    /// A machine in the given mode with paging state set directly (CR0.PG, CR4, EFER).
    init(_ format: Format, vendor: Vendor = .intel) {
        machine = FlatMachine(memorySize: 32 << 20, mode: format == .fourLevel || format == .fiveLevel ? .long64 : .protected32,
                              vendor: vendor)!
        let cpu = machine.cpu
        cpu.cr0 = 0x8000_0011
        switch format {
        case .bits32: cpu.cr4 = 0x10                       // PSE
        case .pae: cpu.cr4 = 0x30; cpu.efer = 0           // PSE, PAE
        case .fourLevel: cpu.cr4 = 0x20; cpu.efer = 0x500  // PAE; LME, LMA
        case .fiveLevel: cpu.cr4 = 0x20 | 0x1000; cpu.efer = 0x500
        }
        cpu.updateCodeMode()
        cpu.flushTLB()
    }

    enum Format { case bits32, pae, fourLevel, fiveLevel }

    func set(_ address: UInt64, _ value: UInt64, size: Int = 8) { machine.memory.write(address, size: size, value: value) }
    func entry(_ address: UInt64, size: Int = 8) -> UInt64 { machine.memory.read(address, size: size) }

    /// Walks without the TLB (and without the canonical check of `translate`).
    func walk(_ linear: UInt64, _ access: AccessKind) -> Result<UInt64, Fault> {
        do throws(Fault) {
            return .success(try cpu.walkPageTables(linear, access: access))
        } catch {
            return .failure(error)
        }
    }
}

/// P | R/W | U/S.
let pwu: UInt64 = 7
/// P | R/W.
let pw: UInt64 = 3

/// The standard 4-level layout used by several tests: PML4 0x10000, PDPT 0x11000, PD 0x12000,
/// PT 0x13000; `linear4` selects PML4[1], PDPT[2], PD[3], PT[4], offset 0x123.
let linear4: UInt64 = 1 << 39 | 2 << 30 | 3 << 21 | 4 << 12 | 0x123

extension PagingFixture {
    func buildFourLevel(pml4: UInt64 = pwu, pdpt: UInt64 = pwu, pd: UInt64 = pwu, pt: UInt64 = pwu,
                        frame: UInt64 = 0x20_0000) {
        cpu.cr3 = 0x10000
        set(0x10000 + 8, 0x11000 | pml4)
        set(0x11000 + 16, 0x12000 | pdpt)
        set(0x12000 + 24, 0x13000 | pd)
        set(0x13000 + 32, frame | pt)
    }
}
