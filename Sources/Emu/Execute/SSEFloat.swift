/// SSE floating-point arithmetic, comparisons and conversions.
extension CPU {
    func executeSSEFloat(_ i: Instruction) throws(Fault) {
        throw .invalidOpcode
    }
}
