/// MXCSR and the SIMD floating-point exceptions (SDM vol. 1, 10.2.3 and 11.5).
extension CPU {
    /// The soft-float environment MXCSR describes: RC, the exception masks, FTZ and DAZ; no flags.
    @inline(__always)
    var simdFloatEnvironment: FloatEnvironment { FloatEnvironment(mxcsr: mxcsr) }

    /// Records the exceptions an instruction detected, in all its lanes, and raises the unmasked
    /// ones; the caller writes its destination only after this returns, so an unmasked exception
    /// leaves the destination unchanged (SDM vol. 1, 11.5.3.2).
    ///
    /// The lanes' flags are ORed into MXCSR[5:0] (11.5.3.1). The processor looks for the
    /// pre-computation exceptions (IE, DE, ZE) of all lanes first: when one of them is unmasked
    /// it stops there, so only those flags are recorded; otherwise it computes the results and
    /// records the post-computation ones (OE, UE, PE) too (11.5.3.3). An unmasked exception is
    /// #XM when CR4.OSXMMEXCPT is set and #UD otherwise (vol. 3, 2.5, CR4.OSXMMEXCPT).
    @inline(__always)
    func signalSIMDFloatingPoint(_ flags: FloatFlags) throws(Fault) {
        if flags.isEmpty { return }
        try recordSIMDFloatingPoint(UInt32(flags.rawValue))
    }

    @inline(never)
    private func recordSIMDFloatingPoint(_ raised: UInt32) throws(Fault) {
        let preComputation = UInt32(FloatFlags.preComputation.rawValue)
        let unmasked = raised & ~(mxcsr >> 7) & 0x3F
        mxcsr |= unmasked & preComputation != 0 ? raised & preComputation : raised
        if unmasked != 0 {
            throw cr4 & CR4.osxmmexcpt.rawValue != 0 ? .simdFloatingPoint : .invalidOpcode
        }
    }
}
