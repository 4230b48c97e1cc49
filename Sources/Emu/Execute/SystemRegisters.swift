extension CPU {
    /// Control, debug and model-specific registers, descriptor-table registers, fast system calls.
    func executeSystemRegisterInstruction(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
