extension CPU {
    /// VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME, VMCALL,
    /// INVEPT, INVVPID, VMFUNC (SDM vol. 3, chapter 32).
    func executeVMXInstruction(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
