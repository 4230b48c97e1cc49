/// CPUID and the time-stamp counter. CPUID answers from the CPU model; RDTSC reads the virtual
/// cycle counter, never the host clock (DESIGN.md).
extension CPU {
    func executeCpuid(_ i: Instruction) throws(Fault) {
        if vmx.nonRoot { try vmxCPUID(i) }
        let (a, b, c, d) = cpuid(leaf: UInt32(truncatingIfNeeded: registers[0]),
                                 subleaf: UInt32(truncatingIfNeeded: registers[1]))
        registers[0] = UInt64(a)
        registers[3] = UInt64(b)
        registers[1] = UInt64(c)
        registers[2] = UInt64(d)
    }

    /// RDTSC/RDTSCP: #GP(0) when CR4.TSD is set outside ring 0 (SDM vol. 2, RDTSC).
    func executeRdtsc(_ i: Instruction) throws(Fault) {
        if vmx.nonRoot { return try vmxRDTSC(i) }
        if cr4 & 0x4 != 0 && cpl != 0 { throw .generalProtection(0) }
        let t = tsc
        registers[0] = t & 0xFFFF_FFFF
        registers[2] = t >> 32
        if i.op == .rdtscp { registers[1] = tscAux & 0xFFFF_FFFF }
    }
}
