import Testing
@testable import Emu

/// APIC-register virtualization (SDM vol. 3, 29.4.2, 29.4.3, 29.5) with APIC-write VM exits
/// (reason 56), and virtual-interrupt delivery (29.1.3-29.2): self-IPI and EOI virtualization,
/// EOI-induced VM exits (reason 45, qualification = vector), evaluation at VM entry, and
/// delivery only when RFLAGS.IF = 1 and no STI/MOV SS blocking.
@Suite struct VirtualInterruptDeliveryTests {
    typealias G = VMXGuestMachine
    typealias A = APICVirtualizationTests
    static let handler: UInt64 = 0xA800
    static let externalInterruptExiting: UInt64 = 1 << 0
    static let apicRegisterVirtualization: UInt64 = 1 << 8
    static let virtualInterruptDelivery: UInt64 = 1 << 9
    static let cpuid: [UInt8] = [0x0F, 0xA2]

    static func movToAPICPage(_ offset: UInt32, _ value: UInt32) -> [UInt8] {
        let address = UInt32(A.apicAccess) + offset
        return [0xC7, 0x04, 0x25] + bytes(address) + bytes(value)
    }
    static func bytes(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// A guest with the TPR shadow, APIC-access page and `secondary`; with virtual-interrupt
    /// delivery, external-interrupt exiting (26.2.1.1) and IF = 1; handlers for `vectors` at
    /// A800H running `handlerCode`.
    func guest(_ secondary: UInt64, vtpr: UInt64 = 0, vectors: [UInt64] = [], handlerCode: [UInt8] = cpuid) -> G {
        let g = A().guest(vtpr: vtpr, threshold: 0, secondary: secondary)
        if secondary & Self.virtualInterruptDelivery != 0 {
            g.setControl(.pinBasedVMExecutionControls, Self.externalInterruptExiting)
            g.cpu.vmx.write(.guestRFLAGS, 0x202)
        }
        for v in vectors { g.setGate(v, handler: Self.handler) }
        _ = g.memory.load(handlerCode, at: Self.handler)
        return g
    }

    func isrBit(_ g: G, _ vector: UInt64) -> Bool {
        (g.memory.read(A.virtualAPIC + 0x100 + ((vector & 0xE0) >> 1), size: 4) >> (vector & 0x1F)) & 1 != 0
    }
    func status(_ g: G) -> UInt64 { g.cpu.vmx.read(.guestInterruptStatus) }
    func vppr(_ g: G) -> UInt64 { g.memory.read(A.virtualAPIC + 0xA0, size: 4) }

    @Test func controlsAreAdvertised() throws {
        let allowed1 = try G().cpu.readMSR(0x48B) >> 32
        #expect(allowed1 & (Self.apicRegisterVirtualization | Self.virtualInterruptDelivery) != 0)
    }

    /// Register reads come from the virtual-APIC page; unlisted offsets exit.
    @Test func registerReads() {
        let g = guest(A.virtualizeAPICAccesses | Self.apicRegisterVirtualization)
        g.memory.write(A.virtualAPIC + 0x30, size: 4, value: 0x5_0014)
        #expect(g.exitOf([0x8B, 0x04, 0x25, 0x30, 0x10, 0x04, 0x00] + Self.cpuid) == 10)   // MOV EAX, [41030H]
        #expect(g.cpu.registers[0] == 0x5_0014)
        let h = guest(A.virtualizeAPICAccesses | Self.apicRegisterVirtualization)
        #expect(h.exitOf([0x8B, 0x04, 0x25, 0x40, 0x10, 0x04, 0x00]) == 44)                // offset 40H: reserved
        #expect(h.qualification == 0x040)
    }

    /// A write to the LVT timer is virtualized, then an APIC-write exit reports its offset
    /// with RIP past the instruction.
    @Test func apicWriteExit() {
        let g = guest(A.virtualizeAPICAccesses | Self.apicRegisterVirtualization)
        #expect(g.exitOf(Self.movToAPICPage(0x320, 0x1_0030) + Self.cpuid) == 56)
        #expect(g.qualification == 0x320 && g.savedRIP == G.guestCode + 11)
        #expect(g.memory.read(A.virtualAPIC + 0x320, size: 4) == 0x1_0030)
        #expect(g.memory.read(A.apicAccess + 0x320, size: 4) == 0)
    }

    /// A self IPI through VICR_LO is delivered through the guest IDT; the EOI in the handler
    /// exits when the vector's EOI-exit bitmap bit is set (vector 40H: bitmap 1, bit 0).
    @Test func selfIPIAndEOIExit() {
        let eoi = Self.movToAPICPage(0xB0, 0)
        let g = guest(A.virtualizeAPICAccesses | Self.virtualInterruptDelivery, vectors: [0x40], handlerCode: Self.cpuid + eoi)
        #expect(g.exitOf(Self.movToAPICPage(0x300, 0x4_0040) + [0x90]) == 10)
        #expect(g.savedRIP == Self.handler)
        #expect(status(g) == 0x4000 && isrBit(g, 0x40) && vppr(g) == 0x40)
        #expect(g.memory.read(G.guestStack - 40, size: 8) == G.guestCode + 11)   // pushed RIP
        g.cpu.vmx.write(.eoiExitBitmap1, 1)
        g.cpu.vmx.write(.guestRIP, Self.handler + 2)
        _ = g.m.run(VMXTestMachine.vmresume)
        #expect(g.runUntilExit() == 45)
        #expect(g.qualification == 0x40 && g.savedRIP == Self.handler + 13)
        #expect(status(g) == 0 && !isrBit(g, 0x40) && vppr(g) == 0)
    }

    /// Without its EOI-exit bit, the EOI recognizes the next requested vector (30H), which
    /// waits for RFLAGS.IF = 1 and the end of STI blocking in the handler of 40H.
    @Test func eoiDeliversTheNextRequest() {
        let g = guest(A.virtualizeAPICAccesses | Self.virtualInterruptDelivery, vectors: [0x40],
                      handlerCode: Self.movToAPICPage(0xB0, 0) + [0xFB, 0x90] + Self.cpuid)
        g.setGate(0x30, handler: Self.handler + 0x100)
        _ = g.memory.load(Self.cpuid, at: Self.handler + 0x100)
        // VIRR holds 30H and 40H, RVI = 40H, VISR empty.
        g.memory.write(A.virtualAPIC + 0x200 + 0x10, size: 4, value: 1 << 0x10)
        g.memory.write(A.virtualAPIC + 0x200 + 0x20, size: 4, value: 1)
        g.cpu.vmx.write(.guestInterruptStatus, 0x40)
        #expect(g.exitOf([0x90]) == 10)
        #expect(g.savedRIP == Self.handler + 0x100)
        #expect(status(g) == 0x3000 && isrBit(g, 0x30) && !isrBit(g, 0x40))
        // 40H was delivered at VM entry; 30H after STI and the NOP it shadows.
        #expect(g.memory.read(G.guestStack - 40, size: 8) == G.guestCode)
        // The second frame starts from RSP = AFD8H aligned down to 16 bytes (6.14.2).
        #expect(g.memory.read(G.guestStack - 88, size: 8) == Self.handler + 13)
    }

    /// Delivery waits for RVI[7:4] > VPPR[7:4], RFLAGS.IF = 1 and the end of STI blocking.
    @Test func deliveryConditions() {
        let same = guest(A.virtualizeAPICAccesses | Self.virtualInterruptDelivery, vtpr: 0x30, vectors: [0x31])
        same.memory.write(A.virtualAPIC + 0x218, size: 4, value: 1 << 0x11)
        same.cpu.vmx.write(.guestInterruptStatus, 0x31)
        #expect(same.exitOf(Self.cpuid) == 10 && same.savedRIP == G.guestCode)
        let above = guest(A.virtualizeAPICAccesses | Self.virtualInterruptDelivery, vtpr: 0x20, vectors: [0x31])
        above.cpu.vmx.write(.guestInterruptStatus, 0x31)
        #expect(above.exitOf(Self.cpuid) == 10 && above.savedRIP == Self.handler)
        // IF = 0 until STI; the STI shadow covers the NOP; delivery before the CPUID at +2.
        let sti = guest(A.virtualizeAPICAccesses | Self.virtualInterruptDelivery, vectors: [0x31])
        sti.cpu.vmx.write(.guestRFLAGS, 0x2)
        sti.cpu.vmx.write(.guestInterruptStatus, 0x31)
        #expect(sti.exitOf([0xFB, 0x90] + Self.cpuid) == 10 && sti.savedRIP == Self.handler)
        #expect(sti.memory.read(G.guestStack - 40, size: 8) == G.guestCode + 2)
    }

    /// x2APIC virtualization with virtual-interrupt delivery: WRMSR 83FH is a self IPI, WRMSR
    /// 80BH an EOI; RDMSR 80AH reads VPPR with APIC-register virtualization.
    @Test func x2APICSelfIPIAndEOI() {
        let eoi: [UInt8] = [0xB9, 0x0B, 0x08, 0x00, 0x00, 0x31, 0xC0, 0x31, 0xD2, 0x0F, 0x30]
        let g = A().x2APICGuest(vtpr: 0, threshold: 0)
        g.setSecondary(Self.apicRegisterVirtualization | Self.virtualInterruptDelivery)
        g.setControl(.pinBasedVMExecutionControls, Self.externalInterruptExiting)
        g.cpu.vmx.write(.guestRFLAGS, 0x202)
        g.cpu.vmx.write(.eoiExitBitmap1, 1 << 0x10)
        g.setGate(0x50, handler: Self.handler)
        let readPPR: [UInt8] = [0xB9, 0x0A, 0x08, 0x00, 0x00, 0x0F, 0x32, 0x89, 0xC3]   // ...; MOV EBX, EAX
        _ = g.memory.load(readPPR + eoi, at: Self.handler)
        // MOV ECX, 83FH; MOV EAX, 50H; XOR EDX, EDX; WRMSR
        let code: [UInt8] = [0xB9, 0x3F, 0x08, 0x00, 0x00, 0xB8, 0x50, 0x00, 0x00, 0x00, 0x31, 0xD2, 0x0F, 0x30, 0x90]
        #expect(g.exitOf(code) == 45)
        #expect(g.qualification == 0x50 && g.cpu.registers[3] == 0x50 && g.savedRIP == Self.handler + 20)
        #expect(g.memory.read(A.virtualAPIC + 0x300, size: 4) == 0x50)
        #expect(g.memory.read(G.guestStack - 40, size: 8) == G.guestCode + 14)
    }

    /// Posted-interrupt processing (29.6): the notification vector moves PIR into VIRR, clears
    /// ON and PIR, raises RVI, and the virtual interrupt is delivered at the same boundary;
    /// another vector is not processed (it exits as an external interrupt).
    @Test func postedInterrupts() {
        let descriptor: UInt64 = 0x4_6000
        let g = guest(A.virtualizeAPICAccesses | Self.virtualInterruptDelivery, vectors: [0x45])
        g.setControl(.pinBasedVMExecutionControls, 1 << 7)
        g.setControl(.primaryVMExitControls, 1 << 15)                 // acknowledge interrupt on exit
        g.cpu.vmx.write(.postedInterruptNotificationVector, 0xF2)
        g.cpu.vmx.write(.postedInterruptDescriptorAddress, descriptor)
        g.memory.write(descriptor + 8, size: 4, value: 1 << 5)        // PIR[45H]
        g.memory.write(descriptor + 32, size: 8, value: 1)            // ON
        g.launch([0x90, 0x90] + Self.cpuid)
        #expect(g.cpu.vmx.nonRoot)
        #expect(!g.cpu.vmxPostedInterruptNotification(vector: 0xF3))
        #expect(g.cpu.vmxPostedInterruptNotification(vector: 0xF2))
        #expect(g.memory.read(descriptor + 8, size: 4) == 0 && g.memory.read(descriptor + 32, size: 8) == 0)
        #expect(status(g) == 0x4500 && isrBit(g, 0x45) && g.memory.read(A.virtualAPIC + 0x220, size: 4) == 0)
        #expect(g.cpu.rip == Self.handler && g.memory.read(G.guestStack - 40, size: 8) == G.guestCode)
        #expect(g.runUntilExit() == 10 && g.savedRIP == Self.handler)
    }

    /// Virtual-interrupt delivery without external-interrupt exiting fails VM entry (26.2.1.1).
    @Test func requiresExternalInterruptExiting() {
        let g = A().guest(vtpr: 0, threshold: 0, secondary: A.virtualizeAPICAccesses | Self.virtualInterruptDelivery)
        g.launch(Self.cpuid)
        #expect(!g.cpu.vmx.nonRoot && g.cpu.vmx.read(.vmInstructionError) == 7)
    }
}
