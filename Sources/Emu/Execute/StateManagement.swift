/// FXSAVE/FXRSTOR, LDMXCSR/STMXCSR and the XSAVE family.
extension CPU {
    func executeStateManagement(_ i: Instruction) throws(Fault) {
        throw .invalidOpcode
    }
}
