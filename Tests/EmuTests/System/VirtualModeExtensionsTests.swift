import Testing
@testable import Emu

/// Virtual-8086 mode extensions (CR4.VME, SDM vol. 3, 20.3) and protected-mode virtual
/// interrupts (CR4.PVI, 20.4). Expected values follow the SDM operation sections of PUSHF, POPF,
/// IRET, INT n, CLI and STI: with VME and IOPL < 3 the 16-bit forms work on VIF, the 32-bit forms
/// are #GP(0), and INT n consults the interrupt redirection bitmap (the 32 bytes below the TSS's
/// I/O map base).
@Suite struct VirtualModeExtensionsTests {
    static let vm: UInt64 = 1 << 17
    static let vif: UInt64 = 1 << 19
    static let vip: UInt64 = 1 << 20
    /// TSS: I/O map base 0x88, so the redirection bitmap is bytes 0x68-0x87.
    static let ioBase: UInt64 = 0x88

    /// A virtual-8086 task: CS = 0x0100 (code at linear 0x1000, IP 0), SS = 0, SP = 0x8000,
    /// CR4.VME = 1, IOPL = `iopl`, flags `extra`; TR = a 32-bit TSS whose redirection bitmap
    /// sends every vector to the 8086 handlers except those in `protectedVectors`.
    func v86(_ code: [UInt8], iopl: UInt64 = 0, extra: UInt64 = 0, protectedVectors: [UInt8] = []) -> SystemMachine {
        let s = SystemMachine()
        s.loadTR(index: 5, limit: UInt32(VirtualModeExtensionsTests.ioBase))
        s.write16(SystemMachine.tssBase + 102, VirtualModeExtensionsTests.ioBase)
        for v in protectedVectors {
            let a = SystemMachine.tssBase + VirtualModeExtensionsTests.ioBase - 32 + UInt64(v >> 3)
            m8(s, a, s.read(a, 1) | 1 << UInt64(v & 7))
        }
        s.cpu.cr0 |= 1
        s.cpu.cr4 |= CR4.vme.rawValue
        s.cpu.rflags = VirtualModeExtensionsTests.vm | iopl << 12 | extra | 2
        for k in 0..<6 {
            let sel: UInt16 = k == 1 ? 0x100 : 0
            s.cpu.segments[k] = SegmentCache(selector: sel, base: UInt64(sel) << 4, limit: 0xFFFF, attributes: 0xF3)
        }
        s.cpu.cpl = 3
        s.cpu.updateCodeMode()
        s.cpu.flushTLB()
        s.cpu.rip = 0
        s.cpu.registers[4] = 0x8000
        s.code(code, at: 0x1000)
        return s
    }

    func m8(_ s: SystemMachine, _ a: UInt64, _ v: UInt64) { s.m.memory.write(a, size: 1, value: v) }

    @Test func cpuidAdvertisesVMEAndCR4AcceptsVMEAndPVI() throws {
        let s = SystemMachine()
        #expect(s.cpu.cpuid(leaf: 1, subleaf: 0).3 & 1 << 1 != 0)
        try s.cpu.writeCR4(CR4.vme.rawValue | CR4.pvi.rawValue)
        #expect(s.cpu.cr4 & 3 == 3)
    }

    @Test func pushfPushesVIFAsIFAndIOPL3() throws {
        let s = v86([0x9C], extra: VirtualModeExtensionsTests.vif)
        try s.cpu.step()
        #expect(s.cpu.registers[4] == 0x7FFE)
        #expect(s.read(0x7FFE, 2) == 0x3202)                 // IF <- VIF = 1, IOPL = 3
        let t = v86([0x9C], extra: 0x200)                   // IF = 1, VIF = 0
        try t.cpu.step()
        #expect(t.read(0x7FFE, 2) == 0x3002)
    }

    @Test func thirtyTwoBitFormsAreGP() {
        for code: [UInt8] in [[0x66, 0x9C], [0x66, 0x9D], [0x66, 0xCF]] {
            let s = v86(code)
            #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
            #expect(s.cpu.registers[4] == 0x8000)
        }
    }

    @Test func popfSetsVIFAndKeepsIFAndIOPL() throws {
        let s = v86([0x9D])
        s.write16(0x8000, 0x3A01)                           // IOPL 3, OF, IF, CF
        try s.cpu.step()
        let f = s.cpu.rflags
        #expect(f & VirtualModeExtensionsTests.vif != 0)
        #expect(f & 0x200 == 0 && f & 0x3000 == 0)          // IF and IOPL unchanged
        #expect(f & 0xCFF == 0x803)                          // OF, CF loaded (bit 1 is always 1)
        #expect(s.cpu.registers[4] == 0x8002)
    }

    @Test func popfWithTFOrPendingInterruptIsGP() {
        let s = v86([0x9D])
        s.write16(0x8000, 0x0100)                           // TF
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
        #expect(s.cpu.registers[4] == 0x8000)
        let t = v86([0x9D], extra: VirtualModeExtensionsTests.vip)
        t.write16(0x8000, 0x0200)                           // IF with VIP set
        #expect(throws: Fault.generalProtection(0)) { try t.cpu.step() }
        let u = v86([0x9D], extra: VirtualModeExtensionsTests.vip)
        u.write16(0x8000, 0x0000)                           // IF = 0 with VIP set is fine
        #expect(throws: Never.self) { try u.cpu.step() }
        #expect(u.cpu.rflags & VirtualModeExtensionsTests.vif == 0)
    }

