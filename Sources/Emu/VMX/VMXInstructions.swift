/// The VMX instructions in VMX root operation and outside VMX operation, following the operation
/// sections of SDM vol. 3, 31.3 (the VMX instruction reference) step by step. VM exits caused by
/// these instructions in VMX non-root operation come with VM entry (issue 6, next step).
extension CPU {
    /// VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME, VMCALL,
    /// INVEPT, INVVPID, VMFUNC. On the AMD model none of them exists (#UD).
    func executeVMXInstruction(_ i: Instruction) throws(Fault) {
        guard vendor == .intel else { throw .invalidOpcode }
        switch i.op {
        case .vmxon: try executeVMXON(i)
        case .vmxoff: try executeVMXOFF(i)
        case .vmclear: try executeVMCLEAR(i)
        case .vmptrld: try executeVMPTRLD(i)
        case .vmptrst: try executeVMPTRST(i)
        case .vmread: try executeVMREAD(i)
        case .vmwrite: try executeVMWRITE(i)
        case .vmlaunch: try executeVMLAUNCHOrVMRESUME(i, launch: true)
        case .vmresume: try executeVMLAUNCHOrVMRESUME(i, launch: false)
        case .vmcall: try executeVMCALL(i)
        case .invept: try executeINVEPT(i)
        case .invvpid: try executeINVVPID(i)
        case .vmfunc: try executeVMFUNC(i)
        default: throw .invalidOpcode
        }
    }

    // MARK: Hooks into state other files own

    /// IA32_FEATURE_CONTROL (MSR 3AH) as VMXON reads it: the MSR file's value (RDMSR/WRMSR see
    /// the same). Firmware sets and locks it; swemu's boot path must do that for the Intel model.
    var ia32FeatureControl: UInt64 { systemRegisters.featureControl }

    /// IA32_VMX_CR4_FIXED1: the CR4 bits this model implements (MOV to CR4's reserved-bit mask)
    /// plus the bits fixed to 1.
    var vmxCR4Fixed1: UInt64 { cr4Writable | vmx.capabilities.cr4Fixed0 }

    /// "Events are being blocked by MOV SS" (SDM 26.1): the shadow of a MOV SS / POP SS that
    /// was the previous instruction.
    var vmxBlockedByMovSS: Bool { interruptShadow & 2 != 0 }

    /// MAXPHYADDR, the VMX physical-address width (IA32_VMX_BASIC[48] = 0).
    var vmxPhysicalAddressWidth: Int { cpuidModel.physicalAddressBits }

    // MARK: Conventions (SDM 31.2)

    /// VMsucceed: CF, PF, AF, ZF, SF and OF cleared.
    func vmSucceed() { flags.bits = 0 }

    /// VMfailInvalid: CF set, PF, AF, ZF, SF, OF cleared.
    func vmFailInvalid() { flags.bits = RFlags.carry.rawValue }

    /// VMfailValid(n): ZF set, the others cleared, n in the VM-instruction error field.
    func vmFailValid(_ error: VMInstructionError) {
        flags.bits = RFlags.zero.rawValue
        vmx.write(.vmInstructionError, UInt64(error.rawValue))
    }

    /// VMfail(n): VMfailValid if there is a current VMCS, VMfailInvalid otherwise.
    func vmFail(_ error: VMInstructionError) {
        if vmx.hasCurrentVMCS { vmFailValid(error) } else { vmFailInvalid() }
    }

    /// IA32_EFER.LMA = 1 and CS.L = 0.
    var inCompatibilityMode: Bool { efer & 0x400 != 0 && codeMode != .long64 }

    /// The common start of most operation sections: "IF (not in VMX operation) or (CR0.PE = 0) or
    /// (RFLAGS.VM = 1) or (IA32_EFER.LMA = 1 and CS.L = 0) THEN #UD; ELSIF in VMX non-root
    /// operation THEN VMexit; ELSIF CPL > 0 THEN #GP(0)". `codeMode == .real` covers CR0.PE = 0
    /// and virtual-8086 mode.
    func vmxRootChecks(_ reason: VMExitReason, _ i: Instruction, registerOperand: Bool = false) throws(Fault) {
        if registerOperand || !vmx.inVMXOperation || codeMode == .real || inCompatibilityMode {
            throw .invalidOpcode
        }
        if vmx.nonRoot { try vmxInstructionExit(i, reason) }
        if cpl > 0 { throw .generalProtection(0) }
    }

    /// The operand size of VMREAD/VMWRITE/INVEPT/INVVPID register operands: 64 bits in 64-bit
    /// mode, 32 bits otherwise; REX.W and 66H do not change it (31.3).
    var vmxOperandSize: UInt8 { codeMode == .long64 ? 8 : 4 }

