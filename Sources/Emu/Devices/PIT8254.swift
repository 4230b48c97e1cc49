/// The Intel 8254 programmable interval timer at 0x40-0x43 (8254 datasheet), clocked at
/// 105/88 MHz from the virtual cycle counter (`Clock`). Channel 0's OUT drives IRQ0; channel
/// 2's gate and OUT are port 0x61 bits 0 and 5 (`SystemControlPort`); channel 1 (DRAM refresh
/// on the PC) counts but drives nothing.
///
/// Counters are evaluated lazily: a channel stores the count it loaded and the tick at which
/// it did, and its count and OUT at any later tick follow from the mode's formula, so nothing
/// runs per PIT tick. Only channel 0 arms a clock event, at the next rising edge of OUT0.
///
///     mode 0  interrupt on terminal count: OUT low from the count write until the count
///             reaches 0, then high; the counter wraps and counts on
///     mode 1  hardware one-shot: a gate rising edge loads the count, OUT low until 0
///     mode 2  rate generator: period N, OUT low for the tick in which the count is 1
///     mode 3  square wave: period N, OUT high for ceil(N/2) ticks, low for floor(N/2)
///     mode 4  software strobe: OUT low for one tick when the count reaches 0
///     mode 5  hardware strobe: as mode 4, started by a gate rising edge
///
/// A count of 0 means 65536 (binary) or 10000 (BCD). A new count in mode 2 or 3 takes effect
/// at the end of the current period; in modes 0 and 4 at the next tick. Gate low stops modes
/// 0, 2, 3 and 4 (and forces OUT high in 2 and 3); a gate rising edge restarts 2 and 3 and
/// triggers 1 and 5. Channels 0 and 1 have their gate tied high, as on a PC.
public final class PIT8254: PortDevice, ClockEventHandler {
    public final class Channel {
        public internal(set) var mode: Int = 0
        public internal(set) var bcd = false
        /// Access mode: 1 = LSB only, 2 = MSB only, 3 = LSB then MSB.
        public internal(set) var access: Int = 3
        /// The count in the count register (decoded: 1...65536 or 1...10000).
        var reload: UInt64 = 0x10000
        /// The tick at which `reload` was (or will be) loaded into the counting element; nil
        /// when the counter waits for a count or a trigger.
        var loadTick: UInt64?
        /// The segment before a deferred reload (mode 2/3 count written while counting).
        var previous: (reload: UInt64, loadTick: UInt64)?
        var gate = true
        /// Count and OUT while not counting.
        var heldCount: UInt64 = 0
        var heldOut = false
        /// Write and read byte toggles for access mode 3.
        var writeMSBNext = false
        var readMSBNext = false
        var partialLSB: UInt8 = 0
        /// Latched bytes of a counter-latch command (LSB first), and a latched status byte.
        var latch: [UInt8] = []
        var latchedStatus: UInt8?
        /// A count has been written and not yet loaded.
        var nullCount = true
        /// A count has been written since the last control word.
        var hasCount = false
        /// Elapsed ticks when the gate stopped a mode 0/4 count.
        var frozenElapsed: UInt64?

        var modulus: UInt64 { bcd ? 10_000 : 0x10000 }

        /// The loaded segment active at tick `t`: (count, load tick).
        func segment(at t: UInt64) -> (n: UInt64, start: UInt64)? {
            if let s = loadTick, t >= s { return (reload, s) }
            if let p = previous, t >= p.loadTick { return (p.reload, p.loadTick) }
            return nil
        }

        func elapsed(_ t: UInt64, _ start: UInt64) -> UInt64 {
            if let f = frozenElapsed { return f }
            return t - start
        }

        /// The counting element's value at tick `t`.
        func count(at t: UInt64) -> UInt64 {
            guard gate || mode == 1 || mode == 5, let (n, start) = segment(at: t) else { return heldCount }
            let e = elapsed(t, start)
            switch mode {
            case 2:
                return n - e % n
            case 3:
                let p = e % n, half = (n + 1) / 2
                let even = n & ~1
                return p < half ? even &- 2 * p : even &- 2 * (p - half)
            default:
                let m = modulus
                return (n % m + m - e % m) % m
            }
        }

        /// OUT at tick `t`.
        func out(at t: UInt64) -> Bool {
            if !gate && (mode == 2 || mode == 3) { return true }
            guard let (n, start) = segment(at: t) else { return heldOut }
            let e = elapsed(t, start)
            switch mode {
            case 0, 1: return e >= n
            case 2: return e % n != n - 1
            case 3: return e % n < (n + 1) / 2
            default: return e != n
            }
        }

