/// INIT and start-up IPIs on the processor side (SDM vol. 3, 9.1.1 table 9-1, 9.4.3, 11.6.1).
extension CPU {
    /// INIT: the registers take their power-up values (table 9-1) while the MSRs (MTRRs, PAT,
    /// TSC_AUX...), the TSC and the caches keep theirs (9.1: "the internal caches, MSRs, MTRRs,
    /// and x87 FPU state are left unchanged"); EFER is cleared, and CR0.CD and CR0.NW keep their
    /// values (table 9-1, note 2). The APIC side (wait for SIPI) is `LocalAPIC.receiveINIT`.
    func applyINIT() {
        let msrs = systemRegisters
        let aux = tscAux
        let cacheControl = cr0 & (CR0.cd.rawValue | CR0.nw.rawValue)
        let startCycles = cycles
        reset()
        systemRegisters = msrs
        tscAux = aux
        cr0 = CR0.et.rawValue | cacheControl
        cycles = startCycles
        // The decoded breakpoints follow the reset DR7, not the kept MSR file.
        systemRegisters.breakpoints = DebugBreakpoints()
        refreshBreakpoints()
    }

    /// A start-up IPI with vector VV: real mode at VV00:0000, that is CS.selector = VV << 8,
    /// CS.base = VV << 12, IP = 0 (9.4.3, 11.6.1).
    func applyStartup(vector: UInt8) {
        var cs = segment(.cs)
        cs.selector = UInt16(vector) << 8
        cs.base = UInt64(vector) << 12
        setSegment(.cs, cs)
        rip = 0
        halted = false
        updateCodeMode()
    }
}
