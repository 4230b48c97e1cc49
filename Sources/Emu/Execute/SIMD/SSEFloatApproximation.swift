/// RCPPS, RCPSS, RSQRTPS and RSQRTSS: approximate reciprocals and reciprocal square roots
/// (SDM vol. 2). The SDM bounds the relative error by 1.5 * 2^-12 and leaves the approximation
/// to the implementation; swemu returns the correctly rounded reciprocal (RCP) and the
/// reciprocal of the correctly rounded square root (RSQRT), computed by the soft-float library
/// in round-to-nearest, whatever MXCSR says: relative error about 2^-23 at most, the same on
/// every host. Hardware returns about 12 significant bits, which differ between models.
///
/// The special cases are the SDM's: no MXCSR flag is ever set; a denormal source is read as a
/// zero of its sign, so ±0 and denormals give ±∞; ±∞ gives ±0 (RSQRT(-∞) is the indefinite
/// QNaN, as is RSQRT of any other negative value); an SNaN source is returned quieted, a QNaN
/// as it is; tiny reciprocals are flushed to a zero of the operand's sign.
extension CPU {
    func executeApproximation(_ i: Instruction, squareRoot: Bool) throws(Fault) {
        var r = xmmRegister(i.reg)
        if CPU.ssePrefixColumn(i) == 0 {
            let b = try readXMMOperand(i, aligned: true)
            for k in 0..<4 { r.setBinary32(k, CPU.approximateReciprocal(b.binary32(k), squareRoot: squareRoot)) }
        } else {
            r.setBinary32(0, CPU.approximateReciprocal(try scalarOperand32(i), squareRoot: squareRoot))
        }
        setXMMRegister(i.reg, r)
    }

    /// 1/x or 1/sqrt(x) under the rules above: DAZ and FTZ with every exception masked, flags
    /// discarded.
    static func approximateReciprocal(_ x: UInt32, squareRoot: Bool) -> UInt32 {
        var env = FloatEnvironment()
        env.denormalsAreZero = true
        env.flushToZero = true
        let one: UInt32 = 0x3F80_0000
        return SoftFloat.div(one, squareRoot ? SoftFloat.sqrt(x, &env) : x, &env)
    }
}
