/// The machine's virtual time: the CPU's cycle counter, and a fixed table of device deadlines.
///
/// Time base. One virtual cycle is one nanosecond: the nominal TSC frequency is 1 GHz
/// (`cyclesPerSecond`). Every device clock derives from the cycle count with exact integer
/// ratios, computed from the absolute cycle count (never accumulated), so nothing drifts and a
/// run is reproducible to the cycle:
///
///     8254 PIT input   105/88 MHz (1.193181818... MHz, the PC's 14.31818 MHz / 12):
///                      ticks(c) = floor(c * 105 / 88000)
///     MC146818 RTC     32.768 kHz time base: ticks(c) = floor(c * 512 / 15_625_000)
///
/// and a device event at tick t fires at the first cycle whose tick count reaches t:
/// cycle(t) = ceil(t * 88000 / 105) (PIT), ceil(t * 15_625_000 / 512) (RTC).
///
/// Events. Each timer source owns one slot (`ClockEvent`); a slot holds an absolute cycle
/// deadline or `never`. `nextDeadline` is the minimum, kept current on every change, so the
/// run loop's per-instruction work stays one compare of `cpu.cycles` against a local deadline.
/// Scheduling a deadline earlier than the one the run loop is running to raises the attention
/// word, so the loop recomputes its deadline at the next instruction boundary. No allocation
/// happens after construction.
public final class Clock {
    public static let cyclesPerSecond: UInt64 = 1_000_000_000
    public static let never: UInt64 = .max

    /// The CPU whose `cycles` is the time; nil in device unit tests, which set `manualTime`.
    public var cpu: CPU?
    /// The time when there is no CPU (tests).
    public var manualTime: UInt64 = 0
    let attention: Attention

    private var deadlines: [UInt64]
    private var handlers: [ClockEventHandler?]
    /// The earliest armed deadline, or `never`.
    public private(set) var nextDeadline: UInt64 = Clock.never

    public init(attention: Attention, cpus: Int = 1) {
        self.attention = attention
        let n = ClockEvent.slotCount(cpus: cpus)
        deadlines = [UInt64](repeating: Clock.never, count: n)
        handlers = [ClockEventHandler?](repeating: nil, count: n)
    }

    /// The current virtual time in cycles.
    public var now: UInt64 { cpu?.cycles ?? manualTime }

    /// Registers the device that owns an event slot.
    public func register(_ event: ClockEvent, handler: ClockEventHandler) {
        handlers[event.rawValue] = handler
    }

    /// Arms `event` at absolute cycle `cycle` (replacing an earlier deadline of the same slot).
    public func schedule(_ event: ClockEvent, at cycle: UInt64) {
        deadlines[event.rawValue] = cycle
        if cycle < nextDeadline {
            nextDeadline = cycle
            attention.pending |= Attention.timer
        } else {
            recomputeNext()
        }
    }

    public func cancel(_ event: ClockEvent) {
        deadlines[event.rawValue] = Clock.never
        recomputeNext()
    }

    public func deadline(of event: ClockEvent) -> UInt64 { deadlines[event.rawValue] }

    /// Whether any event is armed (a halted CPU with interrupts enabled can be woken).
    public var hasArmedEvent: Bool { nextDeadline != Clock.never }

    /// Fires every event whose deadline is at or before `now`, in slot order; a handler may
    /// re-arm its slot (periodic timers). Deadlines re-armed into the past fire again, at most a
    /// bounded number of rounds.
    public func fireDue() {
        let t = now
        for _ in 0..<64 {
            guard nextDeadline <= t else { return }
            for k in deadlines.indices where deadlines[k] <= t {
                deadlines[k] = Clock.never
                recomputeNext()
                handlers[k]?.clockEvent(ClockEvent(rawValue: k), now: t)
            }
        }
    }

    private func recomputeNext() {
        var m = Clock.never
        for d in deadlines where d < m { m = d }
        nextDeadline = m
    }

    // MARK: Exact conversions between cycles and device clocks.

    /// floor(c * num / den), exact for every 64-bit c.
    @inline(__always)
    static func scale(_ c: UInt64, _ num: UInt64, _ den: UInt64) -> UInt64 {
        let p = c.multipliedFullWidth(by: num)
        guard p.high < den else { return .max }
        return den.dividingFullWidth(p).quotient
    }

    /// ceil(t * num / den), saturating at `never`.
    @inline(__always)
    static func scaleUp(_ t: UInt64, _ num: UInt64, _ den: UInt64) -> UInt64 {
        let p = t.multipliedFullWidth(by: num)
        guard p.high < den else { return Clock.never }
        let (q, r) = den.dividingFullWidth(p)
        return r == 0 ? q : q &+ 1
    }

    /// PIT input clock ticks (105/88 MHz) elapsed at cycle `c`.
    public static func pitTicks(atCycle c: UInt64) -> UInt64 { scale(c, 105, 88_000) }
    /// The first cycle at which `pitTicks` reaches `t`.
    public static func cycle(ofPITTick t: UInt64) -> UInt64 { scaleUp(t, 88_000, 105) }
    /// RTC 32.768 kHz ticks elapsed at cycle `c`.
    public static func rtcTicks(atCycle c: UInt64) -> UInt64 { scale(c, 512, 15_625_000) }
    /// The first cycle at which `rtcTicks` reaches `t`.
    public static func cycle(ofRTCTick t: UInt64) -> UInt64 { scaleUp(t, 15_625_000, 512) }
}

/// The event slots, one per timer source: the fixed devices, then one local APIC timer per
/// processor.
public struct ClockEvent: Hashable, Sendable {
    public let rawValue: Int

    /// 8254 channel 0: the next rising edge of OUT0 (IRQ0).
    public static let pit0 = ClockEvent(rawValue: 0)
    /// MC146818: the next periodic, update-ended or alarm interrupt.
    public static let rtc = ClockEvent(rawValue: 1)
    /// HPET: the next comparator match.
    public static let hpet = ClockEvent(rawValue: 2)
    /// The local APIC timer of processor `cpu`.
    public static func apicTimer(_ cpu: Int) -> ClockEvent { ClockEvent(rawValue: 3 + cpu) }

    /// The number of slots a machine with `cpus` processors needs.
    public static func slotCount(cpus: Int) -> Int { 3 + cpus }
}

/// A device that owns clock events.
public protocol ClockEventHandler: AnyObject {
    func clockEvent(_ event: ClockEvent, now: UInt64)
}
