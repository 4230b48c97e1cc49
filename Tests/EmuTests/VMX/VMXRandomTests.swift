import Testing
@testable import Emu

/// Random VMX instruction streams: random VMCS region contents, random pointers for VMXON,
/// VMCLEAR and VMPTRLD, random field encodings and values for VMREAD and VMWRITE. Every
/// instruction must end in an architectural outcome (VMsucceed, VMfailInvalid, VMfailValid with
/// a defined error number, or #UD/#GP/#SS/#PF), never a Swift trap, and VMWRITE then VMREAD of
/// the same supported component must give the value truncated to the component's width.
@Suite struct VMXRandomTests {
    /// SplitMix64: a fixed seed makes failures reproducible.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt64) -> UInt64 { next() % n }
    }

    static let regions: [UInt64] = [VMXTestMachine.vmxonRegion, VMXTestMachine.vmcsA, VMXTestMachine.vmcsB,
                                    0x5000, 0xF_F000]

    func randomPointer(_ g: inout Generator, _ m: VMXTestMachine) -> UInt64 {
        switch g.below(5) {
        case 0: return g.next()
        case 1: return g.below(1 << 20)                                   // inside RAM, any alignment
        case 2: return g.below(1 << 46) & ~0xFFF                          // aligned, mostly outside RAM
        default: return Self.regions[Int(g.below(UInt64(Self.regions.count)))]
        }
    }

    func randomEncoding(_ g: inout Generator) -> UInt64 {
        switch g.below(4) {
        case 0: return g.next()
        case 1: return g.below(0x8000)
        default:
            let e = VMCSField.catalog[Int(g.below(UInt64(VMCSField.catalog.count)))].field
            return UInt64(e.rawValue | UInt32(g.below(2)))
        }
    }

    func isArchitectural(_ o: VMOutcome) -> Bool {
        switch o {
        case .succeed, .failInvalid: return true
        case .failValid(let n): return VMInstructionError(rawValue: n) != nil
        case .fault(let f): return [6, 12, 13, 14].contains(f.vector)
        case .flags: return false
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomStream(seed: UInt64) {
        var g = Generator(state: seed &* 0x1234_5678_9ABC_DEF1)
        let m = VMXTestMachine()
        let revision = UInt64(m.cpu.vmx.capabilities.revisionIdentifier)
        // Random region contents; the revision identifier is usually right.
        for region in Self.regions {
            for k in stride(from: 0, to: 0x1000, by: 8) {
                m.memory.write(region + UInt64(k), size: 8, value: g.next())
            }
            if g.below(4) != 0 { m.memory.write(region, size: 4, value: revision) }
        }
        for step in 0..<3000 {
            if g.below(50) == 0 { m.cpu.vmx.capabilities.vmwriteToReadOnlyFields.toggle() }
            let outcome: VMOutcome
            let pointer = randomPointer(&g, m)
            switch g.below(12) {
            case 0: outcome = m.vmxon(pointer)
            case 1: outcome = g.below(4) == 0 ? m.run(VMXTestMachine.vmxoff) : m.vmclear(pointer)
            case 2, 3: outcome = m.vmptrld(pointer)
            case 4: outcome = m.vmptrst().0
            case 5: outcome = m.vmread(randomEncoding(&g)).0
            case 6, 7:
                let encoding = randomEncoding(&g), value = g.next()
                outcome = m.vmwrite(encoding, value)
                if outcome == .succeed, let slot = VMCSLayout.slot(ofEncoding: encoding) {
                    let field = VMCSField(rawValue: UInt32(encoding))
                    let expected = value & field.valueMask
                    #expect(m.vmread(encoding) == (.succeed, expected), "step \(step): \(field)")
                    #expect(slot < VMCSLayout.slotCount)
                }
            case 8: outcome = m.run(g.below(2) == 0 ? VMXTestMachine.vmlaunch : VMXTestMachine.vmresume)
            case 9:
                m.memory.write(0x7000, size: 8, value: g.next())
                m.memory.write(0x7008, size: 8, value: g.next())
                outcome = m.run(g.below(2) == 0 ? VMXTestMachine.inveptRAXMem : VMXTestMachine.invvpidRAXMem,
                                [0: g.below(6), 1: 0x7000])
            case 10:
                // A random memory operand address (faults are fine) for the pointer instructions.
                let bytes = [VMXTestMachine.vmptrldRCX, VMXTestMachine.vmclearRCX, VMXTestMachine.vmptrstRCX,
                             VMXTestMachine.vmreadMemRAX, VMXTestMachine.vmwriteRAXMem][Int(g.below(5))]
                outcome = m.run(bytes, [0: randomEncoding(&g), 1: g.next()])
            default: outcome = m.run(VMXTestMachine.vmcall)
            }
            #expect(isArchitectural(outcome), "step \(step): \(outcome)")
            // Guest-controlled data never makes the state inconsistent.
            #expect(VMCSLayout.slotCount == VMCSField.catalog.count)
            if !m.cpu.vmx.inVMXOperation { #expect(!m.cpu.vmx.hasCurrentVMCS) }
        }
    }
}
