import Testing
@testable import Emu

/// Single-step traps (EFLAGS.TF, SDM vol. 3, 18.3.1.4) and WAIT's #NM (SDM vol. 2, WAIT/FWAIT),
/// found by roms/system-tests/exceptions.elf.
private func machine(_ mode: CodeMode, _ code: [UInt8]) -> FlatMachine {
    let m = FlatMachine(memorySize: 1 << 20, mode: mode)!
    _ = m.memory.load(code, at: 0x1000)
    m.cpu.rip = 0x1000
    return m
}

@Suite struct DebugTrapTests {
    /// TF set at the start of an instruction: #DB trap after it, RIP past it, DR6.BS set.
    @Test func singleStepTrapsAfterTheInstruction() throws {
        let m = machine(.protected32, [0x90, 0x90])          // nop; nop
        m.cpu.rflags = 0x102
        #expect(throws: Fault(vector: 1, trap: true)) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1001)
        #expect(m.cpu.dr[6] & 0x4000 != 0)
    }

    /// POPF that sets TF does not trap (TF was clear when it began); the next instruction does.
    @Test func popfSettingTFTrapsAfterTheNextInstruction() throws {
        let m = machine(.protected32, [0x9D, 0x90])          // popf; nop
        m.cpu.registers[4] = 0x8000
        _ = m.memory.load([0x02, 0x01, 0, 0], at: 0x8000)    // EFLAGS image 0x102 (TF)
        try m.cpu.step()
        #expect(m.cpu.rip == 0x1001)
        #expect(throws: Fault(vector: 1, trap: true)) { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1002)
    }

    /// A faulting instruction reports its fault, not a single-step trap.
    @Test func faultTakesPrecedence() throws {
        let m = machine(.protected32, [0x0F, 0x0B])          // ud2
        m.cpu.rflags = 0x102
        #expect(throws: Fault.invalidOpcode) { try m.cpu.step() }
        #expect(m.cpu.dr[6] & 0x4000 == 0)
    }

    /// WAIT: #NM only when CR0.MP and CR0.TS are both set.
    @Test(arguments: [(UInt64(0x0), false), (0x2, false), (0x8, false), (0xA, true)])
    func waitRaisesNMWithMPAndTS(bits: UInt64, faults: Bool) throws {
        let m = machine(.protected32, [0x9B])
        m.cpu.cr0 = (m.cpu.cr0 & ~0xA) | bits
        if faults {
            #expect(throws: Fault.deviceNotAvailable) { try m.cpu.step() }
            #expect(m.cpu.rip == 0x1000)
        } else {
            try m.cpu.step()
            #expect(m.cpu.rip == 0x1001)
        }
    }
}
