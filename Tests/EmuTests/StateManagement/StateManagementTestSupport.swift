@testable import Emu

/// A machine with FXSR, SSE and the XSAVE feature set (all in both CPU models) enabled as an OS
/// enables them: CR4.OSFXSR, CR4.OSXSAVE and XCR0 = x87 | SSE. The state area is at `area`
/// (64-byte aligned), addressed through RAX by the instructions under test.
func stateMachine(_ mode: CodeMode, vendor: Vendor = .intel) -> FlatMachine {
    let m = systemMachine(mode, vendor: vendor)
    m.cpu.cr4 |= CR4.osfxsr.rawValue | CR4.osxsave.rawValue
    m.cpu.xcr0 = 3
    m.cpu.registers[0] = stateArea
    return m
}

let stateArea: UInt64 = 0x20000
let nm: Fault? = .deviceNotAvailable

extension FlatMachine {
    /// Fills the 1 KiB at the area with `byte`.
    func fillArea(_ byte: UInt8) {
        for k in 0..<128 { memory.write(stateArea + UInt64(8 * k), size: 8, value: UInt64(byte) &* 0x0101_0101_0101_0101) }
    }

    /// The `size`-byte little-endian field at byte `offset` of the area.
    func area(_ offset: Int, _ size: Int) -> UInt64 { memory.read(stateArea + UInt64(offset), size: size) }

    func setArea(_ offset: Int, _ size: Int, _ value: UInt64) {
        memory.write(stateArea + UInt64(offset), size: size, value: value)
    }

    /// Runs an XSAVE-family instruction with the instruction mask EDX:EAX = `mask` and the area in RCX.
    func xsaveFamily(_ bytes: [UInt8], mask: UInt64 = ~0) -> Fault? {
        cpu.registers[0] = mask & 0xFFFF_FFFF
        cpu.registers[2] = mask >> 32
        cpu.registers[1] = stateArea
        return fault(bytes)
    }
}

/// Encodings with the memory operand [RAX] (FXSAVE family) or [RCX] (XSAVE family, whose
/// EDX:EAX is the instruction mask).
enum StateOp {
    static let fxsave: [UInt8] = [0x0F, 0xAE, 0x00]
    static let fxsave64: [UInt8] = [0x48, 0x0F, 0xAE, 0x00]
    static let fxrstor: [UInt8] = [0x0F, 0xAE, 0x08]
    static let fxrstor64: [UInt8] = [0x48, 0x0F, 0xAE, 0x08]
    static let ldmxcsr: [UInt8] = [0x0F, 0xAE, 0x10]
    static let stmxcsr: [UInt8] = [0x0F, 0xAE, 0x18]
    static let xsave: [UInt8] = [0x0F, 0xAE, 0x21]
    static let xsave64: [UInt8] = [0x48, 0x0F, 0xAE, 0x21]
    static let xrstor: [UInt8] = [0x0F, 0xAE, 0x29]
    static let xsaveopt: [UInt8] = [0x0F, 0xAE, 0x31]
    static let xsavec: [UInt8] = [0x0F, 0xC7, 0x21]
    static let xsaves: [UInt8] = [0x0F, 0xC7, 0x29]
    static let xrstors: [UInt8] = [0x0F, 0xC7, 0x19]
    static let xgetbv: [UInt8] = [0x0F, 0x01, 0xD0]
}
