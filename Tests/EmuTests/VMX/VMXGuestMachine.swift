@testable import Emu

/// A VMXTestMachine in root operation with a VMCS whose controls, host state and guest state
/// are valid: a 64-bit host (host RIP 7000H, RSP 7800H, TR base 7C00H) and a 64-bit guest that
/// shares the identity-mapped memory (guest code at A000H, stack at B000H, IDT at C000H).
final class VMXGuestMachine {
    typealias M = VMXTestMachine
    static let hostRIP: UInt64 = 0x7000
    static let hostRSP: UInt64 = 0x7800
    static let guestCode: UInt64 = 0xA000
    static let guestStack: UInt64 = 0xB000
    static let guestIDT: UInt64 = 0xC000
    static let guestGDT: UInt64 = 0xD000

    let m = VMXTestMachine()
    var cpu: CPU { m.cpu }
    var memory: PhysicalMemory { m.memory }

    init() {
        m.enterRootWithCurrentVMCS()
        VMEntryCheckTests.writeValidControlsAndHostState(cpu)
        cpu.vmx.write(.hostRIP, Self.hostRIP)
        cpu.vmx.write(.hostRSP, Self.hostRSP)
        cpu.vmx.write(.hostTRBase, 0x7C00)
        cpu.vmx.write(.hostGDTRBase, Self.guestGDT)
        writeValidGuestState(cpu)
    }

    /// A 64-bit ring-0 guest (SDM 26.3.1 satisfied).
    func writeValidGuestState(_ cpu: CPU) {
        cpu.vmx.write(.guestCR0, 0x8000_0031)
        cpu.vmx.write(.guestCR3, M.pml4)
        cpu.vmx.write(.guestCR4, 0x2020)
        cpu.vmx.write(.guestDR7, 0x400)
        for s in SegmentRegister.allCases {
            let f = CPU.guestSegmentFields(s)
            cpu.vmx.write(f.0, s == .cs ? 0x08 : 0x10)
            cpu.vmx.write(f.1, 0)
            cpu.vmx.write(f.2, 0xFFFF_FFFF)
            cpu.vmx.write(f.3, s == .cs ? 0xA09B : 0xC093)
        }
        cpu.vmx.write(.guestLDTRAccessRights, 0x1_0000)
        cpu.vmx.write(.guestTRSelector, 0x18)
        cpu.vmx.write(.guestTRBase, 0x7C00)
        cpu.vmx.write(.guestTRLimit, 0x67)
        cpu.vmx.write(.guestTRAccessRights, 0x8B)
        cpu.vmx.write(.guestGDTRBase, Self.guestGDT)
        cpu.vmx.write(.guestGDTRLimit, 0x1F)
        cpu.vmx.write(.guestIDTRBase, Self.guestIDT)
        cpu.vmx.write(.guestIDTRLimit, 0xFFF)
        cpu.vmx.write(.guestRIP, Self.guestCode)
        cpu.vmx.write(.guestRSP, Self.guestStack)
        cpu.vmx.write(.guestRFLAGS, 0x2)
        cpu.vmx.write(.vmcsLinkPointer, UInt64.max)
        // GDT: null, 64-bit code at 08H, data at 10H (for IRET and interrupt gates).
        memory.write(Self.guestGDT + 8, size: 8, value: 0x00AF_9B00_0000_FFFF)
        memory.write(Self.guestGDT + 16, size: 8, value: 0x00CF_9300_0000_FFFF)
    }

    /// Sets bits in a control field.
    func setControl(_ f: VMCSField, _ bits: UInt64) { cpu.vmx.write(f, cpu.vmx.read(f) | bits) }

    /// Enables secondary controls with `bits`.
    func setSecondary(_ bits: UInt64) {
        setControl(.primaryProcessorBasedVMExecutionControls, 1 << 31)
        setControl(.secondaryProcessorBasedVMExecutionControls, bits)
    }

    /// A 64-bit interrupt gate for `vector` to `handler` (selector 08H).
    func setGate(_ vector: UInt64, handler: UInt64) {
        let low = (handler & 0xFFFF) | 0x08 << 16 | 0x8E00 << 32 | ((handler >> 16) & 0xFFFF) << 48
        memory.write(Self.guestIDT + 16 * vector, size: 8, value: low)
        memory.write(Self.guestIDT + 16 * vector + 8, size: 8, value: handler >> 32)
    }

    /// Puts guest code at A000H and executes VMLAUNCH.
    @discardableResult
    func launch(_ code: [UInt8] = [0xF4]) -> VMOutcome {
        _ = memory.load(code, at: Self.guestCode)
        return m.run(M.vmlaunch)
    }

    /// Runs the guest (as the run loop does: faults are delivered) until a VM exit or `limit`
    /// instructions; returns the basic exit reason, or nil if none happened.
    @discardableResult
    func runUntilExit(limit: Int = 1000) -> UInt64? {
        let before = cpu.vmx.exitCount
        for _ in 0..<limit {
            guard cpu.vmx.nonRoot else { break }
            do { try cpu.step() } catch { _ = cpu.deliver(error) }
            if cpu.vmx.exitCount != before { break }
        }
        return cpu.vmx.exitCount != before ? exitReason : nil
    }

    /// Launches `code` and runs it to the first VM exit.
    func exitOf(_ code: [UInt8], setup: (VMXGuestMachine) -> Void = { _ in }) -> UInt64? {
        setup(self)
        let o = launch(code)
        if !cpu.vmx.nonRoot { return o == .fault(.vmExitTaken) ? exitReason : nil }
        return runUntilExit()
    }

    var exitReason: UInt64 { cpu.vmx.read(.vmExitReason) }
    var qualification: UInt64 { cpu.vmx.read(.exitQualification) }
    var instructionLength: UInt64 { cpu.vmx.read(.vmExitInstructionLength) }
    var savedRIP: UInt64 { cpu.vmx.read(.guestRIP) }
}
