@testable import Emu
import Testing

/// The virtual clock: exact conversions and the event table.
@Suite struct ClockTests {
    final class Counter: ClockEventHandler {
        var fired: [(ClockEvent, UInt64)] = []
        var rearm: ((ClockEvent, UInt64) -> Void)?
        func clockEvent(_ event: ClockEvent, now: UInt64) {
            fired.append((event, now))
            rearm?(event, now)
        }
    }

    @Test func deadlinesAndTheirMinimum() {
        let a = Attention()
        let c = Clock(attention: a)
        let h = Counter()
        c.register(.pit0, handler: h)
        c.register(.rtc, handler: h)
        #expect(!c.hasArmedEvent && c.nextDeadline == Clock.never)
        c.schedule(.rtc, at: 500)
        #expect(c.nextDeadline == 500 && a.pending & Attention.timer != 0)
        a.pending = 0
        c.schedule(.pit0, at: 800)
        #expect(c.nextDeadline == 500 && a.pending == 0)     // later: no attention needed
        c.cancel(.rtc)
        #expect(c.nextDeadline == 800)
        c.manualTime = 799
        c.fireDue()
        #expect(h.fired.isEmpty)
        c.manualTime = 900
        c.fireDue()
        #expect(h.fired.count == 1 && h.fired[0].0 == .pit0 && h.fired[0].1 == 900)
        #expect(!c.hasArmedEvent)
    }

    @Test func handlersMayRearmPeriodically() {
        let c = Clock(attention: Attention())
        let h = Counter()
        c.register(.pit0, handler: h)
        h.rearm = { _, now in c.schedule(.pit0, at: now + 100) }
        c.schedule(.pit0, at: 100)
        c.manualTime = 100
        c.fireDue()
        #expect(h.fired.count == 1 && c.nextDeadline == 200)
    }

    @Test func rtcTicksAreExact() {
        #expect(Clock.rtcTicks(atCycle: Clock.cyclesPerSecond) == 32768)
        #expect(Clock.cycle(ofRTCTick: 32768) == Clock.cyclesPerSecond)
        #expect(Clock.cycle(ofRTCTick: 1) == 30518)          // 30517.578125 rounded up
        #expect(Clock.pitTicks(atCycle: Clock.cyclesPerSecond) == 1_193_181)
    }
}
