/// What CPUID reports (SDM vol. 2, CPUID; APM vol. 3, appendix E).
///
/// Two models: `--cpu intel`, a Skylake-server-class part (GenuineIntel, family 6, model 55h,
/// stepping 4) and `--cpu amd`, a Zen 2-class part (AuthenticAMD, family 17h, model 31h). The
/// leaves have the layout a real part of that family reports (cache and topology leaves, on AMD
/// with TopologyExtensions; brand string, address sizes; `--smp` is one package of that many
/// single-thread cores), but every feature flag describes what swemu implements:
/// - set: the integer core (CX8, CMOV, TSC, CX16, MOVBE, POPCNT, LZCNT, BMI1, BMI2, ADX, ERMS,
///   LAHF/SAHF in 64-bit mode, PREFETCHW as a hint), the system architecture of issue 4 (VME,
///   DE, PSE, PSE-36, PAE, PGE, PAT, MTRR, MSR, SEP, SYSCALL, NX, 1 GiB pages, RDTSCP, LM, FSGSBASE,
///   SMEP, SMAP, MONITOR/MWAIT, RDRAND and RDSEED (both parts have them; swemu's generator is
///   deterministic, CPU/DigitalRandomNumberGenerator.swift); on the Intel model PCID, INVPCID
///   and PKU as Skylake-SP has them; on the AMD model RDPID and the LOCK MOV CR0 alias of CR8
///   as Zen 2 has them), the speculation controls (there is no speculation, so they are plain
///   storage), the invariant TSC, the x87 FPU, MMX, FXSAVE/FXRSTOR, SSE, SSE2, SSE3, SSSE3,
///   SSE4.1, SSE4.2, PCLMULQDQ, AES-NI (Execute/X87, Execute/SIMD; IEEE arithmetic in Float/),
///   CLFLUSH, CLFLUSHOPT and CLWB, and the XSAVE feature set for x87 and SSE state (XSAVE,
///   XSAVEOPT, XSAVEC, XGETBV with ECX = 1, XSAVES; leaf 0Dh, CPU/XSaveFeatures.swift).
/// - clear: AVX* and the rest of the VEX/EVEX/XOP sets (decoded, #UD), SHA, SSE4a,
///   MCE/MCA, UMIP (SLDT/STR must check it first), LA57 (neither part has it), and
///   CPUID.8000_0001h:ECX.SVM until the SVM issue sets `svm`.
public struct CPUIDModel: Sendable {
    public let vendor: Vendor
    /// MAXPHYADDR (CPUID 8000_0008h:EAX[7:0]).
    public let physicalAddressBits: Int
    public let linearAddressBits: Int
    /// Initial APIC ID (leaf 1 EBX[31:24], leaf 0Bh EDX).
    public var apicID: UInt32 = 0
    /// The processors of the machine (`--smp`): one package of that many single-thread cores
    /// whose APIC IDs are 0..n-1, as leaves 1, 4, 0Bh (Intel) and 8000_0008h (AMD) describe it.
    public var coresPerPackage = 1
    /// `coresPerPackage`, at least one.
    var cores: UInt32 { UInt32(max(coresPerPackage, 1)) }
    /// Width of the core-ID field of the APIC ID: ceil(log2(cores)).
    var coreIDBits: UInt32 { UInt32(UInt32.bitWidth - (cores - 1).leadingZeroBitCount) }

