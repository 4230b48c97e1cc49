/// ADD, SUB, MUL, DIV, SQRT, MIN and MAX in their PS, PD, SS and SD forms (SDM vol. 2; vol. 1,
/// 10.4.2 and 11.4.1). Packed forms read an aligned 16-byte memory operand; scalar forms read
/// 4 or 8 bytes and keep the rest of the destination.
extension CPU {
    enum SIMDFloatOperation {
        case add, sub, mul, div, sqrt, min, max
    }

    func executeArithmetic(_ i: Instruction, _ op: SIMDFloatOperation) throws(Fault) {
        var env = simdFloatEnvironment
        let a = xmmRegister(i.reg)
        var r = a
        switch CPU.ssePrefixColumn(i) {
        case 0:
            let b = try readXMMOperand(i, aligned: true)
            for k in 0..<4 { r.setBinary32(k, CPU.apply(op, a.binary32(k), b.binary32(k), &env)) }
        case 1:
            let b = try readXMMOperand(i, aligned: true)
            for k in 0..<2 { r.setBinary64(k, CPU.apply(op, a.binary64(k), b.binary64(k), &env)) }
        case 2:
            let b = try scalarOperand32(i)
            r.setBinary32(0, CPU.apply(op, a.binary32(0), b, &env))
        default:
            let b = try scalarOperand64(i)
            r.setBinary64(0, CPU.apply(op, a.low, b, &env))
        }
        try signalSIMDFloatingPoint(env.flags)
        setXMMRegister(i.reg, r)
    }

    /// `a op b` in single precision; SQRT takes the square root of `b`, the source operand.
    @inline(__always)
    static func apply(_ op: SIMDFloatOperation, _ a: UInt32, _ b: UInt32, _ env: inout FloatEnvironment) -> UInt32 {
        switch op {
        case .add: return SoftFloat.add(a, b, &env)
        case .sub: return SoftFloat.sub(a, b, &env)
        case .mul: return SoftFloat.mul(a, b, &env)
        case .div: return SoftFloat.div(a, b, &env)
        case .sqrt: return SoftFloat.sqrt(b, &env)
        case .min: return minimum(a, b, greater: false, &env)
        case .max: return minimum(a, b, greater: true, &env)
        }
    }

    @inline(__always)
    static func apply(_ op: SIMDFloatOperation, _ a: UInt64, _ b: UInt64, _ env: inout FloatEnvironment) -> UInt64 {
        switch op {
        case .add: return SoftFloat.add(a, b, &env)
        case .sub: return SoftFloat.sub(a, b, &env)
        case .mul: return SoftFloat.mul(a, b, &env)
        case .div: return SoftFloat.div(a, b, &env)
        case .sqrt: return SoftFloat.sqrt(b, &env)
        case .min: return minimum(a, b, greater: false, &env)
        case .max: return minimum(a, b, greater: true, &env)
        }
    }

    /// MINSS (`greater` false) / MAXSS: `a` when it is less (greater) than `b`, else `b`, so the
    /// second operand when either is a NaN (returned as it is, even an SNaN) or both are zeros of
    /// either sign. Any NaN is an invalid operation (the compare is signaling); with DAZ a
    /// denormal operand is read as a zero of its sign, and that zero is the result (SDM vol. 2,
    /// MINPS/MAXPS; vol. 1, 10.2.3.4).
    static func minimum(_ a: UInt32, _ b: UInt32, greater: Bool, _ env: inout FloatEnvironment) -> UInt32 {
        let order = SoftFloat.compare(a, b, signaling: true, &env)
        let r = order == (greater ? .greater : .less) ? a : b
        return env.denormalsAreZero && r & 0x7F80_0000 == 0 ? r & 0x8000_0000 : r
    }

    static func minimum(_ a: UInt64, _ b: UInt64, greater: Bool, _ env: inout FloatEnvironment) -> UInt64 {
        let order = SoftFloat.compare(a, b, signaling: true, &env)
        let r = order == (greater ? .greater : .less) ? a : b
        return env.denormalsAreZero && r & 0x7FF0_0000_0000_0000 == 0 ? r & 1 << 63 : r
    }
}
