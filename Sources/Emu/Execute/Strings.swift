extension CPU {
    func executeMovs(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeCmps(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeScas(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeLods(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeStos(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeIns(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeOuts(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
