/// A 16550A UART (TI/National PC16550D datasheet), as COM1 at 0x3F8-0x3FF.
///
///     offset  DLAB=0 read   DLAB=0 write   DLAB=1
///     0       RBR           THR            DLL (divisor latch, low)
///     1       IER           IER            DLM (divisor latch, high)
///     2       IIR           FCR
///     3       LCR (bit 7 = DLAB)
///     4       MCR (bit 4 = loopback)
///     5       LSR
///     6       MSR
///     7       SCR
///
/// Transmission is instant: a byte written to THR goes to the sink at once, so LSR always
/// reports THRE and TEMT (0x60) and a polling guest never waits. Received bytes come from
/// loopback or from the host (`receiveFromHost`): host bytes wait outside the UART and enter
/// the receive FIFO (16 bytes, or RBR without FIFOs) when the guest looks (RBR, LSR, IIR) or
/// has the received-data interrupt enabled, as with hardware flow control, so none is lost to
/// a FIFO reset during the guest's UART set-up. Interrupt identification (IIR) follows the datasheet's priorities; the
/// interrupt output drives `irq` (IRQ4 for COM1) through the PC's OUT2 gate: the line is high
/// while an interrupt is pending, MCR.OUT2 (bit 3) is set and loopback is off (in loopback the
/// OUT2 pin is forced inactive).
public final class UART16550: PortDevice {
    public let base: UInt16
    public let sink: SerialSink

    public private(set) var ier: UInt8 = 0
    public private(set) var lcr: UInt8 = 0
    public private(set) var mcr: UInt8 = 0
    public private(set) var scr: UInt8 = 0
    public private(set) var fcr: UInt8 = 0
    /// Divisor latch; 12 (9600 baud with the 1.8432 MHz clock) until a guest programs it.
    public private(set) var divisor: UInt16 = 12
    /// Received bytes not yet read; one byte without the FIFO.
    private var receive: [UInt8] = []
    /// Bytes from the host not yet in the receive FIFO, and how many of them went in.
    private var hostInput: [UInt8] = []
    private var hostInputTaken = 0
    /// The THR-empty interrupt condition (IIR = 0x02): set when THR empties with ETBEI on,
    /// cleared by reading IIR while it is the reported source, or by writing THR.
    private var thrEmptyPending = false
    /// MSR delta bits (0-3), cleared by reading MSR.
    private var msrDelta: UInt8 = 0
    /// Overrun error, reported once in LSR bit 1.
    private var overrun = false

    // Register bits.
    static let lcrDLAB: UInt8 = 0x80
    static let mcrLoopback: UInt8 = 0x10
    static let ierReceive: UInt8 = 0x01
    static let ierTHREmpty: UInt8 = 0x02
    static let lsrDataReady: UInt8 = 0x01
    static let lsrOverrun: UInt8 = 0x02
    static let lsrTHREmpty: UInt8 = 0x20
    static let lsrTransmitterEmpty: UInt8 = 0x40
    static let fcrEnable: UInt8 = 0x01

    /// Where the interrupt output goes (nil: not wired).
    let irqSink: InterruptSink?
    let irqNumber: Int
    var irqLevel = false

    public init(base: UInt16 = 0x3F8, sink: SerialSink, irq: InterruptSink? = nil, irqNumber: Int = 4) {
        self.base = base
        self.sink = sink
        irqSink = irq
        self.irqNumber = irqNumber
    }

    /// Drives the interrupt line after a register access.
    func updateInterrupt() {
        guard let irqSink else { return }
        let level = interruptIdentification & 1 == 0 && mcr & 0x08 != 0 && !loopback
        if level != irqLevel {
            irqLevel = level
            irqSink.setIRQ(irqNumber, level)
        }
    }

    public var ports: ClosedRange<UInt16> { base...(base + 7) }

    var fifoEnabled: Bool { fcr & UART16550.fcrEnable != 0 }
    var loopback: Bool { mcr & UART16550.mcrLoopback != 0 }
    var dlab: Bool { lcr & UART16550.lcrDLAB != 0 }

