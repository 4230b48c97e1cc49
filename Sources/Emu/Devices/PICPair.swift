/// Where a device's interrupt request line goes (a seam: tests record the levels).
public protocol InterruptSink: AnyObject {
    /// Drives ISA IRQ `irq` (0-15) to `level`.
    func setIRQ(_ irq: Int, _ level: Bool)
}

/// The PC/AT interrupt controllers: a master 8259A at 0x20-0x21 and a slave at 0xA0-0xA1
/// whose INT output drives the master's IR2, plus the edge/level control registers (ELCR) at
/// 0x4D0 (IRQ0-7) and 0x4D1 (IRQ8-15).
///
/// The master's INT output is the CPU's INTR: while it is high the pair keeps the attention
/// word's `interrupt` bit set, and the run loop runs the INTA cycle (`acknowledge`) at an
/// instruction boundary where RFLAGS.IF = 1 and no interrupt shadow holds.
public final class PICPair: PortDevice, InterruptSink {
    public let master = PIC8259(master: true)
    public let slave = PIC8259(master: false)
    let attention: Attention

    public init(attention: Attention) {
        self.attention = attention
    }

    public static let ports: [ClosedRange<UInt16>] = [0x20...0x21, 0xA0...0xA1, 0x4D0...0x4D1]

    public func setIRQ(_ irq: Int, _ level: Bool) {
        if irq < 8 { master.setLine(irq, level) } else { slave.setLine(irq - 8, level) }
        update()
    }

    /// One rising edge on `irq` (a timer output's low-to-high transition).
    public func pulse(_ irq: Int) {
        setIRQ(irq, false)
        setIRQ(irq, true)
    }

    /// Propagates the slave's INT to master IR2 and the master's INT to the attention word.
    func update() {
        master.setLine(2, slave.interruptOutput)
        if master.interruptOutput { attention.pending |= Attention.interrupt }
    }

    /// INTR as the CPU sees it.
    public var interruptRequested: Bool { master.interruptOutput }

    /// The INTA cycle: the vector of the highest-priority request (master IR7 or slave IR7, the
    /// spurious vectors, when the request went away).
    public func acknowledge() -> UInt8 {
        let l = master.acknowledge()
        let vector: UInt8
        if !master.single && master.icw3 & (1 << UInt8(l)) != 0 {
            vector = slave.vector(for: slave.acknowledge())
        } else {
            vector = master.vector(for: l)
        }
        update()
        return vector
    }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<size {
            v |= UInt32(readByte(port &+ UInt16(k))) << (8 * UInt32(k))
        }
        return v
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        for k in 0..<size {
            writeByte(port &+ UInt16(k), UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))))
        }
    }

    func readByte(_ port: UInt16) -> UInt8 {
        let v: UInt8
        switch port {
        case 0x20, 0x21: v = master.read(a0: port & 1 != 0)
        case 0xA0, 0xA1: v = slave.read(a0: port & 1 != 0)
        case 0x4D0: return master.elcr
        case 0x4D1: return slave.elcr
        default: return 0xFF
        }
        update()   // a poll read acknowledges
        return v
    }

    func writeByte(_ port: UInt16, _ v: UInt8) {
        switch port {
        case 0x20, 0x21: master.write(a0: port & 1 != 0, v)
        case 0xA0, 0xA1: slave.write(a0: port & 1 != 0, v)
        case 0x4D0: master.elcr = v & master.elcrWritable
        case 0x4D1: slave.elcr = v & slave.elcrWritable
        default: return
        }
        update()
    }
}
