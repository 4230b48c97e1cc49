/// Local APIC register offsets in the xAPIC page (SDM vol. 3, table 11-1). The x2APIC MSR of a
/// register is 800h + offset / 10h (table 11-6).
public enum APICRegister {
    public static let id: UInt32 = 0x020
    public static let version: UInt32 = 0x030
    public static let tpr: UInt32 = 0x080
    public static let apr: UInt32 = 0x090
    public static let ppr: UInt32 = 0x0A0
    public static let eoi: UInt32 = 0x0B0
    public static let rrd: UInt32 = 0x0C0
    public static let ldr: UInt32 = 0x0D0
    public static let dfr: UInt32 = 0x0E0
    public static let svr: UInt32 = 0x0F0
    public static let isr: UInt32 = 0x100
    public static let tmr: UInt32 = 0x180
    public static let irr: UInt32 = 0x200
    public static let esr: UInt32 = 0x280
    public static let icrLow: UInt32 = 0x300
    public static let icrHigh: UInt32 = 0x310
    public static let lvtTimer: UInt32 = 0x320
    public static let lvtThermal: UInt32 = 0x330
    public static let lvtPerformance: UInt32 = 0x340
    public static let lvtLINT0: UInt32 = 0x350
    public static let lvtLINT1: UInt32 = 0x360
    public static let lvtError: UInt32 = 0x370
    public static let initialCount: UInt32 = 0x380
    public static let currentCount: UInt32 = 0x390
    public static let divideConfiguration: UInt32 = 0x3E0
    /// x2APIC only (MSR 83Fh).
    public static let selfIPI: UInt32 = 0x3F0
}

/// Delivery modes of LVT entries, the ICR and IOAPIC redirection entries (SDM vol. 3, 11.5.1
/// and 11.6.1; 82093AA datasheet, 3.2.4).
public enum APICDeliveryMode: UInt8, Sendable {
    case fixed = 0
    case lowestPriority = 1
    case smi = 2
    case nmi = 4
    case initialize = 5
    case startup = 6
    case extINT = 7
}

/// Error status register bits (SDM vol. 3, figure 11-9).
public enum APICError {
    public static let sendIllegalVector: UInt32 = 1 << 5
    public static let receiveIllegalVector: UInt32 = 1 << 6
    public static let illegalRegisterAddress: UInt32 = 1 << 7
}

/// LVT bits common to the entries (SDM vol. 3, figure 11-8).
public enum LVT {
    public static let masked: UInt32 = 1 << 16
    public static let levelTriggered: UInt32 = 1 << 15
    public static let remoteIRR: UInt32 = 1 << 14
    /// Writable bits per entry.
    static let timerWritable: UInt32 = 0x0007_00FF
    static let lintWritable: UInt32 = 0x0001_A7FF
    static let errorWritable: UInt32 = 0x0001_00FF
    static let otherWritable: UInt32 = 0x0001_07FF
}
