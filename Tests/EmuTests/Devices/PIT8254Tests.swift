@testable import Emu
import Testing

/// Records IRQ levels (rising edges counted per line).
final class RecordingIRQ: InterruptSink {
    var levels = [Bool](repeating: false, count: 16)
    var rises = [Int](repeating: 0, count: 16)
    func setIRQ(_ irq: Int, _ level: Bool) {
        if level && !levels[irq] { rises[irq] += 1 }
        levels[irq] = level
    }
}

/// The 8254 against the datasheet, timed by a manual clock (1 cycle = 1 ns; PIT = 105/88 MHz).
@Suite struct PIT8254Tests {
    let attention = Attention()
    let clock: Clock
    let irq = RecordingIRQ()
    let pit: PIT8254

    init() {
        clock = Clock(attention: attention)
        pit = PIT8254(clock: clock, irq: irq)
    }

    func out(_ port: UInt16, _ v: UInt8) { pit.portWrite(port, size: 1, value: UInt32(v)) }
    func inb(_ port: UInt16) -> UInt8 { UInt8(pit.portRead(port, size: 1)) }
    func at(tick t: UInt64) { clock.manualTime = Clock.cycle(ofPITTick: t) }
    func advance(toTick t: UInt64) {
        // Fires every event up to tick t, as the run loop does.
        let target = Clock.cycle(ofPITTick: t)
        while clock.nextDeadline <= target {
            clock.manualTime = clock.nextDeadline
            clock.fireDue()
        }
        clock.manualTime = target
    }

    @Test func mode2RateGeneratorInterruptsEveryNTicks() {
        out(0x43, 0x34)
        out(0x40, 100); out(0x40, 0)                 // N = 100, loaded at tick 1
        #expect(clock.deadline(of: .pit0) == Clock.cycle(ofPITTick: 101))
        advance(toTick: 1001)
        #expect(irq.rises[0] == 11)                  // the mode write raised OUT, then 10 periods
        #expect(clock.deadline(of: .pit0) == Clock.cycle(ofPITTick: 1101))
        at(tick: 1001 + 30)
        out(0x43, 0x00)                              // latch channel 0
        #expect(UInt16(inb(0x40)) | UInt16(inb(0x40)) << 8 == 70)
        at(tick: 1001 + 99)
        #expect(!pit.out(0))                         // OUT low while the count is 1
    }

    @Test func anEventFiresAtTheFirstCycleOfItsTick() {
        for t: UInt64 in [1, 7, 105, 1_193_182, 1 << 40] {
            let c = Clock.cycle(ofPITTick: t)
            #expect(Clock.pitTicks(atCycle: c) == t)
            #expect(Clock.pitTicks(atCycle: c - 1) == t - 1)
        }
        // One second of cycles is exactly 1,193,181.8 ticks: no drift over 10^6 seconds.
        #expect(Clock.pitTicks(atCycle: 1_000_000 * Clock.cyclesPerSecond) == 1_193_181_818_181)
    }

    @Test func mode3SquareWave() {
        out(0x43, 0x36)
        out(0x40, 5); out(0x40, 0)                   // odd N: high 3, low 2
        let levels = (1...6).map { t -> Bool in at(tick: UInt64(t)); return pit.out(0) }
        #expect(levels == [true, true, true, false, false, true])
    }

    @Test func mode0InterruptOnTerminalCount() {
        out(0x43, 0x30)
        #expect(!pit.out(0))
        out(0x40, 10); out(0x40, 0)
        at(tick: 10)
        #expect(!pit.out(0))
        at(tick: 11)
        #expect(pit.out(0))
        at(tick: 13)
        #expect(pit.count(0) == 0xFFFE)              // wraps and counts on
    }

    @Test func mode4StrobeIsOneTickLow() {
        out(0x43, 0x38)
        out(0x40, 4); out(0x40, 0)
        at(tick: 4); #expect(pit.out(0))
        at(tick: 5); #expect(!pit.out(0))
        at(tick: 6); #expect(pit.out(0))
    }

    @Test func mode1WaitsForAGateEdge() {
        out(0x43, 0xB2)                              // channel 2, mode 1
        out(0x42, 3); out(0x42, 0)
        pit.setGate(2, false)
        at(tick: 10)
        #expect(pit.out(2))
        pit.setGate(2, true)                         // trigger: loads at tick 11
        at(tick: 12); #expect(!pit.out(2))
        at(tick: 14); #expect(pit.out(2))
    }

    @Test func bcdCountsAndLSBOnlyAccess() {
        out(0x43, 0x15)                              // channel 0, LSB only, mode 2, BCD
        out(0x40, 0x50)                              // 50 decimal
        at(tick: 1 + 8)
        #expect(inb(0x40) == 0x42)                   // 42 in BCD
    }

    @Test func readBackLatchesStatusAndCount() {
        out(0x43, 0x34)
        #expect(pit.channels[0].statusByte(at: 0) & 0x40 != 0)   // null count before a count
        out(0x40, 0x00); out(0x40, 0x10)             // 4096
        at(tick: 11)
        out(0x43, 0xC2)                              // read-back: count and status, channel 0
        #expect(inb(0x40) == 0xB4)                   // OUT high, access 3, mode 2, binary
        #expect(UInt16(inb(0x40)) | UInt16(inb(0x40)) << 8 == 4086)
    }

    @Test func newMode2CountTakesEffectAtTheEndOfThePeriod() {
        out(0x43, 0x34)
        out(0x40, 100); out(0x40, 0)
        at(tick: 50)
        out(0x40, 10); out(0x40, 0)
        #expect(clock.deadline(of: .pit0) == Clock.cycle(ofPITTick: 101))
        advance(toTick: 101)
        #expect(clock.deadline(of: .pit0) == Clock.cycle(ofPITTick: 111))
    }

    @Test func portBReadsOUT2AndTheRefreshToggle() {
        let b = SystemControlPortB(pit: pit, clock: clock)
        #expect(b.portRead(0x61, size: 1) & 0x30 == 0)
        b.portWrite(0x61, size: 1, value: 0x01)
        out(0x43, 0xB0)                              // channel 2, mode 0
        out(0x42, 5); out(0x42, 0)
        at(tick: 18)
        #expect(b.portRead(0x61, size: 1) == 0x31)   // gate, refresh toggle, OUT2
    }
}
