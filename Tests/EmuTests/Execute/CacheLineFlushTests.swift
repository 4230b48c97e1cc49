import Testing
@testable import Emu

/// CLFLUSH, CLFLUSHOPT and CLWB check their line's address as a byte load does (SDM vol. 2,
/// CLFLUSH, CLFLUSHOPT, CLWB: protected-mode and 64-bit-mode exceptions).
@Suite struct CacheLineFlushTests {
    static let clflushEBX: [UInt8] = [0x0F, 0xAE, 0x3B]          // clflush [ebx] / [rbx]
    static let clflushoptEBX: [UInt8] = [0x66, 0x0F, 0xAE, 0x3B] // clflushopt [ebx]
    static let clwbEBX: [UInt8] = [0x66, 0x0F, 0xAE, 0x33]       // clwb [ebx]

    func run(_ mode: CodeMode, _ code: [UInt8], address: UInt64, dataLimit: UInt32? = nil) -> Fault? {
        let m = FlatMachine(memorySize: 1 << 20, mode: mode)!
        _ = m.memory.load(code, at: 0x1000)
        m.cpu.rip = 0x1000
        m.cpu.registers[3] = address
        if let dataLimit { m.cpu.segments[Int(SegmentRegister.ds.rawValue)].limit = dataLimit }
        do { try m.cpu.step() } catch { return error }
        return nil
    }

    @Test func inLimitLinesExecuteAndOutOfLimitOnesRaiseGP() {
        for code in [Self.clflushEBX, Self.clflushoptEBX, Self.clwbEBX] {
            #expect(run(.protected32, code, address: 0x800, dataLimit: 0xFFF) == nil)
            #expect(run(.protected32, code, address: 0x1000, dataLimit: 0xFFF) == .generalProtection(0))
        }
    }

    @Test func nonCanonicalAddressRaisesGP() {
        #expect(run(.long64, Self.clflushEBX, address: 0x2000) == nil)
        #expect(run(.long64, Self.clflushEBX, address: 0x8000_0000_0000_0000) == .generalProtection(0))
    }
}
