import Foundation
import Testing
@testable import Emu

/// VM-exit round trips per second: a guest doing CPUID in a loop, and a "hypervisor" that
/// advances the guest RIP and executes VMRESUME (host code in guest memory: VMWRITE of RIP
/// from the exit information, VMRESUME). Prints the figure; checks only that it ran.
@Suite struct VMExitRoundTripBenchmark {
    @Test func cpuidRoundTrips() {
        let g = VMXGuestMachine()
        // Guest: CPUID; JMP back.
        _ = g.memory.load([0x0F, 0xA2, 0xEB, 0xFC], at: VMXGuestMachine.guestCode)
        // Host at 7000H: MOV EAX, 681EH (guest RIP); VMREAD RBX, RAX; MOV ECX, 440CH; VMREAD RDX, RCX;
        // ADD RBX, RDX; VMWRITE RAX, RBX; VMRESUME.
        let host: [UInt8] = [0xB8, 0x1E, 0x68, 0, 0, 0x0F, 0x78, 0xC3, 0xB9, 0x0C, 0x44, 0, 0, 0x0F, 0x78, 0xCA,
                             0x48, 0x01, 0xD3, 0x0F, 0x79, 0xC3, 0x0F, 0x01, 0xC3]
        _ = g.memory.load(host, at: VMXGuestMachine.hostRIP)
        g.launch([0x0F, 0xA2, 0xEB, 0xFC])
        let cpu = g.cpu
        let exits = 20_000
        let start = Date()
        while cpu.vmx.exitCount < UInt64(exits) {
            do { try cpu.step() } catch { _ = cpu.deliver(error) }
        }
        let seconds = Date().timeIntervalSince(start)
        print("VM-exit round trips: \(exits) CPUID exits in \(seconds) s = \(Int(Double(exits) / seconds)) per second")
        #expect(cpu.vmx.read(.vmExitReason) == 10)
    }
}
