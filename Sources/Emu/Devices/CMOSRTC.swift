/// The MC146818 real-time clock and its 128 bytes of CMOS RAM (MC146818A datasheet, PC/AT
/// CMOS map), at ports 0x70 (index; bit 7 = NMI disable) and 0x71 (data).
///
///     0x00-0x09  seconds, alarm s, minutes, alarm m, hours, alarm h, weekday (1 = Sunday),
///                date, month, year (BCD or binary per register B bit 2; 12-hour mode: bit 7 = PM)
///     0x0A  A: bit 7 UIP, bits 6-4 divider (010 = running), bits 3-0 periodic rate
///     0x0B  B: bit 7 SET, 6 PIE, 5 AIE, 4 UIE, 3 SQWE, 2 DM (1 = binary), 1 24-hour, 0 DSE
///     0x0C  C: bit 7 IRQF, 6 PF, 5 AF, 4 UF (read clears)     0x0D  D: bit 7 VRT (battery ok)
///     0x32  century (BCD, PC/AT)
///     0x15-0x16  base memory KiB (640)    0x17-0x18, 0x30-0x31  KiB from 1 MiB (max 65535)
///     0x34-0x35  64 KiB blocks from 16 MiB to 4 GiB    0x5B-0x5D  64 KiB blocks above 4 GiB
///
/// Time is virtual: the clock starts at `MachineConfig.rtcTime` at cycle 0 and advances once
/// per 10^9 cycles (one virtual second). UIP reads 1 during the 244 us before each update; the
/// update itself is instantaneous. SET = 1 or a divider other than 010 stops the updates; when
/// the divider leaves reset, the first update comes 500 ms later (datasheet). Interrupts (IRQ8,
/// high while IRQF is set): periodic at 32768 >> (rate - 1) Hz (rates 1 and 2: 256 and 128 Hz),
/// update-ended each second, alarm when the hours, minutes and seconds match (0xC0-0xFF: any).
/// The weekday register is derived from the date.
public final class CMOSRTC: PortDevice, ClockEventHandler {
    let clock: Clock
    let irq: InterruptSink
    public private(set) var ram = [UInt8](repeating: 0, count: 128)
    public private(set) var index: UInt8 = 0
    public private(set) var nmiDisabled = false

    /// Seconds since 1970-01-01 00:00:00 (the clock shows UTC) at `lastSync`.
    var seconds: Int64
    var lastSync: UInt64 = 0
    /// A cycle at which an update happens (updates are `phase + k * 10^9`).
    var phase: Int64 = 0
    var flags: UInt8 = 0       // register C bits 6-4

    static let cyclesPerSecond = Clock.cyclesPerSecond
    static let uipWindow: UInt64 = 244_000

    public init(clock: Clock, irq: InterruptSink, time: Int64, memorySize: UInt64) {
        self.clock = clock
        self.irq = irq
        seconds = time
        ram[0x0A] = 0x26        // 32.768 kHz divider, 1024 Hz periodic rate
        ram[0x0B] = 0x02        // 24-hour, BCD
        ram[0x0D] = 0x80
        CMOSRTC.storeMemorySizes(memorySize, into: &ram)
        clock.register(.rtc, handler: self)
        lastSync = clock.now
    }

    /// The PC/AT memory-size bytes for `size` bytes of RAM at address 0.
    static func storeMemorySizes(_ size: UInt64, into ram: inout [UInt8]) {
        func put16(_ at: Int, _ v: UInt64) { ram[at] = UInt8(v & 0xFF); ram[at + 1] = UInt8(v >> 8 & 0xFF) }
        put16(0x15, min(size, 0xA0000) >> 10)
        let extended = size > 0x10_0000 ? min((size - 0x10_0000) >> 10, 0xFFFF) : 0
        put16(0x17, extended)
        put16(0x30, extended)
        let below4G = min(size, 1 << 32)
        put16(0x34, below4G > 16 << 20 ? min((below4G - (16 << 20)) >> 16, 0xFFFF) : 0)
        let above = size > 1 << 32 ? (size - (1 << 32)) >> 16 : 0
        ram[0x5B] = UInt8(above & 0xFF); ram[0x5C] = UInt8(above >> 8 & 0xFF); ram[0x5D] = UInt8(above >> 16 & 0xFF)
    }

