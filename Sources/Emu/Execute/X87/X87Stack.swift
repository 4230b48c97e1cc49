/// The x87 register stack (SDM vol. 1, 8.1.2): ST(i) is physical register R[(TOP + i) mod 8];
/// the tag word holds two bits per physical register.
extension CPU {
    @inline(__always)
    func x87Physical(_ i: Int) -> Int { (x87.top &+ i) & 7 }

    @inline(__always)
    func st(_ i: Int) -> Float80Bits { x87.registers[x87Physical(i)] }

    @inline(__always)
    func x87Tag(physical p: Int) -> UInt16 { (x87.tags >> UInt16(p &* 2)) & 3 }

    @inline(__always)
    func x87SetTag(physical p: Int, _ tag: UInt16) {
        let shift = UInt16(p &* 2)
        x87.tags = x87.tags & ~(3 << shift) | tag << shift
    }

    @inline(__always)
    func stEmpty(_ i: Int) -> Bool { x87Tag(physical: x87Physical(i)) == X87Tag.empty }

    /// Writes ST(i) and tags it from its contents.
    func setST(_ i: Int, _ v: Float80Bits) {
        let p = x87Physical(i)
        x87.registers[p] = v
        x87SetTag(physical: p, X87Class(v).tag)
    }

    func x87SetTop(_ top: Int) {
        x87.status = x87.status & ~0x3800 | UInt16(top & 7) << 11
    }

    /// Decrements TOP and writes the new ST(0) (the caller has checked for overflow).
    func x87Push(_ v: Float80Bits) {
        x87SetTop(x87.top &- 1)
        setST(0, v)
    }

    /// Marks ST(0) empty and increments TOP.
    func x87Pop() {
        x87SetTag(physical: x87Physical(0), X87Tag.empty)
        x87SetTop(x87.top &+ 1)
    }

    @inline(__always)
    func x87SetConditionCodes(_ codes: UInt16) {
        x87.status = x87.status & ~X87Status.conditionCodes | codes
    }

    @inline(__always)
    func x87ClearC1() { x87.status &= ~X87Status.c1 }

    /// Stack underflow or overflow (SDM vol. 1, 8.5.1.1): IE and SF, C1 = 1 for overflow and 0
    /// for underflow. True when the exception is masked, so the caller stores the masked
    /// response (the QNaN indefinite).
    func x87StackFault(overflow: Bool) -> Bool {
        x87.status = x87.status & ~X87Status.c1 | (overflow ? X87Status.c1 : 0) | X87Status.stackFault
        return x87Raise(X87Status.invalid)
    }

    /// A push with the overflow check of FLD and friends: when ST(7) is in use, stack overflow,
    /// and the masked response pushes the indefinite. False when nothing may be pushed (unmasked).
    func x87PushChecked(_ v: Float80Bits) -> Bool {
        if !stEmpty(7) {
            guard x87StackFault(overflow: true) else { return false }
            x87Push(X87Status.indefinite)
            return true
        }
        x87Push(v)
        return true
    }

    /// The full tag word as FNSTENV/FNSAVE store it: empty registers keep tag 11, the others are
    /// tagged from their contents (SDM vol. 1, 8.1.7; processors since the Pentium Pro keep only
    /// empty/non-empty internally).
    func x87FullTagWord() -> UInt16 {
        var word: UInt16 = 0
        for p in 0..<8 {
            let tag = x87Tag(physical: p) == X87Tag.empty ? X87Tag.empty : X87Class(x87.registers[p]).tag
            word |= tag << UInt16(p * 2)
        }
        return word
    }

    /// Loads a tag word: 11 empties a register, any other value tags it from its contents.
    func x87LoadTagWord(_ word: UInt16) {
        for p in 0..<8 {
            let empty = (word >> UInt16(p * 2)) & 3 == X87Tag.empty
            x87SetTag(physical: p, empty ? X87Tag.empty : X87Class(x87.registers[p]).tag)
        }
    }
}
