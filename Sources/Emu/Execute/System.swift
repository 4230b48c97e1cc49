/// System instructions. The full rules (privilege checks, descriptor loads, control-register
/// checks) belong to the system-architecture issue; what is not implemented yet raises #UD.
extension CPU {
    func executeSystem(_ i: Instruction) throws(Fault) {
        switch i.op {
        case .hlt:
            if cpl != 0 { throw .generalProtection(0) }
            if vmx.nonRoot { try vmxHLT(i) }
            halted = true
        case .rdrand, .rdseed: try executeRandomNumber(i)
        default:
            throw .invalidOpcode
        }
    }
}
