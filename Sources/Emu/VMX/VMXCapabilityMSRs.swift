extension CPU {
    /// RDMSR of the VMX capability MSRs IA32_VMX_BASIC (480H) .. IA32_VMX_EXIT_CTLS2 (493H): the
    /// value on the Intel model, nil when the MSR does not exist (the AMD model, or an MSR whose
    /// feature is not advertised), which RDMSR turns into #GP(0). They exist only when
    /// CPUID.01H:ECX.VMX[5] = 1 (appendix A) and are read-only: WRMSR #GP(0).
    public func vmxCapabilityMSR(_ index: UInt32) -> UInt64? {
        guard vendor == .intel, cpuidModel.vmx else { return nil }
        if index == 0x489 { return vmxCR4Fixed1 }
        return vmx.capabilities.msr(index)
    }
}