    @Test func iretSetsVIFFromThePoppedIF() throws {
        let s = v86([0xCF])
        s.write16(0x8000, 0x0034)
        s.write16(0x8002, 0x0200)
        s.write16(0x8004, 0x0200)
        try s.cpu.step()
        #expect(s.cpu.rip == 0x34 && s.cpu.segments[1].base == 0x2000 && s.cpu.segments[1].selector == 0x200)
        #expect(s.cpu.rflags & VirtualModeExtensionsTests.vif != 0 && s.cpu.rflags & 0x200 == 0)
        #expect(s.cpu.registers[4] == 0x8006)
        let t = v86([0xCF], extra: VirtualModeExtensionsTests.vip)
        t.write16(0x8004, 0x0200)
        #expect(throws: Fault.generalProtection(0)) { try t.cpu.step() }
    }

    @Test func intRedirectedThroughTheVirtualIVT() throws {
        let s = v86([0xCD, 0x21], extra: VirtualModeExtensionsTests.vif | 0x100)
        s.write32(0x21 * 4, 0x0200_0034)                   // IVT entry 21h: 0200:0034
        try s.cpu.step()
        #expect(s.cpu.rip == 0x34 && s.cpu.segments[1].selector == 0x200 && s.cpu.segments[1].base == 0x2000)
        #expect(s.cpu.registers[4] == 0x7FFA)
        #expect(s.read(0x7FFA, 2) == 2)                      // IP after INT
        #expect(s.read(0x7FFC, 2) == 0x100)                  // CS
        #expect(s.read(0x7FFE, 2) == 0x3302)                 // FLAGS: TF, IF <- VIF, IOPL 3
        #expect(s.cpu.rflags & (VirtualModeExtensionsTests.vif | 0x100) == 0)  // VIF and TF cleared
        #expect(s.cpu.rflags & VirtualModeExtensionsTests.vm != 0)
    }

    @Test func intRedirectedWithIOPL3ClearsIF() throws {
        let s = v86([0xCD, 0x21], iopl: 3, extra: 0x200)
        s.write32(0x21 * 4, 0x0200_0034)
        try s.cpu.step()
        #expect(s.read(0x7FFE, 2) == 0x3202)                 // the real FLAGS
        #expect(s.cpu.rflags & 0x200 == 0)
    }

    @Test func intWithItsRedirectionBitSet() {
        let s = v86([0xCD, 0x21], protectedVectors: [0x21])
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
        // IOPL 3: the protected-mode IDT (a DPL-3 interrupt gate to a 32-bit CPL-0 handler).
        let t = v86([0xCD, 0x21], iopl: 3, protectedVectors: [0x21])
        t.setGDT(1, GDT.code32())
        t.setGDT(2, GDT.data32())
        t.setIDT(0x21, GDT.gate(selector: 0x08, offset: 0x5000, type: 0xE, dpl: 3))
        t.write32(SystemMachine.tssBase + 4, 0x9000)
        t.write32(SystemMachine.tssBase + 8, 0x10)
        #expect(t.cpu.stepDelivering() == .delivered)
        #expect(t.cpu.rip == 0x5000 && t.cpu.cpl == 0 && t.cpu.rflags & VirtualModeExtensionsTests.vm == 0)
    }

    @Test func redirectionBitmapBeyondTheTSSLimitIsGP() {
        let s = v86([0xCD, 0x21])
        s.write16(SystemMachine.tssBase + 102, 0x200)       // bitmap at 0x1E0, past the limit 0x88
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
    }

    @Test func cliStiWorkOnVIF() throws {
        let s = v86([0xFA, 0xFB], extra: VirtualModeExtensionsTests.vif)
        try s.cpu.step()
        #expect(s.cpu.rflags & VirtualModeExtensionsTests.vif == 0)
        try s.cpu.step()
        #expect(s.cpu.rflags & VirtualModeExtensionsTests.vif != 0)
        let t = v86([0xFB], extra: VirtualModeExtensionsTests.vip)
        #expect(throws: Fault.generalProtection(0)) { try t.cpu.step() }
    }

    /// CR4.PVI (20.4): at CPL 3 in protected mode with IOPL < 3, CLI/STI change VIF; STI with
    /// VIP set is #GP(0); other CPLs and PVI = 0 keep the IOPL rule.
    @Test func protectedModeVirtualInterrupts() throws {
        let s = SystemMachine()
        s.cpu.cr4 |= CR4.pvi.rawValue
        s.enterRing3(cs: 0x1B, ss: 0x23)
        s.cpu.rflags = VirtualModeExtensionsTests.vif | 0x200 | 2
        s.code([0xFA, 0xFB], at: 0x1000)
        s.cpu.rip = 0x1000
        try s.cpu.step()
        #expect(s.cpu.rflags & VirtualModeExtensionsTests.vif == 0 && s.cpu.rflags & 0x200 != 0)
        try s.cpu.step()
        #expect(s.cpu.rflags & VirtualModeExtensionsTests.vif != 0)
        s.cpu.rflags |= VirtualModeExtensionsTests.vip
        s.cpu.rip = 0x1001
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
        s.cpu.cr4 &= ~CR4.pvi.rawValue
        s.cpu.rip = 0x1000
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
    }

    @Test func withoutVMEThePushfIsGP() {
        let s = v86([0x9C])
        s.cpu.cr4 = 0
        #expect(throws: Fault.generalProtection(0)) { try s.cpu.step() }
    }
}
