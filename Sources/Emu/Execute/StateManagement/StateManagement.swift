/// FXSAVE/FXRSTOR, LDMXCSR/STMXCSR (FXSave.swift) and the XSAVE family (XSave.swift); the
/// area layout is XSaveLayout.swift.
extension CPU {
    func executeStateManagement(_ i: Instruction) throws(Fault) {
        switch i.op {
        case .fxsave: try executeFXSave(i)
        case .fxrstor: try executeFXRestore(i)
        case .ldmxcsr: try executeLdmxcsr(i)
        case .stmxcsr: try executeStmxcsr(i)
        case .xsave, .xsaveopt, .xsavec, .xsaves: try executeXSave(i)
        case .xrstor, .xrstors: try executeXRestore(i)
        default: throw .invalidOpcode
        }
    }
}
