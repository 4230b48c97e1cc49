@testable import Emu
import Testing

/// Port 0x92, the keyboard controller and ACPI power-off: reset and power-off requests.
@Suite struct PlatformPortsTests {
    @Test func port92FastResetAndA20() {
        let a = Attention(), gate = A20Gate()
        let p = SystemControlPortA(attention: a, a20: gate)
        p.portWrite(0x92, size: 1, value: 0x00)
        #expect(!gate.enabled && p.portRead(0x92, size: 1) == 0)
        p.portWrite(0x92, size: 1, value: 0x02)
        #expect(gate.enabled && a.platformRequest == nil)
        p.portWrite(0x92, size: 1, value: 0x03)
        #expect(a.platformRequest == .reset(source: "port 0x92 bit 0"))
        #expect(a.pending & Attention.platform != 0)
    }

    @Test func keyboardControllerSelfTestOutputPortAndReset() {
        let a = Attention(), gate = A20Gate()
        let k = KeyboardController(attention: a, a20: gate)
        k.portWrite(0x64, size: 1, value: 0xAA)
        #expect(k.portRead(0x64, size: 1) & 0x05 == 0x05)   // OBF, system flag
        #expect(k.portRead(0x60, size: 1) == 0x55)
        #expect(k.portRead(0x64, size: 1) & 0x01 == 0)
        k.portWrite(0x64, size: 1, value: 0xD1)
        k.portWrite(0x60, size: 1, value: 0x01)              // A20 off, reset line high
        #expect(!gate.enabled && a.platformRequest == nil)
        k.portWrite(0x64, size: 1, value: 0xD0)
        #expect(k.portRead(0x60, size: 1) & 0x03 == 0x01)
        k.portWrite(0x64, size: 1, value: 0xDF)
        #expect(gate.enabled)
        k.portWrite(0x60, size: 1, value: 0xFF)              // keyboard reset: ACK, BAT ok
        #expect(k.portRead(0x60, size: 1) == 0xFA && k.portRead(0x60, size: 1) == 0xAA)
        k.portWrite(0x64, size: 1, value: 0xFE)
        #expect(a.platformRequest == .reset(source: "keyboard controller command 0xfe"))
    }

    @Test func acpiPowerOffAt0x604() {
        let a = Attention()
        let pm = PowerManagementControl(attention: a)
        pm.portWrite(0x604, size: 2, value: 0x1400)          // S3-like type without SLP_EN
        #expect(a.platformRequest == nil)
        pm.portWrite(0x604, size: 2, value: 0x2000)
        #expect(a.platformRequest == .powerOff)
    }

    @Test func uartRaisesIRQ4ThroughOUT2() {
        let irq = RecordingIRQ()
        let u = UART16550(base: 0x3F8, sink: BufferSerialSink(), irq: irq, irqNumber: 4)
        u.portWrite(0x3F9, size: 1, value: 0x02)             // ETBEI: THR empty at once
        #expect(!irq.levels[4])                              // OUT2 off: gated
        u.portWrite(0x3FC, size: 1, value: 0x08)
        #expect(irq.levels[4])
        #expect(u.portRead(0x3FA, size: 1) & 0x0F == 0x02)   // reading IIR clears THRE
        #expect(!irq.levels[4])
        u.portWrite(0x3F8, size: 1, value: 0x41)
        #expect(irq.levels[4] && irq.rises[4] == 2)
    }
}
