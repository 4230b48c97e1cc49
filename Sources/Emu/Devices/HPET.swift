/// The High Precision Event Timer (IA-PC HPET specification 1.0a) at FED0_0000h: a 64-bit main
/// counter at 100 MHz (period 10 ns, QEMU's rate; counter = cycles / 10 from the virtual clock)
/// and three comparators, each one-shot or periodic, edge or level, routed to an IOAPIC input or,
/// with legacy replacement, timer 0 to IRQ0 and timer 1 to IRQ8.
///
///     000h  capabilities and ID   rev 1, 3 timers, 64-bit, legacy-capable, vendor 8086h, period
///     010h  configuration         ENABLE_CNF (0), LEG_RT_CNF (1)
///     020h  interrupt status      level-triggered timers' status, write 1 to clear
///     0F0h  main counter          writable while the counter is halted
///     100h + 20h * n  timer n configuration: INT_TYPE (1, level), INT_ENB (2), TYPE (3,
///                     periodic), PER_INT_CAP (4), SIZE_CAP (5), VAL_SET (6), 32MODE (8),
///                     INT_ROUTE (13:9), routing capability (63:32)
///     108h + 20h * n  timer n comparator
public final class HPET: MMIODevice, ClockEventHandler {
    public static let defaultBase: UInt64 = 0xFED0_0000
    public static let timerCount = 3
    /// Femtoseconds per counter tick.
    public static let periodFemtoseconds: UInt64 = 10_000_000
    static let cyclesPerTick: UInt64 = 10
    /// The low half of the capabilities register (also the ACPI HPET table's block ID).
    public static let capabilitiesLow: UInt32 = 0x8086_0000 | 1 << 15 | 1 << 13 | UInt32(timerCount - 1) << 8 | 1
    /// IOAPIC inputs a timer may use (20-23).
    static let routeCapability: UInt64 = 0x00F0_0000

    struct Timer {
        var config: UInt64 = 1 << 4 | 1 << 5 | HPET.routeCapability << 32
        var comparator: UInt64 = .max
        var period: UInt64 = 0
    }

    let clock: Clock
    let irqs: ISAInterruptRouter
    let ioapic: IOAPIC
    var configuration: UInt64 = 0
    var status: UInt64 = 0
    /// The counter value at `counterCycle` (it counts from there while enabled).
    var counterBase: UInt64 = 0
    var counterCycle: UInt64 = 0
    var timers = [Timer](repeating: Timer(), count: HPET.timerCount)

    public init(clock: Clock, irqs: ISAInterruptRouter, ioapic: IOAPIC) {
        self.clock = clock
        self.irqs = irqs
        self.ioapic = ioapic
        clock.register(.hpet, handler: self)
    }

    var enabled: Bool { configuration & 1 != 0 }
    var legacyRouting: Bool { configuration & 2 != 0 }

    /// The main counter now.
    public var counter: UInt64 {
        enabled ? counterBase &+ (clock.now &- counterCycle) / HPET.cyclesPerTick : counterBase
    }

    // MARK: Registers (32- and 64-bit accesses)

    public func mmioRead(_ offset: UInt64, size: Int) -> UInt64 {
        let v = register(offset & ~7) >> (8 * (offset & 4))
        return size >= 8 ? v : v & 0xFFFF_FFFF
    }

    func register(_ r: UInt64) -> UInt64 {
        switch r {
        case 0x000: return HPET.periodFemtoseconds << 32 | UInt64(HPET.capabilitiesLow)
        case 0x010: return configuration
        case 0x020: return status
        case 0x0F0: return counter
        case 0x100..<(0x100 + 0x20 * UInt64(HPET.timerCount)):
            let t = timers[Int((r - 0x100) / 0x20)]
            switch r & 0x1F {
            case 0x00: return t.config
            case 0x08: return t.comparator
            default: return 0
            }
        default: return 0
        }
    }

