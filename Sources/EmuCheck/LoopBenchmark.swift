import Emu

/// A tight integer loop (ALU, memory load/store, compare, branch) run in 64-bit mode:
/// the guest-MIPS figure of the integer core.
public enum LoopBenchmark {
    /// ```
    /// mov ecx, iterations
    /// loop: add rax, rcx        ; 48 01 c8
    ///       xor rdx, rax        ; 48 31 c2
    ///       mov [rbx+8], rdx    ; 48 89 53 08
    ///       add rsi, [rbx+8]    ; 48 03 73 08
    ///       dec ecx             ; ff c9
    ///       jnz loop            ; 75 ee
    ///       hlt
    /// ```
    public static let code: [UInt8] = [0xB9, 0, 0, 0, 0,
                                       0x48, 0x01, 0xC8, 0x48, 0x31, 0xC2, 0x48, 0x89, 0x53, 0x08,
                                       0x48, 0x03, 0x73, 0x08, 0xFF, 0xC9, 0x75, 0xEE, 0xF4]

    /// Runs the loop and returns the instructions retired (6 per iteration + 2).
    public static func run(iterations: UInt32, vendor: Vendor = .intel) -> (retired: UInt64, rsi: UInt64) {
        guard let m = FlatMachine(memorySize: 1 << 20, mode: .long64, vendor: vendor) else { return (0, 0) }
        var bytes = code
        bytes[1] = UInt8(truncatingIfNeeded: iterations)
        bytes[2] = UInt8(truncatingIfNeeded: iterations >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: iterations >> 16)
        bytes[4] = UInt8(truncatingIfNeeded: iterations >> 24)
        _ = m.memory.load(bytes, at: 0x1000)
        let cpu = m.cpu
        cpu.rip = 0x1000
        cpu.registers[3] = 0x8000
        cpu.registers[4] = 0x9000
        while !cpu.halted {
            do throws(Fault) { try cpu.step() } catch { break }
        }
        return (cpu.instructionsRetired, cpu.registers[6])
    }
}
