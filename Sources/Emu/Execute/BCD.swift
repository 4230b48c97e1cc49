extension CPU {
    func executeBCD(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
