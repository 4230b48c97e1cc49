/// VMCS shadowing (SDM vol. 3, 24.10 and the VMREAD/VMWRITE operation sections of 31.3): with
/// the "VMCS shadowing" control, VMREAD and VMWRITE in VMX non-root operation access the shadow
/// VMCS that the VMCS link pointer references, unless the bit of the VMREAD or VMWRITE bitmap
/// selected by bits 14:0 of the field encoding is 1 or bits 63:15 of the encoding are not all 0,
/// in which case they exit (reasons 23 and 25). A shadow VMCS is a VMCS region whose revision
/// dword has bit 31 (the shadow-VMCS indicator) set; VMPTRLD may make one current, but VMLAUNCH
/// and VMRESUME fail on it. The shadow VMCS is not cached: its fields are read and written in
/// its region (VMCSLayout.swift), which VM entry has checked (26.3.1.5).
extension CPU {
    /// The start of VMREAD and VMWRITE (31.3): #UD outside VMX operation, in real/virtual-8086
    /// or compatibility mode; in non-root operation a VM exit unless shadowing applies; #GP(0)
    /// at CPL > 0. True when the instruction operates on the shadow VMCS.
    func vmreadOrVMWRITEChecks(_ reason: VMExitReason, _ i: Instruction) throws(Fault) -> Bool {
        if !vmx.inVMXOperation || codeMode == .real || inCompatibilityMode { throw .invalidOpcode }
        if vmx.nonRoot {
            let encoding = register(i.reg, size: vmxOperandSize)
            let bitmap = vmx.read(reason == .vmread ? .vmreadBitmapAddress : .vmwriteBitmapAddress)
            if !vmx.secondary.contains(.vmcsShadowing) || encoding >> 15 != 0
                || (memory.read(bitmap &+ (encoding >> 3), size: 1) >> (encoding & 7)) & 1 != 0 {
                try vmxInstructionExit(i, reason)
            }
        }
        if cpl > 0 { throw .generalProtection(0) }
        return vmx.nonRoot
    }

    /// Whether the VMCS region at `address` is a shadow VMCS (revision dword bit 31).
    func isShadowVMCS(_ address: UInt64) -> Bool {
        memory.read(address &+ VMCSLayout.revisionOffset, size: 4) >> 31 != 0
    }

    /// The physical address of the data of component `slot` in the VMCS region at `region`.
    static func fieldAddress(_ region: UInt64, slot: Int) -> UInt64 {
        region &+ VMCSLayout.fieldsOffset &+ UInt64(slot) &* 8
    }

    /// VMREAD of the shadow VMCS: VMfailInvalid if the link pointer is all ones, VMfailValid(12)
    /// for an unsupported component, else the field (bits 63:32 for a high access).
    func shadowVMREAD(_ i: Instruction) throws(Fault) {
        let link = vmx.read(.vmcsLinkPointer)
        guard link != UInt64.max else { vmFailInvalid(); return }
        let size = vmxOperandSize
        let encoding = register(i.reg, size: size)
        guard let slot = vmx.supportedSlot(encoding) else { vmFailValid(.unsupportedVMCSComponent); return }
        let field = VMCSField(rawValue: UInt32(truncatingIfNeeded: encoding))
        let raw = memory.read(CPU.fieldAddress(link, slot: slot), size: 8) & VMCSField.catalog[slot].field.valueMask
        let value = (field.accessType == .high ? raw >> 32 : raw) & CPU.mask(size)
        try writeRM(i, size: size, value)
        vmSucceed()
    }

    /// VMWRITE of the shadow VMCS: the checks of VMWRITE (memory operand first, then the
    /// component, then read-only fields unless IA32_VMX_MISC[29]), then the store with the
    /// field's width (a high access keeps bits 31:0).
    func shadowVMWRITE(_ i: Instruction) throws(Fault) {
        let link = vmx.read(.vmcsLinkPointer)
        guard link != UInt64.max else { vmFailInvalid(); return }
        let size = vmxOperandSize
        let value = try readRM(i, size: size)
        let encoding = register(i.reg, size: size)
        guard let slot = vmx.supportedSlot(encoding) else { vmFailValid(.unsupportedVMCSComponent); return }
        let field = VMCSField(rawValue: UInt32(truncatingIfNeeded: encoding))
        if field.type == .readOnlyData && !vmx.capabilities.vmwriteToReadOnlyFields {
            vmFailValid(.vmwriteReadOnlyComponent); return
        }
        let address = CPU.fieldAddress(link, slot: slot)
        let stored: UInt64
        if field.accessType == .high {
            stored = memory.read(address, size: 8) & 0xFFFF_FFFF | (value & 0xFFFF_FFFF) << 32
        } else {
            stored = value & field.valueMask
        }
        memory.write(address, size: 8, value: stored)
        vmSucceed()
    }
}
