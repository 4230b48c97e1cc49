@testable import Emu
import Testing

/// Register behaviour per the PC16550D datasheet (table II, register summary; section 8).
@Suite struct UART16550Tests {
    func uart() -> (UART16550, BufferSerialSink) {
        let sink = BufferSerialSink()
        return (UART16550(base: 0x3F8, sink: sink), sink)
    }

    @Test func resetValues() {
        let (u, _) = uart()
        #expect(u.read(register: 1) == 0)       // IER
        #expect(u.read(register: 2) == 0x01)    // IIR: no interrupt pending, FIFOs off
        #expect(u.read(register: 3) == 0)       // LCR
        #expect(u.read(register: 4) == 0)       // MCR
        #expect(u.read(register: 5) == 0x60)    // LSR: THRE | TEMT
    }

    @Test func transmitsTHRWritesToTheSink() {
        let (u, sink) = uart()
        for b in "Hi\n".utf8 { u.portWrite(0x3F8, size: 1, value: UInt32(b)) }
        #expect(sink.text == "Hi\n")
        #expect(u.portRead(0x3FD, size: 1) == 0x60)   // still ready: transmission is instant
    }

    @Test func divisorLatchIsBehindDLAB() {
        let (u, sink) = uart()
        u.write(register: 3, 0x80)          // DLAB
        u.write(register: 0, 0x01)          // DLL
        u.write(register: 1, 0x02)          // DLM
        #expect(u.read(register: 0) == 0x01)
        #expect(u.read(register: 1) == 0x02)
        #expect(u.divisor == 0x0201)
        #expect(sink.bytes.isEmpty)         // no transmission while DLAB is set
        u.write(register: 3, 0x03)          // 8N1, DLAB off
        #expect(u.read(register: 3) == 0x03)
        #expect(u.read(register: 1) == 0)   // IER again
        u.write(register: 1, 0xFF)
        #expect(u.read(register: 1) == 0x0F)   // bits 4-7 of IER are always 0
    }

    @Test func scratchAndModemControlRegisters() {
        let (u, _) = uart()
        u.write(register: 7, 0x5A)
        #expect(u.read(register: 7) == 0x5A)
        u.write(register: 4, 0xFF)
        #expect(u.read(register: 4) == 0x1F)   // bits 5-7 of MCR are 0
    }

    @Test func fifoControlShowsInIIR() {
        let (u, _) = uart()
        u.write(register: 2, 0xC7)          // enable and clear FIFOs, trigger level 14
        #expect(u.read(register: 2) == 0xC1)   // FIFOs enabled, no interrupt pending
        u.write(register: 2, 0x00)
        #expect(u.read(register: 2) == 0x01)
    }

    @Test func thrEmptyInterruptIdentification() {
        let (u, _) = uart()
        u.write(register: 1, 0x02)          // ETBEI: THR is empty, so the interrupt is pending at once
        #expect(u.read(register: 2) == 0x02)
        #expect(u.read(register: 2) == 0x01)   // reading IIR cleared it
        u.write(register: 0, 0x41)          // a write to THR: empty again at once
        #expect(u.read(register: 2) == 0x02)
        u.write(register: 1, 0x00)
        #expect(u.read(register: 2) == 0x01)
    }

    @Test func loopbackReturnsTransmittedBytes() {
        let (u, sink) = uart()
        u.write(register: 4, 0x10)          // loopback
        u.write(register: 0, 0x41)
        #expect(sink.bytes.isEmpty)
        #expect(u.read(register: 5) & 0x01 == 0x01)   // data ready
        #expect(u.read(register: 0) == 0x41)
        #expect(u.read(register: 5) == 0x60)
        // A second byte without reading the first overruns the 1-byte holding register.
        u.write(register: 0, 0x42)
        u.write(register: 0, 0x43)
        #expect(u.read(register: 5) == 0x63)   // DR | OE | THRE | TEMT
        #expect(u.read(register: 5) == 0x61)   // OE clears when LSR is read
        #expect(u.read(register: 0) == 0x43)
    }

    @Test func loopbackModemLines() {
        let (u, _) = uart()
        #expect(u.read(register: 6) == 0xB0)   // DCD, DSR, CTS from a connected terminal
        u.write(register: 4, 0x10)             // loopback, all outputs off
        let msr = u.read(register: 6)
        #expect(msr & 0xF0 == 0)
        u.write(register: 4, 0x1F)             // DTR RTS OUT1 OUT2 -> DSR CTS RI DCD
        #expect(u.read(register: 6) == 0xF0 | 0x0B)   // lines, with DCTS, DDSR, DDCD deltas
        #expect(u.read(register: 6) == 0xF0)          // deltas clear on read
        u.write(register: 4, 0x1B)                    // OUT1 off: RI falls -> TERI
        #expect(u.read(register: 6) == 0xB4)
    }

    @Test func wideAccessesSplitIntoBytes() {
        let (u, sink) = uart()
        u.portWrite(0x3FF, size: 1, value: 0x11)               // SCR
        #expect(u.portRead(0x3FD, size: 4) & 0xFF == 0x60)
        #expect(u.portRead(0x3FE, size: 2) == 0x1100 | 0xB0)  // MSR, SCR
        u.portWrite(0x3F8, size: 2, value: 0x0041)             // THR = 'A', IER = 0
        #expect(sink.text == "A")
    }
}

/// Host input (`receiveFromHost`): bytes wait outside the UART until the guest looks, survive a
/// FIFO reset, fill at most the FIFO's 16 bytes, and raise the received-data interrupt.
@Suite struct UARTHostInputTests {
    final class Lines: InterruptSink {
        var level = false
        func setIRQ(_ irq: Int, _ l: Bool) { level = l }
    }

    @Test func hostBytesArriveInOrderWithoutLoss() {
        let irq = Lines()
        let u = UART16550(sink: BufferSerialSink(), irq: irq)
        u.receiveFromHost(Array("abcdefghijklmnopqrstu".utf8))
        u.write(register: 2, 0xC7)                                  // enable and clear FIFOs
        #expect(u.read(register: 5) & 1 == 1)                       // LSR.DR
        var got: [UInt8] = []
        while u.read(register: 5) & 1 == 1 { got.append(u.read(register: 0)) }
        #expect(String(decoding: got, as: UTF8.self) == "abcdefghijklmnopqrstu")
        u.write(register: 4, 0x08)                                  // OUT2
        u.write(register: 1, 0x01)                                  // ERBFI
        u.portWrite(0x3F9, size: 1, value: 1)
        #expect(!irq.level)
        u.receiveFromHost([0x41])
        #expect(irq.level && u.read(register: 2) & 0x0F == 0x04)    // received data available
        #expect(u.read(register: 0) == 0x41)
    }
}
