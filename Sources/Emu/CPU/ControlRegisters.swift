/// CR0, CR4 and EFER bits, and the rules for writing control registers: the checks of SDM vol. 2
/// "MOV—Move to/from Control Registers", SDM vol. 3, 2.5 and 4.1, the IA-32e mode transitions of
/// SDM vol. 3, 10.8.5, the PDPTE loads of 4.4.1 and the TLB invalidations of 4.10.4.1.
public struct CR0: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let pe = CR0(rawValue: 1 << 0)
    public static let mp = CR0(rawValue: 1 << 1)
    public static let em = CR0(rawValue: 1 << 2)
    public static let ts = CR0(rawValue: 1 << 3)
    /// Extension type: hardwired to 1.
    public static let et = CR0(rawValue: 1 << 4)
    public static let ne = CR0(rawValue: 1 << 5)
    public static let wp = CR0(rawValue: 1 << 16)
    public static let am = CR0(rawValue: 1 << 18)
    public static let nw = CR0(rawValue: 1 << 29)
    public static let cd = CR0(rawValue: 1 << 30)
    public static let pg = CR0(rawValue: 1 << 31)
    /// Every defined bit; the other bits of CR0[31:0] ignore writes (SDM vol. 3, 2.5).
    public static let defined: CR0 = [.pe, .mp, .em, .ts, .et, .ne, .wp, .am, .nw, .cd, .pg]
}

public struct CR4: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let vme = CR4(rawValue: 1 << 0)
    public static let pvi = CR4(rawValue: 1 << 1)
    public static let tsd = CR4(rawValue: 1 << 2)
    public static let de = CR4(rawValue: 1 << 3)
    public static let pse = CR4(rawValue: 1 << 4)
    public static let pae = CR4(rawValue: 1 << 5)
    public static let mce = CR4(rawValue: 1 << 6)
    public static let pge = CR4(rawValue: 1 << 7)
    public static let pce = CR4(rawValue: 1 << 8)
    public static let osfxsr = CR4(rawValue: 1 << 9)
    public static let osxmmexcpt = CR4(rawValue: 1 << 10)
    public static let umip = CR4(rawValue: 1 << 11)
    public static let la57 = CR4(rawValue: 1 << 12)
    public static let vmxe = CR4(rawValue: 1 << 13)
    public static let smxe = CR4(rawValue: 1 << 14)
    public static let fsgsbase = CR4(rawValue: 1 << 16)
    public static let pcide = CR4(rawValue: 1 << 17)
    public static let osxsave = CR4(rawValue: 1 << 18)
    public static let smep = CR4(rawValue: 1 << 20)
    public static let smap = CR4(rawValue: 1 << 21)
    public static let pke = CR4(rawValue: 1 << 22)
    public static let pks = CR4(rawValue: 1 << 24)
    /// Bits whose change invalidates every TLB entry here (SDM 4.10.4.1; SMAP and PKE too,
    /// because a software TLB entry caches the permission decision).
    public static let pagingControls: CR4 = [.pse, .pae, .pge, .la57, .pcide, .smep, .smap, .pke]
}

public struct EFER: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let sce = EFER(rawValue: 1 << 0)
    public static let lme = EFER(rawValue: 1 << 8)
    public static let lma = EFER(rawValue: 1 << 10)
    public static let nxe = EFER(rawValue: 1 << 11)
    public static let svme = EFER(rawValue: 1 << 12)
}

/// IA32_MISC_ENABLE bits (SDM vol. 4, table 2-2).
public enum MiscEnable {
    public static let fastStrings: UInt64 = 1 << 0
    public static let automaticThermalControl: UInt64 = 1 << 3
    public static let performanceMonitoringAvailable: UInt64 = 1 << 7
    public static let btsUnavailable: UInt64 = 1 << 11
    public static let pebsUnavailable: UInt64 = 1 << 12
    public static let enhancedSpeedStep: UInt64 = 1 << 16
    public static let monitorEnable: UInt64 = 1 << 18
    public static let limitCPUIDMaxval: UInt64 = 1 << 22
    public static let xtprDisable: UInt64 = 1 << 23
    public static let xdDisable: UInt64 = 1 << 34
    /// Bits software may change; the read-only ones keep their value, the rest are reserved.
    public static let writable: UInt64 = fastStrings | automaticThermalControl | enhancedSpeedStep
        | monitorEnable | limitCPUIDMaxval | xtprDisable | xdDisable
    public static let readOnly: UInt64 = performanceMonitoringAvailable | btsUnavailable | pebsUnavailable
}

extension CPU {
    @inline(__always) var pagingEnabled: Bool { cr0 & CR0.pg.rawValue != 0 }
    @inline(__always) var longModeActive: Bool { efer & EFER.lma.rawValue != 0 }
    /// PAE paging: CR0.PG = 1, CR4.PAE = 1, EFER.LME = 0 (SDM vol. 3, 4.1.1).
    var paePagingMode: Bool {
        pagingEnabled && cr4 & CR4.pae.rawValue != 0 && efer & EFER.lme.rawValue == 0
    }

