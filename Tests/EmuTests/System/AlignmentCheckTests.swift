import Testing
@testable import Emu

/// #AC (SDM vol. 3, 6.15 interrupt 17; table 6-7): CR0.AM = 1, EFLAGS.AC = 1 and CPL 3 make a
/// data access whose address is not a multiple of its size (word 2, doubleword 4, quadword 8)
/// a fault with error code 0; bytes, CPL 0-2 and either flag clear are never checked.
@Suite struct AlignmentCheckTests {
    static let ac: UInt64 = 1 << 18
    static let am: UInt64 = 1 << 18

    func user(_ code: [UInt8], mode: CodeMode = .protected32, am: Bool = true, ac: Bool = true) -> SystemMachine {
        let s = SystemMachine(mode: mode)
        if am { s.cpu.cr0 |= AlignmentCheckTests.am }
        s.enterRing3(cs: 0x1B, ss: 0x23, long: mode == .long64)
        s.cpu.rflags = (ac ? AlignmentCheckTests.ac : 0) | 2
        s.code(code, at: 0x1000)
        s.cpu.rip = 0x1000
        return s
    }

    func run(_ s: SystemMachine) -> Fault? {
        do throws(Fault) { try s.cpu.step() } catch { return error }
        return nil
    }

    @Test func misalignedOperandsFault() {
        #expect(run(user([0xA1, 0x01, 0x30, 0, 0])) == .alignmentCheck())         // MOV EAX,[3001h]
        #expect(run(user([0x66, 0xA1, 0x03, 0x30, 0, 0])) == .alignmentCheck())   // MOV AX,[3003h]
        #expect(run(user([0xA1, 0x02, 0x30, 0, 0])) == .alignmentCheck())         // 2 is not a multiple of 4
        #expect(run(user([0x66, 0xA1, 0x02, 0x30, 0, 0])) == nil)                 // word at 3002h
        #expect(run(user([0xA0, 0x01, 0x30, 0, 0])) == nil)                      // bytes never fault
        #expect(run(user([0xA1, 0x04, 0x30, 0, 0])) == nil)
        #expect(run(user([0xC7, 0x05, 0x06, 0x30, 0, 0, 1, 0, 0, 0])) == .alignmentCheck())  // MOV [3006h], 1
    }

    @Test func quadwordsNeedEightByteAlignment() {
        let code: [UInt8] = [0x48, 0x8B, 0x04, 0x25, 0x04, 0x30, 0, 0]          // MOV RAX,[3004h]
        #expect(run(user(code, mode: .long64)) == .alignmentCheck())
        let aligned: [UInt8] = [0x48, 0x8B, 0x04, 0x25, 0x08, 0x30, 0, 0]
        #expect(run(user(aligned, mode: .long64)) == nil)
    }

    @Test func stackAccessesAreChecked() {
        let s = user([0x50])                                                      // PUSH EAX
        s.cpu.registers[4] = 0x8002
        #expect(run(s) == .alignmentCheck())
        #expect(s.cpu.registers[4] == 0x8002)
    }

    @Test func eachConditionIsNeeded() {
        #expect(run(user([0xA1, 0x01, 0x30, 0, 0], am: false)) == nil)
        #expect(run(user([0xA1, 0x01, 0x30, 0, 0], ac: false)) == nil)
        let s = SystemMachine()                                                   // CPL 0
        s.cpu.cr0 |= AlignmentCheckTests.am
        s.cpu.rflags = AlignmentCheckTests.ac | 2
        s.code([0xA1, 0x01, 0x30, 0, 0], at: 0x1000)
        #expect(run(s) == nil)
    }

    @Test func popfSettingACAtCPL3FlushesTheTLB() {
        // MOV EAX,[3000h] fills the TLB with AC = 0; POPF sets AC; then a misaligned read faults.
        let s = user([0xA1, 0x00, 0x30, 0, 0, 0x9D, 0xA1, 0x01, 0x30, 0, 0], ac: false)
        s.write32(0x8000, AlignmentCheckTests.ac | 2)
        #expect(run(s) == nil)
        #expect(run(s) == nil)
        #expect(s.cpu.rflags & AlignmentCheckTests.ac != 0)
        #expect(run(s) == .alignmentCheck())
        #expect(s.cpu.rip == 0x1006)
    }
}