        /// The first tick after `t` at which OUT goes from low to high, or nil.
        func nextRisingEdge(after t: UInt64) -> UInt64? {
            if !gate && mode != 1 && mode != 5 { return nil }
            if frozenElapsed != nil { return nil }
            // A deferred reload: edges of the old segment come first.
            if let p = previous, let s = loadTick, t < s {
                let k = (t - p.loadTick) / p.reload + 1
                let edge = p.loadTick + k * p.reload
                return min(edge, s)
            }
            guard let start = loadTick else { return nil }
            let n = reload
            switch mode {
            case 0, 1:
                return start + n > t ? start + n : nil
            case 2, 3:
                if t < start { return start + n }
                return start + ((t - start) / n + 1) * n
            default:
                return start + n + 1 > t ? start + n + 1 : nil
            }
        }

        func statusByte(at t: UInt64) -> UInt8 {
            var s = UInt8(access << 4) | UInt8(mode << 1) | (bcd ? 1 : 0)
            if out(at: t) { s |= 0x80 }
            if nullCount && (loadTick.map { t < $0 } ?? true) { s |= 0x40 }
            return s
        }
    }

    public let channels = [Channel(), Channel(), Channel()]
    let clock: Clock
    let irq: InterruptSink

    public init(clock: Clock, irq: InterruptSink) {
        self.clock = clock
        self.irq = irq
        clock.register(.pit0, handler: self)
    }

    public var ports: ClosedRange<UInt16> { 0x40...0x43 }

    /// The current PIT tick.
    var tick: UInt64 { Clock.pitTicks(atCycle: clock.now) }

    // MARK: Channel 0 -> IRQ0

    public func clockEvent(_ event: ClockEvent, now: UInt64) {
        // A rising edge of OUT0 (the low phase happened since the last edge).
        irq.setIRQ(0, false)
        irq.setIRQ(0, true)
        scheduleChannel0()
    }

    func scheduleChannel0() {
        let t = Clock.pitTicks(atCycle: clock.now)
        let c = channels[0]
        if c.previous != nil, let s = c.loadTick, t >= s { c.previous = nil }
        if let edge = c.nextRisingEdge(after: t) {
            clock.schedule(.pit0, at: Clock.cycle(ofPITTick: edge))
        } else {
            clock.cancel(.pit0)
        }
    }

    /// After a register change: OUT0's level to IRQ0, and the next edge.
    func channelChanged(_ index: Int) {
        if index == 0 {
            irq.setIRQ(0, channels[0].out(at: tick))
            scheduleChannel0()
        }
    }

    // MARK: Gate (channel 2: port 0x61 bit 0)

    public func setGate(_ index: Int, _ level: Bool) {
        let c = channels[index]
        guard c.gate != level else { return }
        let t = tick
        if !level {
            c.heldCount = c.count(at: t)
            if let (_, start) = c.segment(at: t), c.mode == 0 || c.mode == 4, c.frozenElapsed == nil {
                c.frozenElapsed = t - start
            }
            c.gate = false
        } else {
            c.gate = true
            switch c.mode {
            case 0, 4:
                if let f = c.frozenElapsed {
                    c.loadTick = t - f
                    c.previous = nil
                    c.frozenElapsed = nil
                }
            default:
                // Modes 1, 5 trigger; modes 2, 3 restart: the count loads at the next tick.
                if c.hasCount {
                    c.previous = nil
                    c.loadTick = t + 1
                    c.nullCount = false
                }
            }
        }
        channelChanged(index)
    }

    public func out(_ index: Int) -> Bool { channels[index].out(at: tick) }
    public func count(_ index: Int) -> UInt64 { channels[index].count(at: tick) }

