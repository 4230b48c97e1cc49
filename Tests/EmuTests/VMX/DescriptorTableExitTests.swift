import Testing
@testable import Emu

/// Descriptor-table exiting (SDM vol. 3, 25.1.3; reasons 46 and 47) with the exit qualification
/// (the displacement, 28.2.1) and the instruction-information formats of 28.2.5, and RDMSR of
/// IA32_TSC with TSC offsetting (25.3).
@Suite struct DescriptorTableExitTests {
    typealias G = VMXGuestMachine
    static let control: UInt64 = 1 << 2
    /// Address size 64 (bits 9:7 = 2), segment DS (17:15 = 3), no index (22).
    static let memoryInfo: UInt64 = 2 << 7 | 3 << 15 | 1 << 22

    func exit(_ code: [UInt8], control: Bool = true) -> G {
        let g = G()
        if control { g.setSecondary(Self.control) }
        _ = g.exitOf(code)
        return g
    }

    var info: (G) -> UInt64 { { $0.cpu.vmx.read(.vmExitInstructionInformation) } }

    @Test func sgdtAndLidt() {
        let g = exit([0x0F, 0x01, 0x40, 0x10])                             // SGDT [RAX+10H]
        #expect(g.exitReason == 46 && g.qualification == 0x10 && g.instructionLength == 4)
        #expect(g.savedRIP == G.guestCode)
        // Bit 11 (operand size) is undefined in 64-bit mode.
        #expect(info(g) & ~(1 << 11) == Self.memoryInfo | 0 << 23 | 0 << 28)
        let h = exit([0x0F, 0x01, 0x1B])                                   // LIDT [RBX]
        #expect(h.exitReason == 46 && h.qualification == 0)
        #expect(info(h) & ~(1 << 11) == Self.memoryInfo | 3 << 23 | 3 << 28)
    }

    @Test func sldtStrLtr() {
        let g = exit([0x0F, 0x00, 0xC0])                                   // SLDT EAX
        #expect(g.exitReason == 47 && g.instructionLength == 3)
        #expect(info(g) & ~3 == 2 << 7 | 1 << 10 | 0 << 3 | 0 << 28)       // register operand RAX
        let h = exit([0x0F, 0x00, 0x09])                                   // STR [RCX]
        #expect(h.exitReason == 47)
        #expect(info(h) == Self.memoryInfo | 1 << 23 | 1 << 28)
        let k = exit([0x0F, 0x00, 0xDB])                                   // LTR BX
        #expect(k.exitReason == 47)
        #expect(info(k) & ~3 == 2 << 7 | 1 << 10 | 3 << 3 | 3 << 28)
        let l = exit([0x0F, 0x00, 0x10])                                   // LLDT [RAX]
        #expect(l.exitReason == 47 && info(l) == Self.memoryInfo | 0 << 23 | 2 << 28)
    }

    @Test func noExitWithoutTheControl() {
        let g = exit([0x0F, 0x01, 0x40, 0x10, 0x0F, 0xA2], control: false) // SGDT [RAX+10H]; CPUID
        #expect(g.exitReason == 10 && g.savedRIP == G.guestCode + 4)
    }

    /// MOV ECX, 10H; RDMSR; CPUID with "use TSC offsetting" and an MSR bitmap that lets RDMSR
    /// of IA32_TSC through: EDX:EAX is the TSC plus the offset.
    @Test func rdmsrOfTSCAddsTheOffset() {
        let g = G()
        let offset: UInt64 = 0x5_0000_0000
        g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 3 | 1 << 28)
        g.cpu.vmx.write(.tscOffset, offset)
        g.cpu.vmx.write(.msrBitmapsAddress, 0x2_0000)
        for k in stride(from: UInt64(0), to: 0x1000, by: 8) { g.memory.write(0x2_0000 + k, size: 8, value: 0) }
        #expect(g.exitOf([0xB9, 0x10, 0x00, 0x00, 0x00, 0x0F, 0x32, 0x0F, 0xA2]) == 10)
        let value = g.cpu.registers[2] << 32 | g.cpu.registers[0] & 0xFFFF_FFFF
        #expect(value >= offset && value - offset <= g.cpu.tsc)
        #expect(value - offset > 0)
    }
}
