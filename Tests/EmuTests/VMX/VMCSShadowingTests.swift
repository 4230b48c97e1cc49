import Testing
@testable import Emu

/// VMCS shadowing (SDM vol. 3, 24.10, VMREAD/VMWRITE in 31.3, the link-pointer check of
/// 26.3.1.5): VMREAD/VMWRITE in the guest reach the shadow VMCS unless a bitmap bit is set or
/// the encoding has bits 63:15 set (exits 23 and 25); VMfailInvalid with a link pointer of all
/// ones; VMLAUNCH fails on a current shadow VMCS.
@Suite struct VMCSShadowingTests {
    typealias G = VMXGuestMachine
    static let shadow: UInt64 = 0x4_3000
    static let readBitmap: UInt64 = 0x4_4000
    static let writeBitmap: UInt64 = 0x4_5000
    static let vmcsShadowing: UInt64 = 1 << 14
    /// MOV EAX, 681EH (guest RIP); MOV EBX, 1234H; VMWRITE RAX, RBX; VMREAD RCX, RAX; CPUID
    static let writeThenRead: [UInt8] = [0xB8, 0x1E, 0x68, 0x00, 0x00, 0xBB, 0x34, 0x12, 0x00, 0x00,
                                         0x0F, 0x79, 0xC3, 0x0F, 0x78, 0xC1, 0x0F, 0xA2]

    func guest(control: Bool = true) -> G {
        let g = G()
        let revision = UInt64(g.cpu.vmx.capabilities.revisionIdentifier)
        g.memory.write(Self.shadow, size: 4, value: revision | 1 << 31)
        for k in stride(from: UInt64(0), to: 0x1000, by: 8) {
            g.memory.write(Self.readBitmap + k, size: 8, value: 0)
            g.memory.write(Self.writeBitmap + k, size: 8, value: 0)
        }
        if control {
            g.setSecondary(Self.vmcsShadowing)
            g.cpu.vmx.write(.vmreadBitmapAddress, Self.readBitmap)
            g.cpu.vmx.write(.vmwriteBitmapAddress, Self.writeBitmap)
        }
        // Without the control a link pointer must reference an ordinary VMCS (26.3.1.5).
        g.cpu.vmx.write(.vmcsLinkPointer, control ? Self.shadow : UInt64.max)
        return g
    }

    func shadowField(_ g: G, _ f: VMCSField) -> UInt64 {
        g.memory.read(Self.shadow + VMCSLayout.fieldsOffset + UInt64(VMCSLayout.slot(of: f) ?? 0) * 8, size: 8)
    }

    @Test func advertised() throws {
        #expect(try G().cpu.readMSR(0x48B) >> 32 & Self.vmcsShadowing != 0)
    }

    @Test func readsAndWritesTheShadowVMCS() {
        let g = guest()
        #expect(g.exitOf(Self.writeThenRead) == 10)
        #expect(g.cpu.registers[1] == 0x1234 && shadowField(g, .guestRIP) == 0x1234)
        #expect(g.cpu.vmx.read(.guestRFLAGS) & 0x8D5 == 0)        // VMsucceed
    }

    /// A 32-bit field keeps only its width; a high access writes bits 63:32.
    @Test func fieldWidths() {
        let g = guest()
        // MOV EAX, 4002H; MOV RBX, -1; VMWRITE RAX, RBX; MOV EAX, 2801H; VMWRITE RAX, RBX; CPUID
        let code: [UInt8] = [0xB8, 0x02, 0x40, 0x00, 0x00, 0x48, 0xC7, 0xC3, 0xFF, 0xFF, 0xFF, 0xFF,
                             0x0F, 0x79, 0xC3, 0xB8, 0x01, 0x28, 0x00, 0x00, 0x0F, 0x79, 0xC3, 0x0F, 0xA2]
        g.memory.write(Self.shadow + VMCSLayout.fieldsOffset + UInt64(VMCSLayout.slot(of: .vmcsLinkPointer) ?? 0) * 8,
                       size: 8, value: 0x5555)
        #expect(g.exitOf(code) == 10)
        #expect(shadowField(g, .primaryProcessorBasedVMExecutionControls) == 0xFFFF_FFFF)
        #expect(shadowField(g, .vmcsLinkPointer) == 0xFFFF_FFFF_0000_5555)
    }

    @Test func bitmapsAndHighEncodingsExit() {
        let r = guest()
        r.memory.write(Self.readBitmap + (0x681E >> 3), size: 1, value: 1 << (0x681E & 7))
        #expect(r.exitOf(Self.writeThenRead) == 23)
        #expect(r.savedRIP == G.guestCode + 13 && shadowField(r, .guestRIP) == 0x1234)
        let w = guest()
        w.memory.write(Self.writeBitmap + (0x681E >> 3), size: 1, value: 1 << (0x681E & 7))
        #expect(w.exitOf(Self.writeThenRead) == 25 && w.savedRIP == G.guestCode + 10)
        // Encoding 1_0000_681EH: bits 63:15 set.
        let h = guest()
        h.cpu.registers[0] = 0
        let high: [UInt8] = [0x48, 0xB8, 0x1E, 0x68, 0, 0, 1, 0, 0, 0, 0x0F, 0x78, 0xC1]   // MOV RAX, imm64; VMREAD RCX, RAX
        #expect(h.exitOf(high) == 23)
        #expect(guest(control: false).exitOf(Self.writeThenRead) == 25)
    }

    @Test func failures() {
        // Link pointer all ones: VMfailInvalid (CF).
        let g = guest()
        g.cpu.vmx.write(.vmcsLinkPointer, UInt64.max)
        #expect(g.exitOf([0xB8, 0x1E, 0x68, 0x00, 0x00, 0x0F, 0x78, 0xC1, 0x0F, 0xA2]) == 10)
        #expect(g.cpu.vmx.read(.guestRFLAGS) & 0x8D5 == 1)
        // Unsupported component (PML address): VMfailValid(12) in the current VMCS.
        let u = guest()
        #expect(u.exitOf([0xB8, 0x0E, 0x20, 0x00, 0x00, 0x0F, 0x78, 0xC1, 0x0F, 0xA2]) == 10)
        #expect(u.cpu.vmx.read(.guestRFLAGS) & 0x8D5 == 0x40)
        #expect(u.cpu.vmx.read(.vmInstructionError) == 12)
    }

    /// With VMCS shadowing, the link pointer must reference a shadow VMCS: VM-entry failure with
    /// reason 33 and qualification 4 otherwise (26.3.1.5).
    @Test func linkPointerCheck() {
        let g = guest()
        g.memory.write(Self.shadow, size: 4, value: UInt64(g.cpu.vmx.capabilities.revisionIdentifier))
        g.launch([0x0F, 0xA2])
        #expect(g.exitReason == 0x8000_0021 && g.qualification == 4)
    }

    /// VMLAUNCH with a shadow VMCS current: VMfailInvalid (24.10).
    @Test func shadowVMCSCannotBeLaunched() {
        let g = G()
        let region = g.cpu.vmx.currentVMCS
        g.memory.write(region, size: 4, value: UInt64(g.cpu.vmx.capabilities.revisionIdentifier) | 1 << 31)
        #expect(g.launch() == .failInvalid)
    }
}
