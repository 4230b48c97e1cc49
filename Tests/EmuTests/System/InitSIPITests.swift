import Testing
@testable import Emu

/// INIT and start-up IPIs on the processor (SDM vol. 3, 9.1 and table 9-1; 9.4.3): INIT puts
/// the registers in their power-up state but leaves the MSRs and the TSC alone; CR0.CD/NW keep
/// their values; a SIPI with vector VV starts real mode at VV00:0000.
@Suite struct InitSIPITests {
    @Test func initResetsRegistersAndKeepsMSRs() throws {
        let m = systemMachine(.long64)
        m.cpu.cr0 |= CR0.cd.rawValue
        m.cpu.tscAux = 5
        #expect(m.wrmsr(MSR.star, 0x0023_0010_0000_0000) == nil)
        #expect(m.wrmsr(MSR.pat, 0x0606_0606_0606_0606) == nil)
        m.cpu.tr = SegmentCache(selector: 0x28, base: 0x1234, limit: 0x67, attributes: 0x8B)
        m.cpu.ldtr = SegmentCache(selector: 0x30, base: 0x5000, limit: 0x27, attributes: 0x82)
        m.cpu.dr[0] = 0x3000
        m.cpu.dr[7] = 0x4_0401                               // L0: a data write breakpoint
        m.cpu.refreshBreakpoints()
        let cyclesBefore = m.cpu.cycles
        m.cpu.applyINIT()
        #expect(m.cpu.cr0 == 0x4000_0010)                    // CD kept, NW clear, ET
        #expect(m.cpu.efer == 0 && m.cpu.cr4 == 0 && m.cpu.cr3 == 0)
        #expect(m.cpu.rip == 0xFFF0 && m.cpu.segment(.cs).selector == 0xF000 && m.cpu.segment(.cs).base == 0xFFFF_0000)
        #expect(m.cpu.codeMode == .real)
        #expect(m.cpu.tr.selector == 0 && m.cpu.tr.base == 0 && m.cpu.tr.limit == 0xFFFF)
        #expect(m.cpu.ldtr.selector == 0 && m.cpu.ldtr.base == 0 && m.cpu.ldtr.limit == 0xFFFF)
        #expect(m.cpu.dr[7] == 0x400 && !m.cpu.systemRegisters.breakpoints.attention)
        #expect(m.cpu.tscAux == 5 && m.cpu.cycles == cyclesBefore)
        #expect(m.cpu.systemRegisters.star == 0x0023_0010_0000_0000)
        #expect(m.cpu.systemRegisters.pat == 0x0606_0606_0606_0606)
        m.cpu.applyStartup(vector: 0x9A)
        #expect(m.cpu.segment(.cs).selector == 0x9A00 && m.cpu.segment(.cs).base == 0x9_A000 && m.cpu.rip == 0)
        // RESET (unlike INIT) clears TSC_AUX and sets CR0 to 60000010h.
        m.cpu.reset()
        #expect(m.cpu.tscAux == 0 && m.cpu.cr0 == 0x6000_0010)
    }
}