    /// CR4 bits this model lets software set (the rest are reserved: #GP on MOV to CR4).
    var cr4Writable: UInt64 {
        let m = cpuidModel
        var bits: CR4 = [.vme, .pvi, .tsd, .de, .pse, .pae, .pge, .pce]
        if m.vmx { bits.insert(.vmxe) }
        if m.fsgsbase { bits.insert(.fsgsbase) }
        if m.pcid { bits.insert(.pcide) }
        if m.xsave { bits.insert(.osxsave) }
        if m.fxsr { bits.insert(.osfxsr) }
        if m.sse { bits.insert(.osxmmexcpt) }
        if m.smep { bits.insert(.smep) }
        if m.smap { bits.insert(.smap) }
        if m.pku { bits.insert(.pke) }
        if m.umip { bits.insert(.umip) }
        if m.la57 { bits.insert(.la57) }
        return bits.rawValue
    }

    /// EFER bits WRMSR may set: SCE, LME, NXE; SVME on the AMD model (APM vol. 2, 3.1.7).
    var eferWritable: UInt64 {
        var bits: EFER = [.sce, .lme, .nxe]
        if vendor == .amd { bits.insert(.svme) }
        return bits.rawValue
    }

    /// MAXPHYADDR-wide physical address mask (bits MAXPHYADDR-1:0).
    var physicalAddressMask: UInt64 { (1 << UInt64(cpuidModel.physicalAddressBits)) &- 1 }

    // MARK: MOV to CRn

    /// MOV to CR0 (also LMSW and CLTS, which pass the merged value). `value` is the full source:
    /// in 64-bit mode a 1 in bits 63:32 is #GP; the reserved bits of 31:0 are ignored.
    func writeCR0(_ value: UInt64) throws(Fault) {
        if value >> 32 != 0 { throw .generalProtection(0) }
        var new = (value & CR0.defined.rawValue) | CR0.et.rawValue
        new |= cr0 & ~(CR0.defined.rawValue | 0xFFFF_FFFF)
        let old = cr0
        if new & CR0.pg.rawValue != 0 && new & CR0.pe.rawValue == 0 { throw .generalProtection(0) }
        if new & CR0.nw.rawValue != 0 && new & CR0.cd.rawValue == 0 { throw .generalProtection(0) }
        // In VMX operation CR0 must keep the IA32_VMX_CR0_FIXED bits (SDM vol. 3, 23.8).
        if vmx.inVMXOperation && !vmx.nonRoot && !vmxPermits(cr0: new) { throw .generalProtection(0) }
        let settingPG = new & CR0.pg.rawValue != 0 && old & CR0.pg.rawValue == 0
        let clearingPG = new & CR0.pg.rawValue == 0 && old & CR0.pg.rawValue != 0
        if clearingPG {
            // Leaving IA-32e mode happens only from compatibility mode (SDM 10.8.5.4); PCIDE
            // must be cleared first.
            if codeMode == .long64 { throw .generalProtection(0) }
            if cr4 & CR4.pcide.rawValue != 0 { throw .generalProtection(0) }
        }
        var activatingLongMode = false
        if settingPG && efer & EFER.lme.rawValue != 0 {
            // IA-32e activation (SDM 10.8.5): needs CR4.PAE; the current CS must not be a
            // 64-bit code segment.
            if cr4 & CR4.pae.rawValue == 0 { throw .generalProtection(0) }
            if segment(.cs).long { throw .generalProtection(0) }
            activatingLongMode = true
        }
        // PAE paging afterwards and PG/CD/NW changed: load the PDPTEs (SDM 4.4.1).
        let paeAfter = new & CR0.pg.rawValue != 0 && cr4 & CR4.pae.rawValue != 0 && efer & EFER.lme.rawValue == 0
        let cacheOrPagingChanged = (old ^ new) & (CR0.pg.rawValue | CR0.cd.rawValue | CR0.nw.rawValue) != 0
        if paeAfter && cacheOrPagingChanged { try loadPDPTEs(cr3) }
        cr0 = new
        if activatingLongMode { efer |= EFER.lma.rawValue }
        if clearingPG { efer &= ~EFER.lma.rawValue }
        if (old ^ new) & (CR0.pg.rawValue | CR0.wp.rawValue | CR0.pe.rawValue) != 0 { flushTLB() }
        updateCodeMode()
    }

    /// MOV to CR3 (SDM vol. 3, 4.5 table 4-12, 4.10.4.1).
    func writeCR3(_ value: UInt64) throws(Fault) {
        var v = value
        var noFlush = false
        if codeMode == .long64 {
            // Bit 63 with CR4.PCIDE: do not invalidate the new PCID's entries; it is not stored.
            if cr4 & CR4.pcide.rawValue != 0 {
                noFlush = v >> 63 != 0
                v &= ~(1 << 63)
            }
            if v & ~physicalAddressMask != 0 { throw .generalProtection(0) }
        } else {
            v &= 0xFFFF_FFFF
        }
        if paePagingMode { try loadPDPTEs(v) }
        // Global translations survive with CR4.PGE; with CR4.PCIDE the TLB switches to the new
        // PCID's translations (Memory/TLBContexts.swift).
        tlbLoadCR3(v, noFlush: noFlush)
    }

