import Testing
@testable import Emu

/// The CS limit on instruction fetch (SDM vol. 3, 5.3: fetching an instruction byte beyond the
/// limit raises #GP(0); vol. 2, JMP/Jcc: a near branch target beyond it raises #GP(0) at the
/// branch; no limit in 64-bit mode), also for instructions that come out of the
/// decoded-instruction cache: through the fetch TLB, or from the neighbouring slot that
/// `CPU.run(until:)` follows after a specialised handler.
@Suite struct CodeSegmentLimitTests {
    /// 1000: mov eax, 1; inc eax x3 (1005-100A); add eax, 5 (100B-100D); nop (100E);
    /// inc eax (100F-1010); hlt (1011).
    static let code: [UInt8] = [
        0xB8, 0x01, 0x00, 0x00, 0x00,
        0xFF, 0xC0, 0xFF, 0xC0, 0xFF, 0xC0,
        0x83, 0xC0, 0x05,
        0x90,
        0xFF, 0xC0,
        0xF4,
    ]

    /// Runs `code` once with the flat limit (every instruction is decoded and cached), then
    /// again from 1000 with CS's limit set to `limit`; returns the fault of the second run.
    static func rerun(limit: UInt32, mode: CodeMode = .protected32) -> (FlatMachine, Fault?) {
        let m = InstructionHarness.machine(code, mode: mode)
        do throws(Fault) {
            try m.cpu.run(until: 100, attention: Attention())
        } catch {
            return (m, error)
        }
        m.cpu.halted = false
        m.cpu.segments[1].limit = limit
        m.cpu.rip = InstructionHarness.codeAddress
        m.cpu.registers[0] = 0
        do throws(Fault) {
            try m.cpu.run(until: 200, attention: Attention())
        } catch {
            return (m, error)
        }
        return (m, nil)
    }

    /// The next instruction (a linked slot after ADD) starts past the limit.
    @Test func theNextCachedInstructionPastTheLimitFaults() {
        let (m, fault) = CodeSegmentLimitTests.rerun(limit: 0x100D)
        #expect(fault == .generalProtection(0))
        #expect(m.cpu.rip == 0x100E)
        #expect(m.cpu.registers[0] == 9)
    }

    /// The instruction after NOP (found through the fetch TLB) ends one byte past the limit.
    @Test func aCachedInstructionStraddlingTheLimitFaults() {
        let (m, fault) = CodeSegmentLimitTests.rerun(limit: 0x100F)
        #expect(fault == .generalProtection(0))
        #expect(m.cpu.rip == 0x100F)
        #expect(m.cpu.registers[0] == 9)
        #expect(!m.cpu.halted)
    }

    /// A linked instruction straddling the limit (INC after INC).
    @Test func aLinkedInstructionStraddlingTheLimitFaults() {
        let (m, fault) = CodeSegmentLimitTests.rerun(limit: 0x1007)
        #expect(fault == .generalProtection(0))
        #expect(m.cpu.rip == 0x1007)
        #expect(m.cpu.registers[0] == 2)
    }

    /// The last byte of an instruction at the limit is inside: no fault up to HLT.
    @Test func anInstructionEndingAtTheLimitRuns() {
        let (m, fault) = CodeSegmentLimitTests.rerun(limit: 0x1011)
        #expect(fault == nil)
        #expect(m.cpu.halted)
        #expect(m.cpu.registers[0] == 10)
    }

