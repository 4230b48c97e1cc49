import Foundation

/// The vectors of fixtures/float (written by tools/float-oracle on the host CPU): one line per
/// executed instruction, fields separated by spaces, numbers in hexadecimal, "-" for unused
/// fields and "x" for an SSE instruction that raised #XM.
struct FloatVector {
    let line: String
    let fields: [Substring]

    var op: Substring { fields[0] }
    func hex(_ index: Int) -> UInt64 { UInt64(fields[index], radix: 16) ?? 0 }
    func isAbsent(_ index: Int) -> Bool { fields[index] == "-" || fields[index] == "x" }

    /// An f80 field: 4 hex digits of sign/exponent, then 16 of significand.
    func float80(_ index: Int) -> (signExponent: UInt16, significand: UInt64) {
        let text = fields[index]
        let split = text.index(text.startIndex, offsetBy: 4)
        return (UInt16(text[..<split], radix: 16) ?? 0, UInt64(text[split...], radix: 16) ?? 0)
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ name: String) throws -> [FloatVector] {
        let url = root.appendingPathComponent("fixtures/float/\(name).txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            FloatVector(line: String($0), fields: $0.split(separator: " "))
        }
    }
}
