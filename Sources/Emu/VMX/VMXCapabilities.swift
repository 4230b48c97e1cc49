/// The VMX capabilities of the Intel model, reported through the IA32_VMX_* MSRs (SDM vol. 3,
/// appendix A). Everything advertised here is what swemu implements for issue 6 (VM entry/exit,
/// EPT, VPID, unrestricted guest, preemption timer, I/O and MSR bitmaps, TPR shadow, APIC-access
/// and x2APIC-mode virtualization, APIC-register virtualization, virtual-interrupt delivery,
/// posted interrupts, EPTP switching, descriptor-table exiting, VMCS shadowing, PAUSE-loop
/// exiting, RDRAND and RDSEED exiting, TSC scaling, enable XSAVES/XRSTORS with the XSS-exiting
/// bitmap, VMX/XSAVESExiting.swift).
///
/// Not advertised: PML, #VE, SGX, PT, CET, tertiary and secondary VM-exit controls,
/// IA32_PERF_GLOBAL_CTRL loading, dual-monitor SMM treatment, 5-level EPT.
public struct VMXCapabilities: Sendable, Equatable {
    /// VMCS revision identifier (IA32_VMX_BASIC[30:0]); "SW" in ASCII.
    public var revisionIdentifier: UInt32 = 0x0000_5357

    /// Controls that may be 1 beyond their default1 class.
    public var pinBased: PinBasedControls = [.externalInterruptExiting, .nmiExiting, .virtualNMIs,
                                             .activateVMXPreemptionTimer, .processPostedInterrupts]
    public var primaryProcessorBased: PrimaryProcessorBasedControls = [
        .interruptWindowExiting, .useTSCOffsetting, .hltExiting, .invlpgExiting, .mwaitExiting,
        .rdpmcExiting, .rdtscExiting, .cr3LoadExiting, .cr3StoreExiting, .cr8LoadExiting,
        .cr8StoreExiting, .useTPRShadow, .nmiWindowExiting, .movDRExiting, .unconditionalIOExiting,
        .useIOBitmaps, .monitorTrapFlag, .useMSRBitmaps, .monitorExiting, .pauseExiting,
        .activateSecondaryControls,
    ]
    public var secondaryProcessorBased: SecondaryProcessorBasedControls = [
        .virtualizeAPICAccesses, .enableEPT, .descriptorTableExiting, .enableRDTSCP,
        .virtualizeX2APICMode, .enableVPID, .wbinvdExiting, .unrestrictedGuest,
        .apicRegisterVirtualization, .virtualInterruptDelivery, .pauseLoopExiting, .rdrandExiting,
        .enableINVPCID, .enableVMFunctions, .vmcsShadowing, .rdseedExiting, .enableXSAVESXRSTORS,
        .useTSCScaling,
    ]
    public var vmExit: VMExitControls = [.saveDebugControls, .hostAddressSpaceSize,
                                         .acknowledgeInterruptOnExit, .saveIA32PAT, .loadIA32PAT,
                                         .saveIA32EFER, .loadIA32EFER, .saveVMXPreemptionTimerValue]
    public var vmEntry: VMEntryControls = [.loadDebugControls, .ia32eModeGuest, .loadIA32PAT, .loadIA32EFER]

    /// Default1 bits that the TRUE_ MSRs report as allowed to be 0 (appendix A.3.2, A.4, A.5: only
    /// members of the default1 class may be relaxed). The pin-based class is not relaxed.
    public var trueProcessorBasedRelaxed: PrimaryProcessorBasedControls = [.cr3LoadExiting, .cr3StoreExiting]
    public var trueVMExitRelaxed: VMExitControls = [.saveDebugControls]
    public var trueVMEntryRelaxed: VMEntryControls = [.loadDebugControls]

