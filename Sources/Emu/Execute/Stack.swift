extension CPU {
    func executePush(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePop(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePushSegment(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePopSegment(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePusha(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePopa(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePushf(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executePopf(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeEnter(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeLeave(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
