extension CPU {
    func executeBMI(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeADX(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeMovbe(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeCRC32(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