    /// IA32_VMX_MISC[4:0]: the preemption timer counts down when this TSC bit changes.
    public var preemptionTimerRate: UInt8 = 5
    /// IA32_VMX_MISC[8:6]: activity states HLT (bit 6), shutdown (bit 7), wait-for-SIPI (bit 8).
    public var activityStates: UInt8 = 0b111
    /// IA32_VMX_MISC[24:16]: number of CR3-target values.
    public var cr3TargetCount: UInt16 = 4
    /// IA32_VMX_MISC[27:25]: N, recommended maximum MSR-list entries 512 * (N + 1).
    public var msrListSizeFactor: UInt8 = 0
    /// IA32_VMX_MISC[29]: VMWRITE may write VM-exit information fields.
    public var vmwriteToReadOnlyFields = true

    /// IA32_VMX_CR0_FIXED0/1 and IA32_VMX_CR4_FIXED0/1 (appendix A.7, A.8): bits fixed to 1 in
    /// FIXED0, bits that may be 1 in FIXED1. CR0: PE, NE, PG fixed to 1. CR4: VMXE fixed to 1;
    /// FIXED1 lists the CR4 bits the Intel model implements (VME..OSXMMEXCPT, UMIP, VMXE,
    /// FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP, PKE); on a CPU the MSR reports MOV to CR4's
    /// writable bits instead (`CPU.vmxCR4Fixed1`).
    public var cr0Fixed0: UInt64 = 0x8000_0021
    public var cr0Fixed1: UInt64 = 0xFFFF_FFFF
    public var cr4Fixed0: UInt64 = 0x2000
    public var cr4Fixed1: UInt64 = 0x0077_2FFF

    /// IA32_VMX_EPT_VPID_CAP (appendix A.10): execute-only, 4-level walks, UC and WB EPT
    /// structures, 2-MByte and 1-GByte pages, INVEPT (single-context, all-context), accessed and
    /// dirty flags, INVVPID (individual-address, single-context, all-context, single-context
    /// retaining globals).
    public var eptVPIDCapabilities: UInt64 = (1 << 0) | (1 << 6) | (1 << 8) | (1 << 14) | (1 << 16)
        | (1 << 17) | (1 << 20) | (1 << 21) | (1 << 25) | (1 << 26) | (1 << 32) | (1 << 40) | (1 << 41)
        | (1 << 42) | (1 << 43)
    /// IA32_VMX_VMFUNC (appendix A.11): EPTP switching.
    public var vmFunctions: VMFunctionControls = [.eptpSwitching]

    public init() {}

    // MARK: Allowed settings (appendix A.3-A.5: bits 31:0 allowed 0-settings, bits 63:32 allowed 1-settings)

    /// Bits that must be 1 / may be 1 in each control, as VM entry checks them: the TRUE_ MSRs
    /// apply because IA32_VMX_BASIC[55] is 1 (SDM 26.2.1.1).
    public var pinBasedMustBeOne: UInt32 { PinBasedControls.default1.rawValue }
    public var pinBasedMayBeOne: UInt32 { PinBasedControls.default1.rawValue | pinBased.rawValue }
    public var primaryMustBeOne: UInt32 {
        PrimaryProcessorBasedControls.default1.rawValue & ~trueProcessorBasedRelaxed.rawValue
    }
    public var primaryMayBeOne: UInt32 {
        PrimaryProcessorBasedControls.default1.rawValue | primaryProcessorBased.rawValue
    }
    public var secondaryMayBeOne: UInt32 {
        primaryProcessorBased.contains(.activateSecondaryControls) ? secondaryProcessorBased.rawValue : 0
    }
    public var vmExitMustBeOne: UInt32 { VMExitControls.default1.rawValue & ~trueVMExitRelaxed.rawValue }
    public var vmExitMayBeOne: UInt32 { VMExitControls.default1.rawValue | vmExit.rawValue }
    public var vmEntryMustBeOne: UInt32 { VMEntryControls.default1.rawValue & ~trueVMEntryRelaxed.rawValue }
    public var vmEntryMayBeOne: UInt32 { VMEntryControls.default1.rawValue | vmEntry.rawValue }

