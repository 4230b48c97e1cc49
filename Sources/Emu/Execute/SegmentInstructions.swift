extension CPU {
    /// Segment loads, far transfers, IRET and the descriptor instructions.
    func executeSegmentInstruction(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
