/// The VMCS component encodings of SDM vol. 3, appendix B (full-access encodings), named as in the
/// manual. `VMCSField.catalog` (VMCSFieldCatalog.swift) lists the same fields with the feature each
/// depends on.
extension VMCSField {

    // MARK: 16-bit control fields
    /// Virtual-processor identifier (VPID).
    public static let virtualProcessorIdentifier = VMCSField(rawValue: 0x0000)
    /// Posted-interrupt notification vector.
    public static let postedInterruptNotificationVector = VMCSField(rawValue: 0x0002)
    /// EPTP index.
    public static let eptpIndex = VMCSField(rawValue: 0x0004)
    /// HLAT prefix size.
    public static let hlatPrefixSize = VMCSField(rawValue: 0x0006)
    /// Last PID-pointer index.
    public static let lastPIDPointerIndex = VMCSField(rawValue: 0x0008)

    // MARK: 16-bit guest-state fields
    /// Guest ES selector.
    public static let guestESSelector = VMCSField(rawValue: 0x0800)
    /// Guest CS selector.
    public static let guestCSSelector = VMCSField(rawValue: 0x0802)
    /// Guest SS selector.
    public static let guestSSSelector = VMCSField(rawValue: 0x0804)
    /// Guest DS selector.
    public static let guestDSSelector = VMCSField(rawValue: 0x0806)
    /// Guest FS selector.
    public static let guestFSSelector = VMCSField(rawValue: 0x0808)
    /// Guest GS selector.
    public static let guestGSSelector = VMCSField(rawValue: 0x080A)
    /// Guest LDTR selector.
    public static let guestLDTRSelector = VMCSField(rawValue: 0x080C)
    /// Guest TR selector.
    public static let guestTRSelector = VMCSField(rawValue: 0x080E)
    /// Guest interrupt status.
    public static let guestInterruptStatus = VMCSField(rawValue: 0x0810)
    /// PML index.
    public static let pmlIndex = VMCSField(rawValue: 0x0812)
    /// Guest UINV.
    public static let guestUINV = VMCSField(rawValue: 0x0814)

    // MARK: 16-bit host-state fields
    /// Host ES selector.
    public static let hostESSelector = VMCSField(rawValue: 0x0C00)
    /// Host CS selector.
    public static let hostCSSelector = VMCSField(rawValue: 0x0C02)
    /// Host SS selector.
    public static let hostSSSelector = VMCSField(rawValue: 0x0C04)
    /// Host DS selector.
    public static let hostDSSelector = VMCSField(rawValue: 0x0C06)
    /// Host FS selector.
    public static let hostFSSelector = VMCSField(rawValue: 0x0C08)
    /// Host GS selector.
    public static let hostGSSelector = VMCSField(rawValue: 0x0C0A)
    /// Host TR selector.
    public static let hostTRSelector = VMCSField(rawValue: 0x0C0C)

