@testable import Emu
import Testing

@Suite struct DebugExitPortTests {
    @Test func firstWriteDecidesTheValue() {
        let a = Attention()
        let d = DebugExitPort(attention: a)
        #expect(d.ports == 0xF4...0xF7)
        #expect(a.pending == 0)
        d.portWrite(0xF4, size: 1, value: 0x1FF)   // a byte write carries only its byte
        #expect(a.pending == Attention.debugExit)
        #expect(a.debugExitValue == 0xFF)
        d.portWrite(0xF4, size: 4, value: 7)
        #expect(a.debugExitValue == 0xFF)
        #expect(d.portRead(0xF4, size: 4) == 0)
    }

    @Test func statusIsQEMUs() {
        #expect(MachineExit.debugExit(value: 0).status == 1)
        #expect(MachineExit.debugExit(value: 1).status == 3)
        #expect(MachineExit.debugExit(value: 0x2A).status == 85)
    }
}