    /// MOV to CR4.
    func writeCR4(_ value: UInt64) throws(Fault) {
        if value & ~cr4Writable != 0 { throw .generalProtection(0) }
        // In VMX operation CR4 must keep the IA32_VMX_CR4_FIXED bits (VMXE among them; SDM 23.8).
        if vmx.inVMXOperation && !vmx.nonRoot && !vmxPermits(cr4: value) { throw .generalProtection(0) }
        let old = cr4
        let changed = old ^ value
        if longModeActive {
            if value & CR4.pae.rawValue == 0 { throw .generalProtection(0) }
            if changed & CR4.la57.rawValue != 0 { throw .generalProtection(0) }
        }
        if value & CR4.pcide.rawValue != 0 && old & CR4.pcide.rawValue == 0 {
            // PCIDE 0 -> 1 only in IA-32e mode with CR3[11:0] = 0.
            if !longModeActive || cr3 & 0xFFF != 0 { throw .generalProtection(0) }
        }
        let paeAfter = pagingEnabled && value & CR4.pae.rawValue != 0 && efer & EFER.lme.rawValue == 0
        let reload: CR4 = [.pae, .pge, .pse, .smep]
        if paeAfter && changed & reload.rawValue != 0 { try loadPDPTEs(cr3) }
        cr4 = value
        // Changing CR4.PGE or clearing CR4.PCIDE invalidates every PCID's translations (4.10.4.1).
        if changed & CR4.pge.rawValue != 0 || changed & old & CR4.pcide.rawValue != 0 {
            tlbInvalidateAllPCIDs()
        } else if changed & CR4.pagingControls.rawValue != 0 {
            flushTLB()
        }
        if changed & CR4.de.rawValue != 0 { refreshBreakpoints() }
    }

    /// MOV to CR8: the task-priority class (bits 3:0); bits 63:4 are reserved.
    func writeCR8(_ value: UInt64) throws(Fault) {
        if value & ~0xF != 0 { throw .generalProtection(0) }
        cr8 = value
        localAPIC?.taskPriorityChanged()
    }

    /// WRMSR to IA32_EFER (SDM vol. 3, 10.8.5; APM vol. 2, 3.1.7).
    func writeEFER(_ value: UInt64) throws(Fault) {
        if value & ~(eferWritable | EFER.lma.rawValue) != 0 { throw .generalProtection(0) }
        // LME cannot change while paging is enabled.
        if (value ^ efer) & EFER.lme.rawValue != 0 && pagingEnabled { throw .generalProtection(0) }
        // NXE is reserved when IA32_MISC_ENABLE.XD_DISABLE is set (Intel).
        if vendor == .intel && value & EFER.nxe.rawValue != 0
            && systemRegisters.miscEnable & MiscEnable.xdDisable != 0 { throw .generalProtection(0) }
        // SVME cannot be set while VM_CR.SVMDIS is set (APM vol. 2, 15.30.1).
        if value & EFER.svme.rawValue != 0 && systemRegisters.vmCR & VMCR.svmdis != 0 { throw .generalProtection(0) }
        let old = efer
        efer = (value & eferWritable) | (efer & EFER.lma.rawValue)   // LMA is read-only
        if (old ^ efer) & EFER.nxe.rawValue != 0 { flushTLB() }
    }

    /// Loads the four PDPTEs from the 32-byte table at CR3[31:5] (SDM vol. 3, 4.4.1): #GP(0)
    /// if a present entry sets a reserved bit (bits 2:1, 8:5, 63:MAXPHYADDR).
    func loadPDPTEs(_ cr3Value: UInt64) throws(Fault) {
        let table = cr3Value & 0xFFFF_FFE0
        var e: [UInt64] = []
        for k in 0..<4 {
            let v = memory.read(try guestPhysicalToHost(table &+ UInt64(8 * k), access: .read, .pdpteLoad), size: 8)
            if v & 1 != 0 && v & (0x1E6 | ~physicalAddressMask) != 0 { throw .generalProtection(0) }
            e.append(v)
        }
        systemRegisters.pdptes = (e[0], e[1], e[2], e[3])
        flushTLB()
    }

    // MARK: Debug registers (SDM vol. 3, 18.2)

    /// DR6 as read: bits 4-11 and 16-31 read as 1, bit 12 as 0 (no RTM, no bus-lock detection).
    static func dr6Value(_ v: UInt64) -> UInt64 { (v & 0xE00F) | 0xFFFF_0FF0 }
    /// DR7 as stored: bit 10 reads as 1, bits 11, 12, 14, 15 as 0.
    static func dr7Value(_ v: UInt64) -> UInt64 { (v & 0xFFFF_23FF) | 0x400 }
}

/// AMD VM_CR bits (APM vol. 2, 15.30.1).
public enum VMCR {
    public static let dpd: UInt64 = 1 << 0
    public static let rInit: UInt64 = 1 << 1
    public static let disA20M: UInt64 = 1 << 2
    public static let lock: UInt64 = 1 << 3
    public static let svmdis: UInt64 = 1 << 4
}
