/// SSE/SSE2/SSE3/SSE4.1 floating-point instructions (the opcodes `CPU.isSSEFloatingPoint`
/// selects), routed by opcode; the mandatory prefix (`CPU.ssePrefixColumn`) picks the PS, PD, SS
/// or SD form inside each handler. Arithmetic is the soft-float library's (Float/), so results
/// are the same on every host; exceptions follow MXCSR (Execute/SIMD/SSEFloatExceptions.swift).
extension CPU {
    func executeSSEFloat(_ i: Instruction) throws(Fault) {
        try requireSSE()
        switch i.opcode {
        case 0x12A: try executeConvertToFloat(i)
        case 0x12C: try executeConvertToInteger(i, truncate: true)
        case 0x12D: try executeConvertToInteger(i, truncate: false)
        case 0x12E: try executeOrderedCompare(i, signaling: false)
        case 0x12F: try executeOrderedCompare(i, signaling: true)
        case 0x151: try executeArithmetic(i, .sqrt)
        case 0x152: try executeApproximation(i, squareRoot: true)
        case 0x153: try executeApproximation(i, squareRoot: false)
        case 0x158: try executeArithmetic(i, .add)
        case 0x159: try executeArithmetic(i, .mul)
        case 0x15A: try executeConvertPrecision(i)
        case 0x15B: try executeConvertPackedSingleIntegers(i)
        case 0x15C: try executeArithmetic(i, .sub)
        case 0x15D: try executeArithmetic(i, .min)
        case 0x15E: try executeArithmetic(i, .div)
        case 0x15F: try executeArithmetic(i, .max)
        case 0x17C: try executeHorizontal(i, subtract: false)
        case 0x17D: try executeHorizontal(i, subtract: true)
        case 0x1C2: try executeCompare(i)
        case 0x1D0: try executeAddSubtract(i)
        case 0x1E6: try executeConvertPackedDoubleIntegers(i)
        case 0x308...0x30B: try executeRound(i)
        case 0x340: try executeDotProductSingle(i)
        case 0x341: try executeDotProductDouble(i)
        default: throw .invalidOpcode
        }
    }
}
