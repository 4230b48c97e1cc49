import Testing
@testable import Emu

/// VMCS component encodings: width, type, access type and index derived from the encoding bits
/// (SDM vol. 3, 24.11.2) for a sample of every width and type, with the encodings of appendix B.
@Suite struct VMCSFieldTests {
    @Test func sixteenBitFields() {
        #expect(VMCSField.virtualProcessorIdentifier.rawValue == 0x0000)
        #expect(VMCSField.virtualProcessorIdentifier.width == .bits16)
        #expect(VMCSField.virtualProcessorIdentifier.type == .control)
        #expect(VMCSField.guestTRSelector.rawValue == 0x080E)
        #expect(VMCSField.guestTRSelector.type == .guestState)
        #expect(VMCSField.guestTRSelector.index == 7)
        #expect(VMCSField.hostTRSelector.rawValue == 0x0C0C)
        #expect(VMCSField.hostTRSelector.type == .hostState)
        #expect(VMCSField.hostTRSelector.index == 6)
        #expect(VMCSField.pmlIndex.rawValue == 0x0812)
    }

    @Test func sixtyFourBitFields() {
        let eptp = VMCSField.eptPointer
        #expect(eptp.rawValue == 0x201A)
        #expect(eptp.width == .bits64)
        #expect(eptp.type == .control)
        #expect(eptp.accessType == .full)
        #expect(eptp.index == 0x0D)
        #expect(eptp.high.rawValue == 0x201B)
        #expect(eptp.high.accessType == .high)
        #expect(eptp.high.full == eptp)
        #expect(VMCSField.guestPhysicalAddress.rawValue == 0x2400)
        #expect(VMCSField.guestPhysicalAddress.type == .readOnlyData)
        #expect(VMCSField.vmcsLinkPointer.rawValue == 0x2800)
        #expect(VMCSField.guestIA32EFER.rawValue == 0x2806)
        #expect(VMCSField.guestPDPTE3.rawValue == 0x2810)
        #expect(VMCSField.hostIA32EFER.rawValue == 0x2C02)
        #expect(VMCSField.hostIA32EFER.type == .hostState)
        #expect(VMCSField.tscOffset.rawValue == 0x2010)
        #expect(VMCSField.msrBitmapsAddress.rawValue == 0x2004)
    }

    @Test func thirtyTwoBitFields() {
        #expect(VMCSField.pinBasedVMExecutionControls.rawValue == 0x4000)
        #expect(VMCSField.primaryProcessorBasedVMExecutionControls.rawValue == 0x4002)
        #expect(VMCSField.secondaryProcessorBasedVMExecutionControls.rawValue == 0x401E)
        #expect(VMCSField.primaryVMExitControls.rawValue == 0x400C)
        #expect(VMCSField.vmEntryControls.rawValue == 0x4012)
        #expect(VMCSField.vmEntryControls.width == .bits32)
        #expect(VMCSField.vmInstructionError.rawValue == 0x4400)
        #expect(VMCSField.vmExitReason.rawValue == 0x4402)
        #expect(VMCSField.vmExitReason.type == .readOnlyData)
        #expect(VMCSField.vmExitReason.index == 1)
        #expect(VMCSField.guestInterruptibilityState.rawValue == 0x4824)
        #expect(VMCSField.vmxPreemptionTimerValue.rawValue == 0x482E)
        #expect(VMCSField.vmxPreemptionTimerValue.index == 0x17)
        #expect(VMCSField.hostIA32SysenterCS.rawValue == 0x4C00)
        #expect(VMCSField.hostIA32SysenterCS.type == .hostState)
    }

