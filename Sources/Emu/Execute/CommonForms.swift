/// The specialised handlers of the common forms (`Handler`, chosen at decode time): the same
/// semantics as the generic handlers they stand for (Arithmetic.swift, DataMovement.swift,
/// ControlFlow.swift), with the operand kind and registers fixed, reading the decoded
/// instruction in place.
extension CPU {
    /// Executes the instruction at `p` (RIP already points past it).
    @inline(__always)
    func execute(_ p: UnsafePointer<Instruction>) throws(Fault) {
        let handler = p.pointee.handler
        let regs = registers
        switch handler {
        case .generic:
            try executeGeneric(p)
        case .movRR:
            regs[Int(p.pointee.dst)] = regs[Int(p.pointee.src)] & CPU.mask(p.pointee.size)
        case .movRI:
            regs[Int(p.pointee.dst)] = p.pointee.immediate & CPU.mask(p.pointee.size)
        case .movLoad:
            let size = p.pointee.size
            let v = try read(p.pointee.segment, effectiveAddress(p), size: size)
            regs[Int(p.pointee.dst)] = v
        case .movStore:
            let size = p.pointee.size
            try write(p.pointee.segment, effectiveAddress(p), size: size, regs[Int(p.pointee.src)])
        case .addRR: aluRR(.addRR, p)
        case .orRR: aluRR(.orRR, p)
        case .andRR: aluRR(.andRR, p)
        case .subRR: aluRR(.subRR, p)
        case .xorRR: aluRR(.xorRR, p)
        case .cmpRR: aluRR(.cmpRR, p)
        case .testRR: aluRR(.testRR, p)
        case .addRI: aluRI(.addRI, p)
        case .orRI: aluRI(.orRI, p)
        case .andRI: aluRI(.andRI, p)
        case .subRI: aluRI(.subRI, p)
        case .xorRI: aluRI(.xorRI, p)
        case .cmpRI: aluRI(.cmpRI, p)
        case .testRI: aluRI(.testRI, p)
        case .incR, .decR:
            let size = p.pointee.size
            let m = CPU.mask(size)
            let d = Int(p.pointee.dst)
            let a = regs[d] & m
            let carry: UInt64 = flags.carry ? 1 : 0
            let inc = handler == .incR
            let r = (inc ? a &+ 1 : a &- 1) & m
            regs[d] = r
            flags.eager = carry
            flags.set(inc ? .inc : .dec, size: size, a: a, b: 1, result: r)
        case .rolRI: shiftRegister(.rol, p)
        case .rorRI: shiftRegister(.ror, p)
        case .shlRI: shiftRegister(.shl, p)
        case .shrRI: shiftRegister(.shr, p)
        case .sarRI: shiftRegister(.sar, p)
        case .jcc:
            if flags.condition(p.pointee.sub) {
                rip = try nearBranchTarget(rip &+ p.pointee.immediate, size: p.pointee.size)
            }
        case .jzJnz:
            if flags.zero != (p.pointee.sub & 1 != 0) {
                rip = try nearBranchTarget(rip &+ p.pointee.immediate, size: p.pointee.size)
            }
        case .jmp:
            rip = try nearBranchTarget(rip &+ p.pointee.immediate, size: p.pointee.size)
        }
    }

    @inline(__always)
    func aluRR(_ handler: Handler, _ p: UnsafePointer<Instruction>) {
        let m = CPU.mask(p.pointee.size)
        aluRegister(handler, p, registers[Int(p.pointee.dst)] & m, registers[Int(p.pointee.src)] & m, m)
    }

    @inline(__always)
    func aluRI(_ handler: Handler, _ p: UnsafePointer<Instruction>) {
        let m = CPU.mask(p.pointee.size)
        aluRegister(handler, p, registers[Int(p.pointee.dst)] & m, p.pointee.immediate & m, m)
    }

    /// The register forms of ADD, OR, AND, SUB, XOR, CMP, TEST (`executeALU`, `executeTest`):
    /// `a` and `b` already truncated to the operand size, whose mask is `m`.
    @inline(__always)
    func aluRegister(_ handler: Handler, _ p: UnsafePointer<Instruction>, _ a: UInt64, _ b: UInt64, _ m: UInt64) {
        let size = p.pointee.size
        let r: UInt64
        let op: LazyFlags.Operation
        switch handler {
        case .addRR, .addRI: r = (a &+ b) & m; op = .add
        case .orRR, .orRI: r = a | b; op = .logic
        case .andRR, .andRI, .testRR, .testRI: r = a & b; op = .logic
        case .xorRR, .xorRI: r = a ^ b; op = .logic
        default: r = (a &- b) & m; op = .sub   // sub, cmp
        }
        flags.set(op, size: size, a: a, b: b, result: r)
        switch handler {
        case .cmpRR, .cmpRI, .testRR, .testRI: break
        default: registers[Int(p.pointee.dst)] = r
        }
    }

    /// A shift or rotate of register `dst` by the masked count `src` (`executeShift`).
    @inline(__always)
    func shiftRegister(_ op: Op, _ p: UnsafePointer<Instruction>) {
        let size = p.pointee.size
        let d = Int(p.pointee.dst)
        let (r, f) = shifted(op, registers[d] & CPU.mask(size), count: UInt64(p.pointee.src), size: size)
        registers[d] = r
        flags.bits = f
    }

    /// The offset of the memory operand of the instruction at `p` (`effectiveAddress`).
    @inline(__always)
    func effectiveAddress(_ p: UnsafePointer<Instruction>) -> UInt64 {
        let a = UInt64(bitPattern: p.pointee.displacement) &+ registers[Int(p.pointee.base)]
            &+ (registers[Int(p.pointee.index)] &<< UInt64(p.pointee.scale))
        return a & CPU.mask(p.pointee.addressSize)
    }
}
