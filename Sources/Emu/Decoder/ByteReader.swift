/// Reads instruction bytes with the 15-byte limit (SDM vol. 2, 2.3.11) and the end of the
/// supplied bytes applied.
struct ByteReader {
    let base: UnsafeRawPointer
    let count: Int
    var position = 0

    @inline(__always)
    func peek(_ offset: Int = 0) throws(DecodeError) -> UInt8 {
        let at = position + offset
        if at >= 15 { throw .tooLong }
        if at >= count { throw .truncated }
        return base.load(fromByteOffset: at, as: UInt8.self)
    }

    @inline(__always)
    mutating func next() throws(DecodeError) -> UInt8 {
        let b = try peek()
        position += 1
        return b
    }

    /// Little-endian immediate of `bytes` bytes, zero-extended.
    mutating func unsigned(_ bytes: Int) throws(DecodeError) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<bytes { v |= UInt64(try next()) << (8 * UInt64(k)) }
        return v
    }

    /// Little-endian immediate of `bytes` bytes, sign-extended to 64 bits.
    mutating func signed(_ bytes: Int) throws(DecodeError) -> UInt64 {
        let v = try unsigned(bytes)
        let shift = UInt64(64 - 8 * bytes)
        return UInt64(bitPattern: Int64(bitPattern: v << shift) >> shift)
    }
}
