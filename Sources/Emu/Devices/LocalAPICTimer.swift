/// The local APIC timer (SDM vol. 3, 11.5.4): one-shot, periodic and TSC-deadline modes.
///
/// The timer counts at the APIC bus clock divided by the divide configuration register; the bus
/// clock is the virtual cycle clock (1 GHz, as QEMU's APIC bus), so the count falls by one every
/// `divisor` cycles. The count is computed from the cycle at which it was loaded, never
/// accumulated, and expiries are clock events at exact cycles.
extension LocalAPIC {
    public enum TimerMode: UInt32 {
        case oneShot = 0
        case periodic = 1
        case tscDeadline = 2
    }

    var timerMode: TimerMode { TimerMode(rawValue: (lvtTimer >> 17) & 3) ?? .oneShot }

    /// Divide configuration bits 3, 1:0 (figure 11-10): 000b /2 ... 110b /128, 111b /1.
    var divisor: UInt64 {
        let code = (divideConfiguration & 3) | (divideConfiguration >> 1) & 4
        return code == 7 ? 1 : 2 << UInt64(code)
    }

    /// The current-count register.
    var currentCount: UInt32 {
        guard timerRunning, timerMode != .tscDeadline else { return 0 }
        let elapsed = (clock.now &- timerStart) / divisor
        if elapsed < UInt64(timerStartCount) { return timerStartCount - UInt32(elapsed) }
        guard timerMode == .periodic, initialCount != 0 else { return 0 }
        return initialCount - UInt32((elapsed - UInt64(timerStartCount)) % UInt64(initialCount))
    }

    /// The next cycle at which the count reaches zero, after `now`.
    func nextExpiry(after now: UInt64) -> UInt64 {
        let first = timerStart &+ UInt64(timerStartCount) &* divisor
        if now < first { return first }
        guard timerMode == .periodic, initialCount != 0 else { return Clock.never }
        let period = UInt64(initialCount) &* divisor
        return first &+ ((now - first) / period + 1) &* period
    }

    func writeInitialCount(_ v: UInt32) {
        guard timerMode != .tscDeadline else { return }   // ignored in TSC-deadline mode
        initialCount = v
        timerStart = clock.now
        timerStartCount = v
        timerRunning = v != 0
        scheduleTimer()
    }

    func writeDivideConfiguration(_ v: UInt32) {
        // The count keeps its value and goes on at the new rate.
        let count = currentCount
        divideConfiguration = v
        if timerRunning {
            timerStart = clock.now
            timerStartCount = count
            timerRunning = count != 0 || timerMode == .periodic
            scheduleTimer()
        }
    }

    func writeTimerLVT(_ v: UInt32) {
        let oldMode = timerMode
        let count = currentCount
        lvtTimer = v
        guard timerMode != oldMode else { return }
        // A mode change disarms the timer (11.5.4.1); counting modes keep their count.
        tscDeadline = 0
        if timerMode == .tscDeadline || oldMode == .tscDeadline {
            initialCount = 0
            timerRunning = false
        } else if timerRunning {
            timerStart = clock.now
            timerStartCount = count
        }
        scheduleTimer()
    }

    /// IA32_TSC_DEADLINE (MSR 6E0h): reads zero outside TSC-deadline mode, and after the
    /// deadline passed.
    var tscDeadlineMSR: UInt64 { timerMode == .tscDeadline ? tscDeadline : 0 }

    /// A write arms the timer for the TSC value given (zero disarms); outside TSC-deadline mode
    /// it is ignored. A deadline already passed fires at once.
    func writeTSCDeadline(_ v: UInt64) {
        guard timerMode == .tscDeadline else { return }
        tscDeadline = v
        scheduleTimer()
    }

    func scheduleTimer() {
        let now = clock.now
        if timerMode == .tscDeadline {
            guard tscDeadline != 0 else { clock.cancel(timerEvent); return }
            // TSC = cycles + IA32_TSC offset.
            let offset = cpu.systemRegisters.tscOffset
            let cycle = tscDeadline &- offset
            let tsc = now &+ offset
            clock.schedule(timerEvent, at: tscDeadline <= tsc ? now : cycle)
            return
        }
        guard timerRunning else { clock.cancel(timerEvent); return }
        let expiry = nextExpiry(after: now == 0 ? 0 : now - 1)
        if expiry == Clock.never { clock.cancel(timerEvent) } else { clock.schedule(timerEvent, at: expiry) }
    }

    public func clockEvent(_ event: ClockEvent, now: UInt64) {
        switch timerMode {
        case .tscDeadline:
            guard tscDeadline != 0 else { return }
            tscDeadline = 0
            raiseLocal(lvtTimer)
        case .oneShot:
            guard timerRunning else { return }
            timerRunning = false
            raiseLocal(lvtTimer)
        case .periodic:
            guard timerRunning else { return }
            raiseLocal(lvtTimer)
            clock.schedule(timerEvent, at: nextExpiry(after: now))
        }
    }
}