    // Features whose presence changes architectural rules (reserved bits, #UD), named as in
    // the manuals. They follow the model; the virtualisation issues switch `vmx`/`svm` on.
    public var vmx = false
    public var svm = false
    /// The on-chip APIC (leaf 1 EDX[9]), x2APIC mode (ECX[21]) and the TSC-deadline timer
    /// (ECX[24]): set by `Machine`, which builds the local APICs (Devices/LocalAPIC.swift).
    public var localAPIC = false
    public var x2APIC = false
    public var tscDeadline = false
    public let pcid: Bool
    public let invpcid: Bool
    public let pku: Bool
    public let rdpid: Bool
    public let smep = true
    public let smap = true
    public let fsgsbase = true
    public let monitor = true
    public let pdpe1GB = true
    public let umip = false
    public let la57 = false
    /// XSAVE/XRSTOR/XGETBV/XSETBV and CR4.OSXSAVE (leaf 1 ECX[26]); XSAVEOPT, XSAVEC,
    /// XGETBV with ECX = 1 and XSAVES/XRSTORS (leaf 0Dh subleaf 1 EAX[3:0]).
    public var xsave = true
    public let xsaveopt = true
    public let xsavec = true
    public let xgetbv1 = true
    public let xsaves = true
    /// The x87 FPU (leaf 1 EDX[0]), MMX (23), FXSAVE/FXRSTOR with CR4.OSFXSR (24), SSE (25) and
    /// SSE2 (26); AMD repeats FPU, MMX and FXSR in 8000_0001h EDX.
    public var fpu = true
    public var mmx = true
    public var fxsr = true
    public var sse = true
    public var sse2 = true
    /// Leaf 1 ECX: SSE3 (0), PCLMULQDQ (1), SSSE3 (9), SSE4.1 (19), SSE4.2 (20), AES-NI (25).
    public let sse3 = true
    public let pclmulqdq = true
    public let ssse3 = true
    public let sse41 = true
    public let sse42 = true
    public let aes = true
    /// CLFLUSH (leaf 1 EDX[19]), CLFLUSHOPT and CLWB (leaf 7 EBX[23], [24]): address checks
    /// only (Execute/CacheLineFlush.swift); Skylake-SP and Zen 2 have all three.
    public let clflush = true
    public let clflushopt = true
    public let clwb = true
    /// RDRAND (leaf 1 ECX[30]) and RDSEED (leaf 7 EBX[18]).
    public let rdrand = true
    public let rdseed = true
    /// LOCK MOV CR0 means MOV CR8 (AMD AltMovCr8).
    public let altMovCR8: Bool
    /// Number of variable-range MTRRs (IA32_MTRRCAP.VCNT).
    public var variableMTRRs: Int { MSR.variableMTRRCount }

    public init(vendor: Vendor) {
        self.vendor = vendor
        let intel = vendor == .intel
        physicalAddressBits = intel ? 46 : 48
        linearAddressBits = 48
        pcid = intel
        invpcid = intel
        pku = intel
        rdpid = !intel
        altMovCR8 = !intel
        // VMX (CPUID.1:ECX[5]) on the Intel model: VM entry and exit are implemented (issue 6).
        vmx = intel
    }

    /// Processor signature (leaf 1 EAX), also EDX after RESET.
    public var signature: UInt32 { vendor == .intel ? 0x0005_0654 : 0x0083_0F10 }

    /// The highest basic and extended leaves.
    public var maxBasicLeaf: UInt32 { 0x0D }
    public var maxExtendedLeaf: UInt32 { vendor == .intel ? 0x8000_0008 : 0x8000_001E }

