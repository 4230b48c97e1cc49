extension CPU {
    func executeShift(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeShiftDouble(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
