/// The VMX control fields as option sets, bit names from the SDM (vol. 3, 24.6-24.8). Which bits
/// swemu allows to be 0 or 1 is in `VMXCapabilities`; the others are reserved.

/// Pin-based VM-execution controls (SDM 24.6.1, table "Definitions of Pin-Based VM-Execution Controls").
public struct PinBasedControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let externalInterruptExiting = PinBasedControls(rawValue: 1 << 0)
    public static let nmiExiting = PinBasedControls(rawValue: 1 << 3)
    public static let virtualNMIs = PinBasedControls(rawValue: 1 << 5)
    public static let activateVMXPreemptionTimer = PinBasedControls(rawValue: 1 << 6)
    public static let processPostedInterrupts = PinBasedControls(rawValue: 1 << 7)
    /// The default1 class: reserved bits that are 1 in IA32_VMX_PINBASED_CTLS (appendix A.3.1).
    public static let default1 = PinBasedControls(rawValue: 0x0000_0016)
}

/// Primary processor-based VM-execution controls (SDM 24.6.2, table 24-6).
public struct PrimaryProcessorBasedControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let interruptWindowExiting = PrimaryProcessorBasedControls(rawValue: 1 << 2)
    public static let useTSCOffsetting = PrimaryProcessorBasedControls(rawValue: 1 << 3)
    public static let hltExiting = PrimaryProcessorBasedControls(rawValue: 1 << 7)
    public static let invlpgExiting = PrimaryProcessorBasedControls(rawValue: 1 << 9)
    public static let mwaitExiting = PrimaryProcessorBasedControls(rawValue: 1 << 10)
    public static let rdpmcExiting = PrimaryProcessorBasedControls(rawValue: 1 << 11)
    public static let rdtscExiting = PrimaryProcessorBasedControls(rawValue: 1 << 12)
    public static let cr3LoadExiting = PrimaryProcessorBasedControls(rawValue: 1 << 15)
    public static let cr3StoreExiting = PrimaryProcessorBasedControls(rawValue: 1 << 16)
    public static let activateTertiaryControls = PrimaryProcessorBasedControls(rawValue: 1 << 17)
    public static let cr8LoadExiting = PrimaryProcessorBasedControls(rawValue: 1 << 19)
    public static let cr8StoreExiting = PrimaryProcessorBasedControls(rawValue: 1 << 20)
    public static let useTPRShadow = PrimaryProcessorBasedControls(rawValue: 1 << 21)
    public static let nmiWindowExiting = PrimaryProcessorBasedControls(rawValue: 1 << 22)
    public static let movDRExiting = PrimaryProcessorBasedControls(rawValue: 1 << 23)
    public static let unconditionalIOExiting = PrimaryProcessorBasedControls(rawValue: 1 << 24)
    public static let useIOBitmaps = PrimaryProcessorBasedControls(rawValue: 1 << 25)
    public static let monitorTrapFlag = PrimaryProcessorBasedControls(rawValue: 1 << 27)
    public static let useMSRBitmaps = PrimaryProcessorBasedControls(rawValue: 1 << 28)
    public static let monitorExiting = PrimaryProcessorBasedControls(rawValue: 1 << 29)
    public static let pauseExiting = PrimaryProcessorBasedControls(rawValue: 1 << 30)
    public static let activateSecondaryControls = PrimaryProcessorBasedControls(rawValue: 1 << 31)
    /// The default1 class: bits 1, 4-6, 8, 13-16 and 26 (appendix A.3.2).
    public static let default1 = PrimaryProcessorBasedControls(rawValue: 0x0401_E172)
}

/// Secondary processor-based VM-execution controls (SDM 24.6.2, table 24-7).
public struct SecondaryProcessorBasedControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let virtualizeAPICAccesses = SecondaryProcessorBasedControls(rawValue: 1 << 0)
    public static let enableEPT = SecondaryProcessorBasedControls(rawValue: 1 << 1)
    public static let descriptorTableExiting = SecondaryProcessorBasedControls(rawValue: 1 << 2)
    public static let enableRDTSCP = SecondaryProcessorBasedControls(rawValue: 1 << 3)
    public static let virtualizeX2APICMode = SecondaryProcessorBasedControls(rawValue: 1 << 4)
    public static let enableVPID = SecondaryProcessorBasedControls(rawValue: 1 << 5)
    public static let wbinvdExiting = SecondaryProcessorBasedControls(rawValue: 1 << 6)
    public static let unrestrictedGuest = SecondaryProcessorBasedControls(rawValue: 1 << 7)
    public static let apicRegisterVirtualization = SecondaryProcessorBasedControls(rawValue: 1 << 8)
    public static let virtualInterruptDelivery = SecondaryProcessorBasedControls(rawValue: 1 << 9)
    public static let pauseLoopExiting = SecondaryProcessorBasedControls(rawValue: 1 << 10)
    public static let rdrandExiting = SecondaryProcessorBasedControls(rawValue: 1 << 11)
    public static let enableINVPCID = SecondaryProcessorBasedControls(rawValue: 1 << 12)
    public static let enableVMFunctions = SecondaryProcessorBasedControls(rawValue: 1 << 13)
    public static let vmcsShadowing = SecondaryProcessorBasedControls(rawValue: 1 << 14)
    public static let enableENCLSExiting = SecondaryProcessorBasedControls(rawValue: 1 << 15)
    public static let rdseedExiting = SecondaryProcessorBasedControls(rawValue: 1 << 16)
    public static let enablePML = SecondaryProcessorBasedControls(rawValue: 1 << 17)
    public static let eptViolationVE = SecondaryProcessorBasedControls(rawValue: 1 << 18)
    public static let concealVMXFromPT = SecondaryProcessorBasedControls(rawValue: 1 << 19)
    public static let enableXSAVESXRSTORS = SecondaryProcessorBasedControls(rawValue: 1 << 20)
    public static let pasidTranslation = SecondaryProcessorBasedControls(rawValue: 1 << 21)
    public static let modeBasedExecuteControlForEPT = SecondaryProcessorBasedControls(rawValue: 1 << 22)
    public static let subPageWritePermissionsForEPT = SecondaryProcessorBasedControls(rawValue: 1 << 23)
    public static let intelPTUsesGuestPhysicalAddresses = SecondaryProcessorBasedControls(rawValue: 1 << 24)
    public static let useTSCScaling = SecondaryProcessorBasedControls(rawValue: 1 << 25)
    public static let enableUserWaitAndPause = SecondaryProcessorBasedControls(rawValue: 1 << 26)
    public static let enablePCONFIG = SecondaryProcessorBasedControls(rawValue: 1 << 27)
    public static let enableENCLVExiting = SecondaryProcessorBasedControls(rawValue: 1 << 28)
    public static let vmmBusLockDetection = SecondaryProcessorBasedControls(rawValue: 1 << 30)
    public static let instructionTimeout = SecondaryProcessorBasedControls(rawValue: 1 << 31)
}