    /// Returns EAX, EBX, ECX, EDX for leaf `eax`, subleaf `ecx`, as the part reports them
    /// after RESET. `CPU.cpuid(leaf:subleaf:)` adds the bits that follow CR4 and MSRs.
    public func query(eax leaf: UInt32, ecx subleaf: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        let intel = vendor == .intel
        // Leaves past the maximum: Intel answers with the highest basic leaf, AMD with zeros.
        if (leaf > maxBasicLeaf && leaf < 0x8000_0000) || leaf > maxExtendedLeaf {
            return intel ? query(eax: maxBasicLeaf, ecx: subleaf) : (0, 0, 0, 0)
        }
        // "GenuineIntel" / "AuthenticAMD" in EBX, EDX, ECX.
        let name: (UInt32, UInt32, UInt32) = intel
            ? (0x756E_6547, 0x4965_6E69, 0x6C65_746E) : (0x6874_7541, 0x6974_6E65, 0x444D_4163)
        switch leaf {
        case 0: return (maxBasicLeaf, name.0, name.2, name.1)
        case 1: return (signature, leaf1EBX, leaf1ECX, leaf1EDX)
        // Descriptor FFh: "no cache information here, use leaf 4". Not FEh ("TLBs: use leaf
        // 18h"), which would point past the highest basic leaf.
        case 2 where intel: return (0x0000_FF01, 0, 0, 0)
        case 4 where intel: return cacheLeaf(subleaf)
        // Thermal and power management: only ARAT (EAX bit 2), the APIC timer runs in every
        // C-state (swemu's runs on the cycle counter); no DTS, turbo, HWP or APERF/MPERF.
        case 6: return (1 << 2, 0, 0, 0)
        case 5:
            // MONITOR line sizes 64 bytes; EMX and interrupt break-event (ECX bits 0, 1).
            return monitor ? (64, 64, 3, intel ? 0x2020 : 0) : (0, 0, 0, 0)
        case 7 where subleaf == 0: return (0, leaf7EBX, leaf7ECX, leaf7EDX)
        case 0x0B where intel: return topologyLeaf(subleaf)
        case 0x0D: return xsaveLeaf(subleaf)
        case 0x8000_0000: return (maxExtendedLeaf, intel ? 0 : name.0, intel ? 0 : name.2, intel ? 0 : name.1)
        case 0x8000_0001: return extendedFeatures
        case 0x8000_0002, 0x8000_0003, 0x8000_0004: return brandString(Int(leaf - 0x8000_0002))
        case 0x8000_0005 where !intel:
            // L1 TLBs and caches (APM vol. 3, E.4.4): 32 KiB 8-way 64-byte L1d and L1i.
            return (0xFF40_FF40, 0xFF40_FF40, 0x2008_0140, 0x2008_0140)
        case 0x8000_0006:
            // L2: 1 MiB 16-way (Intel), 512 KiB 8-way (AMD); AMD L3 16 MiB 16-way.
            return intel ? (0, 0, 0x0400_8040, 0) : (0x4800_6000, 0x6400_6000, 0x0200_6140, 0x0080_8140)
        case 0x8000_0007: return (0, 0, 0, 1 << 8)                 // invariant TSC
        case 0x8000_0008:
            let sizes = UInt32(physicalAddressBits) | UInt32(linearAddressBits) << 8
            // AMD: RstrFpErrPtrs (2: FXSAVE/XSAVE always save and restore FOP, FIP and FDP, as
            // swemu does), IBPB (12), IBRS (14), STIBP (15), SSBD (24).
            // AMD ECX: NC (7:0) = cores - 1, ApicIdSize (15:12) = core-ID bits (APM vol. 3, E.4.7).
            let ecx = intel ? 0 : (cores - 1) | coreIDBits << 12
            return (sizes, intel ? 0 : (1 << 2) | (1 << 12) | (1 << 14) | (1 << 15) | (1 << 24), ecx, 0)
        case 0x8000_001D where !intel: return amdCacheTopology(subleaf)
        case 0x8000_001E where !intel:
            // Extended APIC ID; core ID (7:0), one thread per core (15:8 = 0); node 0 of one.
            return (apicID, apicID & 0xFF, 0, 0)
        default: return (0, 0, 0, 0)
        }
    }

    /// Leaf 1 EBX: CLFLUSH line size 8 qwords, the logical processors of the package (Intel:
    /// the addressable IDs, a power of two; AMD: the count), the initial APIC ID.
    var leaf1EBX: UInt32 {
        let logical = vendor == .intel ? UInt32(1) << coreIDBits : cores
        return 8 << 8 | (logical & 0xFF) << 16 | apicID << 24
    }

    var leaf1ECX: UInt32 {
        var c: UInt32 = (1 << 13) | (1 << 22) | (1 << 23)          // CX16, MOVBE, POPCNT
        if sse3 { c |= 1 << 0 }
        if pclmulqdq { c |= 1 << 1 }
        if monitor { c |= 1 << 3 }
        if vmx { c |= 1 << 5 }
        if ssse3 { c |= 1 << 9 }
        if sse41 { c |= 1 << 19 }
        if sse42 { c |= 1 << 20 }
        if aes { c |= 1 << 25 }
        if pcid { c |= 1 << 17 }
        if x2APIC { c |= 1 << 21 }
        if tscDeadline { c |= 1 << 24 }
        if xsave { c |= 1 << 26 }
        if rdrand { c |= 1 << 30 }
        return c
    }

