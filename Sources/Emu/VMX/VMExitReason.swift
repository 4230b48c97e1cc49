/// Basic exit reasons: bits 15:0 of the exit-reason field (SDM vol. 3, appendix C, table C-1).
/// Numbers 35, 38, 42 and 71 are not used.
public enum VMExitReason: UInt16, Sendable, CaseIterable {
    case exceptionOrNMI = 0
    case externalInterrupt = 1
    case tripleFault = 2
    case initSignal = 3
    case startupIPI = 4
    case ioSMI = 5
    case otherSMI = 6
    case interruptWindow = 7
    case nmiWindow = 8
    case taskSwitch = 9
    case cpuid = 10
    case getsec = 11
    case hlt = 12
    case invd = 13
    case invlpg = 14
    case rdpmc = 15
    case rdtsc = 16
    case rsm = 17
    case vmcall = 18
    case vmclear = 19
    case vmlaunch = 20
    case vmptrld = 21
    case vmptrst = 22
    case vmread = 23
    case vmresume = 24
    case vmwrite = 25
    case vmxoff = 26
    case vmxon = 27
    case controlRegisterAccess = 28
    case movDR = 29
    case ioInstruction = 30
    case rdmsr = 31
    case wrmsr = 32
    case vmEntryFailureInvalidGuestState = 33
    case vmEntryFailureMSRLoading = 34
    case mwait = 36
    case monitorTrapFlag = 37
    case monitor = 39
    case pause = 40
    case vmEntryFailureMachineCheck = 41
    case tprBelowThreshold = 43
    case apicAccess = 44
    case virtualizedEOI = 45
    case gdtrOrIDTRAccess = 46
    case ldtrOrTRAccess = 47
    case eptViolation = 48
    case eptMisconfiguration = 49
    case invept = 50
    case rdtscp = 51
    case vmxPreemptionTimerExpired = 52
    case invvpid = 53
    case wbinvdOrWBNOINVD = 54
    case xsetbv = 55
    case apicWrite = 56
    case rdrand = 57
    case invpcid = 58
    case vmfunc = 59
    case encls = 60
    case rdseed = 61
    case pageModificationLogFull = 62
    case xsaves = 63
    case xrstors = 64
    case pconfig = 65
    case sppRelatedEvent = 66
    case umwait = 67
    case tpause = 68
    case loadiwkey = 69
    case enclv = 70
    case enqcmdPASIDTranslationFailure = 72
    case enqcmdsPASIDTranslationFailure = 73
    case busLock = 74
    case instructionTimeout = 75
    case seamcall = 76
    case tdcall = 77
    case rdmsrlist = 78
    case wrmsrlist = 79
}

/// The upper bits of the exit-reason field (SDM vol. 3, 24.9.1, table "Format of Exit Reason").
public struct VMExitReasonFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let busLockDetected = VMExitReasonFlags(rawValue: 1 << 26)
    public static let enclaveMode = VMExitReasonFlags(rawValue: 1 << 27)
    public static let pendingMTFVMExit = VMExitReasonFlags(rawValue: 1 << 28)
    public static let vmExitFromVMXRootOperation = VMExitReasonFlags(rawValue: 1 << 29)
    public static let vmEntryFailure = VMExitReasonFlags(rawValue: 1 << 31)
}