    // MARK: 64-bit control fields
    /// Address of I/O bitmap A.
    public static let ioBitmapAAddress = VMCSField(rawValue: 0x2000)
    /// Address of I/O bitmap B.
    public static let ioBitmapBAddress = VMCSField(rawValue: 0x2002)
    /// Address of MSR bitmaps.
    public static let msrBitmapsAddress = VMCSField(rawValue: 0x2004)
    /// VM-exit MSR-store address.
    public static let vmExitMSRStoreAddress = VMCSField(rawValue: 0x2006)
    /// VM-exit MSR-load address.
    public static let vmExitMSRLoadAddress = VMCSField(rawValue: 0x2008)
    /// VM-entry MSR-load address.
    public static let vmEntryMSRLoadAddress = VMCSField(rawValue: 0x200A)
    /// Executive-VMCS pointer.
    public static let executiveVMCSPointer = VMCSField(rawValue: 0x200C)
    /// PML address.
    public static let pmlAddress = VMCSField(rawValue: 0x200E)
    /// TSC offset.
    public static let tscOffset = VMCSField(rawValue: 0x2010)
    /// Virtual-APIC address.
    public static let virtualAPICAddress = VMCSField(rawValue: 0x2012)
    /// APIC-access address.
    public static let apicAccessAddress = VMCSField(rawValue: 0x2014)
    /// Posted-interrupt descriptor address.
    public static let postedInterruptDescriptorAddress = VMCSField(rawValue: 0x2016)
    /// VM-function controls.
    public static let vmFunctionControls = VMCSField(rawValue: 0x2018)
    /// EPT pointer.
    public static let eptPointer = VMCSField(rawValue: 0x201A)
    /// EOI-exit bitmap 0.
    public static let eoiExitBitmap0 = VMCSField(rawValue: 0x201C)
    /// EOI-exit bitmap 1.
    public static let eoiExitBitmap1 = VMCSField(rawValue: 0x201E)
    /// EOI-exit bitmap 2.
    public static let eoiExitBitmap2 = VMCSField(rawValue: 0x2020)
    /// EOI-exit bitmap 3.
    public static let eoiExitBitmap3 = VMCSField(rawValue: 0x2022)
    /// EPTP-list address.
    public static let eptpListAddress = VMCSField(rawValue: 0x2024)
    /// VMREAD-bitmap address.
    public static let vmreadBitmapAddress = VMCSField(rawValue: 0x2026)
    /// VMWRITE-bitmap address.
    public static let vmwriteBitmapAddress = VMCSField(rawValue: 0x2028)
    /// Virtualization-exception information address.
    public static let virtualizationExceptionInformationAddress = VMCSField(rawValue: 0x202A)
    /// XSS-exiting bitmap.
    public static let xssExitingBitmap = VMCSField(rawValue: 0x202C)
    /// ENCLS-exiting bitmap.
    public static let enclsExitingBitmap = VMCSField(rawValue: 0x202E)
    /// Sub-page-permission-table pointer.
    public static let subPagePermissionTablePointer = VMCSField(rawValue: 0x2030)
    /// TSC multiplier.
    public static let tscMultiplier = VMCSField(rawValue: 0x2032)
    /// Tertiary processor-based VM-execution controls.
    public static let tertiaryProcessorBasedVMExecutionControls = VMCSField(rawValue: 0x2034)
    /// ENCLV-exiting bitmap.
    public static let enclvExitingBitmap = VMCSField(rawValue: 0x2036)
    /// Low PASID directory address.
    public static let lowPASIDDirectoryAddress = VMCSField(rawValue: 0x2038)
    /// High PASID directory address.
    public static let highPASIDDirectoryAddress = VMCSField(rawValue: 0x203A)
    /// Shared EPT pointer.
    public static let sharedEPTPointer = VMCSField(rawValue: 0x203C)
    /// PCONFIG-exiting bitmap.
    public static let pconfigExitingBitmap = VMCSField(rawValue: 0x203E)
    /// Hypervisor-managed linear-address translation pointer.
    public static let hlatPointer = VMCSField(rawValue: 0x2040)
    /// PID-pointer table address.
    public static let pidPointerTableAddress = VMCSField(rawValue: 0x2042)
    /// Secondary VM-exit controls.
    public static let secondaryVMExitControls = VMCSField(rawValue: 0x2044)

    // MARK: 64-bit read-only data fields
    /// Guest-physical address.
    public static let guestPhysicalAddress = VMCSField(rawValue: 0x2400)

    // MARK: 64-bit guest-state fields
    /// VMCS link pointer.
    public static let vmcsLinkPointer = VMCSField(rawValue: 0x2800)
    /// Guest IA32_DEBUGCTL.
    public static let guestIA32DebugCtl = VMCSField(rawValue: 0x2802)
    /// Guest IA32_PAT.
    public static let guestIA32PAT = VMCSField(rawValue: 0x2804)
    /// Guest IA32_EFER.
    public static let guestIA32EFER = VMCSField(rawValue: 0x2806)
    /// Guest IA32_PERF_GLOBAL_CTRL.
    public static let guestIA32PerfGlobalCtrl = VMCSField(rawValue: 0x2808)
    /// Guest PDPTE0.
    public static let guestPDPTE0 = VMCSField(rawValue: 0x280A)
    /// Guest PDPTE1.
    public static let guestPDPTE1 = VMCSField(rawValue: 0x280C)
    /// Guest PDPTE2.
    public static let guestPDPTE2 = VMCSField(rawValue: 0x280E)
    /// Guest PDPTE3.
    public static let guestPDPTE3 = VMCSField(rawValue: 0x2810)
    /// Guest IA32_BNDCFGS.
    public static let guestIA32BNDCFGS = VMCSField(rawValue: 0x2812)
    /// Guest IA32_RTIT_CTL.
    public static let guestIA32RTITCtl = VMCSField(rawValue: 0x2814)
    /// Guest IA32_LBR_CTL.
    public static let guestIA32LBRCtl = VMCSField(rawValue: 0x2816)
    /// Guest IA32_PKRS.
    public static let guestIA32PKRS = VMCSField(rawValue: 0x2818)

