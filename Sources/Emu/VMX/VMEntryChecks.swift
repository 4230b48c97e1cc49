/// The checks VMLAUNCH and VMRESUME make on the VMX controls and the host-state area before
/// loading any guest state (SDM vol. 3, 26.2). A failure is VMfailValid with error 7 (controls,
/// 26.2.1) or 8 (host state, 26.2.2-26.2.4); the current VMCS is not otherwise changed.
extension CPU {
    /// Returns nil if the current VMCS passes 26.2.1-26.2.4, else the VM-instruction error.
    public func checkVMEntryControlsAndHostState() -> VMInstructionError? {
        if !vmEntryControlsAreValid() { return .vmEntryInvalidControlFields }
        if !vmEntryHostStateIsValid() { return .vmEntryInvalidHostStateFields }
        return nil
    }

    /// A physical address field: aligned to `alignment` and inside the physical-address width.
    func isValidPhysicalAddress(_ a: UInt64, alignment: UInt64 = 0x1000) -> Bool {
        a & (alignment - 1) == 0 && a >> UInt64(vmxPhysicalAddressWidth) == 0
    }

    /// Control fields (26.2.1.1 VM-execution, 26.2.1.2 VM-exit, 26.2.1.3 VM-entry).
    func vmEntryControlsAreValid() -> Bool {
        let caps = vmx.capabilities
        let pinRaw = UInt32(truncatingIfNeeded: vmx.read(.pinBasedVMExecutionControls))
        let primaryRaw = UInt32(truncatingIfNeeded: vmx.read(.primaryProcessorBasedVMExecutionControls))
        let exitRaw = UInt32(truncatingIfNeeded: vmx.read(.primaryVMExitControls))
        let entryRaw = UInt32(truncatingIfNeeded: vmx.read(.vmEntryControls))

        // Reserved bits, by the TRUE_ capability MSRs since IA32_VMX_BASIC[55] = 1.
        func allowed(_ v: UInt32, mustBeOne: UInt32, mayBeOne: UInt32) -> Bool {
            v & mustBeOne == mustBeOne && v & ~mayBeOne == 0
        }
        guard allowed(pinRaw, mustBeOne: caps.pinBasedMustBeOne, mayBeOne: caps.pinBasedMayBeOne),
              allowed(primaryRaw, mustBeOne: caps.primaryMustBeOne, mayBeOne: caps.primaryMayBeOne),
              allowed(exitRaw, mustBeOne: caps.vmExitMustBeOne, mayBeOne: caps.vmExitMayBeOne),
              allowed(entryRaw, mustBeOne: caps.vmEntryMustBeOne, mayBeOne: caps.vmEntryMayBeOne)
        else { return false }
        let pin = PinBasedControls(rawValue: pinRaw)
        let primary = PrimaryProcessorBasedControls(rawValue: primaryRaw)
        let exit = VMExitControls(rawValue: exitRaw)
        let entry = VMEntryControls(rawValue: entryRaw)
        // Secondary controls are checked (and apply) only when activated.
        var secondary: SecondaryProcessorBasedControls = []
        if primary.contains(.activateSecondaryControls) {
            let raw = UInt32(truncatingIfNeeded: vmx.read(.secondaryProcessorBasedVMExecutionControls))
            guard raw & ~caps.secondaryMayBeOne == 0 else { return false }
            secondary = SecondaryProcessorBasedControls(rawValue: raw)
        }

        // 26.2.1.1 VM-execution control fields.
        guard vmx.read(.cr3TargetCount) <= UInt64(caps.cr3TargetCount) else { return false }
        if primary.contains(.useIOBitmaps) {
            guard isValidPhysicalAddress(vmx.read(.ioBitmapAAddress)),
                  isValidPhysicalAddress(vmx.read(.ioBitmapBAddress)) else { return false }
        }
        if primary.contains(.useMSRBitmaps) {
            guard isValidPhysicalAddress(vmx.read(.msrBitmapsAddress)) else { return false }
        }
        let tprThreshold = vmx.read(.tprThreshold)
        if primary.contains(.useTPRShadow) {
            let virtualAPIC = vmx.read(.virtualAPICAddress)
            guard isValidPhysicalAddress(virtualAPIC) else { return false }
            if !secondary.contains(.virtualInterruptDelivery) {
                guard tprThreshold >> 4 == 0 else { return false }
                if !secondary.contains(.virtualizeAPICAccesses) {
                    // TPR threshold[3:0] <= VTPR[7:4] (byte 80H of the virtual-APIC page).
                    let vtpr = memory.read(virtualAPIC &+ 0x80, size: 1)
                    guard tprThreshold & 0xF <= vtpr >> 4 else { return false }
                }
            }
        } else if !secondary.isDisjoint(with: [.virtualizeX2APICMode, .apicRegisterVirtualization,
                                               .virtualInterruptDelivery]) {
            return false
        }
        if !pin.contains(.nmiExiting) && pin.contains(.virtualNMIs) { return false }
        if !pin.contains(.virtualNMIs) && primary.contains(.nmiWindowExiting) { return false }
        if secondary.contains(.virtualizeAPICAccesses) {
            guard isValidPhysicalAddress(vmx.read(.apicAccessAddress)) else { return false }
        }
        if secondary.contains(.virtualizeX2APICMode) && secondary.contains(.virtualizeAPICAccesses) {
            return false
        }
        if secondary.contains(.virtualInterruptDelivery) && !pin.contains(.externalInterruptExiting) {
            return false
        }
        if pin.contains(.processPostedInterrupts) {
            guard secondary.contains(.virtualInterruptDelivery), exit.contains(.acknowledgeInterruptOnExit),
                  vmx.read(.postedInterruptNotificationVector) >> 8 == 0,
                  isValidPhysicalAddress(vmx.read(.postedInterruptDescriptorAddress), alignment: 64)
            else { return false }
        }
        if secondary.contains(.enableVPID) && vmx.read(.virtualProcessorIdentifier) == 0 { return false }
        if secondary.contains(.enableEPT) && !isValidEPTP(vmx.read(.eptPointer)) { return false }
        if secondary.contains(.enablePML) {
            guard secondary.contains(.enableEPT), isValidPhysicalAddress(vmx.read(.pmlAddress)) else { return false }
        }
        if secondary.contains(.unrestrictedGuest) && !secondary.contains(.enableEPT) { return false }
        if secondary.contains(.modeBasedExecuteControlForEPT) && !secondary.contains(.enableEPT) { return false }
        if secondary.contains(.enableVMFunctions) {
            let functions = vmx.read(.vmFunctionControls)
            guard functions & ~caps.vmFunctions.rawValue == 0 else { return false }
            if functions & VMFunctionControls.eptpSwitching.rawValue != 0 {
                guard secondary.contains(.enableEPT), isValidPhysicalAddress(vmx.read(.eptpListAddress))
                else { return false }
            }
        }
        if secondary.contains(.vmcsShadowing) {
            guard isValidPhysicalAddress(vmx.read(.vmreadBitmapAddress)),
                  isValidPhysicalAddress(vmx.read(.vmwriteBitmapAddress)) else { return false }
        }
        if secondary.contains(.eptViolationVE) {
            guard isValidPhysicalAddress(vmx.read(.virtualizationExceptionInformationAddress)) else { return false }
        }

        // 26.2.1.2 VM-exit control fields.
        if !pin.contains(.activateVMXPreemptionTimer) && exit.contains(.saveVMXPreemptionTimerValue) {
            return false
        }
        guard isValidMSRArea(count: vmx.read(.vmExitMSRStoreCount), address: vmx.read(.vmExitMSRStoreAddress)),
              isValidMSRArea(count: vmx.read(.vmExitMSRLoadCount), address: vmx.read(.vmExitMSRLoadAddress))
        else { return false }

        // 26.2.1.3 VM-entry control fields.
        guard vmEntryEventInjectionIsValid(secondary: secondary),
              isValidMSRArea(count: vmx.read(.vmEntryMSRLoadCount), address: vmx.read(.vmEntryMSRLoadAddress))
        else { return false }
        // Outside SMM: "entry to SMM" and "deactivate dual-monitor treatment" must be 0.
        if !entry.isDisjoint(with: [.entryToSMM, .deactivateDualMonitorTreatment]) { return false }
        return true
    }