    /// A VMXON/VMCS pointer is valid if it is 4-KByte aligned and sets no bit beyond the
    /// physical-address width.
    func isValidVMXPointer(_ address: UInt64) -> Bool {
        address & 0xFFF == 0 && address >> UInt64(vmxPhysicalAddressWidth) == 0
    }

    /// CR0 and CR4 values allowed in VMX operation (SDM 23.8, IA32_VMX_CR0/CR4_FIXED0/1). MOV to
    /// CR0/CR4 in VMX root operation raises #GP(0) when this is false.
    public func vmxPermits(cr0 value: UInt64) -> Bool {
        let c = vmx.capabilities
        return value & c.cr0Fixed0 == c.cr0Fixed0 && value & ~c.cr0Fixed1 == 0
    }

    public func vmxPermits(cr4 value: UInt64) -> Bool {
        let c = vmx.capabilities
        return value & c.cr4Fixed0 == c.cr4Fixed0 && value & ~vmxCR4Fixed1 == 0
    }

    // MARK: VMXON, VMXOFF

    func executeVMXON(_ i: Instruction) throws(Fault) {
        if i.mod == 3 || cr4 & 0x2000 == 0 || codeMode == .real || inCompatibilityMode {
            throw .invalidOpcode
        }
        if vmx.inVMXOperation {
            if vmx.nonRoot { try vmxInstructionExit(i, .vmxon) }
            if cpl > 0 { throw .generalProtection(0) }
            vmFail(.vmxonInVMXRootOperation)
            return
        }
        // A20M is not modelled (no A20 gate): never in A20M mode. The SMX bit (1) does not apply.
        let featureControl = ia32FeatureControl
        if cpl > 0 || !vmxPermits(cr0: cr0) || !vmxPermits(cr4: cr4)
            || featureControl & 1 == 0 || featureControl & 4 == 0 {
            throw .generalProtection(0)
        }
        let address = try read(i.segment, effectiveAddress(i), size: 8)
        guard isValidVMXPointer(address) else { vmFailInvalid(); return }
        let revision = memory.read(address, size: 4)
        // rev[30:0] must be the revision identifier and rev[31] (shadow-VMCS indicator) 0.
        guard revision == UInt64(vmx.capabilities.revisionIdentifier & 0x7FFF_FFFF) else {
            vmFailInvalid(); return
        }
        vmx.inVMXOperation = true
        vmx.nonRoot = false
        vmx.vmxonPointer = address
        tlbInvalidateAll()
        vmx.currentVMCS = VMXState.invalidPointer
        vmx.launched = false
        vmSucceed()
    }

    func executeVMXOFF(_ i: Instruction) throws(Fault) {
        try vmxRootChecks(.vmxoff, i)
        // The dual-monitor treatment of SMIs and SMM is not supported (no error 23). Data of the
        // current VMCS is written back (software should have used VMCLEAR; SDM 24.11.1).
        writeBackCurrentVMCS()
        vmx.inVMXOperation = false
        vmx.vmxonPointer = VMXState.invalidPointer
        vmx.currentVMCS = VMXState.invalidPointer
        vmx.launched = false
        vmSucceed()
        vmxINITUnblocked()
    }

    // MARK: VMCLEAR, VMPTRLD, VMPTRST

    func executeVMCLEAR(_ i: Instruction) throws(Fault) {
        try vmxRootChecks(.vmclear, i, registerOperand: i.mod == 3)
        let address = try read(i.segment, effectiveAddress(i), size: 8)
        guard isValidVMXPointer(address) else { vmFail(.vmclearInvalidPhysicalAddress); return }
        guard address != vmx.vmxonPointer else { vmFail(.vmclearWithVMXONPointer); return }
        if address == vmx.currentVMCS {
            vmx.launched = false
            writeBackCurrentVMCS()
            vmx.currentVMCS = VMXState.invalidPointer
        } else {
            clearLaunchState(ofVMCSAt: address)
        }
        vmSucceed()
    }

