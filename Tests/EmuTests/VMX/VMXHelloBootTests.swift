@testable import Emu
import Foundation
import Testing

/// roms/vmx-hello.elf booted in-process: a hypervisor launches a 32-bit guest whose OUTs to
/// COM1 are I/O exits it emulates; on the AMD model it reports that VMX is absent.
@Suite struct VMXHelloBootTests {
    func boot(_ vendor: Vendor) throws -> (MachineExit, String) {
        var config = MachineConfig(memorySize: 64 << 20)
        config.vendor = vendor
        config.maxCycles = 50_000_000
        let sink = BufferSerialSink()
        let m = try Machine(config: config, serialSink: sink)
        try m.load(try TestImages.rom("vmx-hello.elf"), name: "vmx-hello.elf")
        let exit = m.run()
        return (exit, sink.text)
    }

    @Test func intelRunsTheGuest() throws {
        let (exit, text) = try boot(.intel)
        #expect(exit == .debugExit(value: 0))
        #expect(text == """
            vmx-hello: a VMX hypervisor on swemu
            vmx-hello: in VMX root operation, VMCS revision 0x00005357
            vmx-hello: VMLAUNCH
            Hello from the guest
            vmx-hello: guest done after 23 VM exits (CPUID 1, I/O 21, VMCALL 1)

            """)
    }

    @Test func amdHasNoVMX() throws {
        let (exit, text) = try boot(.amd)
        #expect(exit == .debugExit(value: 3))
        #expect(exit.status == 7)
        #expect(text.hasSuffix("vmx-hello: VMX not available (CPUID.1:ECX.VMX = 0)\n"))
    }
}
