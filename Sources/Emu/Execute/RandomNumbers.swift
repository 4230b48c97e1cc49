/// RDRAND and RDSEED (SDM vol. 2, RDRAND, RDSEED): a random value of the operand size (16, 32
/// or 64 bits) in the destination register, CF = 1 (the generator is always ready), OF, SF,
/// ZF, AF and PF cleared. The decoder leaves the F2/F3 and LOCK forms undefined (#UD).
extension CPU {
    func executeRandomNumber(_ i: Instruction) throws(Fault) {
        let rdrand = i.op == .rdrand
        if !(rdrand ? cpuidModel.rdrand : cpuidModel.rdseed) { throw .invalidOpcode }
        if vmx.nonRoot { try vmxRandomNumberExit(i) }
        let value = randomNumberGenerator.next(rdrand ? .rdrand : .rdseed, apicID: cpuidModel.apicID)
        setRegister(i.rm, size: i.size, value & CPU.mask(i.size))
        flags.bits = RFlags.carry.rawValue
    }
}
