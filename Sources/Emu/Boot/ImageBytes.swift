/// Bounds-checked little-endian reads from an image file: every offset comes from the file, so
/// nothing here may trap (DESIGN.md: guest data never crashes the process).
struct ImageBytes {
    let bytes: [UInt8]

    var count: Int { bytes.count }

    /// The little-endian value of `size` bytes at `offset`, or nil past the end of the file.
    func load(_ offset: UInt64, size: Int) -> UInt64? {
        guard offset <= UInt64(bytes.count), UInt64(size) <= UInt64(bytes.count) - offset else { return nil }
        var v: UInt64 = 0
        let o = Int(offset)
        for k in 0..<size { v |= UInt64(bytes[o + k]) << (8 * UInt64(k)) }
        return v
    }

    func u8(_ o: UInt64) -> UInt8? { load(o, size: 1).map { UInt8($0) } }
    func u16(_ o: UInt64) -> UInt16? { load(o, size: 2).map { UInt16($0) } }
    func u32(_ o: UInt64) -> UInt32? { load(o, size: 4).map { UInt32($0) } }
    func u64(_ o: UInt64) -> UInt64? { load(o, size: 8) }

    /// `length` bytes from `offset`, or nil if they are not all in the file.
    func slice(_ offset: UInt64, length: UInt64) -> ArraySlice<UInt8>? {
        guard offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else { return nil }
        return bytes[Int(offset)..<Int(offset + length)]
    }
}
