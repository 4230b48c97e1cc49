import Testing
@testable import Emu

/// "Enable XSAVES/XRSTORS" (secondary bit 20) and the XSS-exiting bitmap (field 202CH) (SDM
/// vol. 3, 25.1.3, 25.3): without the control XSAVES and XRSTORS are #UD in the guest; with it
/// they run, and exit (reasons 63, 64) only when EDX:EAX AND IA32_XSS AND the bitmap is nonzero,
/// which never happens on these models: IA32_XSS supports no bit.
@Suite struct XSAVESExitingTests {
    typealias G = VMXGuestMachine
    static let enableXSAVES: UInt64 = 1 << 20
    static let area: UInt64 = 0x2_0000
    static let xsavesRCX: [UInt8] = [0x0F, 0xC7, 0x29]
    static let xrstorsRCX: [UInt8] = [0x0F, 0xC7, 0x19]
    static let vmcall: [UInt8] = [0x0F, 0x01, 0xC1]

    /// A guest with CR4.OSXSAVE, XCR0 = x87 | SSE, RCX = the area, EDX:EAX = all ones.
    func guest(secondary: UInt64) -> G {
        let g = G()
        g.cpu.vmx.write(.guestCR4, 0x2020 | CR4.osxsave.rawValue)
        g.cpu.xcr0 = 3
        g.cpu.registers[0] = 0xFFFF_FFFF
        g.cpu.registers[2] = 0xFFFF_FFFF
        g.cpu.registers[1] = Self.area
        g.setSecondary(secondary)
        g.cpu.vmx.write(.exceptionBitmap, 1 << 6)
        return g
    }

    @Test func invalidOpcodeWithoutTheControl() {
        for code in [Self.xsavesRCX, Self.xrstorsRCX] {
            let g = guest(secondary: 0)
            #expect(g.exitOf(code + Self.vmcall) == 0)
            #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0306)
        }
    }

    @Test func runsWithTheControl() {
        let g = guest(secondary: Self.enableXSAVES)
        g.cpu.vmx.write(.xssExitingBitmap, ~0)
        g.cpu.x87.control = 0x027F
        #expect(g.exitOf(Self.xsavesRCX + Self.xrstorsRCX + Self.vmcall) == 18)
        #expect(g.memory.read(Self.area + 520, size: 8) == 0x8000_0000_0000_0003)   // XCOMP_BV
        #expect(g.memory.read(Self.area + 512, size: 8) & 1 == 1 && g.memory.read(Self.area, size: 2) == 0x027F)
    }

    @Test func controlAndBitmapAreAdvertised() {
        let g = G()
        let ctls2 = (try? g.cpu.readMSR(0x48B)) ?? 0
        #expect(ctls2 >> 32 & Self.enableXSAVES != 0)
        #expect(g.cpu.vmx.supportedSlot(UInt64(VMCSField.xssExitingBitmap.rawValue)) != nil)
    }
}
