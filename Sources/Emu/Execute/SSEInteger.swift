/// MMX and SSE moves, logic, shuffles and packed-integer instructions.
extension CPU {
    func executeSSEInteger(_ i: Instruction) throws(Fault) {
        throw .invalidOpcode
    }
}
