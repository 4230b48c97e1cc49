@testable import Emu

/// A VMXGuestMachine whose guest runs with EPT (SDM vol. 3, 29.3): identity EPT for the first
/// 2 MiB in 4-KByte pages (PML4 at 40000H, PDPT 41000H, PD 42000H, PT 43000H; read, write,
/// execute, write-back), and a guest alias of guest-physical 0-1 GiB at linear 4000_0000H (guest
/// PDPT entry 1), so that a data access's linear and guest-physical addresses differ.
final class EPTGuest {
    static let eptPML4: UInt64 = 0x4_0000
    static let eptPDPT: UInt64 = 0x4_1000
    static let eptPD: UInt64 = 0x4_2000
    static let eptPT: UInt64 = 0x4_3000
    static let alias: UInt64 = 0x4000_0000
    /// Memory type WB (6) in bits 5:3 of a leaf.
    static let wb: UInt64 = 6 << 3
    static let rwx: UInt64 = 7

    let g = VMXGuestMachine()
    var cpu: CPU { g.cpu }
    var memory: PhysicalMemory { g.memory }

    init(accessedDirty: Bool = false) {
        memory.write(Self.eptPML4, size: 8, value: Self.eptPDPT | Self.rwx)
        memory.write(Self.eptPDPT, size: 8, value: Self.eptPD | Self.rwx)
        memory.write(Self.eptPD, size: 8, value: Self.eptPT | Self.rwx)
        for page: UInt64 in 0..<512 { mapPage(page << 12, Self.rwx | Self.wb) }
        memory.write(VMXTestMachine.pml4 + 0x1000 + 8, size: 8, value: 0x87)   // guest PDPT[1]
        g.setSecondary(1 << 1)
        cpu.vmx.write(.eptPointer, Self.eptPML4 | 6 | 3 << 3 | (accessedDirty ? 1 << 6 : 0))
    }

    /// Sets the EPT PTE of the 4-KByte page at guest-physical `gpa`.
    func mapPage(_ gpa: UInt64, _ bits: UInt64, to hpa: UInt64? = nil) {
        memory.write(Self.eptPT + (gpa >> 12) * 8, size: 8, value: (hpa ?? gpa) | bits)
    }

    func ptEntry(_ gpa: UInt64) -> UInt64 { memory.read(Self.eptPT + (gpa >> 12) * 8, size: 8) }

    func exitOf(_ code: [UInt8]) -> UInt64? { g.exitOf(code) }
    var qualification: UInt64 { g.qualification }
    var gpa: UInt64 { cpu.vmx.read(.guestPhysicalAddress) }
    var gla: UInt64 { cpu.vmx.read(.guestLinearAddress) }

    /// MOV RAX, [disp32]; MOV [disp32], RAX; CPUID; MOV RAX, imm64; JMP RAX.
    static func load(_ a: UInt64) -> [UInt8] { [0x48, 0x8B, 0x04, 0x25] + le32(a) }
    static func store(_ a: UInt64) -> [UInt8] { [0x48, 0x89, 0x04, 0x25] + le32(a) }
    static let cpuid: [UInt8] = [0x0F, 0xA2]
    static func jump(_ a: UInt64) -> [UInt8] { [0x48, 0xB8] + (0..<8).map { UInt8(truncatingIfNeeded: a >> (8 * $0)) } + [0xFF, 0xE0] }
    static func le32(_ v: UInt64) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}