/// Tertiary processor-based VM-execution controls (SDM 24.6.2, table 24-8); none is advertised.
public struct TertiaryProcessorBasedControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let loadIWKeyExiting = TertiaryProcessorBasedControls(rawValue: 1 << 0)
    public static let enableHLAT = TertiaryProcessorBasedControls(rawValue: 1 << 1)
    public static let eptPagingWriteControl = TertiaryProcessorBasedControls(rawValue: 1 << 2)
    public static let guestPagingVerification = TertiaryProcessorBasedControls(rawValue: 1 << 3)
    public static let ipiVirtualization = TertiaryProcessorBasedControls(rawValue: 1 << 4)
    public static let virtualizeIA32SpecCtrl = TertiaryProcessorBasedControls(rawValue: 1 << 7)
}

/// Primary VM-exit controls (SDM 24.7.1, table 24-13).
public struct VMExitControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let saveDebugControls = VMExitControls(rawValue: 1 << 2)
    public static let hostAddressSpaceSize = VMExitControls(rawValue: 1 << 9)
    public static let loadIA32PerfGlobalCtrl = VMExitControls(rawValue: 1 << 12)
    public static let acknowledgeInterruptOnExit = VMExitControls(rawValue: 1 << 15)
    public static let saveIA32PAT = VMExitControls(rawValue: 1 << 18)
    public static let loadIA32PAT = VMExitControls(rawValue: 1 << 19)
    public static let saveIA32EFER = VMExitControls(rawValue: 1 << 20)
    public static let loadIA32EFER = VMExitControls(rawValue: 1 << 21)
    public static let saveVMXPreemptionTimerValue = VMExitControls(rawValue: 1 << 22)
    public static let clearIA32BNDCFGS = VMExitControls(rawValue: 1 << 23)
    public static let concealVMXFromPT = VMExitControls(rawValue: 1 << 24)
    public static let clearIA32RTITCtl = VMExitControls(rawValue: 1 << 25)
    public static let clearIA32LBRCtl = VMExitControls(rawValue: 1 << 26)
    public static let clearUINV = VMExitControls(rawValue: 1 << 27)
    public static let loadCETState = VMExitControls(rawValue: 1 << 28)
    public static let loadPKRS = VMExitControls(rawValue: 1 << 29)
    public static let saveIA32PerfGlobalCtl = VMExitControls(rawValue: 1 << 30)
    public static let activateSecondaryControls = VMExitControls(rawValue: 1 << 31)
    /// The default1 class: bits 0-8, 10, 11, 13, 14, 16 and 17 (appendix A.4.1).
    public static let default1 = VMExitControls(rawValue: 0x0003_6DFF)
}

/// VM-entry controls (SDM 24.8.1, table 24-15).
public struct VMEntryControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let loadDebugControls = VMEntryControls(rawValue: 1 << 2)
    public static let ia32eModeGuest = VMEntryControls(rawValue: 1 << 9)
    public static let entryToSMM = VMEntryControls(rawValue: 1 << 10)
    public static let deactivateDualMonitorTreatment = VMEntryControls(rawValue: 1 << 11)
    public static let loadIA32PerfGlobalCtrl = VMEntryControls(rawValue: 1 << 13)
    public static let loadIA32PAT = VMEntryControls(rawValue: 1 << 14)
    public static let loadIA32EFER = VMEntryControls(rawValue: 1 << 15)
    public static let loadIA32BNDCFGS = VMEntryControls(rawValue: 1 << 16)
    public static let concealVMXFromPT = VMEntryControls(rawValue: 1 << 17)
    public static let loadIA32RTITCtl = VMEntryControls(rawValue: 1 << 18)
    public static let loadUINV = VMEntryControls(rawValue: 1 << 19)
    public static let loadCETState = VMEntryControls(rawValue: 1 << 20)
    public static let loadGuestIA32LBRCtl = VMEntryControls(rawValue: 1 << 21)
    public static let loadPKRS = VMEntryControls(rawValue: 1 << 22)
    /// The default1 class: bits 0-8 and 12 (appendix A.5).
    public static let default1 = VMEntryControls(rawValue: 0x0000_11FF)
}

/// VM-function controls (SDM 24.6.14, table 24-10).
public struct VMFunctionControls: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let eptpSwitching = VMFunctionControls(rawValue: 1 << 0)
}
