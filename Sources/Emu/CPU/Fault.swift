/// An architectural exception raised while executing an instruction (SDM vol. 3, 6.3).
///
/// Faults are values: every handler that can fault is `throws(Fault)`, so guest input can never
/// trap the process. The run loop turns a fault into exception delivery (or a VM exit).
public struct Fault: Error, Equatable, Sendable {
    /// The exception vector (0 = #DE ... 21 = #CP).
    public var vector: UInt8
    /// The error code pushed with the exception, if this vector has one.
    public var errorCode: UInt32?
    /// Trap-class event (INT n, INT3, INTO, INT1): RIP already points past the instruction.
    public var trap: Bool

    @inlinable public init(vector: UInt8, errorCode: UInt32? = nil, trap: Bool = false) {
        self.vector = vector
        self.errorCode = errorCode
        self.trap = trap
    }

    public static let divideError = Fault(vector: 0)                 // #DE
    public static let debug = Fault(vector: 1)                       // #DB
    public static let breakpoint = Fault(vector: 3)                  // #BP
    public static let overflow = Fault(vector: 4)                    // #OF
    public static let boundRange = Fault(vector: 5)                  // #BR
    public static let invalidOpcode = Fault(vector: 6)               // #UD
    public static let deviceNotAvailable = Fault(vector: 7)          // #NM
    public static let x87 = Fault(vector: 16)                        // #MF
    public static let simdFloatingPoint = Fault(vector: 19)          // #XM
    public static func generalProtection(_ code: UInt32 = 0) -> Fault { Fault(vector: 13, errorCode: code) }
    public static func stackFault(_ code: UInt32 = 0) -> Fault { Fault(vector: 12, errorCode: code) }
    public static func segmentNotPresent(_ code: UInt32) -> Fault { Fault(vector: 11, errorCode: code) }
    public static func invalidTSS(_ code: UInt32) -> Fault { Fault(vector: 10, errorCode: code) }
    public static func alignmentCheck() -> Fault { Fault(vector: 17, errorCode: 0) }
    public static func pageFault(_ code: UInt32) -> Fault { Fault(vector: 14, errorCode: code) }

    /// The mnemonic used by the manuals, for reports.
    public var mnemonic: String {
        let names = ["#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
                     "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"]
        return Int(vector) < names.count ? names[Int(vector)] : "vector \(vector)"
    }

    /// The mnemonic with the error code, for reports: "#GP(0x43)", "#UD".
    public var name: String { mnemonic + (errorCode.map { "(0x\(String($0, radix: 16)))" } ?? "") }
}
