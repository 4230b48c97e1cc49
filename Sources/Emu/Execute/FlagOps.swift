extension CPU {
    func executeFlagOp(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
