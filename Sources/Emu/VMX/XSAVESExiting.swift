/// XSAVES and XRSTORS in VMX non-root operation (SDM vol. 3, 25.1.3 and 25.3).
extension CPU {
    /// #UD unless "enable XSAVES/XRSTORS" is 1; then, at CPL 0 (privilege faults have priority
    /// over the exit, 25.1.1), a VM exit (reason 63 or 64) if EDX:EAX AND IA32_XSS AND the
    /// XSS-exiting bitmap is nonzero. The qualification is the displacement (28.2.1); the
    /// instruction information has the VMCLEAR/VMPTRLD/VMPTRST/VMXON/XRSTORS/XSAVES format
    /// (28.2.5).
    func vmxXSAVES(_ i: Instruction) throws(Fault) {
        if !vmx.secondary.contains(.enableXSAVESXRSTORS) { throw .invalidOpcode }
        guard cpl == 0, xsaveInstructionMask & systemRegisters.xss & vmx.read(.xssExitingBitmap) != 0 else { return }
        try vmExitForInstruction(i, i.op == .xsaves ? .xsaves : .xrstors,
                                 qualification: displacementQualification(i),
                                 instructionInformation: vmxInstructionInformation(i))
    }
}