    /// VME, DE, PSE, TSC, MSR, PAE, CX8, SEP, MTRR, PGE, CMOV, PAT, PSE-36; APIC with a machine;
    /// HTT (28) when the package has more than one logical processor (EBX[23:16] is valid).
    var leaf1EDX: UInt32 {
        (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 11) | (1 << 12)
            | (1 << 13) | (1 << 15) | (1 << 16) | (1 << 17) | (localAPIC ? 1 << 9 : 0)
            | (cores > 1 ? 1 << 28 : 0) | (fpu ? 1 : 0) | (mmx ? 1 << 23 : 0) | (fxsr ? 1 << 24 : 0)
            | (sse ? 1 << 25 : 0) | (sse2 ? 1 << 26 : 0) | (clflush ? 1 << 19 : 0)
    }

    /// FSGSBASE, BMI1, SMEP, BMI2, ERMS, INVPCID, RDSEED, ADX, SMAP.
    var leaf7EBX: UInt32 {
        var b: UInt32 = (1 << 3) | (1 << 8) | (1 << 9) | (1 << 19)
        if fsgsbase { b |= 1 << 0 }
        if smep { b |= 1 << 7 }
        if invpcid { b |= 1 << 10 }
        if rdseed { b |= 1 << 18 }
        if smap { b |= 1 << 20 }
        if clflushopt { b |= 1 << 23 }
        if clwb { b |= 1 << 24 }
        return b
    }

    var leaf7ECX: UInt32 {
        var c: UInt32 = 0
        if umip { c |= 1 << 2 }
        if pku { c |= 1 << 3 }
        if la57 { c |= 1 << 16 }
        if rdpid { c |= 1 << 22 }
        return c
    }

    /// Intel: IBRS/IBPB (26), STIBP (27), IA32_ARCH_CAPABILITIES (29), SSBD (31).
    var leaf7EDX: UInt32 { vendor == .intel ? (1 << 26) | (1 << 27) | (1 << 29) | (1 << 31) : 0 }

    var extendedFeatures: (UInt32, UInt32, UInt32, UInt32) {
        // EDX: SYSCALL (11), NX (20), 1 GiB pages (26), RDTSCP (27), LM (29).
        var d: UInt32 = (1 << 11) | (1 << 20) | (1 << 27) | (1 << 29)
        if pdpe1GB { d |= 1 << 26 }
        // ECX: LAHF/SAHF (0), LZCNT/ABM (5), PREFETCHW (8).
        var c: UInt32 = (1 << 0) | (1 << 5) | (1 << 8)
        if vendor == .intel { return (0, 0, c, d) }
        // AMD repeats leaf 1 EDX bits 0-17 except bits 10, 11 (SYSCALL is bit 11 here), MMX (23)
        // and FXSR (24); MmxExt (22) is the SSE integer set on MMX registers.
        d |= leaf1EDX & 0x0183_F3FF
        if sse { d |= 1 << 22 }
        if svm { c |= 1 << 2 }
        if altMovCR8 { c |= 1 << 4 }
        if cores > 1 { c |= 1 << 1 }                              // CmpLegacy: several cores
        c |= 1 << 22                                               // TopologyExtensions
        return (signature, 0, c, d)
    }

    /// Leaf 4 (SDM vol. 2, table 3-8): L1d, L1i 32 KiB 8-way; L2 1 MiB 16-way, per core; L3
    /// 1.375 MiB 11-way non-inclusive with complex indexing, shared by the package; 64-byte
    /// lines. EAX[31:26]: addressable core IDs - 1; EAX[25:14]: addressable IDs sharing - 1.
    func cacheLeaf(_ n: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        let coreIDs = (UInt32(1) << coreIDBits) - 1
        func level(_ type: UInt32, _ level: UInt32, ways: UInt32, sets: UInt32, edx: UInt32,
                   shared: Bool = false) -> (UInt32, UInt32, UInt32, UInt32) {
            let eax = type | level << 5 | 1 << 8 | (shared ? coreIDs : 0) << 14 | coreIDs << 26
            return (eax, (ways - 1) << 22 | 63, sets - 1, edx)
        }
        switch n {
        case 0: return level(1, 1, ways: 8, sets: 64, edx: 0)
        case 1: return level(2, 1, ways: 8, sets: 64, edx: 0)
        case 2: return level(3, 2, ways: 16, sets: 1024, edx: 0)
        case 3: return level(3, 3, ways: 11, sets: 2048, edx: 4, shared: true)
        default: return (0, 0, 0, 0)
        }
    }

