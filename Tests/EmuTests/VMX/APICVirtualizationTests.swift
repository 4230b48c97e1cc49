import Testing
@testable import Emu

/// The TPR shadow, "virtualize APIC accesses" and "virtualize x2APIC mode" (SDM vol. 3, 29.1.2,
/// 29.3, 29.4, 29.5), the TPR-below-threshold VM exit (reason 43, 26.7.7) and APIC-access VM
/// exits (reason 44) with the qualification of 28.2.1 (offset in 11:0, access type in 15:12).
@Suite struct APICVirtualizationTests {
    typealias G = VMXGuestMachine
    static let virtualAPIC: UInt64 = 0x4_0000
    static let apicAccess: UInt64 = 0x4_1000
    static let msrBitmaps: UInt64 = 0x4_2000
    static let useTPRShadow: UInt64 = 1 << 21
    static let useMSRBitmaps: UInt64 = 1 << 28
    static let virtualizeAPICAccesses: UInt64 = 1 << 0
    static let virtualizeX2APICMode: UInt64 = 1 << 4
    static let cpuid: [UInt8] = [0x0F, 0xA2]

    /// A guest with the TPR shadow: VTPR (byte 80H of the virtual-APIC page) = `vtpr`, TPR
    /// threshold `threshold`, and the extra secondary controls `secondary`.
    func guest(vtpr: UInt64, threshold: UInt64, secondary: UInt64 = 0) -> G {
        let g = G()
        g.setControl(.primaryProcessorBasedVMExecutionControls, Self.useTPRShadow)
        g.cpu.vmx.write(.virtualAPICAddress, Self.virtualAPIC)
        g.cpu.vmx.write(.tprThreshold, threshold)
        g.memory.write(Self.virtualAPIC + 0x80, size: 4, value: vtpr)
        if secondary != 0 {
            g.setSecondary(secondary)
            g.cpu.vmx.write(.apicAccessAddress, Self.apicAccess)
        }
        return g
    }

    var vtpr: (G) -> UInt64 { { $0.memory.read(Self.virtualAPIC + 0x80, size: 4) } }

    @Test func controlsAreAdvertised() {
        let g = G()
        let allowed1 = (try? g.cpu.readMSR(0x48B)).map { $0 >> 32 } ?? 0
        #expect(allowed1 & (Self.virtualizeAPICAccesses | Self.virtualizeX2APICMode) != 0)
        let primary = (try? g.cpu.readMSR(0x482)).map { $0 >> 32 } ?? 0
        #expect(primary & Self.useTPRShadow != 0)
    }

    /// MOV RAX, CR8 reads VTPR[7:4]; MOV CR8, RAX writes VTPR and leaves the real TPR alone.
    @Test func movCR8UsesTheShadow() {
        let g = guest(vtpr: 0x5A, threshold: 0)
        #expect(g.exitOf([0x44, 0x0F, 0x20, 0xC0] + Self.cpuid) == 10)     // MOV RAX, CR8; CPUID
        #expect(g.cpu.registers[0] == 5)
        let h = guest(vtpr: 0x5A, threshold: 2)
        h.cpu.registers[0] = 3
        #expect(h.exitOf([0x44, 0x0F, 0x22, 0xC0] + Self.cpuid) == 10)     // MOV CR8, RAX; CPUID
        #expect(vtpr(h) == 0x30 && h.cpu.cr8 == 0)
    }

    /// Lowering VTPR below the threshold: a trap-like exit (RIP past MOV CR8, no qualification).
    @Test func movCR8BelowThresholdExits() {
        let g = guest(vtpr: 0x50, threshold: 2)
        g.cpu.registers[0] = 1
        #expect(g.exitOf([0x44, 0x0F, 0x22, 0xC0] + Self.cpuid) == 43)
        #expect(g.savedRIP == G.guestCode + 4 && g.qualification == 0 && vtpr(g) == 0x10)
        // Reserved bits 63:4 of the source: #GP, VTPR unchanged.
        let h = guest(vtpr: 0x50, threshold: 0)
        h.cpu.registers[0] = 0x10
        #expect(h.exitOf([0x44, 0x0F, 0x22, 0xC0]) { $0.cpu.vmx.write(.exceptionBitmap, 1 << 13) } == 0)
        #expect(vtpr(h) == 0x50)
    }

