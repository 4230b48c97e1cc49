import Testing
@testable import Emu

/// The access rights checked on every data access (SDM vol. 3, 5.5-5.6 and the "Protected Mode
/// Exceptions" of MOV, PUSH, STOS...): in protected mode a write to code or read-only data, a
/// read of execute-only code and any access through a null (unusable) segment register is
/// #GP(0), through SS #SS(0). Real mode and 64-bit mode check none of these.
@Suite struct SegmentRightsTests {
    static let readOnlyData: UInt16 = 0xC091
    static let readableCode: UInt16 = 0xC09B
    static let executeOnlyCode: UInt16 = 0xC099

    func run(_ s: SystemMachine, _ code: [UInt8]) -> Fault? {
        s.code(code, at: 0x1000)
        s.cpu.rip = 0x1000
        do throws(Fault) { try s.cpu.step() } catch { return error }
        return nil
    }

    func withSegment(_ n: Int, attributes: UInt16, mode: CodeMode = .protected32) -> SystemMachine {
        let s = SystemMachine(mode: mode)
        s.cpu.segments[n] = SegmentCache(selector: 0x30, base: 0, limit: 0xFFFF_FFFF, attributes: attributes)
        return s
    }

    @Test func writesNeedAWritableDataSegment() {
        let ds = 3
        #expect(run(withSegment(ds, attributes: SegmentRightsTests.readableCode), [0xA3, 0, 0x30, 0, 0]) == .generalProtection(0))
        #expect(run(withSegment(ds, attributes: SegmentRightsTests.readableCode), [0xA1, 0, 0x30, 0, 0]) == nil)
        #expect(run(withSegment(ds, attributes: SegmentRightsTests.readOnlyData), [0xA3, 0, 0x30, 0, 0]) == .generalProtection(0))
        #expect(run(withSegment(ds, attributes: SegmentRightsTests.readOnlyData), [0xA1, 0, 0x30, 0, 0]) == nil)
        #expect(run(withSegment(ds, attributes: 0xC093), [0xA3, 0, 0x30, 0, 0]) == nil)
        let down = withSegment(ds, attributes: 0xC097)                                   // expand-down writable
        down.cpu.segments[ds].limit = 0xFFF                                               // valid: 1000h-FFFFFFFFh
        #expect(run(down, [0xA3, 0, 0x30, 0, 0]) == nil)
    }

    @Test func writesThroughCSFault() {
        let s = SystemMachine()
        #expect(run(s, [0x2E, 0xA3, 0, 0x30, 0, 0]) == .generalProtection(0))            // MOV CS:[3000h], EAX
        #expect(run(s, [0x2E, 0xA1, 0, 0x30, 0, 0]) == nil)                               // readable code
        s.cpu.segments[1].attributes = SegmentRightsTests.executeOnlyCode
        #expect(run(s, [0x2E, 0xA1, 0, 0x30, 0, 0]) == .generalProtection(0))            // execute-only
    }

    @Test func nullSelectorsFaultOnAnyAccess() {
        let s = SystemMachine()
        s.cpu.segments[0] = SegmentCache(selector: 0, base: 0, limit: 0, attributes: 0)  // ES null
        #expect(run(s, [0x26, 0xA0, 0, 0, 0, 0]) == .generalProtection(0))               // MOV AL, ES:[0]
        s.cpu.registers[7] = 0x3000
        #expect(run(s, [0xAB]) == .generalProtection(0))                                  // STOSD
    }

    @Test func stackSegmentRightsRaiseSS() {
        let s = withSegment(2, attributes: SegmentRightsTests.readOnlyData)
        s.cpu.registers[4] = 0x8000
        #expect(run(s, [0x50]) == .stackFault(0))                                         // PUSH EAX
        #expect(s.cpu.registers[4] == 0x8000)
    }

    @Test func realModeKeepsCodeAttributesWritable() {
        // A CS cache left by a protected-mode code segment after returning to real mode (10.9.2).
        let s = SystemMachine(mode: .real)
        s.cpu.segments[1].attributes = SegmentRightsTests.readableCode
        #expect(run(s, [0x2E, 0xA3, 0, 0x30]) == nil)                                     // MOV CS:[3000h], AX
        s.cpu.segments[3] = SegmentCache(selector: 0, base: 0, limit: 0xFFFF, attributes: 0)
        #expect(run(s, [0xA1, 0, 0x30]) == nil)
    }

    @Test func longModeChecksNothing() {
        let s = SystemMachine(mode: .long64)
        s.cpu.segments[3] = SegmentCache(selector: 0, base: 0, limit: 0, attributes: 0)  // DS null
        #expect(run(s, [0x89, 0x04, 0x25, 0, 0x30, 0, 0]) == nil)                         // MOV [3000h], EAX
    }
}