    // MARK: 64-bit host-state fields
    /// Host IA32_PAT.
    public static let hostIA32PAT = VMCSField(rawValue: 0x2C00)
    /// Host IA32_EFER.
    public static let hostIA32EFER = VMCSField(rawValue: 0x2C02)
    /// Host IA32_PERF_GLOBAL_CTRL.
    public static let hostIA32PerfGlobalCtrl = VMCSField(rawValue: 0x2C04)
    /// Host IA32_PKRS.
    public static let hostIA32PKRS = VMCSField(rawValue: 0x2C06)

    // MARK: 32-bit control fields
    /// Pin-based VM-execution controls.
    public static let pinBasedVMExecutionControls = VMCSField(rawValue: 0x4000)
    /// Primary processor-based VM-execution controls.
    public static let primaryProcessorBasedVMExecutionControls = VMCSField(rawValue: 0x4002)
    /// Exception bitmap.
    public static let exceptionBitmap = VMCSField(rawValue: 0x4004)
    /// Page-fault error-code mask.
    public static let pageFaultErrorCodeMask = VMCSField(rawValue: 0x4006)
    /// Page-fault error-code match.
    public static let pageFaultErrorCodeMatch = VMCSField(rawValue: 0x4008)
    /// CR3-target count.
    public static let cr3TargetCount = VMCSField(rawValue: 0x400A)
    /// Primary VM-exit controls.
    public static let primaryVMExitControls = VMCSField(rawValue: 0x400C)
    /// VM-exit MSR-store count.
    public static let vmExitMSRStoreCount = VMCSField(rawValue: 0x400E)
    /// VM-exit MSR-load count.
    public static let vmExitMSRLoadCount = VMCSField(rawValue: 0x4010)
    /// VM-entry controls.
    public static let vmEntryControls = VMCSField(rawValue: 0x4012)
    /// VM-entry MSR-load count.
    public static let vmEntryMSRLoadCount = VMCSField(rawValue: 0x4014)
    /// VM-entry interruption-information field.
    public static let vmEntryInterruptionInformation = VMCSField(rawValue: 0x4016)
    /// VM-entry exception error code.
    public static let vmEntryExceptionErrorCode = VMCSField(rawValue: 0x4018)
    /// VM-entry instruction length.
    public static let vmEntryInstructionLength = VMCSField(rawValue: 0x401A)
    /// TPR threshold.
    public static let tprThreshold = VMCSField(rawValue: 0x401C)
    /// Secondary processor-based VM-execution controls.
    public static let secondaryProcessorBasedVMExecutionControls = VMCSField(rawValue: 0x401E)
    /// PLE_Gap.
    public static let pleGap = VMCSField(rawValue: 0x4020)
    /// PLE_Window.
    public static let pleWindow = VMCSField(rawValue: 0x4022)
    /// Instruction-timeout control.
    public static let instructionTimeoutControl = VMCSField(rawValue: 0x4024)

    // MARK: 32-bit read-only data fields
    /// VM-instruction error.
    public static let vmInstructionError = VMCSField(rawValue: 0x4400)
    /// Exit reason.
    public static let vmExitReason = VMCSField(rawValue: 0x4402)
    /// VM-exit interruption information.
    public static let vmExitInterruptionInformation = VMCSField(rawValue: 0x4404)
    /// VM-exit interruption error code.
    public static let vmExitInterruptionErrorCode = VMCSField(rawValue: 0x4406)
    /// IDT-vectoring information field.
    public static let idtVectoringInformation = VMCSField(rawValue: 0x4408)
    /// IDT-vectoring error code.
    public static let idtVectoringErrorCode = VMCSField(rawValue: 0x440A)
    /// VM-exit instruction length.
    public static let vmExitInstructionLength = VMCSField(rawValue: 0x440C)
    /// VM-exit instruction information.
    public static let vmExitInstructionInformation = VMCSField(rawValue: 0x440E)

