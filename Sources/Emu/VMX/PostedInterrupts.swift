/// Posted-interrupt processing (SDM vol. 3, 29.6): with "process posted interrupts", an
/// external interrupt in VMX non-root operation whose vector (acknowledged from the local APIC)
/// is the posted-interrupt notification vector causes no VM exit: the outstanding-notification
/// bit (ON, bit 256) of the 64-byte posted-interrupt descriptor is cleared, the interrupt is
/// dismissed with an EOI to the local APIC, the posted-interrupt requests (PIR, bits 255:0)
/// move into VIRR, RVI becomes the highest of RVI and the posted vectors, and pending virtual
/// interrupts are evaluated.
extension CPU {
    /// Processes `vector` as a notification if it is one; false: the interrupt exits as usual.
    /// The caller has acknowledged the interrupt and dismisses it (EOI) when this returns true.
    public func vmxPostedInterruptNotification(vector: UInt8) -> Bool {
        guard vmx.nonRoot, vmx.pin.contains(.processPostedInterrupts),
              UInt64(vector) == vmx.read(.postedInterruptNotificationVector) & 0xFF else { return false }
        let descriptor = vmx.read(.postedInterruptDescriptorAddress)
        memory.write(descriptor &+ 32, size: 1, value: memory.read(descriptor &+ 32, size: 1) & ~1)
        var highest = Int(rvi)
        for k in 0..<8 {
            let pir = memory.read(descriptor &+ UInt64(k) * 4, size: 4) & 0xFFFF_FFFF
            guard pir != 0 else { continue }
            memory.write(descriptor &+ UInt64(k) * 4, size: 4, value: 0)
            let virr = virtualAPICAddress &+ CPU.virtualIRR &+ UInt64(k) * 0x10
            memory.write(virr, size: 4, value: memory.read(virr, size: 4) | pir)
            highest = max(highest, k * 32 + 63 - pir.leadingZeroBitCount)
        }
        setInterruptStatus(rvi: UInt8(highest), svi: svi)
        evaluatePendingVirtualInterrupts()
        // At this boundary the virtual interrupt is delivered unless blocked (29.2.2); a halted
        // guest wakes. A VM exit during its delivery has been taken already.
        try? deliverPendingVirtualInterrupt()
        return true
    }
}