    @Test func naturalWidthFields() {
        #expect(VMCSField.cr0GuestHostMask.rawValue == 0x6000)
        #expect(VMCSField.cr3TargetValue3.rawValue == 0x600E)
        #expect(VMCSField.exitQualification.rawValue == 0x6400)
        #expect(VMCSField.exitQualification.type == .readOnlyData)
        #expect(VMCSField.guestLinearAddress.rawValue == 0x640A)
        #expect(VMCSField.guestRIP.rawValue == 0x681E)
        #expect(VMCSField.guestRIP.width == .natural)
        #expect(VMCSField.guestRIP.type == .guestState)
        #expect(VMCSField.guestRIP.index == 0x0F)
        #expect(VMCSField.guestRFLAGS.rawValue == 0x6820)
        #expect(VMCSField.hostRIP.rawValue == 0x6C16)
        #expect(VMCSField.hostRIP.type == .hostState)
        #expect(VMCSField.hostRSP.rawValue == 0x6C14)
    }

    @Test func catalogIsConsistent() {
        var seen = Set<UInt32>()
        for e in VMCSField.catalog {
            #expect(seen.insert(e.field.rawValue).inserted, "duplicate \(e.field)")
            #expect(e.field.accessType == .full)
            #expect(!e.field.hasReservedBits)
            #expect(VMCSLayout.slot(of: e.field) != nil)
            #expect(VMCSLayout.slot(of: e.field.high) == (e.field.width == .bits64 ? VMCSLayout.slot(of: e.field) : nil))
        }
        // The field data fits in the 4-KByte VMCS region after the 16-byte header.
        #expect(VMCSLayout.fieldsOffset + UInt64(VMCSLayout.slotCount) * 8 <= VMCSLayout.regionSize)
    }

    @Test func encodingsWithReservedBitsNameNoComponent() {
        #expect(VMCSLayout.slot(ofEncoding: 0x681E | 1 << 12) == nil)       // bit 12
        #expect(VMCSLayout.slot(ofEncoding: 0x681E | 1 << 15) == nil)       // bit 15
        #expect(VMCSLayout.slot(ofEncoding: 0x681E | 1 << 32) == nil)       // bits 63:32
        #expect(VMCSLayout.slot(ofEncoding: 0x681F) == nil)                 // high access, natural width
        #expect(VMCSLayout.slot(ofEncoding: 0x4001) == nil)                 // high access, 32-bit
        #expect(VMCSLayout.slot(ofEncoding: 0x0801) == nil)                 // high access, 16-bit
        #expect(VMCSLayout.slot(ofEncoding: 0x2807) != nil)                 // guest IA32_EFER (high)
    }

    @Test func valueMasks() {
        #expect(VMCSField.guestCSSelector.valueMask == 0xFFFF)
        #expect(VMCSField.guestCSLimit.valueMask == 0xFFFF_FFFF)
        #expect(VMCSField.guestRIP.valueMask == UInt64.max)
        #expect(VMCSField.eptPointer.valueMask == UInt64.max)
        #expect(VMCSField.eptPointer.high.valueMask == 0xFFFF_FFFF)
    }

    @Test func exitReasonsAndErrors() {
        #expect(VMExitReason.cpuid.rawValue == 10)
        #expect(VMExitReason.vmcall.rawValue == 18)
        #expect(VMExitReason.controlRegisterAccess.rawValue == 28)
        #expect(VMExitReason.vmEntryFailureInvalidGuestState.rawValue == 33)
        #expect(VMExitReason.eptViolation.rawValue == 48)
        #expect(VMExitReason.eptMisconfiguration.rawValue == 49)
        #expect(VMExitReason.vmxPreemptionTimerExpired.rawValue == 52)
        #expect(VMExitReason.xsetbv.rawValue == 55)
        #expect(VMExitReason(rawValue: 35) == nil)
        #expect(VMExitReason(rawValue: 38) == nil)
        #expect(VMExitReason(rawValue: 42) == nil)
        #expect(VMInstructionError.vmxonInVMXRootOperation.rawValue == 15)
        #expect(VMInstructionError.vmEntryEventsBlockedByMovSS.rawValue == 26)
        #expect(VMInstructionError.invalidOperandToINVEPTOrINVVPID.rawValue == 28)
        #expect(VMInstructionError(rawValue: 14) == nil)
    }
}
