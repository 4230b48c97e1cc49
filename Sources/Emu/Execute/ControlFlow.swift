extension CPU {
    func executeJmp(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeJmpIndirect(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeCall(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeCallIndirect(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeRet(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeLoop(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeJrcxz(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeSoftwareInterrupt(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
    func executeBound(_ i: Instruction) throws(Fault) { throw .invalidOpcode }
}
extension CPU {
    func executeJcc(_ i: Instruction) {
        if flags.condition(i.sub) { rip = (rip &+ i.immediate) & CPU.mask(i.size) }
    }
}