    var running: Bool { ram[0x0B] & 0x80 == 0 && ram[0x0A] & 0x70 == 0x20 }
    var binary: Bool { ram[0x0B] & 0x04 != 0 }
    var hour24: Bool { ram[0x0B] & 0x02 != 0 }

    /// Periodic interrupt period in 32.768 kHz ticks, or nil (rate 0).
    var periodicTicks: UInt64? {
        let rs = ram[0x0A] & 0x0F
        switch rs {
        case 0: return nil
        case 1: return 128
        case 2: return 256
        default: return 1 << UInt64(rs - 1)
        }
    }

    /// Cycles since the divider's reference point (always >= 0: `phase` is never in the future).
    @inline(__always) func sincePhase(_ c: UInt64) -> UInt64 { UInt64(max(0, Int64(bitPattern: c) - phase)) }
    /// Updates happen at phase + k * 10^9, k >= 1: the number of them up to cycle c.
    func updateIndex(_ c: UInt64) -> UInt64 { sincePhase(c) / CMOSRTC.cyclesPerSecond }
    func periodicIndex(_ c: UInt64, _ p: UInt64) -> UInt64 { Clock.rtcTicks(atCycle: sincePhase(c)) / p }

    /// Brings the time and the interrupt flags up to `clock.now`.
    func sync() {
        let now = clock.now
        guard now > lastSync else { return }
        if running {
            let count = updateIndex(now) - updateIndex(lastSync)
            if count > 0 {
                seconds += Int64(count)
                flags |= 0x10
                if alarmMatches() { flags |= 0x20 }
            }
        }
        if ram[0x0A] & 0x70 == 0x20, let p = periodicTicks, periodicIndex(now, p) > periodicIndex(lastSync, p) {
            flags |= 0x40
        }
        lastSync = now
    }

    func alarmMatches() -> Bool {
        let f = fields()
        // The alarm registers hold values in the current format (BCD or binary, 12/24-hour).
        func match(_ alarmIndex: Int, _ value: UInt8) -> Bool {
            let a = ram[alarmIndex]
            return a & 0xC0 == 0xC0 || a == value
        }
        return match(1, encode(f[0])) && match(3, encode(f[2])) && match(5, encodeHour(f[4]))
    }

    var irqf: Bool { flags & ram[0x0B] & 0x70 != 0 }

    func updateIRQ() {
        irq.setIRQ(8, irqf)
        schedule()
    }

    func schedule() {
        let now = clock.now
        let base = UInt64(max(0, phase))   // phase < 0 only right after a divider reset near cycle 0
        let offset = UInt64(max(0, -phase))
        var next = Clock.never
        if ram[0x0A] & 0x70 == 0x20, ram[0x0B] & 0x40 != 0, let p = periodicTicks {
            let k = periodicIndex(now, p) + 1
            next = min(next, (base &+ Clock.cycle(ofRTCTick: k * p)) &- offset)
        }
        if running && ram[0x0B] & 0x30 != 0 {
            let k = updateIndex(now) + 1
            next = min(next, (base &+ k * CMOSRTC.cyclesPerSecond) &- offset)
        }
        if next == Clock.never { clock.cancel(.rtc) } else { clock.schedule(.rtc, at: next) }
    }

    public func clockEvent(_ event: ClockEvent, now: UInt64) {
        sync()
        updateIRQ()
    }

    // MARK: Calendar (proleptic Gregorian; days from 1970-01-01)

    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(year y0: Int64, month m: Int64, day d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (UTC) into seconds since 1970.
    public static func parseTime(_ text: String) -> Int64? {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
        guard date.count == 3, let y = date[0], let m = date[1], let d = date[2],
              parts[0].split(separator: "-")[0].count == 4, (1...12).contains(m), (1...31).contains(d), y >= 1970,
              y <= 9999 else { return nil }
        var hms: [Int64] = [0, 0, 0]
        if parts.count == 2 {
            let t = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Int64($0) }
            guard t.count == 3, let h = t[0], let mi = t[1], let s = t[2], (0...23).contains(h), (0...59).contains(mi),
                  (0...59).contains(s) else { return nil }
            hms = [h, mi, s]
        }
        let days = CMOSRTC.days(year: y, month: m, day: d)
        guard CMOSRTC.civil(fromDays: days) == (y, m, d) else { return nil }   // 2023-02-30
        return days * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
    }