    // MARK: 32-bit guest-state fields
    /// Guest ES limit.
    public static let guestESLimit = VMCSField(rawValue: 0x4800)
    /// Guest CS limit.
    public static let guestCSLimit = VMCSField(rawValue: 0x4802)
    /// Guest SS limit.
    public static let guestSSLimit = VMCSField(rawValue: 0x4804)
    /// Guest DS limit.
    public static let guestDSLimit = VMCSField(rawValue: 0x4806)
    /// Guest FS limit.
    public static let guestFSLimit = VMCSField(rawValue: 0x4808)
    /// Guest GS limit.
    public static let guestGSLimit = VMCSField(rawValue: 0x480A)
    /// Guest LDTR limit.
    public static let guestLDTRLimit = VMCSField(rawValue: 0x480C)
    /// Guest TR limit.
    public static let guestTRLimit = VMCSField(rawValue: 0x480E)
    /// Guest GDTR limit.
    public static let guestGDTRLimit = VMCSField(rawValue: 0x4810)
    /// Guest IDTR limit.
    public static let guestIDTRLimit = VMCSField(rawValue: 0x4812)
    /// Guest ES access rights.
    public static let guestESAccessRights = VMCSField(rawValue: 0x4814)
    /// Guest CS access rights.
    public static let guestCSAccessRights = VMCSField(rawValue: 0x4816)
    /// Guest SS access rights.
    public static let guestSSAccessRights = VMCSField(rawValue: 0x4818)
    /// Guest DS access rights.
    public static let guestDSAccessRights = VMCSField(rawValue: 0x481A)
    /// Guest FS access rights.
    public static let guestFSAccessRights = VMCSField(rawValue: 0x481C)
    /// Guest GS access rights.
    public static let guestGSAccessRights = VMCSField(rawValue: 0x481E)
    /// Guest LDTR access rights.
    public static let guestLDTRAccessRights = VMCSField(rawValue: 0x4820)
    /// Guest TR access rights.
    public static let guestTRAccessRights = VMCSField(rawValue: 0x4822)
    /// Guest interruptibility state.
    public static let guestInterruptibilityState = VMCSField(rawValue: 0x4824)
    /// Guest activity state.
    public static let guestActivityState = VMCSField(rawValue: 0x4826)
    /// Guest SMBASE.
    public static let guestSMBASE = VMCSField(rawValue: 0x4828)
    /// Guest IA32_SYSENTER_CS.
    public static let guestIA32SysenterCS = VMCSField(rawValue: 0x482A)
    /// VMX-preemption timer value.
    public static let vmxPreemptionTimerValue = VMCSField(rawValue: 0x482E)

    // MARK: 32-bit host-state fields
    /// Host IA32_SYSENTER_CS.
    public static let hostIA32SysenterCS = VMCSField(rawValue: 0x4C00)

    // MARK: natural-width control fields
    /// CR0 guest/host mask.
    public static let cr0GuestHostMask = VMCSField(rawValue: 0x6000)
    /// CR4 guest/host mask.
    public static let cr4GuestHostMask = VMCSField(rawValue: 0x6002)
    /// CR0 read shadow.
    public static let cr0ReadShadow = VMCSField(rawValue: 0x6004)
    /// CR4 read shadow.
    public static let cr4ReadShadow = VMCSField(rawValue: 0x6006)
    /// CR3-target value 0.
    public static let cr3TargetValue0 = VMCSField(rawValue: 0x6008)
    /// CR3-target value 1.
    public static let cr3TargetValue1 = VMCSField(rawValue: 0x600A)
    /// CR3-target value 2.
    public static let cr3TargetValue2 = VMCSField(rawValue: 0x600C)
    /// CR3-target value 3.
    public static let cr3TargetValue3 = VMCSField(rawValue: 0x600E)

    // MARK: natural-width read-only data fields
    /// Exit qualification.
    public static let exitQualification = VMCSField(rawValue: 0x6400)
    /// I/O RCX.
    public static let ioRCX = VMCSField(rawValue: 0x6402)
    /// I/O RSI.
    public static let ioRSI = VMCSField(rawValue: 0x6404)
    /// I/O RDI.
    public static let ioRDI = VMCSField(rawValue: 0x6406)
    /// I/O RIP.
    public static let ioRIP = VMCSField(rawValue: 0x6408)
    /// Guest-linear address.
    public static let guestLinearAddress = VMCSField(rawValue: 0x640A)

