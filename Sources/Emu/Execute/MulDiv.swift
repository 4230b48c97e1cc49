/// MUL, IMUL (one, two and three operands), DIV, IDIV (SDM vol. 2).
///
/// MUL/IMUL define CF and OF only; DIV/IDIV leave every status flag undefined. The undefined
/// flags follow the vendor (`multiplyFlags`, `divideFlags`): the AMD values are the AMD Zen 4
/// host's (fixtures/vectors/muldiv.txt), the Intel values what Bochs models.
/// #DE (`Fault.divideError`) on a zero divisor and on a quotient that does not fit, checked before
/// anything is written. Swift's `dividingFullWidth` traps on overflow, so every call is guarded.
extension CPU {
    /// The status flags after MUL/IMUL: CF = OF = `overflow`. SF, ZF, AF, PF are undefined:
    /// AMD leaves them unchanged; the Intel model sets SF, ZF, PF from the low half and clears AF.
    @inline(__always)
    func multiplyFlags(low: UInt64, size: UInt8, overflow: Bool) -> UInt64 {
        let f: UInt64 = overflow ? RFlags.carry.rawValue | RFlags.overflow.rawValue : 0
        if vendor == .amd {
            return f | flags.bits & ~(RFlags.carry.rawValue | RFlags.overflow.rawValue)
        }
        return f | CPU.zeroSignParityBits(low, size: size)
    }

    /// The status flags after a DIV/IDIV that did not fault (all undefined): AMD keeps CF and OF,
    /// clears SF, ZF, PF and sets AF; the Intel model leaves them all unchanged.
    @inline(__always)
    func divideFlags() {
        if vendor == .amd {
            flags.bits = flags.bits & (RFlags.carry.rawValue | RFlags.overflow.rawValue)
                | RFlags.auxiliaryCarry.rawValue
        }
    }

    /// MUL: AX <- AL * r/m8; DX:AX, EDX:EAX, RDX:RAX <- rAX * r/m. CF = OF = high half non-zero.
    func executeMul(_ i: Instruction) throws(Fault) {
        let size = i.size
        let src = try readRM(i, size: size)
        let a = register(0, size: size)
        let low: UInt64
        let high: UInt64
        switch size {
        case 1:
            let p = a &* src
            setRegister(0, size: 2, p)
            low = p & 0xFF
            high = p &>> 8
        case 2, 4:
            let p = a &* src
            let bits = UInt64(size) &* 8
            low = p & CPU.mask(size)
            high = p &>> bits
            setRegister(0, size: size, low)
            setRegister(2, size: size, high)
        default:
            let p = a.multipliedFullWidth(by: src)
            low = p.low
            high = p.high
            registers[0] = low
            registers[2] = high
        }
        flags.bits = multiplyFlags(low: low, size: size, overflow: high != 0)
    }

    /// IMUL r/m (one operand): the signed double-width product in AX, DX:AX, EDX:EAX or RDX:RAX.
    /// CF = OF = the high half is not the sign extension of the low half.
    func executeImul1(_ i: Instruction) throws(Fault) {
        let size = i.size
        let src = Int64(bitPattern: CPU.signExtend(try readRM(i, size: size), size))
        let a = Int64(bitPattern: CPU.signExtend(register(0, size: size), size))
        let low: UInt64
        let overflow: Bool
        switch size {
        case 1, 2, 4:
            // |a * src| <= 2^62: no overflow in Int64.
            let p = a &* src
            let up = UInt64(bitPattern: p)
            low = up & CPU.mask(size)
            overflow = CPU.signExtend(low, size) != up
            if size == 1 {
                setRegister(0, size: 2, up)
            } else {
                setRegister(0, size: size, low)
                setRegister(2, size: size, up &>> (UInt64(size) &* 8))
            }
        default:
            let p = a.multipliedFullWidth(by: src)
            low = p.low
            overflow = p.high != (Int64(bitPattern: low) < 0 ? -1 : 0)
            registers[0] = low
            registers[2] = UInt64(bitPattern: p.high)
        }
        flags.bits = multiplyFlags(low: low, size: size, overflow: overflow)
    }

