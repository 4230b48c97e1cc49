/// Moving the current VMCS between its region in physical memory and the cache in `VMXState`
/// (layout in VMCSLayout.swift). Physical accesses outside RAM read as all ones and drop writes,
/// as on the bus, so any pointer a guest passes is harmless.
extension CPU {
    /// Makes the VMCS at `address` current: writes the previous current VMCS back, then loads the
    /// launch state and the field data.
    func loadCurrentVMCS(_ address: UInt64) {
        if vmx.currentVMCS == address { return }
        writeBackCurrentVMCS()
        vmx.currentVMCS = address
        vmx.launched = memory.read(address &+ VMCSLayout.launchStateOffset, size: 4) == VMCSLayout.launchedMarker
        for s in 0..<VMCSLayout.slotCount {
            let raw = memory.read(address &+ VMCSLayout.fieldsOffset &+ UInt64(s) &* 8, size: 8)
            vmx.fields[s] = raw & VMCSField.catalog[s].field.valueMask
        }
    }

    /// Writes the cached current VMCS (launch state and fields) to its region.
    func writeBackCurrentVMCS() {
        guard vmx.hasCurrentVMCS else { return }
        let address = vmx.currentVMCS
        memory.write(address &+ VMCSLayout.launchStateOffset, size: 4,
                     value: vmx.launched ? VMCSLayout.launchedMarker : 0)
        memory.write(address &+ VMCSLayout.launchStateOffset &+ 4, size: 4, value: 0)
        for s in 0..<VMCSLayout.slotCount {
            memory.write(address &+ VMCSLayout.fieldsOffset &+ UInt64(s) &* 8, size: 8, value: vmx.fields[s])
        }
    }

    /// VMCLEAR of a VMCS that is not current: its data is already in memory; only the launch state
    /// (implementation-specific data) is initialised.
    func clearLaunchState(ofVMCSAt address: UInt64) {
        memory.write(address &+ VMCSLayout.launchStateOffset, size: 8, value: 0)
    }
}
