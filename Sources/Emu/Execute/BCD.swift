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
            // Undefined OF: 0.
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
        case .das:
            // Undefined OF: 0. CF follows the current SDM pseudo-code: the second step only
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
        case .aaa, .aas:
            // AX +/- 106H form of current processors. Undefined OF/SF/ZF/PF: from the final AL
            // (OF = 0).
            let adjust = al & 0xF > 9 || af
            var ax = UInt16(truncatingIfNeeded: registers[0])
            if adjust {
                if i.op == .aaa {
                    ax = ax &+ 0x106
                } else {
                    ax = ax &- 6
                    ax = ax &- 0x100
                }
            }
            ax &= 0xFF0F
            registers[0] = registers[0] & ~0xFFFF | UInt64(ax)
            let r = UInt8(truncatingIfNeeded: ax)
            flags.bits = CPU.szp(r) | (adjust ? RFlags.carry.rawValue | RFlags.auxiliaryCarry.rawValue : 0)
        case .aam:
            // Undefined OF/AF/CF: 0.
            let base = UInt8(truncatingIfNeeded: i.immediate)
            if base == 0 { throw .divideError }
            let q = al / base
            let r = al % base
            registers[0] = registers[0] & ~0xFFFF | UInt64(q) << 8 | UInt64(r)
            flags.bits = CPU.szp(r)
        case .aad:
            // Undefined OF/AF/CF: 0.
            let base = UInt8(truncatingIfNeeded: i.immediate)
            let r = al &+ ah &* base
            registers[0] = registers[0] & ~0xFFFF | UInt64(r)
            flags.bits = CPU.szp(r)
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
