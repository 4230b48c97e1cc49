/// The TSC as RDTSC, RDTSCP and RDMSR of IA32_TIME_STAMP_COUNTER read it in VMX non-root
/// operation (SDM vol. 3, 25.3; 24.6.5 "Time-Stamp Counter Offset and Multiplier"): with "use
/// TSC offsetting" 1 the TSC offset is added; with "use TSC scaling" 1 as well, the TSC is first
/// multiplied by the TSC multiplier (a fixed-point value with 48 fractional bits: 1 << 48 is
/// 1.0) and the 128-bit product shifted right by 48. Only these reads change: the VMX-preemption
/// timer and PAUSE-loop exiting count the unscaled TSC.
extension CPU {
    /// The guest's view of TSC value `t` (`vmx.tscOffset` is 0 without TSC offsetting).
    func vmxGuestTSC(_ t: UInt64) -> UInt64 {
        guard let multiplier = vmx.tscMultiplier else { return t &+ vmx.tscOffset }
        let product = t.multipliedFullWidth(by: multiplier)
        return (product.high << 16 | product.low >> 48) &+ vmx.tscOffset
    }
}
