/// Model-specific register numbers (SDM vol. 4, chapter 2; APM vol. 2, appendix A) and the
/// RDMSR/WRMSR semantics of the two models. An MSR the model does not have raises #GP(0), as
/// hardware does; so does a write of a reserved bit or a read-only MSR.
public enum MSR {
    public static let tsc: UInt32 = 0x10
    public static let platformID: UInt32 = 0x17
    public static let apicBase: UInt32 = 0x1B
    public static let featureControl: UInt32 = 0x3A
    public static let specCtrl: UInt32 = 0x48
    public static let predCmd: UInt32 = 0x49
    public static let biosSignID: UInt32 = 0x8B
    public static let platformInfo: UInt32 = 0xCE
    public static let pkgCStateConfigControl: UInt32 = 0xE2
    public static let mtrrCap: UInt32 = 0xFE
    public static let archCapabilities: UInt32 = 0x10A
    public static let sysenterCS: UInt32 = 0x174
    public static let sysenterESP: UInt32 = 0x175
    public static let sysenterEIP: UInt32 = 0x176
    public static let mcgCap: UInt32 = 0x179
    public static let mcgStatus: UInt32 = 0x17A
    public static let miscEnable: UInt32 = 0x1A0
    public static let powerCtl: UInt32 = 0x1FC
    public static let debugCtl: UInt32 = 0x1D9
    public static let mtrrPhysBase0: UInt32 = 0x200
    public static let mtrrFix64K: UInt32 = 0x250
    public static let mtrrFix16K80000: UInt32 = 0x258
    public static let mtrrFix16KA0000: UInt32 = 0x259
    public static let mtrrFix4KC0000: UInt32 = 0x268
    public static let pat: UInt32 = 0x277
    public static let mtrrDefType: UInt32 = 0x2FF
    public static let xss: UInt32 = 0xDA0
    public static let efer: UInt32 = 0xC000_0080
    public static let star: UInt32 = 0xC000_0081
    public static let lstar: UInt32 = 0xC000_0082
    public static let cstar: UInt32 = 0xC000_0083
    public static let fmask: UInt32 = 0xC000_0084
    public static let fsBase: UInt32 = 0xC000_0100
    public static let gsBase: UInt32 = 0xC000_0101
    public static let kernelGSBase: UInt32 = 0xC000_0102
    public static let tscAux: UInt32 = 0xC000_0103
    /// AMD PERF_CTL0-3 (C001_0000h-3h) and PERF_CTR0-3 (C001_0004h-7h).
    public static let amdPerfCtl0: UInt32 = 0xC001_0000
    public static let amdPerfCtr0: UInt32 = 0xC001_0004
    public static let amdSYSCFG: UInt32 = 0xC001_0010
    public static let amdHWCR: UInt32 = 0xC001_0015
    public static let amdTopMem: UInt32 = 0xC001_001A
    public static let amdTopMem2: UInt32 = 0xC001_001D
    public static let amdVMCR: UInt32 = 0xC001_0114
    public static let amdVMHsavePA: UInt32 = 0xC001_0117
    public static let amdPatchLevel: UInt32 = 0x8B

    /// The fixed-range MTRRs in `SystemRegisterState.fixedMTRRs` order (SDM vol. 3, 13.11.2.2).
    public static let fixedMTRRs: [UInt32] = [mtrrFix64K, mtrrFix16K80000, mtrrFix16KA0000]
        + (0..<8).map { mtrrFix4KC0000 + UInt32($0) }
    /// IA32_MTRRCAP.VCNT of both models.
    public static let variableMTRRCount = 8

