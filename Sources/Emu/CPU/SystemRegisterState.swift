/// The system-register state that has no dedicated CPU property: the MSR file (SDM vol. 4;
/// APM vol. 2, appendix A), PKRU (SDM vol. 3, 4.6.2), the PAE PDPTE registers (SDM vol. 3, 4.4.1)
/// and the TSC offset. CR0-CR8, EFER, XCR0, the debug registers and TSC_AUX are CPU properties.
///
/// The default value is the power-on state (SDM vol. 3, table 10-1; APM vol. 2, 14.1.3).
public struct SystemRegisterState: Sendable, Equatable {
    /// RDTSC reads `cycles &+ tscOffset`; WRMSR to IA32_TSC sets it (SDM vol. 3, 18.17).
    public var tscOffset: UInt64 = 0
    /// IA32_APIC_BASE: xAPIC at FEE0_0000h, enabled (bit 11), bootstrap processor (bit 8).
    public var apicBase: UInt64 = 0xFEE0_0900
    public var sysenterCS: UInt64 = 0
    public var sysenterESP: UInt64 = 0
    public var sysenterEIP: UInt64 = 0
    public var star: UInt64 = 0
    public var lstar: UInt64 = 0
    public var cstar: UInt64 = 0
    /// IA32_FMASK / SFMASK (bits 31:0).
    public var fmask: UInt64 = 0
    public var kernelGSBase: UInt64 = 0
    /// IA32_PAT power-on value (SDM vol. 3, 13.12.4): WB, WT, UC-, UC, WB, WT, UC-, UC.
    public var pat: UInt64 = 0x0007_0406_0007_0406
    public var mtrrDefType: UInt64 = 0
    /// The eleven fixed-range MTRRs in the order of `MSR.fixedMTRRs`.
    public var fixedMTRRs = [UInt64](repeating: 0, count: 11)
    /// Variable-range MTRRs: PHYSBASEn at even, PHYSMASKn at odd indexes.
    public var variableMTRRs = [UInt64](repeating: 0, count: 2 * MSR.variableMTRRCount)
    /// IA32_MISC_ENABLE (Intel): fast strings (0), BTS and PEBS unavailable (11, 12),
    /// MONITOR/MWAIT enabled (18).
    public var miscEnable: UInt64 = 0x4_1801
    /// IA32_FEATURE_CONTROL (Intel): clear at reset; firmware sets and locks it.
    public var featureControl: UInt64 = 0
    public var mcgStatus: UInt64 = 0
    public var specCtrl: UInt64 = 0
    /// IA32_XSS (SDM vol. 1, 13.3): the supervisor state components XSAVES/XRSTORS manage.
    public var xss: UInt64 = 0
    /// Intel MSR_PKG_CST_CONFIG_CONTROL: 0, the package C-state limit "C0/C1 (no package
    /// C-state support)", which is what swemu has; MSR_POWER_CTL: C1E off.
    public var pkgCStateConfigControl: UInt64 = 0
    public var powerCtl: UInt64 = 0
    /// AMD SYSCFG, TOP_MEM and TOP_MEM2 (APM vol. 2): clear at reset.
    public var syscfg: UInt64 = 0
    public var topMem: UInt64 = 0
    public var topMem2: UInt64 = 0
    /// AMD VM_CR (APM vol. 2, 15.30.1) and VM_HSAVE_PA (15.30.4).
    public var vmCR: UInt64 = 0
    public var vmHsavePA: UInt64 = 0
    /// AMD HWCR: TscFreqSel (bit 24) reads as 1.
    public var hwcr: UInt64 = 0x0100_0000
    /// AMD legacy performance counters PERF_CTL0-3 and PERF_CTR0-3 (storage only: they never
    /// count, which is what a part whose counters are all disabled shows).
    public var perfControl = [UInt64](repeating: 0, count: 4)
    public var perfCounter = [UInt64](repeating: 0, count: 4)
    /// PKRU (SDM vol. 3, 4.6.2): two bits (AD, WD) per protection key.
    public var pkru: UInt32 = 0
    /// The four PAE PDPTE registers, loaded by MOV to CR3/CR0/CR4 in PAE mode (SDM vol. 3, 4.4.1).
    public var pdptes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// DR7 decoded for the step and memory slow paths (derived state, not compared by ==).
    public var breakpoints = DebugBreakpoints()

    public init() {}

    public static func == (a: SystemRegisterState, b: SystemRegisterState) -> Bool {
        a.tscOffset == b.tscOffset && a.apicBase == b.apicBase && a.sysenterCS == b.sysenterCS
            && a.sysenterESP == b.sysenterESP && a.sysenterEIP == b.sysenterEIP && a.star == b.star
            && a.lstar == b.lstar && a.cstar == b.cstar && a.fmask == b.fmask
            && a.kernelGSBase == b.kernelGSBase && a.pat == b.pat && a.mtrrDefType == b.mtrrDefType
            && a.fixedMTRRs == b.fixedMTRRs && a.variableMTRRs == b.variableMTRRs
            && a.miscEnable == b.miscEnable && a.featureControl == b.featureControl
            && a.mcgStatus == b.mcgStatus && a.specCtrl == b.specCtrl && a.vmCR == b.vmCR
            && a.pkgCStateConfigControl == b.pkgCStateConfigControl && a.powerCtl == b.powerCtl
            && a.syscfg == b.syscfg && a.topMem == b.topMem && a.topMem2 == b.topMem2
            && a.vmHsavePA == b.vmHsavePA && a.hwcr == b.hwcr && a.perfControl == b.perfControl
            && a.perfCounter == b.perfCounter && a.pkru == b.pkru
            && a.pdptes.0 == b.pdptes.0 && a.pdptes.1 == b.pdptes.1
            && a.pdptes.2 == b.pdptes.2 && a.pdptes.3 == b.pdptes.3
    }

    /// PDPTE register `n` (0-3).
    func pdpte(_ n: Int) -> UInt64 {
        switch n & 3 {
        case 0: return pdptes.0
        case 1: return pdptes.1
        case 2: return pdptes.2
        default: return pdptes.3
        }
    }
}
