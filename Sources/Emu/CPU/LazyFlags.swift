/// The status flags, kept lazily (DESIGN.md, hot path rules): arithmetic records its operation,
/// operands and result, and a flag is computed only when something reads it.
///
/// `op == .eager` means the status bits are in `eager`. For ADC/SBB `eager` bit 0 holds the carry
/// that went in; for INC/DEC it holds the carry flag they leave unchanged.
public struct LazyFlags: Sendable {
    public enum Operation: UInt8, Sendable {
        case eager, add, adc, sub, sbb, logic, inc, dec
    }

    public var op: Operation = .eager
    /// Operand size in bytes.
    public var size: UInt8 = 8
    public var a: UInt64 = 0
    public var b: UInt64 = 0
    /// The result, already truncated to `size`.
    public var result: UInt64 = 0
    public var eager: UInt64 = 0

    @inline(__always) var signBit: UInt64 { 1 &<< (UInt64(size) &* 8 &- 1) }

    @inline(__always)
    public mutating func set(_ op: Operation, size: UInt8, a: UInt64, b: UInt64, result: UInt64) {
        self.op = op
        self.size = size
        self.a = a
        self.b = b
        self.result = result
    }

    public var carry: Bool {
        @inline(__always) get {
            switch op {
            case .eager, .inc, .dec: return eager & 1 != 0
            case .add: return result < a
            case .adc: return eager & 1 != 0 ? result <= a : result < a
            case .sub: return a < b
            case .sbb: return eager & 1 != 0 ? a <= b : a < b
            case .logic: return false
            }
        }
    }

    public var zero: Bool {
        @inline(__always) get { op == .eager ? eager & 0x40 != 0 : result == 0 }
    }

    public var sign: Bool {
        @inline(__always) get { op == .eager ? eager & 0x80 != 0 : result & signBit != 0 }
    }

    public var overflow: Bool {
        @inline(__always) get {
            switch op {
            case .eager: return eager & 0x800 != 0
            case .add, .adc, .inc: return (a ^ result) & (b ^ result) & signBit != 0
            case .sub, .sbb, .dec: return (a ^ b) & (a ^ result) & signBit != 0
            case .logic: return false
            }
        }
    }

    public var parity: Bool {
        @inline(__always) get {
            op == .eager ? eager & 0x4 != 0 : (UInt8(truncatingIfNeeded: result).nonzeroBitCount & 1) == 0
        }
    }

    public var auxiliaryCarry: Bool {
        @inline(__always) get {
            switch op {
            case .eager: return eager & 0x10 != 0
            case .logic: return false
            default: return (a ^ b ^ result) & 0x10 != 0
            }
        }
    }

    /// The six status flags as RFLAGS bits.
    public var bits: UInt64 {
        get {
            if op == .eager { return eager & RFlags.status.rawValue }
            var f: UInt64 = 0
            if carry { f |= 0x1 }
            if parity { f |= 0x4 }
            if auxiliaryCarry { f |= 0x10 }
            if zero { f |= 0x40 }
            if sign { f |= 0x80 }
            if overflow { f |= 0x800 }
            return f
        }
        set {
            op = .eager
            eager = newValue & RFlags.status.rawValue
        }
    }

    /// PF, AF, ZF and SF as RFLAGS bits: what a rotate keeps (it sets only CF and OF).
    public var parityAuxiliaryZeroSign: UInt64 {
        @inline(__always) get {
            if op == .eager { return eager & 0xD4 }
            var f: UInt64 = 0
            if parity { f |= 0x4 }
            if auxiliaryCarry { f |= 0x10 }
            if zero { f |= 0x40 }
            if sign { f |= 0x80 }
            return f
        }
    }

    /// Evaluates condition code `cc` (the low nibble of Jcc/SETcc/CMOVcc; SDM vol. 1, appendix B).
    @inline(__always)
    public func condition(_ cc: UInt8) -> Bool {
        let r: Bool
        switch cc >> 1 {
        case 0: r = overflow
        case 1: r = carry
        case 2: r = zero
        case 3: r = carry || zero
        case 4: r = sign
        case 5: r = parity
        case 6: r = sign != overflow
        default: r = zero || (sign != overflow)
        }
        return r != (cc & 1 != 0)
    }
}