    /// IA32_ARCH_CAPABILITIES (SDM vol. 4, table 2-2): RDCL_NO (0), SKIP_L1DFL_VMENTRY (3),
    /// SSB_NO (4), MDS_NO (5), PSCHANGE_MC_NO (6), TAA_NO (8), SBDR_SSDP_NO (13), FBSDP_NO (14),
    /// PSDP_NO (15), BHI_NO (20), PBRSB_NO (24), GDS_NO (26), RFDS_NO (27): an interpreter does
    /// not speculate, so a kernel that knows model 55h as affected learns it is not. None of the
    /// bits that promise an MSR or a behaviour (IBRS_ALL, RSBA, TSX_CTRL, FB_CLEAR, GDS_CTRL...).
    static let archCapabilitiesValue: UInt64 = 0x179 | 0x7 << 13 | 1 << 20 | 1 << 24 | 1 << 26 | 1 << 27
    /// IA32_BIOS_SIGN_ID[63:32] / AMD PATCH_LEVEL: the microcode revision reported.
    static let microcodeRevision: UInt64 = 0x0200_0065
    static let amdPatchLevelValue: UInt64 = 0x0830_107A
    /// MSR_PLATFORM_INFO (SDM vol. 4, Skylake-SP table): the maximum non-turbo ratio (15:8) is
    /// the invariant TSC's frequency in units of 100 MHz, and the maximum efficiency ratio
    /// (47:40) the lowest one; swemu's TSC runs at one fixed `Clock.cyclesPerSecond`, so both
    /// are that frequency / 100 MHz. No programmable turbo limits, TDP or TJ offset, no PPIN.
    static let platformInfoValue: UInt64 = {
        let ratio = UInt64(Clock.cyclesPerSecond / 100_000_000)
        return ratio << 8 | ratio << 40
    }()
    /// MSR_PKG_CST_CONFIG_CONTROL: package C-state limit (2:0), I/O MWAIT redirection (10),
    /// CFG lock (15, write-once: locks bits 15:0), automatic C-state conversion (16), C1 auto
    /// demotion and undemotion (26, 28).
    static let pkgCStateWritable: UInt64 = 0x7 | 1 << 10 | 1 << 15 | 1 << 16 | 1 << 26 | 1 << 28
    /// MSR_POWER_CTL: C1E enable (bit 1).
    static let powerCtlWritable: UInt64 = 1 << 1
    /// AMD SYSCFG (APM vol. 2, "System-Configuration Register"): MtrrFixDramEn (18), MtrrFixDramModEn (19),
    /// MtrrVarDramEn (20), MtrrTom2En (21), Tom2ForceMemTypeWB (22). Clear at reset; firmware
    /// sets them with TOP_MEM and TOP_MEM2.
    static let amdSYSCFGWritable: UInt64 = 0x1F << 18
}

extension CPU {
    /// The time-stamp counter: the virtual cycle counter plus the offset IA32_TSC writes set.
    public var tsc: UInt64 { cycles &+ systemRegisters.tscOffset }

    /// True if `v` is canonical for the model's linear-address width (SDM vol. 1, 3.3.7.1).
    func isCanonicalAddress(_ v: UInt64) -> Bool {
        let bits = cr4 & CR4.la57.rawValue != 0 ? 57 : cpuidModel.linearAddressBits
        let top = Int64(bitPattern: v) >> (bits - 1)
        return top == 0 || top == -1
    }

    /// RDMSR of `index`, or #GP(0) when the model has no such MSR.
    public func readMSR(_ index: UInt32) throws(Fault) -> UInt64 {
        if let apic = localAPIC, let v = try apic.readMSR(index) { return v }
        let intel = vendor == .intel
        let s = systemRegisters
        switch index {
        case MSR.tsc: return tsc
        case MSR.platformID where intel: return 0
        case MSR.apicBase: return s.apicBase
        case MSR.featureControl where intel: return s.featureControl
        case MSR.specCtrl: return s.specCtrl
        case MSR.biosSignID: return intel ? MSR.microcodeRevision << 32 : MSR.amdPatchLevelValue
        case MSR.platformInfo where intel: return MSR.platformInfoValue
        case MSR.pkgCStateConfigControl where intel: return s.pkgCStateConfigControl
        case MSR.powerCtl where intel: return s.powerCtl
        case MSR.mtrrCap:
            // VCNT, FIX (8), WC (10).
            return UInt64(MSR.variableMTRRCount) | (1 << 8) | (1 << 10)
        case MSR.archCapabilities where intel: return MSR.archCapabilitiesValue
        case MSR.sysenterCS: return s.sysenterCS
        case MSR.sysenterESP: return s.sysenterESP
        case MSR.sysenterEIP: return s.sysenterEIP
        case MSR.mcgCap: return 0                                     // no banks, no MCG_CTL
        case MSR.mcgStatus: return s.mcgStatus
        case MSR.miscEnable where intel: return s.miscEnable
        case MSR.debugCtl: return 0
        case MSR.pat: return s.pat
        case MSR.mtrrDefType: return s.mtrrDefType
        case MSR.mtrrPhysBase0..<(MSR.mtrrPhysBase0 + UInt32(2 * MSR.variableMTRRCount)):
            return s.variableMTRRs[Int(index - MSR.mtrrPhysBase0)]
        case MSR.xss where cpuidModel.xsaves: return s.xss
        case MSR.efer: return efer
        case MSR.star: return s.star
        case MSR.lstar: return s.lstar
        case MSR.cstar: return s.cstar
        case MSR.fmask: return s.fmask
        case MSR.fsBase: return segment(.fs).base
        case MSR.gsBase: return segment(.gs).base
        case MSR.kernelGSBase: return s.kernelGSBase
        case MSR.tscAux: return tscAux
        case MSR.amdPerfCtl0..<(MSR.amdPerfCtl0 + 4) where !intel: return s.perfControl[Int(index - MSR.amdPerfCtl0)]
        case MSR.amdPerfCtr0..<(MSR.amdPerfCtr0 + 4) where !intel: return s.perfCounter[Int(index - MSR.amdPerfCtr0)]
        case MSR.amdSYSCFG where !intel: return s.syscfg
        case MSR.amdHWCR where !intel: return s.hwcr
        case MSR.amdTopMem where !intel: return s.topMem
        case MSR.amdTopMem2 where !intel: return s.topMem2
        case MSR.amdVMCR where !intel: return s.vmCR
        case MSR.amdVMHsavePA where !intel: return s.vmHsavePA
        default:
            if let k = MSR.fixedMTRRs.firstIndex(of: index) { return s.fixedMTRRs[k] }
            // IA32_VMX_* capability MSRs (SDM vol. 3, appendix A), read-only.
            if let v = vmxCapabilityMSR(index) { return v }
            throw .generalProtection(0)
        }
    }