    func has(_ c: SecondaryProcessorBasedControls) -> Bool { secondaryMayBeOne & c.rawValue != 0 }
    func hasEPTVPID(bit: Int) -> Bool { eptVPIDCapabilities >> UInt64(bit) & 1 != 0 }

    // MARK: The MSRs

    public static let basicMSR: UInt32 = 0x480
    public static let lastMSR: UInt32 = 0x493

    /// The value of IA32_VMX_* MSR `index`, or nil when this model has no such MSR (RDMSR #GP).
    public func msr(_ index: UInt32) -> UInt64? {
        func pair(_ allowed0: UInt32, _ allowed1: UInt32) -> UInt64 { UInt64(allowed0) | UInt64(allowed1) << 32 }
        switch index {
        case 0x480:   // IA32_VMX_BASIC (A.1): 4-KByte region, WB (6), INS/OUTS info, TRUE controls
            return UInt64(revisionIdentifier & 0x7FFF_FFFF) | 0x1000 << 32 | 6 << 50 | 1 << 54 | 1 << 55
        case 0x481: return pair(PinBasedControls.default1.rawValue, pinBasedMayBeOne)
        case 0x482: return pair(PrimaryProcessorBasedControls.default1.rawValue, primaryMayBeOne)
        case 0x483: return pair(VMExitControls.default1.rawValue, vmExitMayBeOne)
        case 0x484: return pair(VMEntryControls.default1.rawValue, vmEntryMayBeOne)
        case 0x485:   // IA32_VMX_MISC (A.6); bit 5: VM exits store EFER.LMA in "IA-32e mode guest"
            return UInt64(preemptionTimerRate & 0x1F) | 1 << 5 | UInt64(activityStates & 7) << 6
                | UInt64(cr3TargetCount & 0x1FF) << 16 | UInt64(msrListSizeFactor & 7) << 25
                | (vmwriteToReadOnlyFields ? 1 << 29 : 0)
        case 0x486: return cr0Fixed0
        case 0x487: return cr0Fixed1
        case 0x488: return cr4Fixed0
        case 0x489: return cr4Fixed1
        case 0x48A: return UInt64(highestFieldIndex) << 1   // IA32_VMX_VMCS_ENUM (A.9)
        case 0x48B:   // IA32_VMX_PROCBASED_CTLS2 exists if bit 63 of PROCBASED_CTLS is 1 (A.3.3)
            guard primaryMayBeOne & PrimaryProcessorBasedControls.activateSecondaryControls.rawValue != 0 else { return nil }
            return pair(0, secondaryProcessorBased.rawValue)
        case 0x48C:   // exists if EPT or VPID may be enabled (A.10)
            guard has(.enableEPT) || has(.enableVPID) else { return nil }
            return eptVPIDCapabilities
        case 0x48D: return pair(pinBasedMustBeOne, pinBasedMayBeOne)
        case 0x48E: return pair(primaryMustBeOne, primaryMayBeOne)
        case 0x48F: return pair(vmExitMustBeOne, vmExitMayBeOne)
        case 0x490: return pair(vmEntryMustBeOne, vmEntryMayBeOne)
        case 0x491:   // IA32_VMX_VMFUNC exists if "enable VM functions" may be 1 (A.11)
            guard has(.enableVMFunctions) else { return nil }
            return vmFunctions.rawValue
        default: return nil   // IA32_VMX_PROCBASED_CTLS3, IA32_VMX_EXIT_CTLS2: not advertised
        }
    }

    // MARK: Which VMCS fields exist