    public func mmioWrite(_ offset: UInt64, size: Int, value: UInt64) {
        let r = offset & ~7
        let old = register(r)
        let v: UInt64
        if size >= 8 { v = value } else if offset & 4 != 0 {
            v = (old & 0xFFFF_FFFF) | (value & 0xFFFF_FFFF) << 32
        } else {
            v = (old & ~0xFFFF_FFFF) | (value & 0xFFFF_FFFF)
        }
        switch r {
        case 0x010:
            let now = counter
            configuration = v & 3
            irqs.hpetLegacyRouting = legacyRouting
            counterBase = now
            counterCycle = clock.now
        case 0x020:
            status &= ~v
            for n in 0..<HPET.timerCount where v >> UInt64(n) & 1 != 0 { drive(n, false) }
        case 0x0F0:
            if !enabled { counterBase = v }
        case 0x100..<(0x100 + 0x20 * UInt64(HPET.timerCount)):
            let n = Int((r - 0x100) / 0x20)
            switch r & 0x1F {
            case 0x00:
                // Writable: INT_TYPE, INT_ENB, TYPE, VAL_SET, 32MODE, INT_ROUTE.
                let writable: UInt64 = 1 << 1 | 1 << 2 | 1 << 3 | 1 << 6 | 1 << 8 | 0x1F << 9
                timers[n].config = (timers[n].config & ~writable) | (v & writable)
            case 0x08:
                // Periodic: the write sets the period, and the comparator only with VAL_SET
                // (as QEMU); one-shot: the comparator.
                var t = timers[n]
                if t.config & (1 << 3) == 0 || t.config & (1 << 6) != 0 { t.comparator = v }
                if t.config & (1 << 3) != 0 { t.period = v }
                t.config &= ~(1 << 6)
                timers[n] = t
            default: break
            }
        default: break
        }
        schedule()
    }

    // MARK: Comparators

    /// Arms the clock for the earliest enabled comparator still ahead of the counter.
    func schedule() {
        guard enabled else { clock.cancel(.hpet); return }
        let now = counter
        var next = Clock.never
        for t in timers where t.comparator >= now && t.comparator != .max {
            // The first cycle at which the counter reaches the comparator; the 64-bit counter
            // wraps and a match is equality (HPET 1.0a), so it may pass zero before the match.
            let (c, o) = (t.comparator &- counterBase).multipliedReportingOverflow(by: HPET.cyclesPerTick)
            let (cycle, o2) = counterCycle.addingReportingOverflow(c)
            if !o && !o2 && cycle < next { next = cycle }
        }
        if next == Clock.never { clock.cancel(.hpet) } else { clock.schedule(.hpet, at: next) }
    }

    public func clockEvent(_ event: ClockEvent, now: UInt64) {
        let c = counter
        for n in 0..<HPET.timerCount where timers[n].comparator <= c {
            var t = timers[n]
            if t.config & (1 << 3) != 0 && t.period != 0 {
                // The next period boundary after the counter (missed periods are skipped).
                let (next, overflow) = t.comparator.addingReportingOverflow(((c - t.comparator) / t.period + 1) &* t.period)
                t.comparator = overflow ? .max : next
            } else {
                t.comparator = .max
            }
            let fire = t.config & (1 << 2) != 0
            timers[n] = t
            if fire { interrupt(n) }
        }
        schedule()
    }

    func interrupt(_ n: Int) {
        if timers[n].config & (1 << 1) != 0 {
            status |= 1 << UInt64(n)
            drive(n, true)
        } else {
            drive(n, false)
            drive(n, true)
        }
    }

    /// The timer's interrupt line: legacy replacement (timer 0 -> IRQ0, timer 1 -> IRQ8) or
    /// INT_ROUTE to the IOAPIC.
    func drive(_ n: Int, _ level: Bool) {
        if legacyRouting && n < 2 {
            irqs.setHPETLegacyIRQ(n == 0 ? 0 : 8, level)
        } else {
            ioapic.setInput(Int((timers[n].config >> 9) & 0x1F), level)
        }
    }
}