    /// Real mode (limit 0FFFFH) with a smaller limit in the CS cache ("unreal" caches), and a
    /// 16-bit protected-mode segment.
    @Test(arguments: [CodeMode.real, .protected16])
    func sixteenBitModes(mode: CodeMode) {
        // 1000: inc ax x4 (one byte each, generic: each is found through the fetch TLB); hlt.
        let m = InstructionHarness.machine([0x40, 0x40, 0x40, 0x40, 0xF4], mode: mode)
        do throws(Fault) { try m.cpu.run(until: 100, attention: Attention()) } catch {
            Issue.record("first run faulted: \(error)")
        }
        #expect(m.cpu.halted && m.cpu.registers[0] == 4)
        m.cpu.halted = false
        m.cpu.segments[1].limit = 0x1002
        m.cpu.rip = 0x1000
        var fault: Fault?
        do throws(Fault) { try m.cpu.run(until: 200, attention: Attention()) } catch { fault = error }
        #expect(fault == .generalProtection(0))
        #expect(m.cpu.rip == 0x1003)
        #expect(m.cpu.registers[0] == 7)
    }

    /// Sequential execution across offset 0FFFFH does not wrap to 0 as on the 8086: the next
    /// fetch, at 10000H, is beyond a 0FFFFH limit and raises #GP(0) (SDM vol. 3, IA-32
    /// architecture compatibility, 8086 differences); with a larger limit in the CS cache the
    /// code simply goes on at 10000H.
    @Test(arguments: [(UInt32(0xFFFF), true), (UInt32(0xFFFF_FFFF), false)])
    func sequentialExecutionPastOffsetFFFF(limit: UInt32, faults: Bool) {
        let m = InstructionHarness.machine([0xF4], mode: .real)
        _ = m.memory.load([0x40, 0x40, 0x40, 0xF4], at: 0xFFFE)   // inc ax x3; hlt
        m.cpu.segments[1].limit = limit
        m.cpu.rip = 0xFFFE
        var fault: Fault?
        do throws(Fault) { try m.cpu.run(until: 100, attention: Attention()) } catch { fault = error }
        #expect(fault == (faults ? .generalProtection(0) : nil))
        #expect(m.cpu.rip == (faults ? 0x10000 : 0x10002))
        #expect(m.cpu.registers[0] & 0xFFFF == (faults ? 2 : 3))
    }

    /// A near JMP to EIP one past the limit faults at the JMP (SDM vol. 2, JMP operation).
    @Test func aJumpJustPastTheLimitFaultsAtTheJump() {
        let m = InstructionHarness.machine([0xEB, 0x0E], mode: .protected32)   // 1000: jmp 1010
        m.cpu.segments[1].limit = 0x100F
        var fault: Fault?
        do throws(Fault) { try m.cpu.run(until: 100, attention: Attention()) } catch { fault = error }
        #expect(fault == .generalProtection(0))
        #expect(m.cpu.rip == 0x1000)
    }

    /// 64-bit mode has no limit check: the cached code runs to HLT.
    @Test func sixtyFourBitModeIgnoresTheLimit() {
        let (m, fault) = CodeSegmentLimitTests.rerun(limit: 0x1003, mode: .long64)
        #expect(fault == nil)
        #expect(m.cpu.halted)
        #expect(m.cpu.registers[0] == 10)
    }
}

/// Real-mode code in a segment whose base is not page-aligned (CS = 00F8H, base F80H): the page
/// the base cuts runs through the checked path, repeatedly, with the same results.
@Suite struct UnalignedCodeSegmentTests {
    @Test func aLoopInThePageTheBaseCuts() {
        // Offset 80H (linear 1000H): mov cx, 5; L: inc ax; loop L; hlt.
        let m = InstructionHarness.machine([0xB9, 0x05, 0x00, 0x40, 0xE2, 0xFD, 0xF4], mode: .real)
        m.cpu.segments[1] = SegmentCache(selector: 0xF8, base: 0xF80, limit: 0xFFFF, attributes: 0x9B)
        m.cpu.rip = 0x80
        do throws(Fault) { try m.cpu.run(until: 100, attention: Attention()) } catch {
            Issue.record("faulted: \(error)")
        }
        #expect(m.cpu.halted)
        #expect(m.cpu.registers[0] & 0xFFFF == 5)
        #expect(m.cpu.rip == 0x87)
    }
}
