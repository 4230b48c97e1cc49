import Testing
@testable import Emu

/// TSC scaling (secondary bit 25, TSC multiplier 2032H; SDM vol. 3, 24.6.5 and 25.3): with "use
/// TSC offsetting" and "use TSC scaling" both 1, RDTSC, RDTSCP and RDMSR of IA32_TSC return
/// ((TSC * multiplier) >> 48) + offset, the product taken at 128 bits. Without offsetting the
/// multiplier is ignored; the VMX-preemption timer is never scaled.
@Suite struct TSCScalingTests {
    typealias G = VMXGuestMachine
    static let useTSCOffsetting: UInt64 = 1 << 3
    static let useTSCScaling: UInt64 = 1 << 25
    static let one: UInt64 = 1 << 48
    static let rdtsc: [UInt8] = [0x0F, 0x31]
    static let vmcall: [UInt8] = [0x0F, 0x01, 0xC1]

    /// The SDM's formula, independently of the CPU: (t * m) >> 48 (low 64 bits) + offset.
    static func scaled(_ t: UInt64, _ m: UInt64, _ offset: UInt64) -> UInt64 {
        let (high, low) = t.multipliedFullWidth(by: m)
        return (UInt64(high) << 16 | low >> 48) &+ offset
    }

    /// Runs `code` (ending in VMCALL) with the controls; returns EDX:EAX and the TSC range
    /// (before VM entry, after the VM exit) that the read happened in.
    func guestRead(_ code: [UInt8], multiplier: UInt64, offset: UInt64, offsetting: Bool = true,
                   scaling: Bool = true, setup: (G) -> Void = { _ in }) -> (value: UInt64, range: ClosedRange<UInt64>) {
        let g = G()
        if offsetting { g.setControl(.primaryProcessorBasedVMExecutionControls, Self.useTSCOffsetting) }
        g.setSecondary(scaling ? Self.useTSCScaling : 0)
        g.cpu.vmx.write(.tscOffset, offset)
        g.cpu.vmx.write(.tscMultiplier, multiplier)
        setup(g)
        let before = g.cpu.tsc
        #expect(g.exitOf(code + Self.vmcall) == 18)
        return (g.cpu.registers[2] << 32 | g.cpu.registers[0] & 0xFFFF_FFFF, before...g.cpu.tsc)
    }

    /// Whether some TSC value in `range` gives `value` under the formula.
    func matches(_ r: (value: UInt64, range: ClosedRange<UInt64>), _ m: UInt64, _ offset: UInt64) -> Bool {
        r.range.contains { Self.scaled($0, m, offset) == r.value }
    }

    @Test func formula() {
        let c = G().cpu
        c.vmx.tscOffset = 0x100
        c.vmx.tscMultiplier = Self.one
        #expect(c.vmxGuestTSC(0xFFFF_FFFF_FFFF_FF00) == 0)                    // 1.0, offset wraps
        c.vmx.tscMultiplier = 3 << 47                                         // 1.5
        #expect(c.vmxGuestTSC(1 << 40) == 3 << 39 + 0x100)
        c.vmx.tscMultiplier = Self.one | 1                                     // 1 + 2^-48
        #expect(c.vmxGuestTSC(0x1234_5678_9ABC_DEF0) == 0x1234_5678_9ABC_DEF0 + 0x1234 + 0x100)
        c.vmx.tscMultiplier = 1 << 52                                          // 16.0: bit 64 is lost
        #expect(c.vmxGuestTSC(1 << 60) == 0x100)
        c.vmx.tscMultiplier = nil
        #expect(c.vmxGuestTSC(1 << 60) == 1 << 60 + 0x100)
    }

    @Test func rdtscDoubledThenOffset() {
        let m = 2 * Self.one
        let r = guestRead(Self.rdtsc, multiplier: m, offset: 0)
        #expect(r.value & 1 == 0 && matches(r, m, 0))
        let offset: UInt64 = 0xFFFF_FFFF_0000_0000                           // -2^32
        let s = guestRead(Self.rdtsc, multiplier: m, offset: offset)
        #expect(matches(s, m, offset))
        // Half rate: (TSC * 2^47) >> 48.
        let h = guestRead(Self.rdtsc, multiplier: Self.one >> 1, offset: 1 << 40)
        #expect(matches(h, Self.one >> 1, 1 << 40))
    }

    @Test func rdtscpAndRDMSRAreScaledToo() {
        let m = 3 * Self.one
        let p = guestRead([0x0F, 0x01, 0xF9], multiplier: m, offset: 7) { $0.setSecondary(1 << 3) }   // RDTSCP
        #expect(matches(p, m, 7))
        // MOV ECX, 10H; RDMSR with an all-zero MSR bitmap (no exit).
        let r = guestRead([0xB9, 0x10, 0x00, 0x00, 0x00, 0x0F, 0x32], multiplier: m, offset: 7) { g in
            g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 28)
            g.cpu.vmx.write(.msrBitmapsAddress, 0x2_0000)
            for k in stride(from: UInt64(0), to: 0x1000, by: 8) { g.memory.write(0x2_0000 + k, size: 8, value: 0) }
        }
        #expect(matches(r, m, 7))
    }

    /// "Use TSC scaling" without "use TSC offsetting" changes nothing (25.3); so does the
    /// multiplier without "use TSC scaling".
    @Test func scalingNeedsOffsetting() {
        let m = 4 * Self.one
        let r = guestRead(Self.rdtsc, multiplier: m, offset: 1 << 50, offsetting: false)
        #expect(matches(r, Self.one, 0))
        let s = guestRead(Self.rdtsc, multiplier: m, offset: 1 << 50, scaling: false)
        #expect(matches(s, Self.one, 1 << 50))
    }

    /// The preemption timer counts the unscaled TSC: it expires at the same cycle either way.
    @Test func preemptionTimerIsNotScaled() {
        func expiry(multiplier: UInt64) -> UInt64 {
            let g = G()
            g.setControl(.primaryProcessorBasedVMExecutionControls, Self.useTSCOffsetting)
            g.setControl(.pinBasedVMExecutionControls, 1 << 6)
            g.setSecondary(Self.useTSCScaling)
            g.cpu.vmx.write(.tscMultiplier, multiplier)
            g.cpu.vmx.write(.vmxPreemptionTimerValue, 20)
            #expect(g.exitOf([0xEB, 0xFE]) == 52)                              // JMP $
            return g.cpu.cycles
        }
        #expect(expiry(multiplier: 16 * Self.one) == expiry(multiplier: Self.one))
    }
}
