/// Virtual-interrupt delivery (SDM vol. 3, 29.1.3-29.2): the guest interrupt status (RVI in
/// bits 7:0, SVI in 15:8 of the VMCS field, which is their only home), VPPR, VISR and VIRR on
/// the virtual-APIC page, PPR virtualization, EOI virtualization with the EOI-exit bitmaps and
/// the EOI-induced VM exit (reason 45), self-IPI virtualization, and the evaluation and delivery
/// of pending virtual interrupts at instruction boundaries.
///
/// ```
/// VISR bit x: offset 100H | ((x & E0H) >> 1), bit x & 1FH     VPPR: offset 0A0H
/// VIRR bit x: offset 200H | ((x & E0H) >> 1), bit x & 1FH     EOI-exit bitmap N: vectors 64N..64N+63
/// ```
extension CPU {
    static let virtualISR: UInt64 = 0x100
    static let virtualIRR: UInt64 = 0x200
    static let virtualPPROffset: UInt64 = 0xA0

    var virtualInterruptStatus: UInt64 { vmx.read(.guestInterruptStatus) & 0xFFFF }
    var rvi: UInt8 { UInt8(truncatingIfNeeded: virtualInterruptStatus) }
    var svi: UInt8 { UInt8(truncatingIfNeeded: virtualInterruptStatus >> 8) }

    func setInterruptStatus(rvi: UInt8, svi: UInt8) {
        vmx.write(.guestInterruptStatus, UInt64(svi) << 8 | UInt64(rvi))
    }

    /// Sets or clears bit `vector` of the 256-bit register at `base` (VISR or VIRR).
    func setVirtualAPICBit(_ base: UInt64, _ vector: UInt8, _ value: Bool) {
        let address = virtualAPICAddress &+ base &+ (UInt64(vector & 0xE0) >> 1)
        let bit = UInt64(1) << UInt64(vector & 0x1F)
        let old = memory.read(address, size: 4)
        memory.write(address, size: 4, value: value ? old | bit : old & ~bit)
    }

    /// The highest vector set in the 256-bit register at `base`, or 0 if none.
    func highestVirtualAPICBit(_ base: UInt64) -> UInt8 {
        for k in (0..<8).reversed() {
            let word = memory.read(virtualAPICAddress &+ base &+ UInt64(k) * 0x10, size: 4) & 0xFFFF_FFFF
            if word != 0 { return UInt8(k * 32 + 63 - word.leadingZeroBitCount) }
        }
        return 0
    }

    /// PPR virtualization (29.1.3): VPPR = VTPR if VTPR[7:4] >= SVI[7:4], else SVI & F0H.
    func pprVirtualization() {
        let vtpr = virtualTPR & 0xFF
        let svi = UInt64(self.svi)
        let vppr = vtpr >> 4 >= svi >> 4 ? vtpr : svi & 0xF0
        memory.write(virtualAPICAddress &+ CPU.virtualPPROffset, size: 4, value: vppr)
    }

    /// Evaluation of pending virtual interrupts (29.2.1): one is recognized if RVI[7:4] >
    /// VPPR[7:4]; it is delivered at the next boundary where it is not blocked.
    func evaluatePendingVirtualInterrupts() {
        let vppr = memory.read(virtualAPICAddress &+ CPU.virtualPPROffset, size: 1)
        vmx.virtualInterruptPending = UInt64(rvi) >> 4 > vppr >> 4
        if vmx.virtualInterruptPending {
            vmx.eventDeadline = cycles
            eventCycle = cycles
        }
    }

    /// Virtual-interrupt delivery (29.2.2) at an instruction boundary, if a virtual interrupt is
    /// recognized, RFLAGS.IF = 1, there is no blocking by STI or MOV SS and "interrupt-window
    /// exiting" is 0: VISR[RVI] and SVI set, VPPR = vector & F0H, VIRR[RVI] cleared and RVI set
    /// to the next highest request, then the vector is delivered through the guest IDT.
    func deliverPendingVirtualInterrupt() throws(Fault) {
        guard vmx.virtualInterruptPending, controlFlags & RFlags.interrupt.rawValue != 0,
              interruptShadow & 3 == 0, !vmx.primary.contains(.interruptWindowExiting) else { return }
        let vector = rvi
        setVirtualAPICBit(CPU.virtualISR, vector, true)
        setVirtualAPICBit(CPU.virtualIRR, vector, false)
        setInterruptStatus(rvi: highestVirtualAPICBit(CPU.virtualIRR), svi: vector)
        memory.write(virtualAPICAddress &+ CPU.virtualPPROffset, size: 4, value: UInt64(vector & 0xF0))
        vmx.virtualInterruptPending = false
        try finishBoundaryDelivery(deliverExternalInterrupt(vector: vector))
    }

    /// After an event delivered through the guest IDT at an instruction boundary: a triple
    /// fault exits (reason 2), a VM exit during delivery (exception bitmap, EPT: 27.2.4) has been
    /// taken already, and with "monitor trap flag" an MTF VM exit comes before the handler's
    /// first instruction (26.5.2).
    func finishBoundaryDelivery(_ outcome: DeliveryOutcome) throws(Fault) {
        if case .tripleFault = outcome, vmx.nonRoot { try takeVMExit(.tripleFault) }
        if !vmx.nonRoot { throw .vmExitTaken }
        if vmx.primary.contains(.monitorTrapFlag) { try takeVMExit(.monitorTrapFlag) }
    }

    /// EOI virtualization (29.1.4): VISR[SVI] cleared, SVI set to the next highest in-service
    /// vector, PPR virtualization; then an EOI-induced VM exit (trap-like, the vector as
    /// qualification) if the vector's bit in the EOI-exit bitmaps is set, else the evaluation
    /// of pending virtual interrupts. `singleStep`: the instruction's single-step trap is due
    /// (`takeTrapLikeVMExit`).
    func eoiVirtualization(singleStep: Bool) throws(Fault) {
        let vector = svi
        setVirtualAPICBit(CPU.virtualISR, vector, false)
        setInterruptStatus(rvi: rvi, svi: highestVirtualAPICBit(CPU.virtualISR))
        pprVirtualization()
        let bitmap: VMCSField
        switch vector >> 6 {
        case 0: bitmap = .eoiExitBitmap0
        case 1: bitmap = .eoiExitBitmap1
        case 2: bitmap = .eoiExitBitmap2
        default: bitmap = .eoiExitBitmap3
        }
        if (vmx.read(bitmap) >> UInt64(vector & 0x3F)) & 1 != 0 {
            var info = VMExitInformation()
            info.qualification = UInt64(vector)
            try takeTrapLikeVMExit(.virtualizedEOI, info, singleStep: singleStep)
        }
        evaluatePendingVirtualInterrupts()
    }

    /// Self-IPI virtualization (29.1.5): VIRR[vector] set, RVI = max(RVI, vector), then the
    /// evaluation of pending virtual interrupts.
    func selfIPIVirtualization(_ vector: UInt8) {
        setVirtualAPICBit(CPU.virtualIRR, vector, true)
        setInterruptStatus(rvi: max(rvi, vector), svi: svi)
        evaluatePendingVirtualInterrupts()
    }
}