    // MARK: Ports

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<size { v |= UInt32(readByte(port &+ UInt16(k))) << (8 * UInt32(k)) }
        return v
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        for k in 0..<size { writeByte(port &+ UInt16(k), UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
    }

    func encode(_ count: UInt64, bcd: Bool) -> UInt16 {
        guard bcd else { return UInt16(count % 0x10000) }
        let d = count % 10_000
        return UInt16((d / 1000) << 12 | (d / 100 % 10) << 8 | (d / 10 % 10) << 4 | d % 10)
    }

    func readByte(_ port: UInt16) -> UInt8 {
        guard port >= 0x40 && port <= 0x42 else { return 0xFF }   // the control word is write-only
        let c = channels[Int(port - 0x40)]
        if let s = c.latchedStatus {
            c.latchedStatus = nil
            return s
        }
        if !c.latch.isEmpty { return c.latch.removeFirst() }
        let value = encode(c.count(at: tick), bcd: c.bcd)
        switch c.access {
        case 1: return UInt8(value & 0xFF)
        case 2: return UInt8(value >> 8)
        default:
            defer { c.readMSBNext.toggle() }
            return c.readMSBNext ? UInt8(value >> 8) : UInt8(value & 0xFF)
        }
    }

    func writeByte(_ port: UInt16, _ v: UInt8) {
        if port == 0x43 { writeControl(v); return }
        guard port >= 0x40 && port <= 0x42 else { return }
        let index = Int(port - 0x40)
        let c = channels[index]
        var raw: UInt16
        switch c.access {
        case 1: raw = UInt16(v)
        case 2: raw = UInt16(v) << 8
        default:
            if !c.writeMSBNext {
                c.partialLSB = v
                c.writeMSBNext = true
                if c.mode == 0 {   // writing the first byte stops a mode 0 count
                    let t = tick
                    c.heldCount = c.count(at: t)
                    c.loadTick = nil
                    c.previous = nil
                    c.heldOut = false
                    channelChanged(index)
                }
                return
            }
            c.writeMSBNext = false
            raw = UInt16(v) << 8 | UInt16(c.partialLSB)
        }
        loadCount(index, raw)
    }

    func loadCount(_ index: Int, _ raw: UInt16) {
        let c = channels[index]
        var n: UInt64
        if c.bcd {
            let r = UInt64(raw)
            n = (r >> 12 & 0xF) * 1000 + (r >> 8 & 0xF) * 100 + (r >> 4 & 0xF) * 10 + (r & 0xF)
            if n == 0 { n = 10_000 }
        } else {
            n = raw == 0 ? 0x10000 : UInt64(raw)
        }
        let t = tick
        c.nullCount = true
        c.hasCount = true
        switch c.mode {
        case 0, 4:
            c.heldCount = c.count(at: t)
            c.heldOut = c.mode == 4
            c.reload = n
            c.previous = nil
            c.frozenElapsed = nil
            c.loadTick = t + 1
            if !c.gate { c.frozenElapsed = 0 }
        case 1, 5:
            // Used by the next trigger; a running one-shot keeps its count (`previous`).
            if let (on, os) = c.segment(at: t) { c.previous = (on, os) }
            c.reload = n
            c.loadTick = nil
        default:
            if let (on, os) = c.segment(at: t), c.gate {
                // The end of the current period: the new count loads there.
                let e = t - os
                let end = os + (e / on + 1) * on
                c.previous = (on, os)
                c.reload = n
                c.loadTick = end
            } else {
                c.previous = nil
                c.reload = n
                c.loadTick = c.gate ? t + 1 : nil
                c.heldOut = true
            }
        }
        channelChanged(index)
    }

    func writeControl(_ v: UInt8) {
        let sc = Int(v >> 6)
        if sc == 3 { readBack(v); return }
        let c = channels[sc]
        let rw = Int(v >> 4 & 3)
        let t = tick
        if rw == 0 {
            // Counter latch: ignored while an earlier latch is unread.
            if c.latch.isEmpty {
                let value = encode(c.count(at: t), bcd: c.bcd)
                switch c.access {
                case 1: c.latch = [UInt8(value & 0xFF)]
                case 2: c.latch = [UInt8(value >> 8)]
                default: c.latch = c.readMSBNext ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
                }
            }
            return
        }
        var mode = Int(v >> 1 & 7)
        if mode > 5 { mode -= 4 }
        c.access = rw
        c.mode = mode
        c.bcd = v & 1 != 0
        c.writeMSBNext = false
        c.readMSBNext = false
        c.latch = []
        c.latchedStatus = nil
        c.loadTick = nil
        c.previous = nil
        c.frozenElapsed = nil
        c.nullCount = true
        c.hasCount = false
        c.heldOut = mode != 0
        channelChanged(sc)
    }

    /// Read-back command: bit 5 = 0 latches the counts, bit 4 = 0 the status, bits 1-3 select.
    func readBack(_ v: UInt8) {
        let t = tick
        for i in 0..<3 where v & (2 << UInt8(i)) != 0 {
            let c = channels[i]
            if v & 0x10 == 0 && c.latchedStatus == nil { c.latchedStatus = c.statusByte(at: t) }
            if v & 0x20 == 0 && c.latch.isEmpty {
                let value = encode(c.count(at: t), bcd: c.bcd)
                switch c.access {
                case 1: c.latch = [UInt8(value & 0xFF)]
                case 2: c.latch = [UInt8(value >> 8)]
                default: c.latch = [UInt8(value & 0xFF), UInt8(value >> 8)]
                }
            }
        }
    }
}
