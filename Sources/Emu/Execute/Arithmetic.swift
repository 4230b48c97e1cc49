/// ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT (SDM vol. 2). Flags are
/// recorded lazily (`LazyFlags`); logic operations leave AF undefined, recorded as 0 (what both
/// vendors' parts produce).
extension CPU {
    @inline(__always)
    func executeALU(_ i: Instruction) throws(Fault) {
        let size = i.size
        let m = CPU.mask(size)
        let src = try sourceOperand(i, size: size)
        let dst: UInt64
        if i.op == .cmp {
            dst = i.form == .regRm ? register(i.reg, size: size) : try readRM(i, size: size)
        } else {
            dst = try destinationOperand(i, size: size)
        }
        let r: UInt64
        switch i.op {
        case .add:
            r = (dst &+ src) & m
            flags.set(.add, size: size, a: dst, b: src, result: r)
        case .or:
            r = dst | src
            flags.set(.logic, size: size, a: dst, b: src, result: r)
        case .adc:
            let carry: UInt64 = flags.carry ? 1 : 0
            r = (dst &+ src &+ carry) & m
            flags.eager = carry
            flags.set(.adc, size: size, a: dst, b: src, result: r)
        case .sbb:
            let carry: UInt64 = flags.carry ? 1 : 0
            r = (dst &- src &- carry) & m
            flags.eager = carry
            flags.set(.sbb, size: size, a: dst, b: src, result: r)
        case .and:
            r = dst & src
            flags.set(.logic, size: size, a: dst, b: src, result: r)
        case .xor:
            r = dst ^ src
            flags.set(.logic, size: size, a: dst, b: src, result: r)
        default:  // .sub, .cmp
            r = (dst &- src) & m
            flags.set(.sub, size: size, a: dst, b: src, result: r)
            if i.op == .cmp { return }
        }
        try writeDestination(i, size: size, r)
    }

    func executeTest(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = try readRM(i, size: size)
        let b = i.form == .rmReg ? register(i.reg, size: size) : i.immediate & CPU.mask(size)
        flags.set(.logic, size: size, a: a, b: b, result: a & b)
    }

    func executeIncDec(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = try readRMForUpdate(i, size: size)
        let carry: UInt64 = flags.carry ? 1 : 0
        let r: UInt64
        if i.op == .inc {
            r = (a &+ 1) & CPU.mask(size)
            try writeRM(i, size: size, r)
            flags.eager = carry
            flags.set(.inc, size: size, a: a, b: 1, result: r)
        } else {
            r = (a &- 1) & CPU.mask(size)
            try writeRM(i, size: size, r)
            flags.eager = carry
            flags.set(.dec, size: size, a: a, b: 1, result: r)
        }
    }

    func executeNeg(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = try readRMForUpdate(i, size: size)
        let r = (0 &- a) & CPU.mask(size)
        try writeRM(i, size: size, r)
        flags.set(.sub, size: size, a: 0, b: a, result: r)
    }

    func executeNot(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = try readRMForUpdate(i, size: size)
        try writeRM(i, size: size, ~a & CPU.mask(size))
    }
}
