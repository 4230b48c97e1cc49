/// One Intel 8259A programmable interrupt controller (8259A datasheet), in 8086 mode.
///
///     A0=0 write: ICW1 (bit 4 = 1), OCW2 (bits 4-3 = 00), OCW3 (bits 4-3 = 01)
///     A0=1 write: ICW2-ICW4 during initialization, else OCW1 (IMR)
///     A0=0 read:  IRR or ISR (OCW3 RR/RIS), or the poll word after an OCW3 poll command
///     A0=1 read:  IMR
///
/// Priorities rotate: `lowestPriority` is the IR level with the lowest priority (7 after
/// ICW1), and the highest is the one after it, modulo 8. A request is reported on INT when it
/// is unmasked and has higher priority than every level in service (in special mask mode,
/// only a level's own ISR bit blocks it; in special fully nested mode the cascade level does
/// not block its own slave). Edge-triggered inputs latch a request on a rising edge; level-
/// triggered ones (ICW1 LTIM or the ELCR bit) request while the input is high.
public final class PIC8259 {
    public private(set) var irr: UInt8 = 0
    public private(set) var isr: UInt8 = 0
    /// All masked until the first ICW1 (the datasheet leaves the power-on state undefined;
    /// masked keeps an uninitialized PIC from delivering exception vectors).
    public private(set) var imr: UInt8 = 0xFF
    /// Input pin levels (for edge detection and level mode).
    public private(set) var lines: UInt8 = 0
    /// ELCR: 1 = level-triggered for that input (PC/AT edge/level control register).
    public var elcr: UInt8 = 0
    /// Bits of `elcr` a guest can set (IRQ0-2 and IRQ8/13 are always edge on a PC).
    let elcrWritable: UInt8

    public private(set) var vectorBase: UInt8 = 0
    public private(set) var lowestPriority: UInt8 = 7
    public private(set) var autoEOI = false
    public private(set) var rotateOnAutoEOI = false
    public private(set) var specialMask = false
    public private(set) var specialFullyNested = false
    public private(set) var levelTriggered = false   // ICW1 LTIM
    public private(set) var single = false
    public private(set) var icw3: UInt8 = 0
    var readISR = false
    var pollPending = false
    /// 0 = ready for OCWs; 2, 3, 4 = expecting that ICW.
    var initStep = 0
    var expectICW4 = false
    /// The master has slaves on the IR levels of ICW3; a slave has its ID there.
    public let isMaster: Bool

    public init(master: Bool) {
        isMaster = master
        elcrWritable = master ? 0xF8 : 0xDE
    }

    // MARK: Inputs

    /// Drives input `line` (0-7) to `level`.
    public func setLine(_ line: Int, _ level: Bool) {
        let bit = UInt8(1) << UInt8(line & 7)
        let wasHigh = lines & bit != 0
        if level {
            lines |= bit
            if !wasHigh || isLevel(bit) { irr |= bit }
        } else {
            lines &= ~bit
            if isLevel(bit) { irr &= ~bit }
        }
    }

    func isLevel(_ bit: UInt8) -> Bool { levelTriggered || elcr & bit != 0 }

    // MARK: Priority resolution

    /// The levels in priority order, highest first.
    @inline(__always) func level(atPriority k: Int) -> Int { (Int(lowestPriority) + 1 + k) & 7 }

    /// The highest-priority level set in `bits`, or nil.
    func highest(in bits: UInt8) -> Int? {
        guard bits != 0 else { return nil }
        for k in 0..<8 {
            let l = level(atPriority: k)
            if bits & (1 << UInt8(l)) != 0 { return l }
        }
        return nil
    }

    func priority(of level: Int) -> Int { (level - Int(lowestPriority) - 1) & 7 }

    /// The level INT reports, or nil when INT is low.
    public var pendingLevel: Int? {
        let requests = irr & ~imr
        guard let req = highest(in: requests) else { return nil }
        if specialMask { return highest(in: requests & ~isr) }   // only a level's own ISR bit blocks it
        if let s = highest(in: isr) {
            let ps = priority(of: s), pr = priority(of: req)
            if pr > ps { return nil }
            // Special fully nested mode: the slave on an in-service cascade level may interrupt it.
            if pr == ps && !(isMaster && specialFullyNested && icw3 & (1 << UInt8(s)) != 0) { return nil }
        }
        return req
    }

    public var interruptOutput: Bool { pendingLevel != nil }

    /// The INTA sequence for a request on `level` (nil: spurious, reported as IR7): sets the
    /// ISR bit (unless auto-EOI), clears an edge request, and returns the IR level.
    func acknowledge() -> Int {
        guard let l = pendingLevel else { return 7 }   // spurious: IR7, ISR untouched
        let bit = UInt8(1) << UInt8(l)
        if !isLevel(bit) { irr &= ~bit }
        if autoEOI {
            if rotateOnAutoEOI { lowestPriority = UInt8(l) }
        } else {
            isr |= bit
        }
        return l
    }

    /// The vector the chip puts on the bus for level `l`.
    func vector(for l: Int) -> UInt8 { vectorBase | UInt8(l) }

    // MARK: Registers

    public func read(a0: Bool) -> UInt8 {
        if pollPending {
            pollPending = false
            guard pendingLevel != nil else { return 0 }
            return 0x80 | UInt8(acknowledge())
        }
        if a0 { return imr }
        return readISR ? isr : irr
    }

    public func write(a0: Bool, _ v: UInt8) {
        if !a0 && v & 0x10 != 0 {
            // ICW1: edge sense reset, IMR cleared, IR7 lowest, special mask off, read IRR.
            levelTriggered = v & 0x08 != 0
            single = v & 0x02 != 0
            expectICW4 = v & 0x01 != 0
            irr = 0
            isr = 0
            imr = 0
            lowestPriority = 7
            specialMask = false
            readISR = false
            pollPending = false
            autoEOI = false
            rotateOnAutoEOI = false
            specialFullyNested = false
            if levelTriggered { irr = lines }
            initStep = 2
            return
        }
        if a0 {
            switch initStep {
            case 2:
                vectorBase = v & 0xF8
                initStep = single ? (expectICW4 ? 4 : 0) : 3
            case 3:
                icw3 = v
                initStep = expectICW4 ? 4 : 0
            case 4:
                autoEOI = v & 0x02 != 0
                specialFullyNested = v & 0x10 != 0
                initStep = 0
            default:
                imr = v
            }
            return
        }
        if v & 0x18 == 0 {
            writeOCW2(v)
        } else if v & 0x18 == 0x08 {
            // OCW3
            if v & 0x04 != 0 { pollPending = true }
            if v & 0x02 != 0 { readISR = v & 0x01 != 0 }
            if v & 0x40 != 0 { specialMask = v & 0x20 != 0 }
        }
    }

    func writeOCW2(_ v: UInt8) {
        let l = v & 7
        switch v >> 5 {
        case 0b001:  // non-specific EOI
            if let h = highest(in: isr) { isr &= ~(1 << UInt8(h)) }
        case 0b011:  // specific EOI
            isr &= ~(1 << l)
        case 0b101:  // rotate on non-specific EOI
            if let h = highest(in: isr) {
                isr &= ~(1 << UInt8(h))
                lowestPriority = UInt8(h)
            }
        case 0b100: rotateOnAutoEOI = true
        case 0b000: rotateOnAutoEOI = false
        case 0b111:  // rotate on specific EOI
            isr &= ~(1 << l)
            lowestPriority = l
        case 0b110: lowestPriority = l   // set priority
        default: break                   // 010: no operation
        }
    }
}
