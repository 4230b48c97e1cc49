import Testing
@testable import Emu

/// SYSCALL/SYSRET, SYSENTER/SYSEXIT and SWAPGS (SDM vol. 2 operation sections; APM vol. 3).
@Suite struct FastSystemCallTests {
    /// Linux's layout: STAR[47:32] = kernel CS 0x10, STAR[63:48] = 0x23 (user32 CS; +8 = user
    /// SS 0x2B, +16 = user64 CS 0x33).
    static let star: UInt64 = 0x0023_0010 << 32

    private func syscallMachine(vendor: Vendor = .intel) -> FlatMachine {
        let m = systemMachine(.long64, vendor: vendor)
        m.cpu.efer |= 1                                              // SCE
        m.cpu.systemRegisters.star = Self.star
        m.cpu.systemRegisters.lstar = 0xFFFF_FFFF_8100_0000
        m.cpu.systemRegisters.cstar = 0xFFFF_FFFF_8200_0000
        m.cpu.systemRegisters.fmask = 0x4_7700                       // TF, IF, DF, IOPL, NT, AC
        return m
    }

    @Test func syscall64() throws {
        let m = syscallMachine()
        m.cpu.enterUserMode()
        m.cpu.rflags = 0x4_0303 | 1 << 16                            // AC, IF, TF, CF + RF
        try m.run([0x0F, 0x05])
        #expect(m.cpu.rip == 0xFFFF_FFFF_8100_0000)
        #expect(m.cpu.registers[1] == 0x1002)
        #expect(m.cpu.registers[11] == 0x4_0303)                     // RF not saved
        #expect(m.cpu.rflags == 0x3)                                 // masked; RF clear
        #expect(m.cpu.cpl == 0)
        let cs = m.cpu.segment(.cs), ss = m.cpu.segment(.ss)
        #expect(cs.selector == 0x10 && cs.long && cs.dpl == 0 && cs.attributes & 0xF == 0xB)
        #expect(ss.selector == 0x18 && ss.dpl == 0 && ss.attributes & 0xF == 0x3 && ss.defaultBig)
        #expect(m.cpu.codeMode == .long64)
    }

    @Test func syscallNeedsSCEAndIntel64BitMode() {
        let m = systemMachine(.long64)
        #expect(m.fault([0x0F, 0x05]) == ud)
        let compat = syscallMachine()
        var cs = compat.cpu.segment(.cs)
        cs.attributes = cs.attributes & ~0x2000 | 0x4000
        compat.cpu.setSegment(.cs, cs)
        compat.cpu.updateCodeMode()
        #expect(compat.fault([0x0F, 0x05]) == ud)
    }

    @Test func amdSyscallFromCompatibilityModeUsesCSTAR() throws {
        let m = syscallMachine(vendor: .amd)
        var cs = m.cpu.segment(.cs)
        cs.attributes = cs.attributes & ~0x2000 | 0x4000
        m.cpu.setSegment(.cs, cs)
        m.cpu.updateCodeMode()
        try m.run([0x0F, 0x05])
        #expect(m.cpu.rip == 0xFFFF_FFFF_8200_0000)
        #expect(m.cpu.codeMode == .long64)
    }

    @Test func sysret64AndSysret32() throws {
        let m = syscallMachine()
        m.cpu.registers[1] = 0x0000_7FFF_0000_1000
        m.cpu.registers[11] = 0xFFFF_FFFF_FFFF_FFFF
        try m.run([0x48, 0x0F, 0x07])
        #expect(m.cpu.rip == 0x0000_7FFF_0000_1000)
        #expect(m.cpu.rflags == 0x3C_7FD7)                           // RF, VM and reserved bits clear
        #expect(m.cpu.cpl == 3)
        let cs = m.cpu.segment(.cs), ss = m.cpu.segment(.ss)
        #expect(cs.selector == 0x33 && cs.long && cs.dpl == 3)
        #expect(ss.selector == 0x2B && ss.dpl == 3)
        #expect(m.cpu.codeMode == .long64)

        let c = syscallMachine()
        c.cpu.registers[1] = 0xFFFF_FFFF_0000_2000
        c.cpu.registers[11] = 0x202
        try c.run([0x0F, 0x07])
        #expect(c.cpu.rip == 0x2000)
        #expect(c.cpu.segment(.cs).selector == 0x23)
        #expect(c.cpu.codeMode == .protected32)
    }

