/// x87 FPU instructions (D8-DF).
extension CPU {
    func executeX87(_ i: Instruction) throws(Fault) {
        throw .invalidOpcode
    }
}
