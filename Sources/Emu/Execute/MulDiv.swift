extension CPU {
    func executeMul(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeImul1(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeImul(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeDiv(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeIdiv(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
