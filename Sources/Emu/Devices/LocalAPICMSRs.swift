/// The local APIC's MSRs: IA32_APIC_BASE (1Bh), IA32_TSC_DEADLINE (6E0h) and the x2APIC
/// registers 800h-8FFh (SDM vol. 3, 11.4.4, 11.5.4.1, 11.12.1).
extension LocalAPIC {
    public static let tscDeadlineMSR: UInt32 = 0x6E0
    public static let x2APICMSRs: ClosedRange<UInt32> = 0x800...0x8FF

    /// RDMSR; nil when `index` is not an APIC MSR. In the x2APIC range: #GP(0) outside x2APIC
    /// mode, for registers x2APIC mode lacks, and for the write-only EOI and SELF IPI.
    func readMSR(_ index: UInt32) throws(Fault) -> UInt64? {
        switch index {
        case MSR.apicBase: return baseMSR
        case LocalAPIC.tscDeadlineMSR: return tscDeadlineMSR
        case LocalAPIC.x2APICMSRs:
            guard x2APICMode else { throw .generalProtection(0) }
            let offset = (index - 0x800) << 4
            if offset == APICRegister.icrLow { return icr }
            guard offset != APICRegister.selfIPI, let v = readRegister(offset) else { throw .generalProtection(0) }
            return UInt64(v)
        default: return nil
        }
    }

    /// WRMSR; false when `index` is not an APIC MSR. In the x2APIC range (11.12.1.2): #GP(0)
    /// outside x2APIC mode, for read-only and absent registers, for bits 63:32 set in any
    /// register but the ICR, for a nonzero EOI or ESR write, and for SELF IPI bits 31:8.
    func writeMSR(_ index: UInt32, _ value: UInt64) throws(Fault) -> Bool {
        switch index {
        case MSR.apicBase: try writeBase(value)
        case LocalAPIC.tscDeadlineMSR: writeTSCDeadline(value)
        case LocalAPIC.x2APICMSRs:
            guard x2APICMode else { throw .generalProtection(0) }
            let offset = (index - 0x800) << 4
            if offset == APICRegister.icrLow {
                icr = value & 0xFFFF_FFFF_000C_CFFF
                bus?.sendIPI(from: self, command: icr)
                return true
            }
            if value >> 32 != 0 { throw .generalProtection(0) }
            let v = UInt32(value)
            switch offset {
            case APICRegister.eoi, APICRegister.esr: if v != 0 { throw .generalProtection(0) }
            case APICRegister.selfIPI: if v & ~0xFF != 0 { throw .generalProtection(0) }
            default: break
            }
            if !writeRegister(offset, v) { throw .generalProtection(0) }
        default: return false
        }
        return true
    }

    /// IA32_APIC_BASE writes (11.4.4, 11.12.5): reserved bits, the invalid EN = 0 / EXTD = 1
    /// state, x2APIC -> xAPIC and disabled -> x2APIC raise #GP(0). Clearing EN resets the APIC
    /// (the ID is kept); entering x2APIC mode sets the logical ID.
    func writeBase(_ value: UInt64) throws(Fault) {
        let extd: UInt64 = cpu.cpuidModel.x2APIC ? 1 << 10 : 0
        let writable: UInt64 = (1 << 8) | (1 << 11) | extd | (cpu.physicalAddressMask & ~0xFFF)
        if value & ~writable != 0 { throw .generalProtection(0) }
        let en = value & (1 << 11) != 0, x2 = value & (1 << 10) != 0
        if x2 && !en { throw .generalProtection(0) }
        if x2 && !hardwareEnabled { throw .generalProtection(0) }
        if x2APICMode && en && !x2 { throw .generalProtection(0) }
        let wasEnabled = hardwareEnabled, wasX2 = x2APICMode
        let oldBase = mmioBase
        baseMSR = value
        if wasEnabled && !en {
            resetRegisters()
            baseMSR = value
        }
        if x2 && !wasX2 {
            // The x2APIC ID is the hardware's initial ID; the logical ID follows from it.
            id = UInt32(index)
            ldr = x2APICLogicalID
        }
        if oldBase != mmioBase || wasEnabled != en || wasX2 != x2 { bus?.apicWindowMoved(self) }
        attention.pending |= Attention.interrupt
    }
}
