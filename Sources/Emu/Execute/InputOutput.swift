/// IN and OUT (SDM vol. 1, chapter 19). The I/O permission checks (CPL > IOPL, TSS bitmap) come
/// with the system-architecture issue.
extension CPU {
    func executeIn(_ i: Instruction) throws(Fault) {
        let size = min(i.size, 4)
        let port = i.op == .inImm ? UInt16(i.immediate & 0xFF) : UInt16(truncatingIfNeeded: registers[2])
        let v = ports.read(port, size: Int(size))
        setRegister(0, size: size, UInt64(v))
    }

    func executeOut(_ i: Instruction) throws(Fault) {
        let size = min(i.size, 4)
        let port = i.op == .outImm ? UInt16(i.immediate & 0xFF) : UInt16(truncatingIfNeeded: registers[2])
        ports.write(port, size: Int(size), value: UInt32(truncatingIfNeeded: register(0, size: size)))
    }
}
