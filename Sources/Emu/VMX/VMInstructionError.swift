/// VM-instruction error numbers, the value VMfailValid stores in the VM-instruction error field
/// (SDM vol. 3, 31.4, table "VM-Instruction Error Numbers"). Numbers 14, 21 and 27 are not used.
public enum VMInstructionError: UInt32, Sendable, CaseIterable, Error {
    case vmcallInVMXRootOperation = 1
    case vmclearInvalidPhysicalAddress = 2
    case vmclearWithVMXONPointer = 3
    case vmlaunchNonClearVMCS = 4
    case vmresumeNonLaunchedVMCS = 5
    case vmresumeAfterVMXOFF = 6
    case vmEntryInvalidControlFields = 7
    case vmEntryInvalidHostStateFields = 8
    case vmptrldInvalidPhysicalAddress = 9
    case vmptrldWithVMXONPointer = 10
    case vmptrldIncorrectRevisionIdentifier = 11
    case unsupportedVMCSComponent = 12
    case vmwriteReadOnlyComponent = 13
    case vmxonInVMXRootOperation = 15
    case vmEntryInvalidExecutiveVMCSPointer = 16
    case vmEntryNonLaunchedExecutiveVMCS = 17
    case vmEntryExecutiveVMCSPointerNotVMXONPointer = 18
    case vmcallNonClearVMCS = 19
    case vmcallInvalidVMExitControlFields = 20
    case vmcallIncorrectMSEGRevisionIdentifier = 22
    case vmxoffUnderDualMonitorTreatment = 23
    case vmcallInvalidSMMMonitorFeatures = 24
    case vmEntryInvalidExecutiveVMCSControls = 25
    case vmEntryEventsBlockedByMovSS = 26
    case invalidOperandToINVEPTOrINVVPID = 28
}
