@testable import Emu
import Testing

/// The MC146818 and the PC/AT CMOS bytes, timed by a manual clock (1 cycle = 1 ns).
@Suite struct CMOSRTCTests {
    let clock = Clock(attention: Attention())
    let irq = RecordingIRQ()

    func rtc(time: Int64 = MachineConfig.defaultRTCTime, memory: UInt64 = 128 << 20) -> CMOSRTC {
        CMOSRTC(clock: clock, irq: irq, time: time, memorySize: memory)
    }
    func read(_ r: CMOSRTC, _ i: UInt8) -> UInt8 {
        r.portWrite(0x70, size: 1, value: UInt32(i))
        return UInt8(r.portRead(0x71, size: 1))
    }
    func write(_ r: CMOSRTC, _ i: UInt8, _ v: UInt8) {
        r.portWrite(0x70, size: 1, value: UInt32(i))
        r.portWrite(0x71, size: 1, value: UInt32(v))
    }

    @Test func theDefaultTimeInBCD() {
        let r = rtc()
        #expect([0, 2, 4, 6, 7, 8, 9, 0x32].map { read(r, $0) } == [0, 0, 0, 2, 1, 1, 0x24, 0x20])
        #expect(read(r, 0x0A) == 0x26 && read(r, 0x0B) == 0x02 && read(r, 0x0D) == 0x80)
    }

    @Test func timeAdvancesEachVirtualSecondAndUIPPrecedesTheUpdate() {
        let r = rtc(time: CMOSRTC.parseTime("2023-12-31T23:59:58")!)
        clock.manualTime = 1_000_000_000 - 244_001
        #expect(read(r, 0x0A) & 0x80 == 0)
        clock.manualTime = 1_000_000_000 - 244_000
        #expect(read(r, 0x0A) & 0x80 != 0)
        #expect(read(r, 0) == 0x58)
        clock.manualTime = 2_000_000_000
        #expect([9, 8, 7, 4, 2, 0, 0x32].map { read(r, $0) } == [0x24, 0x01, 0x01, 0, 0, 0, 0x20])
    }

    @Test func binaryAnd12HourModes() {
        let r = rtc(time: CMOSRTC.parseTime("2024-02-29T13:05:09")!)
        write(r, 0x0B, 0x04)                     // binary, 12-hour
        #expect(read(r, 4) == 0x81 && read(r, 2) == 5 && read(r, 0) == 9 && read(r, 7) == 29)
        write(r, 0x0B, 0x86)                     // SET, binary, 24-hour
        write(r, 4, 22)
        write(r, 0x0B, 0x06)
        #expect(read(r, 4) == 22)
        #expect(read(r, 6) == 5)                 // 2024-02-29 was a Thursday
    }

    @Test func setStopsUpdates() {
        let r = rtc()
        write(r, 0x0B, 0x82)
        clock.manualTime = 5_000_000_000
        #expect(read(r, 0) == 0)
        write(r, 0x0B, 0x02)
        clock.manualTime = 6_000_000_000
        #expect(read(r, 0) == 1)
    }

    @Test func periodicInterruptAt1024Hz() {
        let r = rtc()
        _ = read(r, 0x0C)
        write(r, 0x0B, 0x42)                     // PIE
        // 32 ticks of 32.768 kHz = 976,562.5 ns: the first event at the first whole cycle after.
        #expect(clock.deadline(of: .rtc) == 976_563)
        clock.manualTime = 976_563
        clock.fireDue()
        #expect(irq.levels[8])
        #expect(read(r, 0x0C) == 0xC0)           // IRQF, PF; read clears and lowers IRQ8
        #expect(!irq.levels[8])
        #expect(read(r, 0x0C) == 0)
        #expect(clock.deadline(of: .rtc) == 1_953_125)
    }

    @Test func updateEndedAndAlarmInterrupts() {
        let r = rtc()
        write(r, 0x01, 0x01)                     // alarm at 00:00:01
        write(r, 0x03, 0x00)
        write(r, 0x05, 0xC0)                     // any hour
        write(r, 0x0B, 0x32)                     // AIE, UIE
        #expect(clock.deadline(of: .rtc) == 1_000_000_000)
        clock.manualTime = 1_000_000_000
        clock.fireDue()
        #expect(read(r, 0x0C) == 0xF0)           // IRQF, PF (set even with PIE = 0), AF, UF
    }

    @Test func memorySizeBytes() {
        let r = rtc(memory: 128 << 20)
        #expect(read(r, 0x15) == 0x80 && read(r, 0x16) == 0x02)      // 640 KiB
        #expect(read(r, 0x30) == 0xFF && read(r, 0x31) == 0xFF)      // capped at 65535 KiB
        #expect(read(r, 0x34) == 0x00 && read(r, 0x35) == 0x07)      // 1792 x 64 KiB
        let small = rtc(memory: 8 << 20)
        #expect(read(small, 0x17) == 0x00 && read(small, 0x18) == 0x1C)   // 7168 KiB
        #expect(read(small, 0x34) == 0 && read(small, 0x35) == 0)
        let big = rtc(memory: 6 << 30)
        #expect(read(big, 0x34) == 0x00 && read(big, 0x35) == 0xFF)   // (4 GiB - 16 MiB) / 64 KiB
        #expect(read(big, 0x5B) == 0 && read(big, 0x5C) == 0x80 && read(big, 0x5D) == 0)
    }

    @Test func nmiMaskBitAndIndex() {
        let r = rtc()
        r.portWrite(0x70, size: 1, value: 0x8F)
        #expect(r.nmiDisabled && r.index == 0x0F)
        r.portWrite(0x71, size: 1, value: 0x5A)
        #expect(read(r, 0x0F) == 0x5A)
    }

    @Test func parsingTimes() {
        #expect(CMOSRTC.parseTime("2024-01-01") == MachineConfig.defaultRTCTime)
        #expect(CMOSRTC.parseTime("2024-01-01T00:00:00") == MachineConfig.defaultRTCTime)
        #expect(CMOSRTC.parseTime("1970-01-01T00:00:01") == 1)
        for bad in ["2023-02-29", "2024-13-01", "2024-01-01T24:00:00", "24-01-01", "now", "", "2024-01-01T1:2"] {
            #expect(CMOSRTC.parseTime(bad) == nil, "\(bad)")
        }
    }
}
