/// x87 floating-point exception reporting (SDM vol. 1, 8.4-8.7).
///
/// An exception sets its flag in FSW. A masked one gets its masked response from the caller; an
/// unmasked one also sets FSW.ES and FSW.B, and the next waiting x87 instruction or WAIT/FWAIT
/// raises #MF before it executes (SDM vol. 1, 8.6). The non-waiting instructions (FNINIT,
/// FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE, FNENI, FNDISI, FNSETPM) do not check.
///
/// CR0.NE = 0 selects the PC-compatible reporting through the FERR# pin and IRQ 13, which the
/// chipset routes to the 8259 and which software acknowledges by writing port F0h to assert
/// IGNNE# (SDM vol. 1, 8.7 and appendix D). swemu does not model FERR#: with CR0.NE clear a
/// pending exception raises nothing, and the waiting instruction executes as it does on a PC
/// while IGNNE# is asserted (SDM vol. 1, D.2.1.3). FSW.ES stays set until FNCLEX, FNINIT,
/// FLDENV or FRSTOR clears it, as on hardware.
extension CPU {
    /// Records the exception flags `flags` in FSW; true when all of them are masked.
    @discardableResult
    func x87Raise(_ flags: UInt16) -> Bool {
        x87.status |= flags
        if flags & ~x87.control & X87Status.exceptionFlags != 0 {
            x87.status |= X87Status.errorSummary | X87Status.busy
            return false
        }
        return true
    }

    /// The check a waiting x87 instruction makes before executing (SDM vol. 1, 8.6).
    @inline(__always)
    func x87CheckPending() throws(Fault) {
        if _slowPath(x87.status & X87Status.errorSummary != 0) && cr0 & CR0.ne.rawValue != 0 {
            throw .x87
        }
    }

    /// FSW.ES and FSW.B from the exception flags and masks, after FLDCW, FLDENV or FRSTOR
    /// changed either (SDM vol. 1, 8.1.3.1 and FLDCW).
    func x87UpdateErrorSummary() {
        if x87.status & ~x87.control & X87Status.exceptionFlags != 0 {
            x87.status |= X87Status.errorSummary | X87Status.busy
        } else {
            x87.status &= ~(X87Status.errorSummary | X87Status.busy)
        }
    }

    /// WAIT/FWAIT (9B): #NM when CR0.MP and CR0.TS are both set, then #MF for a pending
    /// unmasked x87 exception (SDM vol. 2, WAIT/FWAIT).
    func executeWait() throws(Fault) {
        if cr0 & (CR0.mp.rawValue | CR0.ts.rawValue) == CR0.mp.rawValue | CR0.ts.rawValue {
            throw .deviceNotAvailable
        }
        try x87CheckPending()
    }

    /// The result of an operation on a NaN operand (SDM vol. 1, table 4-7): a signaling NaN
    /// raises IE; the result is the NaN (of two, the one with the larger significand) made
    /// quiet. Nil when IE is unmasked and nothing may be stored.
    func x87PropagateNaN(_ a: Float80Bits, _ b: Float80Bits? = nil) -> Float80Bits? {
        let ca = X87Class(a)
        let cb = b.map { X87Class($0) }
        if ca == .signalingNaN || cb == .signalingNaN {
            guard x87Raise(X87Status.invalid) else { return nil }
        }
        guard let b, let cb, cb.isNaN else { return a.x87Quieted }
        guard ca.isNaN else { return b.x87Quieted }
        let sa = a.significand << 1, sb = b.significand << 1
        if sa == sb { return (a.x87Negative ? b : a).x87Quieted }
        return (sa > sb ? a : b).x87Quieted
    }

    /// The masked response to an invalid operation: IE and the indefinite (nil when unmasked).
    func x87InvalidResult() -> Float80Bits? {
        x87Raise(X87Status.invalid) ? X87Status.indefinite : nil
    }
}