    @Test func sysretNonCanonicalRCXIsGPOnIntelOnly() {
        let intel = syscallMachine()
        intel.cpu.registers[1] = 0x0000_8000_0000_0000
        #expect(intel.fault([0x48, 0x0F, 0x07]) == gp0)
        #expect(intel.cpu.cpl == 0 && intel.cpu.segment(.cs).selector == 0x8)
        let amd = syscallMachine(vendor: .amd)
        amd.cpu.registers[1] = 0x0000_8000_0000_0000
        #expect(amd.fault([0x48, 0x0F, 0x07]) == nil)
        #expect(amd.cpu.cpl == 3)
    }

    @Test func sysretAtCPL3Faults() {
        let m = syscallMachine()
        m.cpu.enterUserMode()
        #expect(m.fault([0x48, 0x0F, 0x07]) == gp0)
    }

    @Test func sysenterAndSysexitLegacy() throws {
        let m = systemMachine(.protected32)
        #expect(m.fault([0x0F, 0x34]) == gp0)                          // SYSENTER_CS = 0
        m.cpu.systemRegisters.sysenterCS = 0x60
        m.cpu.systemRegisters.sysenterESP = 0x9000
        m.cpu.systemRegisters.sysenterEIP = 0x3000
        m.cpu.enterUserMode()
        m.cpu.rflags = 0x202
        try m.run([0x0F, 0x34])
        #expect(m.cpu.rip == 0x3000 && m.cpu.registers[4] == 0x9000)
        #expect(m.cpu.segment(.cs).selector == 0x60 && m.cpu.segment(.ss).selector == 0x68)
        #expect(m.cpu.cpl == 0 && m.cpu.rflags == 0x2)
        m.cpu.registers[1] = 0x7000                                    // ECX: user stack
        m.cpu.registers[2] = 0x4000                                    // EDX: user EIP
        try m.run([0x0F, 0x35])
        #expect(m.cpu.rip == 0x4000 && m.cpu.registers[4] == 0x7000)
        #expect(m.cpu.segment(.cs).selector == 0x73 && m.cpu.segment(.ss).selector == 0x7B)
        #expect(m.cpu.cpl == 3 && m.cpu.codeMode == .protected32)
        #expect(m.fault([0x0F, 0x35]) == gp0)                          // SYSEXIT at CPL 3
    }

    @Test func sysexit64AndAMDLongModeRestriction() throws {
        let m = systemMachine(.long64)
        m.cpu.systemRegisters.sysenterCS = 0x10
        m.cpu.registers[1] = 0x7FFF_0000
        m.cpu.registers[2] = 0x0000_8000_0000_0000
        #expect(m.fault([0x48, 0x0F, 0x35]) == gp0)                    // non-canonical RDX
        m.cpu.registers[2] = 0x0000_7000_0000_0000
        try m.run([0x48, 0x0F, 0x35])
        #expect(m.cpu.rip == 0x0000_7000_0000_0000)
        #expect(m.cpu.segment(.cs).selector == 0x33 && m.cpu.segment(.ss).selector == 0x3B)
        #expect(m.cpu.codeMode == .long64)
        let amd = systemMachine(.long64, vendor: .amd)
        amd.cpu.systemRegisters.sysenterCS = 0x10
        #expect(amd.fault([0x0F, 0x34]) == ud)
    }

    @Test func swapgs() throws {
        let m = systemMachine(.long64)
        m.cpu.systemRegisters.kernelGSBase = 0xFFFF_8880_0000_0000
        var gs = m.cpu.segment(.gs)
        gs.base = 0x7000
        m.cpu.setSegment(.gs, gs)
        try m.run([0x0F, 0x01, 0xF8])
        #expect(m.cpu.segment(.gs).base == 0xFFFF_8880_0000_0000)
        #expect(m.cpu.systemRegisters.kernelGSBase == 0x7000)
        m.cpu.enterUserMode()
        #expect(m.fault([0x0F, 0x01, 0xF8]) == gp0)
        let p = systemMachine(.protected32)
        #expect(p.fault([0x0F, 0x01, 0xF8]) == ud)
    }
}
