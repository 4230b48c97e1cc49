@testable import Emu

/// A machine for system-instruction tests. `.long64` gets an architecturally consistent IA-32e
/// state (identity-mapped first GiB through a 1 GiB page, CR0.PG, CR4.PAE, EFER.LME/LMA), so
/// that MOV to CR0/CR4 see what a real 64-bit kernel would have.
func systemMachine(_ mode: CodeMode, vendor: Vendor = .intel) -> FlatMachine {
    let m = FlatMachine(memorySize: 16 << 20, mode: mode, vendor: vendor)!
    if mode == .long64 {
        m.memory.write(0x7_0000, size: 8, value: 0x7_1000 | 7)           // PML4[0]
        m.memory.write(0x7_1000, size: 8, value: 0x0 | 0x80 | 7)         // PDPT[0]: 1 GiB page at 0
        m.cpu.cr3 = 0x7_0000
        m.cpu.cr4 = 0x20
        m.cpu.cr0 = 0x8001_0011                                          // PG, WP, ET, PE
        m.cpu.efer = 0x500
        m.cpu.updateCodeMode()
        m.cpu.flushTLB()
    }
    m.cpu.registers[4] = 0x8000
    return m
}

extension FlatMachine {
    /// Runs one instruction placed at 0x1000.
    func run(_ bytes: [UInt8]) throws(Fault) {
        _ = memory.load(bytes, at: 0x1000)
        cpu.rip = 0x1000
        try cpu.step()
    }

    /// Runs one instruction and returns the fault it raised, if any.
    func fault(_ bytes: [UInt8]) -> Fault? {
        do throws(Fault) { try run(bytes) } catch { return error }
        return nil
    }

    func rdmsr(_ index: UInt32) -> Result<UInt64, Fault> {
        cpu.registers[1] = UInt64(index)
        if let f = fault([0x0F, 0x32]) { return .failure(f) }
        return .success(cpu.registers[2] << 32 | cpu.registers[0])
    }

    func wrmsr(_ index: UInt32, _ value: UInt64) -> Fault? {
        cpu.registers[1] = UInt64(index)
        cpu.registers[0] = value & 0xFFFF_FFFF
        cpu.registers[2] = value >> 32
        return fault([0x0F, 0x30])
    }

    func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> (UInt32, UInt32, UInt32, UInt32) {
        cpu.cpuid(leaf: leaf, subleaf: subleaf)
    }
}

let gp0: Fault? = .generalProtection(0)
let ud: Fault? = .invalidOpcode