    // MARK: natural-width guest-state fields
    /// Guest CR0.
    public static let guestCR0 = VMCSField(rawValue: 0x6800)
    /// Guest CR3.
    public static let guestCR3 = VMCSField(rawValue: 0x6802)
    /// Guest CR4.
    public static let guestCR4 = VMCSField(rawValue: 0x6804)
    /// Guest ES base.
    public static let guestESBase = VMCSField(rawValue: 0x6806)
    /// Guest CS base.
    public static let guestCSBase = VMCSField(rawValue: 0x6808)
    /// Guest SS base.
    public static let guestSSBase = VMCSField(rawValue: 0x680A)
    /// Guest DS base.
    public static let guestDSBase = VMCSField(rawValue: 0x680C)
    /// Guest FS base.
    public static let guestFSBase = VMCSField(rawValue: 0x680E)
    /// Guest GS base.
    public static let guestGSBase = VMCSField(rawValue: 0x6810)
    /// Guest LDTR base.
    public static let guestLDTRBase = VMCSField(rawValue: 0x6812)
    /// Guest TR base.
    public static let guestTRBase = VMCSField(rawValue: 0x6814)
    /// Guest GDTR base.
    public static let guestGDTRBase = VMCSField(rawValue: 0x6816)
    /// Guest IDTR base.
    public static let guestIDTRBase = VMCSField(rawValue: 0x6818)
    /// Guest DR7.
    public static let guestDR7 = VMCSField(rawValue: 0x681A)
    /// Guest RSP.
    public static let guestRSP = VMCSField(rawValue: 0x681C)
    /// Guest RIP.
    public static let guestRIP = VMCSField(rawValue: 0x681E)
    /// Guest RFLAGS.
    public static let guestRFLAGS = VMCSField(rawValue: 0x6820)
    /// Guest pending debug exceptions.
    public static let guestPendingDebugExceptions = VMCSField(rawValue: 0x6822)
    /// Guest IA32_SYSENTER_ESP.
    public static let guestIA32SysenterESP = VMCSField(rawValue: 0x6824)
    /// Guest IA32_SYSENTER_EIP.
    public static let guestIA32SysenterEIP = VMCSField(rawValue: 0x6826)
    /// Guest IA32_S_CET.
    public static let guestIA32SCET = VMCSField(rawValue: 0x6828)
    /// Guest SSP.
    public static let guestSSP = VMCSField(rawValue: 0x682A)
    /// Guest IA32_INTERRUPT_SSP_TABLE_ADDR.
    public static let guestIA32InterruptSSPTableAddress = VMCSField(rawValue: 0x682C)

    // MARK: natural-width host-state fields
    /// Host CR0.
    public static let hostCR0 = VMCSField(rawValue: 0x6C00)
    /// Host CR3.
    public static let hostCR3 = VMCSField(rawValue: 0x6C02)
    /// Host CR4.
    public static let hostCR4 = VMCSField(rawValue: 0x6C04)
    /// Host FS base.
    public static let hostFSBase = VMCSField(rawValue: 0x6C06)
    /// Host GS base.
    public static let hostGSBase = VMCSField(rawValue: 0x6C08)
    /// Host TR base.
    public static let hostTRBase = VMCSField(rawValue: 0x6C0A)
    /// Host GDTR base.
    public static let hostGDTRBase = VMCSField(rawValue: 0x6C0C)
    /// Host IDTR base.
    public static let hostIDTRBase = VMCSField(rawValue: 0x6C0E)
    /// Host IA32_SYSENTER_ESP.
    public static let hostIA32SysenterESP = VMCSField(rawValue: 0x6C10)
    /// Host IA32_SYSENTER_EIP.
    public static let hostIA32SysenterEIP = VMCSField(rawValue: 0x6C12)
    /// Host RSP.
    public static let hostRSP = VMCSField(rawValue: 0x6C14)
    /// Host RIP.
    public static let hostRIP = VMCSField(rawValue: 0x6C16)
    /// Host IA32_S_CET.
    public static let hostIA32SCET = VMCSField(rawValue: 0x6C18)
    /// Host SSP.
    public static let hostSSP = VMCSField(rawValue: 0x6C1A)
    /// Host IA32_INTERRUPT_SSP_TABLE_ADDR.
    public static let hostIA32InterruptSSPTableAddress = VMCSField(rawValue: 0x6C1C)
}