    /// IMUL r, r/m (0F AF) and IMUL r, r/m, imm (69, 6B; the immediate is already sign-extended).
    func executeImul(_ i: Instruction) throws(Fault) {
        let size = i.size
        let b: UInt64
        let a: UInt64
        if i.form == .regRmImm {
            a = try readRM(i, size: size)
            b = i.immediate
        } else {
            a = try readRM(i, size: size)
            b = register(i.reg, size: size)
        }
        let sa = Int64(bitPattern: CPU.signExtend(a, size))
        let sb = Int64(bitPattern: CPU.signExtend(b & CPU.mask(size), size))
        let low: UInt64
        let overflow: Bool
        if size == 8 {
            let p = sa.multipliedFullWidth(by: sb)
            low = p.low
            overflow = p.high != (Int64(bitPattern: low) < 0 ? -1 : 0)
        } else {
            let up = UInt64(bitPattern: sa &* sb)
            low = up & CPU.mask(size)
            overflow = CPU.signExtend(low, size) != up
        }
        setRegister(i.reg, size: size, low)
        flags.bits = multiplyFlags(low: low, size: size, overflow: overflow)
    }

    /// DIV: unsigned AX / r/m8 -> AL, AH; rDX:rAX / r/m -> rAX, rDX.
    func executeDiv(_ i: Instruction) throws(Fault) {
        let size = i.size
        let divisor = try readRM(i, size: size)
        if divisor == 0 { throw .divideError }
        switch size {
        case 1:
            let dividend = register(0, size: 2)
            let q = dividend / divisor
            if q > 0xFF { throw .divideError }
            setRegister(0, size: 2, (dividend % divisor) &<< 8 | q)
        case 2, 4:
            let bits = UInt64(size) &* 8
            let dividend = register(2, size: size) &<< bits | register(0, size: size)
            let q = dividend / divisor
            if q > CPU.mask(size) { throw .divideError }
            setRegister(0, size: size, q)
            setRegister(2, size: size, dividend % divisor)
        default:
            let high = registers[2]
            // The quotient fits in 64 bits exactly when the high half is below the divisor.
            if high >= divisor { throw .divideError }
            let (q, r) = divisor.dividingFullWidth((high: high, low: registers[0]))
            registers[0] = q
            registers[2] = r
        }
        divideFlags()
    }

    /// IDIV: signed AX / r/m8 -> AL, AH; rDX:rAX / r/m -> rAX, rDX. The quotient is truncated
    /// toward zero and the remainder has the dividend's sign; a quotient outside the signed
    /// range (including the most negative dividend divided by -1) is #DE.
    func executeIdiv(_ i: Instruction) throws(Fault) {
        let size = i.size
        let divisorBits = try readRM(i, size: size)
        if divisorBits == 0 { throw .divideError }
        let divisor = Int64(bitPattern: CPU.signExtend(divisorBits, size))
        let divisorNegative = divisor < 0
        let divisorMagnitude = divisor.magnitude
        // The dividend as a sign and a 128-bit magnitude (high, low).
        var high: UInt64
        var low: UInt64
        switch size {
        case 1:
            low = CPU.signExtend(register(0, size: 2), 2)
            high = Int64(bitPattern: low) < 0 ? UInt64.max : 0
        case 2, 4:
            let bits = UInt64(size) &* 8
            let wide = size == 2 ? 4 : 8 as UInt8
            low = CPU.signExtend(register(2, size: size) &<< bits | register(0, size: size), wide)
            high = Int64(bitPattern: low) < 0 ? UInt64.max : 0
        default:
            low = registers[0]
            high = registers[2]
        }
        let dividendNegative = Int64(bitPattern: high) < 0
        if dividendNegative {
            // Two's complement negation of the 128-bit value.
            low = ~low &+ 1
            high = ~high &+ (low == 0 ? 1 : 0)
        }
        if high >= divisorMagnitude { throw .divideError }
        let (qm, rm) = divisorMagnitude.dividingFullWidth((high: high, low: low))
        let negative = dividendNegative != divisorNegative
        // Largest magnitude allowed: 2^(bits-1) for a negative quotient, 2^(bits-1) - 1 otherwise.
        let limit = CPU.signBit(size) &- (negative ? 0 : 1)
        if qm > limit { throw .divideError }
        let q = (negative ? 0 &- qm : qm) & CPU.mask(size)
        let r = (dividendNegative ? 0 &- rm : rm) & CPU.mask(size)
        if size == 1 {
            setRegister(0, size: 2, r &<< 8 | q)
        } else {
            setRegister(0, size: size, q)
            setRegister(2, size: size, r)
        }
        divideFlags()
    }
}