    /// An MSR area (26.2.1.2, 26.2.1.3): with a nonzero count, 16-byte aligned and its last byte
    /// inside the physical-address width.
    func isValidMSRArea(count: UInt64, address: UInt64) -> Bool {
        if count == 0 { return true }
        guard address & 0xF == 0 else { return false }
        let last = address &+ count &* 16 &- 1
        return address >> UInt64(vmxPhysicalAddressWidth) == 0 && last >> UInt64(vmxPhysicalAddressWidth) == 0
    }

    /// The VM-entry interruption-information field (26.2.1.3).
    func vmEntryEventInjectionIsValid(secondary: SecondaryProcessorBasedControls) -> Bool {
        let info = vmx.read(.vmEntryInterruptionInformation)
        guard info & 0x8000_0000 != 0 else { return true }
        let vector = info & 0xFF
        let type = (info >> 8) & 7
        let deliverErrorCode = info & 0x800 != 0
        switch type {
        case 1: return false                                  // reserved
        case 2: guard vector == 2 else { return false }       // NMI
        case 3: guard vector <= 31 else { return false }      // hardware exception
        case 7:                                               // other event: MTF only
            guard vector == 0,
                  vmx.capabilities.primaryMayBeOne & PrimaryProcessorBasedControls.monitorTrapFlag.rawValue != 0
            else { return false }
        default: break
        }
        // Deliver-error-code is 1 exactly for hardware exceptions #DF, #TS, #NP, #SS, #GP, #PF and
        // #AC, in protected mode or without "unrestricted guest".
        let protectedGuest = !secondary.contains(.unrestrictedGuest) || vmx.read(.guestCR0) & 1 != 0
        let errorCodeVector: Bool
        switch vector {
        case 8, 10, 11, 12, 13, 14, 17: errorCodeVector = true
        default: errorCodeVector = false
        }
        let needsErrorCode = protectedGuest && type == 3 && errorCodeVector
        guard deliverErrorCode == needsErrorCode else { return false }
        guard info & 0x7FFF_F000 == 0 else { return false }   // bits 30:12 reserved
        if deliverErrorCode && vmx.read(.vmEntryExceptionErrorCode) >> 16 != 0 { return false }
        if type == 4 || type == 5 || type == 6 {
            // Software interrupts and exceptions need an instruction length of 1-15
            // (0 is not allowed: IA32_VMX_MISC[30] = 0).
            let length = vmx.read(.vmEntryInstructionLength)
            guard length >= 1 && length <= 15 else { return false }
        }
        return true
    }

