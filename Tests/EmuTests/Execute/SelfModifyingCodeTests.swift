import Testing
@testable import Emu

/// Self-modifying code (SDM vol. 3, 11.6): a store to an instruction that was already decoded
/// is seen when that instruction runs next, also when the decoded-instruction cache would hand
/// it out without a TLB lookup (`CPU.run(until:)` following consecutive cache slots).
@Suite struct SelfModifyingCodeTests {
    /// A loop whose first instruction patches the immediate of the next one: in the second
    /// pass (ECX = 2, EBX = 11111111h) the patched value is loaded.
    static let patchingLoop: [UInt8] = [
        0x89, 0x1C, 0x25, 0x08, 0x10, 0x00, 0x00,   // 1000: mov [0x1008], ebx
        0xB8, 0x11, 0x11, 0x11, 0x11,               // 1007: mov eax, 0x11111111
        0xBB, 0x22, 0x22, 0x22, 0x22,               // 100C: mov ebx, 0x22222222
        0xFF, 0xC9,                                 // 1011: dec ecx
        0x75, 0xEB,                                 // 1013: jnz 1000
        0xF4,                                       // 1015: hlt
    ]

    @Test func aStoreToTheNextInstructionIsSeen() throws {
        let m = InstructionHarness.machine(Self.patchingLoop, [1: 2, 3: 0x1111_1111])
        try m.cpu.run(until: 1000, attention: Attention())
        #expect(m.cpu.halted)
        #expect(m.cpu.registers[0] == 0x2222_2222)
        #expect(m.cpu.instructionsRetired == 11)
    }

    /// The same through single steps (ten instructions: the loop twice, not the HLT).
    @Test func aStoreToTheNextInstructionIsSeenWhenStepping() throws {
        let m = InstructionHarness.machine(Self.patchingLoop, [1: 2, 3: 0x1111_1111])
        for _ in 0..<10 { try m.cpu.step() }
        #expect(m.cpu.rip == 0x1015)
        #expect(m.cpu.registers[0] == 0x2222_2222)
    }
}

/// `CPU.run(until:)` takes the next instruction from the neighbouring decode-cache slots only
/// inside one page: code that runs on across a page boundary, and across the end of a 32 KiB
/// block of slots, is fetched through the TLB there.
@Suite struct RunAcrossPagesTests {
    @Test func straightLineCodeAcrossAPageAndSlotBlockBoundary() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .long64)!
        let code: [UInt8] = [
            0x31, 0xC0,                     // 7FFC: xor eax, eax
            0xFF, 0xC0,                     // 7FFE: inc eax
            0xFF, 0xC0,                     // 8000: inc eax
            0x83, 0xC0, 0x05,               // 8002: add eax, 5
            0xF4,                           // 8005: hlt
        ]
        _ = m.memory.load(code, at: 0x7FFC)
        m.cpu.rip = 0x7FFC
        try m.cpu.run(until: 100, attention: Attention())
        #expect(m.cpu.halted)
        #expect(m.cpu.registers[0] == 7)
        #expect(m.cpu.rip == 0x8006)
    }

    @Test func aBranchToAnotherPage() throws {
        let m = FlatMachine(memorySize: 1 << 20, mode: .long64)!
        _ = m.memory.load([0xB8, 0x01, 0, 0, 0,          // 1FF0: mov eax, 1
                           0xEB, 0x09], at: 0x1FF0)       // 1FF5: jmp 2000
        _ = m.memory.load([0x83, 0xC0, 0x02,              // 2000: add eax, 2
                           0xF4], at: 0x2000)             // 2003: hlt
        m.cpu.rip = 0x1FF0
        try m.cpu.run(until: 100, attention: Attention())
        #expect(m.cpu.halted)
        #expect(m.cpu.registers[0] == 3)
    }
}