    /// AMD 8000_001Dh (APM vol. 3, E.4.15), the caches of 8000_0005h/6h in leaf-4 layout: L1d
    /// and L1i 32 KiB 8-way, L2 512 KiB 8-way inclusive, per core; L3 16 MiB 16-way shared by
    /// the package; 64-byte lines.
    func amdCacheTopology(_ n: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        let sharing = cores - 1
        func cache(_ type: UInt32, _ level: UInt32, kib: UInt32, ways: UInt32, edx: UInt32,
                   shared: Bool = false) -> (UInt32, UInt32, UInt32, UInt32) {
            let eax = type | level << 5 | 1 << 8 | (shared ? sharing : 0) << 14
            return (eax, (ways - 1) << 22 | 63, kib * 1024 / (64 * ways) - 1, edx)
        }
        switch n {
        case 0: return cache(1, 1, kib: 32, ways: 8, edx: 0)
        case 1: return cache(2, 1, kib: 32, ways: 8, edx: 0)
        case 2: return cache(3, 2, kib: 512, ways: 8, edx: 2)
        case 3: return cache(3, 3, kib: 16 * 1024, ways: 16, edx: 1, shared: true)
        default: return (0, 0, 0, 0)
        }
    }

    /// Leaf 0Bh (SDM vol. 2, table 3-8; vol. 3, 10.9.2): one thread per core, `coresPerPackage`
    /// cores; EAX is the shift of the x2APIC ID to the next level's ID, EDX the x2APIC ID.
    func topologyLeaf(_ n: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        switch n {
        case 0: return (0, 1, 1 << 8 | n, apicID)       // SMT level
        case 1: return (coreIDBits, cores, 2 << 8 | n, apicID)   // core level
        default: return (0, 0, n & 0xFF, apicID)         // invalid level
        }
    }

    /// The 48-byte processor brand string, NUL padded.
    var brand: String {
        vendor == .intel ? "Intel(R) Xeon(R) CPU (swemu Skylake-SP model)" : "AMD EPYC Processor (swemu Zen 2 model)"
    }

    func brandString(_ part: Int) -> (UInt32, UInt32, UInt32, UInt32) {
        let bytes = Array(brand.utf8.prefix(47))
        func word(_ k: Int) -> UInt32 {
            var w: UInt32 = 0
            for b in 0..<4 where part * 16 + k * 4 + b < bytes.count {
                w |= UInt32(bytes[part * 16 + k * 4 + b]) << (8 * UInt32(b))
            }
            return w
        }
        return (word(0), word(1), word(2), word(3))
    }
}

extension CPU {
    /// CPUID as software sees it: the model's leaves plus the bits that follow the current
    /// state (SDM vol. 2, CPUID): OSXSAVE = CR4.OSXSAVE, OSPKE = CR4.PKE, and on Intel
    /// IA32_MISC_ENABLE's "limit CPUID maxval" (22), "XD bit disable" (34) and
    /// "MONITOR FSM enable" (18).
    public func cpuid(leaf: UInt32, subleaf: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        let misc = vendor == .intel ? systemRegisters.miscEnable : MiscEnable.monitorEnable
        var leaf = leaf
        if misc & MiscEnable.limitCPUIDMaxval != 0 && leaf > 2 && leaf < 0x8000_0000 { leaf = 2 }
        var (a, b, c, d) = cpuidModel.query(eax: leaf, ecx: subleaf)
        switch leaf {
        case 0 where misc & MiscEnable.limitCPUIDMaxval != 0: a = 2
        case 1:
            if cr4 & CR4.osxsave.rawValue != 0 { c |= 1 << 27 }
            if misc & MiscEnable.monitorEnable == 0 { c &= ~(1 << 3) }
        case 5 where misc & MiscEnable.monitorEnable == 0: return (0, 0, 0, 0)
        case 7 where subleaf == 0:
            if cr4 & CR4.pke.rawValue != 0 { c |= 1 << 4 }
        case 0x8000_0001 where misc & MiscEnable.xdDisable != 0: d &= ~(1 << 20)
        default: break
        }
        return (a, b, c, d)
    }
}
