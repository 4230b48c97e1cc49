/// The ACPI PM1a event block at port 600h (ACPI 6.5, 4.8.3.1): PM1_STS (600h) and PM1_EN
/// (602h), 16 bits each. TMR_STS (status bit 0) is set each time bit 23 of the PM timer
/// changes; status bits are cleared by writing ones. No SCI is raised (no enable bit is acted
/// upon): guests poll the status.
public final class PowerManagementEvents: PortDevice {
    public static let ports: ClosedRange<UInt16> = 0x600...0x603
    let timer: ACPIPMTimer
    var status: UInt16 = 0
    var enable: UInt16 = 0
    /// PM timer ticks >> 23 when TMR_STS was last cleared.
    var timerEpoch: UInt64 = 0

    public init(timer: ACPIPMTimer) { self.timer = timer }

    var currentStatus: UInt16 {
        status | (timer.ticks >> 23 != timerEpoch ? 1 : 0)
    }

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        let all = UInt32(currentStatus) | UInt32(enable) << 16
        let v = all >> (8 * UInt32(port - 0x600))
        return size >= 4 ? v : v & ((1 << (8 * UInt32(size))) - 1)
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        for k in 0..<size {
            let p = port &+ UInt16(k)
            let b = UInt16(truncatingIfNeeded: value >> (8 * UInt32(k))) & 0xFF
            switch p {
            case 0x600:
                if b & 1 != 0 { timerEpoch = timer.ticks >> 23 }
                status &= ~b
            case 0x601: status &= ~(b << 8)
            case 0x602: enable = (enable & 0xFF00) | b
            case 0x603: enable = (enable & 0x00FF) | b << 8
            default: break
            }
        }
    }
}
