import Testing
@testable import Emu

/// PAE guests with EPT: VM entry takes the PDPTEs from the guest-PDPTE fields (26.4.1, not from
/// memory), VM exit saves them (28.3.4), and MOV to CR3 loads them through EPT, an access
/// without a linear address (qualification bits 7 and 8 clear, 28.2.1).
@Suite struct EPTPAEGuestTests {
    static let pdpt: UInt64 = 0x5_0000
    static let pd: UInt64 = 0x5_1000

    func paeGuest() -> EPTGuest {
        let e = EPTGuest()
        let v = e.cpu.vmx
        v.write(.vmEntryControls, v.read(.vmEntryControls) & ~0x200)       // not IA-32e
        v.write(.guestCR0, 0x8000_0031)
        v.write(.guestCR3, Self.pdpt)
        v.write(.guestCR4, 0x2020)
        v.write(.guestCSAccessRights, 0xC09B)
        e.memory.write(Self.pd, size: 8, value: 0x83)                       // 2-MByte page at 0
        e.memory.write(Self.pdpt, size: 8, value: 0)                        // memory's PDPTE0: not present
        v.write(.guestPDPTE0, Self.pd | 1)
        return e
    }

    @Test func entryLoadsPDPTEsFromTheVMCS() {
        let e = paeGuest()
        #expect(e.exitOf([0x0F, 0xA2]) == 10)                               // CPUID
        #expect(e.cpu.vmx.read(.guestPDPTE0) == Self.pd | 1)
        #expect(e.cpu.vmx.read(.guestPDPTE1) == 0)
    }

    @Test func movToCR3LoadsPDPTEsThroughEPT() {
        let e = paeGuest()
        e.mapPage(0x6_0000, 0)
        // MOV EAX, 60000H; MOV CR3, EAX
        #expect(e.exitOf([0xB8, 0x00, 0x00, 0x06, 0x00, 0x0F, 0x22, 0xD8]) == 48)
        #expect(e.qualification == 1)
        #expect(e.gpa == 0x6_0000)
        #expect(e.g.savedRIP == VMXGuestMachine.guestCode + 5)
    }
}
