@testable import Emu

/// The outcome of a VMX instruction as software sees it (SDM vol. 3, 31.2).
enum VMOutcome: Equatable, CustomStringConvertible {
    case succeed
    case failInvalid
    case failValid(UInt32)
    case fault(Fault)
    /// Status flags that none of the conventions produces.
    case flags(UInt64)

    var description: String {
        switch self {
        case .succeed: return "VMsucceed"
        case .failInvalid: return "VMfailInvalid"
        case .failValid(let n): return "VMfailValid(\(n))"
        case .fault(let f): return f.mnemonic
        case .flags(let f): return "flags \(f)"
        }
    }
}

/// A 1 MiB machine set up the way a hypervisor runs VMX root code: 64-bit mode, paging on with
/// one identity 1-GByte page, CR0.PE/NE/PG, CR4.PAE/VMXE, CPL 0, IA32_FEATURE_CONTROL locked with
/// VMX enabled. VMXON region at 2000H, VMCS regions at 3000H and 4000H (revision identifier
/// written), memory operands at 6000H, code at 1000H.
final class VMXTestMachine {
    static let code: UInt64 = 0x1000
    static let vmxonRegion: UInt64 = 0x2000
    static let vmcsA: UInt64 = 0x3000
    static let vmcsB: UInt64 = 0x4000
    static let operand: UInt64 = 0x6000
    static let pml4: UInt64 = 0x8_0000
    static let statusFlags: UInt64 = 0x8D5

    let machine: FlatMachine
    var cpu: CPU { machine.cpu }
    var memory: PhysicalMemory { machine.memory }

    init(vendor: Vendor = .intel) {
        guard let m = FlatMachine(memorySize: 1 << 20, mode: .long64, vendor: vendor) else {
            preconditionFailure("cannot allocate guest memory")
        }
        machine = m
        // PML4[0] -> PDPT at PML4 + 1000H; PDPT[0] maps 0-1 GiB (P, RW, U/S, PS).
        memory.write(Self.pml4, size: 8, value: (Self.pml4 + 0x1000) | 0x7)
        memory.write(Self.pml4 + 0x1000, size: 8, value: 0x87)
        m.cpu.cr3 = Self.pml4
        m.cpu.cr4 = 0x2020
        m.cpu.cr0 = 0x8000_0031
        m.cpu.flushTLB()
        m.cpu.cpuidModel.vmx = vendor == .intel
        m.cpu.systemRegisters.featureControl = 0x5        // locked, VMX outside SMX enabled
        let revision = UInt64(m.cpu.vmx.capabilities.revisionIdentifier)
        for region in [Self.vmxonRegion, Self.vmcsA, Self.vmcsB] {
            memory.write(region, size: 4, value: revision)
        }
    }

    /// Places `bytes` at 1000H and executes them as one instruction.
    @discardableResult
    func run(_ bytes: [UInt8], _ regs: [Int: UInt64] = [:]) -> VMOutcome {
        _ = memory.load(bytes, at: Self.code)
        cpu.rip = Self.code
        for (r, v) in regs { cpu.registers[r] = v }
        do {
            try cpu.step()
        } catch {
            return .fault(error)
        }
        return outcome
    }

    /// The convention the status flags show.
    var outcome: VMOutcome {
        let f = cpu.rflags & Self.statusFlags
        switch f {
        case 0: return .succeed
        case 0x1: return .failInvalid
        case 0x40: return .failValid(UInt32(truncatingIfNeeded: cpu.vmx.read(.vmInstructionError)))
        default: return .flags(f)
        }
    }

    // Instruction bytes (memory operands are [RCX], registers RAX/RBX).
    static let vmxonRCX: [UInt8] = [0xF3, 0x0F, 0xC7, 0x31]
    static let vmclearRCX: [UInt8] = [0x66, 0x0F, 0xC7, 0x31]
    static let vmptrldRCX: [UInt8] = [0x0F, 0xC7, 0x31]
    static let vmptrstRCX: [UInt8] = [0x0F, 0xC7, 0x39]
    /// VMREAD RBX, RAX: field encoding in RAX, destination RBX.
    static let vmreadRBXRAX: [UInt8] = [0x0F, 0x78, 0xC3]
    /// VMREAD [RCX], RAX.
    static let vmreadMemRAX: [UInt8] = [0x0F, 0x78, 0x01]
    /// VMWRITE RAX, RBX: field encoding in RAX, value in RBX.
    static let vmwriteRAXRBX: [UInt8] = [0x0F, 0x79, 0xC3]
    /// VMWRITE RAX, [RCX].
    static let vmwriteRAXMem: [UInt8] = [0x0F, 0x79, 0x01]
    static let vmlaunch: [UInt8] = [0x0F, 0x01, 0xC2]
    static let vmresume: [UInt8] = [0x0F, 0x01, 0xC3]
    static let vmcall: [UInt8] = [0x0F, 0x01, 0xC1]
    static let vmxoff: [UInt8] = [0x0F, 0x01, 0xC4]
    static let vmfunc: [UInt8] = [0x0F, 0x01, 0xD4]
    /// INVEPT RAX, [RCX] / INVVPID RAX, [RCX].
    static let inveptRAXMem: [UInt8] = [0x66, 0x0F, 0x38, 0x80, 0x01]
    static let invvpidRAXMem: [UInt8] = [0x66, 0x0F, 0x38, 0x81, 0x01]

    /// VMXON with the pointer in memory at `operand`.
    @discardableResult
    func vmxon(_ pointer: UInt64 = VMXTestMachine.vmxonRegion) -> VMOutcome {
        memory.write(Self.operand, size: 8, value: pointer)
        return run(Self.vmxonRCX, [1: Self.operand])
    }

    @discardableResult
    func vmclear(_ pointer: UInt64) -> VMOutcome {
        memory.write(Self.operand, size: 8, value: pointer)
        return run(Self.vmclearRCX, [1: Self.operand])
    }

    @discardableResult
    func vmptrld(_ pointer: UInt64) -> VMOutcome {
        memory.write(Self.operand, size: 8, value: pointer)
        return run(Self.vmptrldRCX, [1: Self.operand])
    }

    func vmptrst() -> (VMOutcome, UInt64) {
        let o = run(Self.vmptrstRCX, [1: Self.operand])
        return (o, memory.read(Self.operand, size: 8))
    }

    @discardableResult
    func vmwrite(_ field: UInt64, _ value: UInt64) -> VMOutcome {
        run(Self.vmwriteRAXRBX, [0: field, 3: value])
    }

    func vmread(_ field: UInt64) -> (VMOutcome, UInt64) {
        let o = run(Self.vmreadRBXRAX, [0: field, 3: 0xDEAD_BEEF_DEAD_BEEF])
        return (o, cpu.registers[3])
    }

    /// VMXON, VMCLEAR and VMPTRLD of VMCS A.
    func enterRootWithCurrentVMCS() {
        vmxon()
        vmclear(Self.vmcsA)
        vmptrld(Self.vmcsA)
    }

    /// Switches the code segment to compatibility mode (IA32_EFER.LMA = 1, CS.L = 0, CS.D = 1).
    func enterCompatibilityMode() {
        var cs = cpu.segment(.cs)
        cs.attributes = (cs.attributes & ~0x2000) | 0x4000
        cpu.setSegment(.cs, cs)
        cpu.updateCodeMode()
    }
}
