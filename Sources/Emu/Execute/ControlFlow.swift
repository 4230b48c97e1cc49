/// Near JMP/CALL/RET, Jcc, LOOP/LOOPE/LOOPNE, JCXZ/JECXZ/JRCXZ, INT3/INT n/INTO/INT1, BOUND
/// (SDM vol. 2). Far transfers and IRET belong to the system-architecture issue.
///
/// The dispatcher has already advanced RIP to the next instruction. A near branch target is
/// truncated to the operand size (16 -> IP, 32 -> EIP; in 64-bit mode the size is 64, or 16
/// with 66 on AMD) and must lie inside the CS limit (outside 64-bit mode) or be canonical
/// (64-bit mode), else #GP(0) with nothing changed.
extension CPU {
    /// Jcc. It cannot fault here (its signature is non-throwing in the dispatcher), so the CS
    /// limit / canonical check of the target is left to the next fetch (which raises #GP(0) at
    /// the target instead of at the Jcc).
    @inline(__always)
    func executeJcc(_ i: Instruction) throws(Fault) {
        if flags.condition(i.sub) { rip = try nearBranchTarget(rip &+ i.immediate, size: i.size) }
    }

    /// Truncates a near branch target to the operand size and checks it (#GP(0)).
    @inline(__always)
    func nearBranchTarget(_ target: UInt64, size: UInt8) throws(Fault) -> UInt64 {
        let t = target & CPU.mask(size)
        if codeMode == .long64 {
            if !isCanonical(t) { throw .generalProtection(0) }
        } else if t > UInt64(segments[Int(SegmentRegister.cs.rawValue)].limit) {
            throw .generalProtection(0)
        }
        return t
    }

    func executeJmp(_ i: Instruction) throws(Fault) {
        rip = try nearBranchTarget(rip &+ i.immediate, size: i.size)
    }

    func executeJmpIndirect(_ i: Instruction) throws(Fault) {
        let target = try readRM(i, size: i.size)
        rip = try nearBranchTarget(target, size: i.size)
    }

    func executeCall(_ i: Instruction) throws(Fault) {
        let target = try nearBranchTarget(rip &+ i.immediate, size: i.size)
        try push(rip, size: i.size)
        rip = target
    }

    /// CALL r/m: the target is read (with the old RSP) before the return address is pushed.
    func executeCallIndirect(_ i: Instruction) throws(Fault) {
        let target = try nearBranchTarget(try readRM(i, size: i.size), size: i.size)
        try push(rip, size: i.size)
        rip = target
    }

    /// RET / RET imm16: pop the target, check it, then release imm16 more bytes of stack.
    func executeRet(_ i: Instruction) throws(Fault) {
        let size = i.size
        let target = try nearBranchTarget(try peekStack(at: 0, size: size), size: size)
        let release: UInt64 = i.form == .imm ? i.immediate & 0xFFFF : 0
        setStackPointer(stackPointer &+ UInt64(size) &+ release)
        rip = target
    }

    /// LOOP/LOOPE/LOOPNE: the counter (CX/ECX/RCX by address size) is decremented without
    /// changing flags; a 32-bit counter write zero-extends RCX.
    func executeLoop(_ i: Instruction) throws(Fault) {
        let count = (register(1, size: i.addressSize) &- 1) & CPU.mask(i.addressSize)
        var taken = count != 0
        if i.op == .loope { taken = taken && flags.zero }
        else if i.op == .loopne { taken = taken && !flags.zero }
        let target: UInt64 = taken ? try nearBranchTarget(rip &+ i.immediate, size: i.size) : rip
        setRegister(1, size: i.addressSize, count)
        rip = target
    }

    /// JCXZ/JECXZ/JRCXZ: the counter width is the address size.
    func executeJrcxz(_ i: Instruction) throws(Fault) {
        if register(1, size: i.addressSize) == 0 {
            rip = try nearBranchTarget(rip &+ i.immediate, size: i.size)
        }
    }

    /// INT3, INT n, INTO, INT1 (SDM vol. 2, INT n/INTO/INT3/INT1 operation). They raise a
    /// trap-class `Fault` (RIP already past the instruction) that the run loop hands to
    /// `deliver(_:)`, which applies the software-interrupt rules: INT n, INT3 and INTO check the
    /// gate DPL against the CPL and report EXT = 0, INT1 does neither (ExceptionDelivery.swift).
    /// INT n in virtual-8086 mode goes to the 8086 handler when CR4.VME and the TSS's redirection
    /// bitmap say so (VirtualModeExtensions.swift); otherwise with IOPL < 3 it is #GP(0). INT3
    /// and INTO are not IOPL-sensitive.
    ///
    /// Delivering here instead (`deliverSoftwareInterrupt`) would make a fault during delivery
    /// report RIP at the INT, as hardware does; that needs the host-vector runner to model the
    /// host OS's IDT first (see the issue 4 report).
    func executeSoftwareInterrupt(_ i: Instruction) throws(Fault) {
        // Delivered at once (SDM vol. 2, INT n/INTO/INT3/INT1): a fault during delivery is a fault
        // of this instruction, so RIP goes back to it; on success the handler runs next.
        switch i.op {
        case .int3:
            if vmx.nonRoot { try vmxSoftwareException(i, vector: 3) }
            try deliverSoftwareInterrupt(3, privileged: false, softwareException: true)
        case .int:
            if virtual8086 && cr4 & CR4.vme.rawValue != 0,
               try vmeRedirectInterrupt(UInt8(truncatingIfNeeded: i.immediate)) { return }
            if controlFlags & RFlags.virtual8086.rawValue != 0 && (controlFlags >> 12) & 3 != 3 {
                throw .generalProtection(0)
            }
            try deliverSoftwareInterrupt(UInt8(truncatingIfNeeded: i.immediate), privileged: false)
        case .into:
            if flags.overflow {
                if vmx.nonRoot { try vmxSoftwareException(i, vector: 4) }
                try deliverSoftwareInterrupt(4, privileged: false, softwareException: true)
            }
        case .int1:
            try deliverSoftwareInterrupt(1, privileged: true)
        default:
            throw .invalidOpcode
        }
    }

    /// BOUND r, m: signed compare of the register with the lower and upper bounds at m and
    /// m + size; out of range -> #BR (a fault).
    func executeBound(_ i: Instruction) throws(Fault) {
        let size = i.size
        let offset = effectiveAddress(i)
        let lower = Int64(bitPattern: CPU.signExtend(try read(i.segment, offset, size: size), size))
        let upperOffset = (offset &+ UInt64(size)) & CPU.mask(i.addressSize)
        let upper = Int64(bitPattern: CPU.signExtend(try read(i.segment, upperOffset, size: size), size))
        let index = Int64(bitPattern: CPU.signExtend(register(i.reg, size: size), size))
        if index < lower || index > upper { throw .boundRange }
    }
}