    // An access wider than a byte is split into byte accesses of consecutive ports, as the ISA
    // bus does for an 8-bit device.
    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<size {
            let p = port &+ UInt16(k)
            let byte = ports.contains(p) ? read(register: p - base) : 0xFF
            v |= UInt32(byte) << (8 * UInt32(k))
        }
        updateInterrupt()
        return v
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        for k in 0..<size {
            let p = port &+ UInt16(k)
            if ports.contains(p) { write(register: p - base, UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
        }
        updateInterrupt()
    }

    /// Reads register `offset` (0-7), with the datasheet's side effects.
    public func read(register offset: UInt16) -> UInt8 {
        switch offset {
        case 0:
            if dlab { return UInt8(divisor & 0xFF) }
            refillFromHost()
            return receive.isEmpty ? 0 : receive.removeFirst()
        case 1:
            return dlab ? UInt8(divisor >> 8) : ier
        case 2:
            refillFromHost()
            let id = interruptIdentification
            if id & 0x0F == 0x02 { thrEmptyPending = false }
            return id
        case 3: return lcr
        case 4: return mcr
        case 5:
            refillFromHost()
            return lineStatus(consume: true)
        case 6:
            let v = modemStatus
            msrDelta = 0
            return v
        default: return scr
        }
    }

    /// Writes register `offset` (0-7).
    public func write(register offset: UInt16, _ value: UInt8) {
        switch offset {
        case 0:
            if dlab { divisor = divisor & 0xFF00 | UInt16(value); return }
            transmit(value)
        case 1:
            if dlab { divisor = divisor & 0x00FF | UInt16(value) << 8; return }
            let enablingTHRE = value & UART16550.ierTHREmpty != 0 && ier & UART16550.ierTHREmpty == 0
            ier = value & 0x0F
            if ier & UART16550.ierReceive != 0 { refillFromHost() }
            if enablingTHRE { thrEmptyPending = true }    // THR is always empty here
            if ier & UART16550.ierTHREmpty == 0 { thrEmptyPending = false }
        case 2:
            if value & UART16550.fcrEnable != fcr & UART16550.fcrEnable { receive.removeAll() }
            if value & 0x02 != 0 { receive.removeAll() }          // clear the receive FIFO
            fcr = value & 0xC9                                     // bits 1-2 self-clear
        case 3: lcr = value
        case 4:
            let old = modemStatus
            mcr = value & 0x1F
            noteModemChange(from: old)
        case 5: break    // LSR: factory test, writes ignored
        case 6: break    // MSR: read-only
        default: scr = value
        }
    }

    /// Bytes typed on the host side of the line (a terminal, or a file): they reach the guest
    /// in order, as room in the receive FIFO frees.
    public func receiveFromHost(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        hostInput += bytes
        if ier & UART16550.ierReceive != 0 { refillFromHost() }
        updateInterrupt()
    }

    func refillFromHost() {
        guard !loopback else { return }
        let capacity = fifoEnabled ? 16 : 1
        while receive.count < capacity && hostInputTaken < hostInput.count {
            receive.append(hostInput[hostInputTaken])
            hostInputTaken += 1
        }
        if hostInputTaken == hostInput.count {
            hostInput.removeAll()
            hostInputTaken = 0
        }
    }

    func transmit(_ byte: UInt8) {
        if loopback {
            let capacity = fifoEnabled ? 16 : 1
            if receive.count < capacity {
                receive.append(byte)
            } else {
                // Overrun: without FIFOs the new character overwrites RBR; with them it is lost.
                overrun = true
                if !fifoEnabled { receive[receive.count - 1] = byte }
            }
        } else {
            sink.put(byte)
        }
        if ier & UART16550.ierTHREmpty != 0 { thrEmptyPending = true } else { thrEmptyPending = false }
    }

    /// IIR: bit 0 = no interrupt pending, bits 1-3 the highest-priority source, bits 6-7 set
    /// when the FIFOs are enabled.
    public var interruptIdentification: UInt8 {
        let fifoBits: UInt8 = fifoEnabled ? 0xC0 : 0
        if ier & 0x04 != 0 && overrun { return fifoBits | 0x06 }                      // receiver line status
        if ier & UART16550.ierReceive != 0 && !receive.isEmpty { return fifoBits | 0x04 } // received data
        if thrEmptyPending { return fifoBits | 0x02 }                                   // THR empty
        if ier & 0x08 != 0 && msrDelta != 0 { return fifoBits | 0x00 }                 // modem status
        return fifoBits | 0x01
    }

    /// LSR: DR, OE, THRE and TEMT (transmission is instant).
    func lineStatus(consume: Bool) -> UInt8 {
        var v = UART16550.lsrTHREmpty | UART16550.lsrTransmitterEmpty
        if !receive.isEmpty { v |= UART16550.lsrDataReady }
        if overrun { v |= UART16550.lsrOverrun; if consume { overrun = false } }
        return v
    }

    /// MSR: in loopback the outputs drive the inputs (RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD);
    /// otherwise a connected terminal: CTS, DSR and DCD asserted.
    var modemStatus: UInt8 {
        let lines: UInt8
        if loopback {
            lines = (mcr & 0x02 != 0 ? 0x10 : 0) | (mcr & 0x01 != 0 ? 0x20 : 0)
                  | (mcr & 0x04 != 0 ? 0x40 : 0) | (mcr & 0x08 != 0 ? 0x80 : 0)
        } else {
            lines = 0xB0
        }
        return lines | msrDelta
    }

    /// Sets the delta bits for lines changed by an MCR write (TERI only on RI falling).
    func noteModemChange(from old: UInt8) {
        let new = modemStatus & 0xF0
        let changed = (old & 0xF0) ^ new
        if changed & 0x10 != 0 { msrDelta |= 0x01 }
        if changed & 0x20 != 0 { msrDelta |= 0x02 }
        if changed & 0x40 != 0 && new & 0x40 == 0 { msrDelta |= 0x04 }
        if changed & 0x80 != 0 { msrDelta |= 0x08 }
    }
}