    /// WRMSR of `value` to `index`: #GP(0) for MSRs the model lacks, read-only MSRs and
    /// reserved bits.
    public func writeMSR(_ index: UInt32, _ value: UInt64) throws(Fault) {
        if let apic = localAPIC, try apic.writeMSR(index, value) { return }
        let intel = vendor == .intel
        let gp = Fault.generalProtection(0)
        switch index {
        case MSR.tsc: systemRegisters.tscOffset = value &- cycles
        case MSR.apicBase:
            // BSP (8), enable (11), base (MAXPHYADDR-1:12); x2APIC mode (10) is not offered.
            let writable: UInt64 = (1 << 8) | (1 << 11) | (physicalAddressMask & ~0xFFF)
            if value & ~writable != 0 { throw gp }
            systemRegisters.apicBase = value
        case MSR.featureControl where intel:
            // Writes after the lock bit is set: #GP (SDM vol. 3, 24.7). VMX outside SMX (bit 2)
            // exists when VMX does; SMX is not offered.
            if systemRegisters.featureControl & 1 != 0 { throw gp }
            let writable: UInt64 = 1 | (cpuidModel.vmx ? 1 << 2 : 0)
            if value & ~writable != 0 { throw gp }
            systemRegisters.featureControl = value
        case MSR.specCtrl:
            if value & ~0x7 != 0 { throw gp }                      // IBRS, STIBP, SSBD
            systemRegisters.specCtrl = value
        case MSR.predCmd:
            if value & ~0x1 != 0 { throw gp }                      // IBPB: nothing to flush
        case MSR.biosSignID where intel: break                    // cleared before CPUID; reads the revision
        case MSR.sysenterCS: systemRegisters.sysenterCS = value & 0xFFFF_FFFF
        case MSR.sysenterESP, MSR.sysenterEIP:
            // Intel checks canonicality; AMD keeps only the low 32 bits (APM vol. 2, 6.1.1).
            var v = value
            if intel { if !isCanonicalAddress(v) { throw gp } } else { v &= 0xFFFF_FFFF }
            if index == MSR.sysenterESP { systemRegisters.sysenterESP = v } else { systemRegisters.sysenterEIP = v }
        case MSR.mcgStatus:
            if value & ~0x7 != 0 { throw gp }                      // RIPV, EIPV, MCIP
            systemRegisters.mcgStatus = value
        case MSR.miscEnable where intel:
            if value & ~(MiscEnable.writable | MiscEnable.readOnly) != 0 { throw gp }
            systemRegisters.miscEnable = (value & MiscEnable.writable)
                | (systemRegisters.miscEnable & MiscEnable.readOnly)
            if value & MiscEnable.xdDisable != 0 && efer & EFER.nxe.rawValue != 0 {
                efer &= ~EFER.nxe.rawValue
                flushTLB()
            }
        case MSR.pkgCStateConfigControl where intel:
            if value & ~MSR.pkgCStateWritable != 0 { throw gp }
            // CFG lock: bits 15:0 keep their value until RESET.
            let locked: UInt64 = systemRegisters.pkgCStateConfigControl & (1 << 15) != 0 ? 0xFFFF : 0
            systemRegisters.pkgCStateConfigControl = (value & ~locked) | (systemRegisters.pkgCStateConfigControl & locked)
        case MSR.powerCtl where intel:
            if value & ~MSR.powerCtlWritable != 0 { throw gp }
            systemRegisters.powerCtl = value
        case MSR.debugCtl:
            if value != 0 { throw gp }                             // LBR, BTF... not offered
        case MSR.pat:
            for k in 0..<8 where !CPU.validPATType((value >> (8 * UInt64(k))) & 0xFF) { throw gp }
            systemRegisters.pat = value
        case MSR.mtrrDefType:
            // Type (7:0), FE (10), E (11) (SDM vol. 3, 13.11.2.1).
            if value & ~0xCFF != 0 || !CPU.validMTRRType(value & 0xFF) { throw gp }
            systemRegisters.mtrrDefType = value
        case MSR.mtrrPhysBase0..<(MSR.mtrrPhysBase0 + UInt32(2 * MSR.variableMTRRCount)):
            let n = Int(index - MSR.mtrrPhysBase0)
            let address = physicalAddressMask & ~0xFFF
            if n & 1 == 0 {
                if value & ~(address | 0xFF) != 0 || !CPU.validMTRRType(value & 0xFF) { throw gp }
            } else if value & ~(address | 0x800) != 0 {
                throw gp
            }
            systemRegisters.variableMTRRs[n] = value
        case MSR.xss where cpuidModel.xsaves:
            // Only supported supervisor components (CPUID.(EAX=0DH,ECX=1):EDX:ECX) may be set.
            if value & ~XSaveFeatures.supportedXSS != 0 { throw gp }
            systemRegisters.xss = value
        case MSR.efer: try writeEFER(value)
        case MSR.star: systemRegisters.star = value
        case MSR.lstar, MSR.cstar, MSR.kernelGSBase:
            if !isCanonicalAddress(value) { throw gp }
            switch index {
            case MSR.lstar: systemRegisters.lstar = value
            case MSR.cstar: systemRegisters.cstar = value
            default: systemRegisters.kernelGSBase = value
            }
        case MSR.fmask: systemRegisters.fmask = value & 0xFFFF_FFFF
        case MSR.fsBase, MSR.gsBase:
            if !isCanonicalAddress(value) { throw gp }
            let s: SegmentRegister = index == MSR.fsBase ? .fs : .gs
            var c = segment(s)
            c.base = value
            setSegment(s, c)
        case MSR.tscAux:
            if value >> 32 != 0 { throw gp }
            tscAux = value
        case MSR.amdPerfCtl0..<(MSR.amdPerfCtl0 + 4) where !intel:
            systemRegisters.perfControl[Int(index - MSR.amdPerfCtl0)] = value
        case MSR.amdPerfCtr0..<(MSR.amdPerfCtr0 + 4) where !intel:
            systemRegisters.perfCounter[Int(index - MSR.amdPerfCtr0)] = value & 0xFFFF_FFFF_FFFF   // 48 bits
        case MSR.amdSYSCFG where !intel:
            if value & ~MSR.amdSYSCFGWritable != 0 { throw gp }
            systemRegisters.syscfg = value
        case MSR.amdTopMem where !intel, MSR.amdTopMem2 where !intel:
            // Bits MAXPHYADDR-1:23: the top of memory at 8 MiB granularity (APM vol. 2, "Top of Memory").
            if value & ~(physicalAddressMask & ~0x7F_FFFF) != 0 { throw gp }
            if index == MSR.amdTopMem { systemRegisters.topMem = value } else { systemRegisters.topMem2 = value }
        case MSR.amdHWCR where !intel:
            systemRegisters.hwcr = (value & ~(1 << 24)) | (systemRegisters.hwcr & (1 << 24))
        case MSR.amdVMCR where !intel:
            let all = VMCR.dpd | VMCR.rInit | VMCR.disA20M | VMCR.lock | VMCR.svmdis
            if value & ~all != 0 { throw gp }
            // With LOCK set, writes to LOCK and SVMDIS are ignored (APM vol. 2, 15.30.1).
            let locked = systemRegisters.vmCR & VMCR.lock != 0
            let keep = locked ? VMCR.lock | VMCR.svmdis : 0
            systemRegisters.vmCR = (value & ~keep) | (systemRegisters.vmCR & keep)
        case MSR.amdVMHsavePA where !intel:
            // 4 KiB aligned, inside the physical address space (APM vol. 2, 15.30.4).
            if value & 0xFFF != 0 || value & ~physicalAddressMask != 0 { throw gp }
            systemRegisters.vmHsavePA = value
        default:
            if let k = MSR.fixedMTRRs.firstIndex(of: index) {
                for b in 0..<8 where !CPU.validMTRRType((value >> (8 * UInt64(b))) & 0xFF) { throw gp }
                systemRegisters.fixedMTRRs[k] = value
                return
            }
            throw gp
        }
    }

    /// PAT entries: UC (0), WC (1), WT (4), WP (5), WB (6), UC- (7) (SDM vol. 3, table 13-10).
    static func validPATType(_ t: UInt64) -> Bool { t < 8 && t != 2 && t != 3 }
    /// MTRR types: UC, WC, WT, WP, WB (SDM vol. 3, table 13-8).
    static func validMTRRType(_ t: UInt64) -> Bool { t == 0 || t == 1 || t == 4 || t == 5 || t == 6 }
}