    /// Host-state area (26.2.2 control registers and MSRs, 26.2.3 segment and descriptor-table
    /// registers, 26.2.4 address-space size).
    func vmEntryHostStateIsValid() -> Bool {
        let caps = vmx.capabilities
        let exit = VMExitControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.primaryVMExitControls)))
        let entry = VMEntryControls(rawValue: UInt32(truncatingIfNeeded: vmx.read(.vmEntryControls)))
        let hostCR0 = vmx.read(.hostCR0), hostCR4 = vmx.read(.hostCR4)

        // 26.2.2
        guard hostCR0 & caps.cr0Fixed0 == caps.cr0Fixed0, hostCR0 & ~caps.cr0Fixed1 == 0,
              hostCR4 & caps.cr4Fixed0 == caps.cr4Fixed0, hostCR4 & ~vmxCR4Fixed1 == 0,
              vmx.read(.hostCR3) >> UInt64(vmxPhysicalAddressWidth) == 0,
              isCanonical(vmx.read(.hostIA32SysenterESP)), isCanonical(vmx.read(.hostIA32SysenterEIP))
        else { return false }
        if exit.contains(.loadIA32PAT) && !isValidPAT(vmx.read(.hostIA32PAT)) { return false }
        let hostSize = exit.contains(.hostAddressSpaceSize)
        if exit.contains(.loadIA32EFER) {
            // Reserved bits (all but SCE, LME, LMA, NXE) clear; LMA and LME equal "host
            // address-space size".
            let hostEFER = vmx.read(.hostIA32EFER)
            guard hostEFER & ~0xD01 == 0, (hostEFER >> 10) & 1 == (hostSize ? 1 : 0),
                  (hostEFER >> 8) & 1 == (hostSize ? 1 : 0) else { return false }
        }

        // 26.2.3: selectors with RPL = 0 and TI = 0; CS and TR not null; SS not null without
        // "host address-space size"; FS, GS, TR, GDTR and IDTR bases canonical.
        let selectorBits = vmx.read(.hostESSelector) | vmx.read(.hostCSSelector) | vmx.read(.hostSSSelector)
            | vmx.read(.hostDSSelector) | vmx.read(.hostFSSelector) | vmx.read(.hostGSSelector)
            | vmx.read(.hostTRSelector)
        if selectorBits & 7 != 0 { return false }
        if vmx.read(.hostCSSelector) == 0 || vmx.read(.hostTRSelector) == 0 { return false }
        if !hostSize && vmx.read(.hostSSSelector) == 0 { return false }
        guard isCanonical(vmx.read(.hostFSBase)), isCanonical(vmx.read(.hostGSBase)),
              isCanonical(vmx.read(.hostTRBase)), isCanonical(vmx.read(.hostGDTRBase)),
              isCanonical(vmx.read(.hostIDTRBase)) else { return false }

        // 26.2.4
        if efer & 0x400 == 0 {
            if entry.contains(.ia32eModeGuest) || hostSize { return false }
        } else if !hostSize {
            return false
        }
        if !hostSize {
            if entry.contains(.ia32eModeGuest) || hostCR4 & 0x2_0000 != 0 || vmx.read(.hostRIP) >> 32 != 0 {
                return false
            }
        } else if hostCR4 & 0x20 == 0 || !isCanonical(vmx.read(.hostRIP)) {
            return false
        }
        return true
    }

    /// IA32_PAT: every byte one of the memory types 0, 1, 4, 5, 6, 7 (SDM 26.2.2, 12.12.2).
    func isValidPAT(_ pat: UInt64) -> Bool {
        for k in 0..<8 {
            let type = (pat >> UInt64(8 * k)) & 0xFF
            if type == 2 || type == 3 || type > 7 { return false }
        }
        return true
    }
}
