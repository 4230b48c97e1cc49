/// Stack accesses shared by PUSH/POP, CALL/RET, ENTER/LEAVE and interrupt delivery
/// (SDM vol. 1, 6.2): the stack-pointer width is 64 bits in 64-bit mode, else SS.B selects
/// ESP or SP (the other bits of RSP are kept).
extension CPU {
    @inline(__always)
    var stackAddressSize: UInt8 {
        codeMode == .long64 ? 8 : segments[Int(SegmentRegister.ss.rawValue)].defaultBig ? 4 : 2
    }

    @inline(__always)
    var stackPointer: UInt64 { registers[4] & CPU.mask(stackAddressSize) }

    @inline(__always)
    func setStackPointer(_ v: UInt64) {
        let m = CPU.mask(stackAddressSize)
        registers[4] = registers[4] & ~m | v & m
    }

    /// Pushes the low `size` bytes of `value`. RSP changes only if the write succeeds.
    @inline(__always)
    public func push(_ value: UInt64, size: UInt8) throws(Fault) {
        let sp = (stackPointer &- UInt64(size)) & CPU.mask(stackAddressSize)
        try write(SegmentRegister.ss.rawValue, sp, size: size, value)
        setStackPointer(sp)
    }

    /// Pops `size` bytes. RSP changes only if the read succeeds.
    @inline(__always)
    public func pop(size: UInt8) throws(Fault) -> UInt64 {
        let sp = stackPointer
        let v = try read(SegmentRegister.ss.rawValue, sp, size: size)
        setStackPointer(sp &+ UInt64(size))
        return v
    }

    /// Reads `size` bytes at stack offset `offset` from the current stack pointer, without popping.
    @inline(__always)
    func peekStack(at offset: UInt64, size: UInt8) throws(Fault) -> UInt64 {
        let sp = (stackPointer &+ offset) & CPU.mask(stackAddressSize)
        return try read(SegmentRegister.ss.rawValue, sp, size: size)
    }
}
