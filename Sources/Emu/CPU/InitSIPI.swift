/// INIT and start-up IPIs on the processor side (SDM vol. 3, 9.1.1 table 9-1, 9.4.3, 11.6.1).
extension CPU {
    /// INIT: the registers take their power-up values (table 9-1) while the MSRs (MTRRs, PAT,
    /// EFER aside), the TSC and the caches keep theirs; EFER is cleared. The APIC side (wait
    /// for SIPI) is `LocalAPIC.receiveINIT`.
    func applyINIT() {
        let msrs = systemRegisters
        let startCycles = cycles
        reset()
        systemRegisters = msrs
        cycles = startCycles
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