    func executeVMPTRLD(_ i: Instruction) throws(Fault) {
        try vmxRootChecks(.vmptrld, i, registerOperand: i.mod == 3)
        let address = try read(i.segment, effectiveAddress(i), size: 8)
        guard isValidVMXPointer(address) else { vmFail(.vmptrldInvalidPhysicalAddress); return }
        guard address != vmx.vmxonPointer else { vmFail(.vmptrldWithVMXONPointer); return }
        let revision = memory.read(address, size: 4)
        // rev[31] = 1 (shadow VMCS) is allowed only with "VMCS shadowing" support.
        let shadowAllowed = vmx.capabilities.has(.vmcsShadowing)
        guard revision & 0x7FFF_FFFF == UInt64(vmx.capabilities.revisionIdentifier & 0x7FFF_FFFF),
              revision >> 31 == 0 || shadowAllowed else {
            vmFail(.vmptrldIncorrectRevisionIdentifier); return
        }
        loadCurrentVMCS(address)
        vmSucceed()
    }

    func executeVMPTRST(_ i: Instruction) throws(Fault) {
        try vmxRootChecks(.vmptrst, i, registerOperand: i.mod == 3)
        try write(i.segment, effectiveAddress(i), size: 8, vmx.currentVMCS)
        vmSucceed()
    }

    // MARK: VMREAD, VMWRITE

    func executeVMREAD(_ i: Instruction) throws(Fault) {
        if try vmreadOrVMWRITEChecks(.vmread, i) { try shadowVMREAD(i); return }
        guard vmx.hasCurrentVMCS else { vmFailInvalid(); return }
        let size = vmxOperandSize
        // VMREAD r/m, r: the encoding is in ModRM.reg, the destination is r/m.
        guard let slot = vmx.supportedSlot(register(i.reg, size: size)) else {
            vmFailValid(.unsupportedVMCSComponent); return
        }
        let field = VMCSField(rawValue: UInt32(truncatingIfNeeded: register(i.reg, size: size)))
        let value = (field.accessType == .high ? vmx.fields[slot] >> 32 : vmx.fields[slot]) & CPU.mask(size)
        // Memory faults come only after the pointer and field checks (31.3, VMREAD).
        try writeRM(i, size: size, value)
        vmSucceed()
    }

    func executeVMWRITE(_ i: Instruction) throws(Fault) {
        if try vmreadOrVMWRITEChecks(.vmwrite, i) { try shadowVMWRITE(i); return }
        guard vmx.hasCurrentVMCS else { vmFailInvalid(); return }
        let size = vmxOperandSize
        // Memory faults come after the VMCS-pointer check and before the field checks (31.3, VMWRITE).
        let value = try readRM(i, size: size)
        let encoding = register(i.reg, size: size)
        guard vmx.supportedSlot(encoding) != nil else { vmFailValid(.unsupportedVMCSComponent); return }
        let field = VMCSField(rawValue: UInt32(truncatingIfNeeded: encoding))
        if field.type == .readOnlyData && !vmx.capabilities.vmwriteToReadOnlyFields {
            vmFailValid(.vmwriteReadOnlyComponent); return
        }
        // A 32-bit operand clears the high bits of a longer field.
        vmx.write(field, value)
        vmSucceed()
    }

    // MARK: VMLAUNCH, VMRESUME, VMCALL

    func executeVMLAUNCHOrVMRESUME(_ i: Instruction, launch: Bool) throws(Fault) {
        try vmxRootChecks(launch ? .vmlaunch : .vmresume, i)
        // A shadow VMCS cannot be entered (24.10).
        guard vmx.hasCurrentVMCS, !isShadowVMCS(vmx.currentVMCS) else { vmFailInvalid(); return }
        if vmxBlockedByMovSS { vmFailValid(.vmEntryEventsBlockedByMovSS); return }
        if launch && vmx.launched { vmFailValid(.vmlaunchNonClearVMCS); return }
        if !launch && !vmx.launched { vmFailValid(.vmresumeNonLaunchedVMCS); return }
        if let error = checkVMEntryControlsAndHostState() { vmFailValid(error); return }
        try enterGuest(launch: launch)
    }

    /// VMFUNC (31.3): #UD outside non-root operation or without "enable VM functions"; function
    /// 0 (EPTP switching) when enabled, any other function exits with reason 59.
    func executeVMFUNC(_ i: Instruction) throws(Fault) {
        guard vmx.nonRoot, vmx.secondary.contains(.enableVMFunctions) else { throw .invalidOpcode }
        let function = registers[0] & 0xFFFF_FFFF
        let index = registers[1] & 0xFFFF_FFFF
        guard function < 64, vmx.read(.vmFunctionControls) >> function & 1 != 0, function == 0, index < 512 else {
            try vmExitForInstruction(i, .vmfunc)
        }
        let eptp = memory.read(vmx.read(.eptpListAddress) &+ index &* 8, size: 8)
        guard isValidEPTP(eptp) else { try vmExitForInstruction(i, .vmfunc) }
        vmx.write(.eptPointer, eptp)
        vmx.eptPointer = eptp
        tlbSwitchedEPTP()
    }

