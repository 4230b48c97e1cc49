import Emu

/// Executes random byte streams on a `FlatMachine` from random register, flag, mode and paging
/// state. Whatever the bytes, the emulator must come back with an architectural result (an
/// instruction retired or a `Fault`); a Swift trap anywhere here is a bug.
public struct RandomStreams {
    public struct Summary: Sendable {
        public var streams = 0
        public var instructionsRetired = 0
        /// Count of faults per vector (index 0-31).
        public var faults = [Int](repeating: 0, count: 32)
        public init() {}
    }

    var state: UInt64

    public init(seed: UInt64) { state = seed | 1 }

    mutating func next() -> UInt64 {
        // xorshift64*
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// Runs `count` streams of up to `steps` instructions each.
    public mutating func run(count: Int, steps: Int = 4, vendor: Vendor = .intel) -> Summary {
        var summary = Summary()
        guard let m = FlatMachine(memorySize: 1 << 20, mode: .long64, vendor: vendor) else { return summary }
        let codeAddress: UInt64 = 0x8000
        let modes: [CodeMode] = [.long64, .long64, .protected32, .protected16, .real]
        for _ in 0..<count {
            summary.streams += 1
            let cpu = m.cpu
            cpu.enterFlatMode(modes[Int(next() % UInt64(modes.count))])
            if next() % 4 == 0 { cpu.enterUserMode() }
            var bytes: [UInt8] = []
            for _ in 0..<3 {
                let r = next()
                for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: r >> (8 * UInt64(k)))) }
            }
            // Bias towards interesting starts: prefixes, escapes, VEX/EVEX.
            switch next() % 8 {
            case 0: bytes[0] = 0x0F
            case 1: bytes[0] = [0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x64][Int(next() % 7)]
            case 2: bytes[0] = [0xC4, 0xC5, 0x62, 0x8F][Int(next() % 4)]
            case 3: bytes[0] = UInt8(0x40 | (next() & 0xF))
            default: break
            }
            _ = m.memory.load(bytes, at: codeAddress)
            for r in 0..<16 {
                let v = next()
                switch v % 4 {
                case 0: cpu.registers[r] = v >> 44                  // small: inside RAM
                case 1: cpu.registers[r] = v & 0xFFFF
                default: cpu.registers[r] = next()
                }
            }
            cpu.rflags = next() & 0xFFF | 0x2
            if next() % 8 == 0 {
                // Random paging state: the walker must cope with any tables.
                cpu.cr3 = next() & 0xF_FFFF
                cpu.cr4 = next() & 0x0030_00B0
                cpu.cr0 |= 0x8001_0000
                cpu.efer |= next() & 0x800
            }
            randomizeFloatingPointState(cpu)
            cpu.rip = codeAddress
            for _ in 0..<steps {
                do throws(Fault) {
                    try cpu.step()
                    summary.instructionsRetired += 1
                } catch {
                    summary.faults[Int(error.vector & 31)] += 1
                    break
                }
            }
        }
        return summary
    }

    /// Random x87, MMX, SSE and XSAVE state: any register contents (unsupported x87 encodings
    /// included), control and tag words, a valid MXCSR, sometimes random CR0.MP/EM/TS/NE, and in
    /// half the streams CR4.OSFXSR, OSXMMEXCPT and OSXSAVE with XCR0 = x87 | SSE, so the SIMD
    /// and state-management instructions execute instead of raising #UD.
    mutating func randomizeFloatingPointState(_ cpu: CPU) {
        for s in 0..<32 { cpu.xmm[s] = next() }
        cpu.mxcsr = UInt32(truncatingIfNeeded: next()) & 0xFFFF
        for r in 0..<8 {
            cpu.x87.registers[r] = Float80Bits(significand: next(), signExponent: UInt16(truncatingIfNeeded: next()))
        }
        cpu.x87.control = UInt16(truncatingIfNeeded: next())
        cpu.x87.status = UInt16(truncatingIfNeeded: next())
        cpu.x87.tags = UInt16(truncatingIfNeeded: next())
        if next() % 4 == 0 { cpu.cr0 = cpu.cr0 & ~0x2E | next() & 0x2E }     // MP, EM, TS, NE
        if next() % 2 == 0 {
            cpu.cr4 |= 0x4_0600
            cpu.xcr0 = 3
        } else {
            cpu.cr4 &= ~0x4_0600
            cpu.xcr0 = 1
        }
    }
}