    /// Appendix B's footnotes, decided from the advertised controls.
    public func supports(_ feature: VMCSFieldFeature) -> Bool {
        let pin = PinBasedControls(rawValue: pinBasedMayBeOne)
        let primary = PrimaryProcessorBasedControls(rawValue: primaryMayBeOne)
        let exit = VMExitControls(rawValue: vmExitMayBeOne)
        let entry = VMEntryControls(rawValue: vmEntryMayBeOne)
        switch feature {
        case .always: return true
        case .vpid: return has(.enableVPID)
        case .postedInterrupts: return pin.contains(.processPostedInterrupts)
        case .eptViolationVE: return has(.eptViolationVE)
        case .hlat, .ipiVirtualization, .tertiaryControls: return false
        case .virtualInterruptDelivery: return has(.virtualInterruptDelivery)
        case .pml: return has(.enablePML)
        case .uinv: return entry.contains(.loadUINV) || exit.contains(.clearUINV)
        case .msrBitmaps: return primary.contains(.useMSRBitmaps)
        case .tprShadow: return primary.contains(.useTPRShadow)
        case .apicAccess: return has(.virtualizeAPICAccesses)
        case .vmFunctions: return has(.enableVMFunctions)
        case .ept: return has(.enableEPT)
        case .eptpSwitching: return has(.enableVMFunctions) && vmFunctions.contains(.eptpSwitching)
        case .vmcsShadowing: return has(.vmcsShadowing)
        case .xsaves: return has(.enableXSAVESXRSTORS)
        case .encls: return has(.enableENCLSExiting)
        case .subPagePermissions: return has(.subPageWritePermissionsForEPT)
        case .tscScaling: return has(.useTSCScaling)
        case .enclv: return has(.enableENCLVExiting)
        case .pasidTranslation: return has(.pasidTranslation)
        case .pconfig: return has(.enablePCONFIG)
        case .secondaryExitControls: return exit.contains(.activateSecondaryControls)
        case .pat: return entry.contains(.loadIA32PAT) || exit.contains(.saveIA32PAT)
        case .efer: return entry.contains(.loadIA32EFER) || exit.contains(.saveIA32EFER)
        case .perfGlobalCtrl: return entry.contains(.loadIA32PerfGlobalCtrl)
        case .bndcfgs: return entry.contains(.loadIA32BNDCFGS) || exit.contains(.clearIA32BNDCFGS)
        case .rtit: return entry.contains(.loadIA32RTITCtl) || exit.contains(.clearIA32RTITCtl)
        case .lbr: return entry.contains(.loadGuestIA32LBRCtl) || exit.contains(.clearIA32LBRCtl)
        case .pkrs: return entry.contains(.loadPKRS)
        case .hostPAT: return exit.contains(.loadIA32PAT)
        case .hostEFER: return exit.contains(.loadIA32EFER)
        case .hostPerfGlobalCtrl: return exit.contains(.loadIA32PerfGlobalCtrl)
        case .hostPKRS: return exit.contains(.loadPKRS)
        case .secondaryControls: return primary.contains(.activateSecondaryControls)
        case .pauseLoopExiting: return has(.pauseLoopExiting)
        case .instructionTimeout: return has(.instructionTimeout)
        case .preemptionTimer: return pin.contains(.activateVMXPreemptionTimer)
        case .cr3Target0: return cr3TargetCount > 0
        case .cr3Target1: return cr3TargetCount > 1
        case .cr3Target2: return cr3TargetCount > 2
        case .cr3Target3: return cr3TargetCount > 3
        case .cet: return entry.contains(.loadCETState)
        case .hostCET: return exit.contains(.loadCETState)
        case .unsupported: return false
        }
    }

    public func supports(_ field: VMCSField) -> Bool {
        guard let slot = VMCSLayout.slot(of: field) else { return false }
        return supports(VMCSField.catalog[slot].feature)
    }

    /// The highest index (bits 9:1) of any supported encoding, for IA32_VMX_VMCS_ENUM.
    public var highestFieldIndex: UInt16 {
        var highest: UInt16 = 0
        for e in VMCSField.catalog where supports(e.feature) { highest = max(highest, e.field.index) }
        return highest
    }
}
