/// IN and OUT (SDM vol. 1, chapter 19), with the I/O privilege checks of 19.5 and 19.5.2.
extension CPU {
    func executeIn(_ i: Instruction) throws(Fault) {
        let size = min(i.size, 4)
        let port = i.op == .inImm ? UInt16(i.immediate & 0xFF) : UInt16(truncatingIfNeeded: registers[2])
        try checkIOPermission(port: port, size: size)
        if vmx.nonRoot { try vmxIO(i, port: port, size: size, input: true) }
        let v = ports.read(port, size: Int(size))
        setRegister(0, size: size, UInt64(v))
    }

    func executeOut(_ i: Instruction) throws(Fault) {
        let size = min(i.size, 4)
        let port = i.op == .outImm ? UInt16(i.immediate & 0xFF) : UInt16(truncatingIfNeeded: registers[2])
        try checkIOPermission(port: port, size: size)
        if vmx.nonRoot { try vmxIO(i, port: port, size: size, input: false) }
        ports.write(port, size: Int(size), value: UInt32(truncatingIfNeeded: register(0, size: size)))
    }

    /// In protected mode with CPL > IOPL, and in virtual-8086 mode, every port of the access must
    /// be allowed by the I/O permission bitmap of the current 32/64-bit TSS, else #GP(0).
    func checkIOPermission(port: UInt16, size: UInt8) throws(Fault) {
        if _slowPath(systemRegisters.breakpoints.io != 0) { noteIOAccess(port: port, size: size) }
        guard cr0 & 1 != 0 else { return }
        let iopl = UInt8((controlFlags >> 12) & 3)
        let v86 = controlFlags & RFlags.virtual8086.rawValue != 0
        guard cpl > iopl || v86 else { return }
        let type = tr.attributes & 0xF
        guard tr.present, type == 0x9 || type == 0xB, tr.limit >= 0x67 else { throw .generalProtection(0) }
        let mapBase = UInt64(try readSystem16(tr.base &+ 0x66))
        let byteOffset = mapBase &+ UInt64(port >> 3)
        guard byteOffset &+ 1 <= UInt64(tr.limit) else { throw .generalProtection(0) }
        let bits = try readSystem16(tr.base &+ byteOffset) >> (port & 7)
        if bits & ((1 << UInt16(size)) - 1) != 0 { throw .generalProtection(0) }
    }

    /// A 16-bit read of the TSS: an implicit supervisor access (SDM vol. 3, 4.6).
    func readSystem16(_ linear: UInt64) throws(Fault) -> UInt16 {
        let physical = try implicitSupervisorTranslate(linear, access: .read)
        return UInt16(truncatingIfNeeded: memory.read(physical, size: 2))
    }
}