    /// CR8-load exiting takes precedence over the shadow (25.1.3).
    @Test func cr8LoadExitingWins() {
        let g = guest(vtpr: 0x50, threshold: 0)
        g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 19)
        #expect(g.exitOf([0x44, 0x0F, 0x22, 0xC0]) == 28)
        #expect(g.qualification == 8 && vtpr(g) == 0x50)
    }

    /// With "virtualize APIC accesses" the entry check of threshold <= VTPR[7:4] is skipped and
    /// the exit happens right after VM entry instead (26.2.1.1, 26.7.7); without it, entry fails.
    @Test func thresholdAboveVTPRAtEntry() {
        let g = guest(vtpr: 0x20, threshold: 5, secondary: Self.virtualizeAPICAccesses)
        #expect(g.exitOf(Self.cpuid) == 43)
        #expect(g.savedRIP == G.guestCode)
        let h = guest(vtpr: 0x20, threshold: 5)
        h.launch(Self.cpuid)
        #expect(!h.cpu.vmx.nonRoot && h.cpu.vmx.read(.vmInstructionError) == 7)
    }

    /// Accesses to the APIC-access page other than VTPR exit with offset and access type.
    @Test func apicAccessExits() {
        let read = guest(vtpr: 0, threshold: 0, secondary: Self.virtualizeAPICAccesses)
        #expect(read.exitOf([0x8B, 0x04, 0x25, 0x20, 0x10, 0x04, 0x00]) == 44)   // MOV EAX, [41020H]
        #expect(read.qualification == 0x020 && read.savedRIP == G.guestCode)
        let write = guest(vtpr: 0, threshold: 0, secondary: Self.virtualizeAPICAccesses)
        #expect(write.exitOf([0x89, 0x04, 0x25, 0x00, 0x13, 0x04, 0x00]) == 44)  // MOV [41300H], EAX
        #expect(write.qualification == 1 << 12 | 0x300 && write.savedRIP == G.guestCode)
        let fetch = guest(vtpr: 0, threshold: 0, secondary: Self.virtualizeAPICAccesses)
        fetch.cpu.registers[0] = Self.apicAccess + 0xB0
        #expect(fetch.exitOf([0xFF, 0xE0]) == 44)                                 // JMP RAX
        #expect(fetch.qualification == 2 << 12 | 0xB0 && fetch.savedRIP == Self.apicAccess + 0xB0)
        // A read wider than 32 bits at 80H is not a VTPR access.
        let wide = guest(vtpr: 0, threshold: 0, secondary: Self.virtualizeAPICAccesses)
        #expect(wide.exitOf([0x48, 0x8B, 0x04, 0x25, 0x80, 0x10, 0x04, 0x00]) == 44)   // MOV RAX, [41080H]
        #expect(wide.qualification == 0x080)
    }

    /// Without "use TPR shadow"-style virtualization of the page the access reaches memory.
    @Test func noExitWithoutTheControl() {
        let g = guest(vtpr: 0, threshold: 0)
        g.memory.write(Self.apicAccess + 0x20, size: 4, value: 0x1234)
        #expect(g.exitOf([0x8B, 0x04, 0x25, 0x20, 0x10, 0x04, 0x00] + Self.cpuid) == 10)
        #expect(g.cpu.registers[0] == 0x1234)
    }

    /// VTPR reads and writes through the APIC-access page go to the virtual-APIC page; a write
    /// clears bytes 83H:81H and runs TPR virtualization after the instruction (29.4.3.2).
    @Test func vtprAccessesAreVirtualized() {
        let g = guest(vtpr: 0x40, threshold: 0, secondary: Self.virtualizeAPICAccesses)
        g.memory.write(Self.apicAccess + 0x80, size: 4, value: 0x77)
        #expect(g.exitOf([0x8B, 0x04, 0x25, 0x80, 0x10, 0x04, 0x00] + Self.cpuid) == 10)
        #expect(g.cpu.registers[0] == 0x40)
        // MOV DWORD [41080H], FFFFFF50H; CPUID
        let w = guest(vtpr: 0x40, threshold: 0, secondary: Self.virtualizeAPICAccesses)
        #expect(w.exitOf([0xC7, 0x04, 0x25, 0x80, 0x10, 0x04, 0x00, 0x50, 0xFF, 0xFF, 0xFF] + Self.cpuid) == 10)
        #expect(vtpr(w) == 0x50 && w.memory.read(Self.apicAccess + 0x80, size: 4) == 0)
        // MOV DWORD [41080H], 20H below threshold 3: trap-like exit after the instruction.
        let t = guest(vtpr: 0x40, threshold: 3, secondary: Self.virtualizeAPICAccesses)
        #expect(t.exitOf([0xC7, 0x04, 0x25, 0x80, 0x10, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00] + Self.cpuid) == 43)
        #expect(vtpr(t) == 0x20 && t.savedRIP == G.guestCode + 11)
    }

    /// A guest with "virtualize x2APIC mode" and MSR bitmaps that let every MSR through.
    func x2APICGuest(vtpr: UInt64, threshold: UInt64) -> G {
        let g = guest(vtpr: vtpr, threshold: threshold)
        g.setControl(.primaryProcessorBasedVMExecutionControls, Self.useMSRBitmaps)
        g.cpu.vmx.write(.msrBitmapsAddress, Self.msrBitmaps)
        for k in stride(from: UInt64(0), to: 0x1000, by: 8) { g.memory.write(Self.msrBitmaps + k, size: 8, value: 0) }
        g.setSecondary(Self.virtualizeX2APICMode)
        return g
    }

    static let movECX808: [UInt8] = [0xB9, 0x08, 0x08, 0x00, 0x00]

    /// RDMSR/WRMSR of 808H use bytes 87H:80H of the virtual-APIC page even though the local
    /// APIC is in xAPIC mode (29.5).
    @Test func x2APICTPRIsVirtualized() {
        let g = x2APICGuest(vtpr: 0x60, threshold: 0)
        g.memory.write(Self.virtualAPIC + 0x84, size: 4, value: 0xAB)
        #expect(g.exitOf(Self.movECX808 + [0x0F, 0x32] + Self.cpuid) == 10)      // RDMSR
        #expect(g.cpu.registers[0] == 0x60 && g.cpu.registers[2] == 0xAB)
        let w = x2APICGuest(vtpr: 0x60, threshold: 2)
        w.memory.write(Self.virtualAPIC + 0x84, size: 4, value: 0xAB)
        w.cpu.registers[0] = 0x10
        w.cpu.registers[2] = 0
        #expect(w.exitOf(Self.movECX808 + [0x0F, 0x30] + Self.cpuid) == 43)      // WRMSR
        #expect(w.memory.read(Self.virtualAPIC + 0x80, size: 8) == 0x10 && w.savedRIP == G.guestCode + 7)
        // EDX:EAX bits 63:8 set: #GP(0).
        let f = x2APICGuest(vtpr: 0x60, threshold: 0)
        f.cpu.registers[0] = 0x100
        #expect(f.exitOf(Self.movECX808 + [0x0F, 0x30]) { $0.cpu.vmx.write(.exceptionBitmap, 1 << 13) } == 0)
        #expect(f.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0D && f.vtprValue == 0x60)
    }

    /// "Virtualize x2APIC mode" and "virtualize APIC accesses" together fail VM entry (26.2.1.1).
    @Test func x2APICAndAPICAccessAreExclusive() {
        let g = guest(vtpr: 0, threshold: 0, secondary: Self.virtualizeAPICAccesses | Self.virtualizeX2APICMode)
        g.launch(Self.cpuid)
        #expect(!g.cpu.vmx.nonRoot && g.cpu.vmx.read(.vmInstructionError) == 7)
    }
}

private extension VMXGuestMachine {
    var vtprValue: UInt64 { memory.read(APICVirtualizationTests.virtualAPIC + 0x80, size: 4) }
}