    func executeVMCALL(_ i: Instruction) throws(Fault) {
        if !vmx.inVMXOperation { throw .invalidOpcode }
        if vmx.nonRoot { try vmxInstructionExit(i, .vmcall) }
        if codeMode == .real || inCompatibilityMode { throw .invalidOpcode }
        if cpl > 0 { throw .generalProtection(0) }
        // No dual-monitor treatment of SMIs and SMM (IA32_VMX_BASIC[49] = 0).
        vmFail(.vmcallInVMXRootOperation)
    }

    // MARK: INVEPT, INVVPID

    func executeINVEPT(_ i: Instruction) throws(Fault) {
        let caps = vmx.capabilities
        // #UD without EPT or without INVEPT (IA32_VMX_EPT_VPID_CAP[20]).
        if !caps.has(.enableEPT) || !caps.hasEPTVPID(bit: 20) { throw .invalidOpcode }
        try vmxRootChecks(.invept, i, registerOperand: i.mod == 3)
        let type = register(i.reg, size: vmxOperandSize)
        let (eptp, _) = try readDescriptor128(i)
        switch type {
        case 1 where caps.hasEPTVPID(bit: 25):   // single-context
            guard isValidEPTP(eptp) else { vmFail(.invalidOperandToINVEPTOrINVVPID); return }
        case 2 where caps.hasEPTVPID(bit: 26):   // all-context
            break
        default:
            vmFail(.invalidOperandToINVEPTOrINVVPID); return
        }
        tlbInvalidateEPT(root: type == 1 ? eptRoot(of: eptp) : nil)
        vmSucceed()
    }

    func executeINVVPID(_ i: Instruction) throws(Fault) {
        let caps = vmx.capabilities
        // #UD without VPID or without INVVPID (IA32_VMX_EPT_VPID_CAP[32]).
        if !caps.has(.enableVPID) || !caps.hasEPTVPID(bit: 32) { throw .invalidOpcode }
        try vmxRootChecks(.invvpid, i, registerOperand: i.mod == 3)
        let type = register(i.reg, size: vmxOperandSize)
        let (low, linear) = try readDescriptor128(i)
        let vpid = low & 0xFFFF
        // Types 0-3 are supported when IA32_VMX_EPT_VPID_CAP[40 + type] is 1.
        guard type < 4, caps.hasEPTVPID(bit: 40 + Int(type)) else {
            vmFail(.invalidOperandToINVEPTOrINVVPID); return
        }
        // Bits 63:16 of the descriptor are reserved.
        guard low >> 16 == 0 else { vmFail(.invalidOperandToINVEPTOrINVVPID); return }
        switch type {
        case 0:   // individual-address: VPID 0 or a non-canonical address fails
            guard vpid != 0, isCanonical(linear) else { vmFail(.invalidOperandToINVEPTOrINVVPID); return }
        case 1, 3:   // single-context (retaining globals)
            guard vpid != 0 else { vmFail(.invalidOperandToINVEPTOrINVVPID); return }
        default:   // all-context
            break
        }
        tlbInvalidateVPID(type: type, vpid: UInt16(vpid), linear: linear)
        vmSucceed()
    }

    /// The 128-bit INVEPT/INVVPID descriptor: bits 63:0 and bits 127:64.
    func readDescriptor128(_ i: Instruction) throws(Fault) -> (UInt64, UInt64) {
        let offset = effectiveAddress(i)
        let low = try read(i.segment, offset, size: 8)
        let high = try read(i.segment, (offset &+ 8) & CPU.mask(i.addressSize), size: 8)
        return (low, high)
    }

    /// The EPTP checks of VM entry (SDM 26.2.1.1), used by single-context INVEPT too: a
    /// supported memory type (0 = UC, 6 = WB), page-walk length 4 (bits 5:3 = 3), bit 6 only with
    /// accessed/dirty support, bits 11:7 reserved, no bit beyond the physical-address width.
    func isValidEPTP(_ eptp: UInt64) -> Bool {
        let caps = vmx.capabilities
        switch eptp & 7 {
        case 0 where caps.hasEPTVPID(bit: 8): break
        case 6 where caps.hasEPTVPID(bit: 14): break
        default: return false
        }
        guard (eptp >> 3) & 7 == 3, caps.hasEPTVPID(bit: 6) else { return false }
        if eptp & 0x40 != 0 && !caps.hasEPTVPID(bit: 21) { return false }
        if eptp & 0xF80 != 0 { return false }
        return eptp >> UInt64(vmxPhysicalAddressWidth) == 0
    }
}
