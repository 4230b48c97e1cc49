/// DAA, DAS, AAA, AAS, AAM, AAD and SALC (SDM vol. 2; all #UD in 64-bit mode, which the decoder
/// enforces). The flags the SDM leaves undefined are given the values documented per
/// instruction below.
extension CPU {
    func executeBCD(_ i: Instruction) throws(Fault) {
        let al = UInt8(truncatingIfNeeded: registers[0])
        let ah = UInt8(truncatingIfNeeded: registers[0] >> 8)
        let old = flags.bits
        let cf = old & RFlags.carry.rawValue != 0
        let af = old & RFlags.auxiliaryCarry.rawValue != 0
        switch i.op {
        case .daa:
            // Undefined OF (AMD Zen 4 host, bcd32.txt): OF of the byte add old AL + total adjustment.
            var r = al
            var c = false
            var a = false
            if al & 0xF > 9 || af {
                r = al &+ 6
                c = cf || al > 0xF9
                a = true
            }
            if al > 0x99 || cf {
                r = r &+ 0x60
                c = true
            } else {
                c = false
            }
            setAL(r)
            flags.bits = CPU.szp(r) | (c ? RFlags.carry.rawValue : 0) | (a ? RFlags.auxiliaryCarry.rawValue : 0)
                | CPU.byteOverflow(al, r &- al, r, subtract: false)
        case .das:
            // Undefined OF (AMD Zen 4 host, bcd32.txt): OF of the byte subtraction old AL - total
            // adjustment. CF follows the current SDM pseudo-code: the second step only
            // sets it (there is no "ELSE CF <- 0").
            var r = al
            var c = false
            var a = false
            if al & 0xF > 9 || af {
                r = al &- 6
                c = cf || al < 6
                a = true
            }
            if al > 0x99 || cf {
                r = r &- 0x60
                c = true
            }
            setAL(r)
            flags.bits = CPU.szp(r) | (c ? RFlags.carry.rawValue : 0) | (a ? RFlags.auxiliaryCarry.rawValue : 0)
                | CPU.byteOverflow(al, al &- r, r, subtract: true)
        case .aaa, .aas:
            // AX +/- 106H form of current processors. Undefined SF/ZF/PF/OF: as the AMD Zen 4
            // host produces them (fixtures/vectors/bcd32.txt), the flags of the 16-bit
            // AX +/- 106H before AL is masked (SF = bit 15, ZF = AX == 0, PF of AL, OF of the
            // 16-bit add/sub; without adjustment those of the unchanged AX with OF = 0).
            let adjust = al & 0xF > 9 || af
            let original = UInt16(truncatingIfNeeded: registers[0])
            var ax = original
            if adjust {
                if i.op == .aaa {
                    ax = ax &+ 0x106
                } else {
                    ax = ax &- 6
                    ax = ax &- 0x100
                }
            }
            let unmasked = ax
            ax &= 0xFF0F
            registers[0] = registers[0] & ~0xFFFF | UInt64(ax)
            var f = CPU.szp(UInt8(truncatingIfNeeded: unmasked)) & RFlags.parity.rawValue
            if unmasked == 0 { f |= RFlags.zero.rawValue }
            if unmasked & 0x8000 != 0 { f |= RFlags.sign.rawValue }
            // OF of the 16-bit AX +/- 106H (0 without adjustment).
            let o: UInt16 = i.op == .aaa ? (original ^ unmasked) & (0x106 ^ unmasked)
                                         : (original ^ 0x106) & (original ^ unmasked)
            if adjust && o & 0x8000 != 0 { f |= RFlags.overflow.rawValue }
            flags.bits = f | (adjust ? RFlags.carry.rawValue | RFlags.auxiliaryCarry.rawValue : 0)
        case .aam:
            // Undefined OF/AF/CF: 0 (matches the AMD Zen 4 host, bcd32.txt).
            let base = UInt8(truncatingIfNeeded: i.immediate)
            if base == 0 { throw .divideError }
            let q = al / base
            let r = al % base
            registers[0] = registers[0] & ~0xFFFF | UInt64(q) << 8 | UInt64(r)
            flags.bits = CPU.szp(r)
        case .aad:
            // Undefined OF/AF/CF (AMD Zen 4 host, bcd32.txt): those of the byte add AL + AH * imm8.
            let base = UInt8(truncatingIfNeeded: i.immediate)
            let product = ah &* base
            let r = al &+ product
            registers[0] = registers[0] & ~0xFFFF | UInt64(r)
            flags.set(.add, size: 1, a: UInt64(al), b: UInt64(product), result: UInt64(r))
        case .salc:
            setAL(cf ? 0xFF : 0)
        default:
            throw .invalidOpcode
        }
    }

    @inline(__always)
    private func setAL(_ v: UInt8) {
        registers[0] = registers[0] & ~0xFF | UInt64(v)
    }

    /// OF of the byte operation a + b = r (or a - b = r) as an RFLAGS bit.
    @inline(__always)
    static func byteOverflow(_ a: UInt8, _ b: UInt8, _ r: UInt8, subtract: Bool) -> UInt64 {
        let o = subtract ? (a ^ b) & (a ^ r) : (a ^ r) & (b ^ r)
        return o & 0x80 != 0 ? RFlags.overflow.rawValue : 0
    }

    /// SF, ZF and PF of a byte result, as RFLAGS bits.
    @inline(__always)
    static func szp(_ v: UInt8) -> UInt64 {
        var f: UInt64 = 0
        if v == 0 { f |= RFlags.zero.rawValue }
        if v & 0x80 != 0 { f |= RFlags.sign.rawValue }
        if v.nonzeroBitCount & 1 == 0 { f |= RFlags.parity.rawValue }
        return f
    }
}
