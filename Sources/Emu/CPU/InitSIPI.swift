/// INIT and start-up IPIs on the processor side (SDM vol. 3, 9.1.1 table 9-1, 9.4.3, 11.6.1).
extension CPU {
    /// INIT: the registers take their power-up values (table 9-1) while the MSRs (MTRRs, PAT,
    /// TSC_AUX, IA32_XSS...), the TSC and the caches keep theirs (9.1: "the internal caches,
    /// MSRs, MTRRs, and x87 FPU state are left unchanged"); so do the XMM registers and MXCSR
    /// (table 10-1) and XCR0, which only RESET sets to 1 (SDM vol. 1, 13.3); EFER is cleared,
    /// and CR0.CD and CR0.NW keep their values (table 9-1, note 2). The APIC side (wait for
    /// SIPI) is `LocalAPIC.receiveINIT`.
    func applyINIT() {
        let msrs = systemRegisters
        let aux = tscAux
        let fpu = x87
        let simdControl = mxcsr
        let xmmState = InlineArray<32, UInt64> { xmm[$0] }
        let extendedControl = xcr0
        let cacheControl = cr0 & (CR0.cd.rawValue | CR0.nw.rawValue)
        let startCycles = cycles
        reset()
        systemRegisters = msrs
        tscAux = aux
        x87 = fpu
        mxcsr = simdControl
        for k in 0..<32 { xmm[k] = xmmState[k] }
        xcr0 = extendedControl
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