    /// The time registers 0, 2, 4, 6, 7, 8, 9 and the century as binary numbers:
    /// [sec, _, min, _, hour, _, weekday, date, month, year, century].
    func fields() -> [UInt8] {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        let (y, m, d) = CMOSRTC.civil(fromDays: days)
        let weekday = ((days % 7 + 7 + 4) % 7) + 1   // 1970-01-01 was a Thursday (5)
        return [UInt8(rest % 60), 0, UInt8(rest / 60 % 60), 0, UInt8(rest / 3600), 0, UInt8(weekday), UInt8(d),
                UInt8(m), UInt8(y % 100), UInt8(y / 100 % 100)]
    }

    func encode(_ v: UInt8) -> UInt8 { binary ? v : (v / 10) << 4 | v % 10 }
    func decode(_ v: UInt8) -> UInt8 { binary ? v : (v >> 4) * 10 + (v & 0x0F) }

    func encodeHour(_ h: UInt8) -> UInt8 {
        if hour24 { return encode(h) }
        let pm: UInt8 = h >= 12 ? 0x80 : 0
        let h12 = h % 12 == 0 ? 12 : h % 12
        return encode(h12) | pm
    }

    func decodeHour(_ v: UInt8) -> UInt8 {
        if hour24 { return decode(v) }
        let h12 = decode(v & 0x7F) % 12
        return v & 0x80 != 0 ? h12 + 12 : h12
    }

    func readRegister(_ i: Int) -> UInt8 {
        sync()
        switch i {
        case 0, 2, 7, 8, 9: return encode(fields()[i])
        case 4: return encodeHour(fields()[4])
        case 6: return fields()[6]
        case 0x32: return encode(fields()[10])
        case 0x0A:
            var v = ram[0x0A] & 0x7F
            if running, sincePhase(clock.now) % CMOSRTC.cyclesPerSecond >= CMOSRTC.cyclesPerSecond - CMOSRTC.uipWindow {
                v |= 0x80
            }
            return v
        case 0x0C:
            let v = (irqf ? 0x80 : 0) | flags
            flags = 0
            updateIRQ()
            return v
        case 0x0D: return 0x80
        default: return ram[i]
        }
    }

    func writeRegister(_ i: Int, _ v: UInt8) {
        sync()
        switch i {
        case 0, 2, 4, 7, 8, 9, 0x32:
            var f = fields()
            switch i {
            case 4: f[4] = decodeHour(v)
            case 0x32: f[10] = decode(v)
            default: f[i] = decode(v)
            }
            let year = Int64(f[10]) * 100 + Int64(f[9])
            let days = CMOSRTC.days(year: year, month: Int64(max(1, min(12, f[8]))), day: Int64(max(1, min(31, f[7]))))
            seconds = days * 86400 + Int64(min(f[4], 23)) * 3600 + Int64(min(f[2], 59)) * 60 + Int64(min(f[0], 59))
        case 6: break   // weekday: derived from the date
        case 0x0A:
            let wasRunningDivider = ram[0x0A] & 0x70 == 0x20
            ram[0x0A] = v & 0x7F
            if !wasRunningDivider && v & 0x70 == 0x20 {
                // Out of divider reset: the first update 500 ms later.
                phase = Int64(bitPattern: clock.now) - Int64(CMOSRTC.cyclesPerSecond / 2)
            }
            updateIRQ()
        case 0x0B:
            ram[0x0B] = v & (v & 0x80 != 0 ? 0xEF : 0xFF)   // SET clears UIE
            // Clearing SET resumes updates on the divider's next second: `phase` is unchanged.
            updateIRQ()
        case 0x0C, 0x0D: break
        default: ram[i] = v
        }
    }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        switch port {
        case 0x71: return UInt32(readRegister(Int(index & 0x7F)))
        default: return 0xFF
        }
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        let v = UInt8(truncatingIfNeeded: value)
        switch port {
        case 0x70:
            index = v & 0x7F
            nmiDisabled = v & 0x80 != 0
        case 0x71: writeRegister(Int(index & 0x7F), v)
        default: break
        }
    }
}
