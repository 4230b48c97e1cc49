extension CPU {
    func executeBitTest(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeBitScan(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeBitCount(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
