/// Interrupt acceptance at an instruction boundary (SDM vol. 3, 6.8.1, 6.8.3, 11.8.4; VMX:
/// 25.2, 26.6), for one processor and its local APIC.
///
/// Order: a start-up IPI a processor waits for, then an NMI (a VM exit under "NMI exiting"),
/// then the local APIC's highest
/// deliverable vector, then the 8259A's INTR through LINT0 in ExtINT mode (QEMU's order: the
/// APIC first, then the PIC). A maskable interrupt needs RFLAGS.IF = 1 and no STI or MOV SS
/// shadow; in VMX non-root operation with "external-interrupt exiting" IF does not matter and
/// the interrupt causes a VM exit instead of going through the IDT, acknowledged (moved into
/// the ISR, or the INTA cycle run) only when "acknowledge interrupt on exit" is set (28.2.2).
extension Machine {
    enum InterruptCheck {
        /// Nothing is pending.
        case idle
        /// Something is pending (blocked now, or more may follow): look again at the next boundary.
        case pending
        /// Delivery ended in a triple fault.
        case shutdown(Fault)
    }

    func acceptInterrupt(_ cpu: CPU, _ apic: LocalAPIC) -> InterruptCheck {
        // INIT: acted on outside VMX operation, blocked in root, a VM exit in non-root; a SIPI
        // to a guest in wait-for-SIPI is a VM exit (VMX/VMXInitAndStartup.swift).
        if apic.pendingINIT {
            if !cpu.vmx.inVMXOperation {
                apic.takeINIT()
            } else if cpu.vmx.nonRoot {
                apic.clearPendingINIT()
                cpu.vmxINITSignal()
                return .pending
            }
        }
        if cpu.vmx.nonRoot, let vector = apic.takePendingStartupVector() {
            cpu.vmxStartupIPI(vector: vector)
            return .pending
        }
        if cpu.vmx.nonRoot && cpu.vmx.guestWaitingForSIPI { return .idle }
        // A guest in the shutdown activity state takes NMIs only (VMX/VMXState.swift).
        if cpu.vmx.nonRoot && cpu.vmx.guestShutdown && !apic.nmiPending { return .idle }
        if apic.pendingStartup != nil { apic.takeStartup() }
        if apic.waitingForSIPI { return .idle }
        let shadow = cpu.interruptShadow & 3
        if apic.nmiPending {
            // NMIs are blocked by MOV SS shadow and until the IRET that ends an NMI handler.
            guard !cpu.nmiBlocked, shadow & 2 == 0 else { return .pending }
            apic.takeNMI()
            if cpu.vmxNMI() { return .pending }              // "NMI exiting" (25.2)
            cpu.nmiBlocked = true
            cpu.vmx.guestShutdown = false
            return outcome(cpu, cpu.deliverExternalInterrupt(vector: 2))
        }
        let exiting = cpu.vmx.nonRoot && cpu.vmx.pin.contains(.externalInterruptExiting)
        let open = shadow == 0 && (exiting || cpu.controlFlags & RFlags.interrupt.rawValue != 0)
        if let vector = apic.deliverableVector {
            guard open else { return .pending }
            if exiting {
                if cpu.vmx.exitControls.contains(.acknowledgeInterruptOnExit) { apic.acknowledge(vector) }
                if cpu.vmxPostedInterruptNotification(vector: vector) {
                    apic.endOfInterrupt()
                    return .pending
                }
                _ = cpu.vmxExternalInterrupt(vector: vector)
                return .pending
            }
            apic.acknowledge(vector)
            return outcome(cpu, cpu.deliverExternalInterrupt(vector: vector))
        }
        if apic.acceptsExtINT && pic.interruptRequested {
            guard open else { return .pending }
            if exiting {
                let acknowledge = cpu.vmx.exitControls.contains(.acknowledgeInterruptOnExit)
                _ = cpu.vmxExternalInterrupt(vector: acknowledge ? pic.acknowledge() : 0)
                return .pending
            }
            return outcome(cpu, cpu.deliverExternalInterrupt(vector: pic.acknowledge()))
        }
        return .idle
    }

    /// The interrupt was delivered through the IDT (in a VMX guest, possibly followed by an MTF
    /// or preemption-timer VM exit before the handler's first instruction, 26.5.2).
    private func outcome(_ cpu: CPU, _ o: DeliveryOutcome) -> InterruptCheck {
        if case .tripleFault(let last) = o { return .shutdown(last) }
        cpu.vmxExitsAfterDelivery()
        return .pending
    }

    /// Whether processor `i` has something to do at its next turn: a start-up IPI, an NMI, or
    /// an interrupt it can take.
    func canBeWoken(_ i: Int) -> Bool {
        let apic = apics[i], cpu = cpus[i]
        if apic.pendingStartup != nil { return true }
        if apic.pendingINIT && (!cpu.vmx.inVMXOperation || cpu.vmx.nonRoot) { return true }
        if apic.waitingForSIPI || (cpu.vmx.nonRoot && cpu.vmx.guestWaitingForSIPI) { return false }
        if cpu.vmx.nonRoot && cpu.vmx.guestShutdown { return apic.nmiPending && !cpu.nmiBlocked }
        if apic.nmiPending && !cpu.nmiBlocked { return true }
        guard canWake(cpu) else { return false }
        return apic.deliverableVector != nil || (apic.acceptsExtINT && pic.interruptRequested)
    }

    /// Whether an interrupt could end HLT: RFLAGS.IF = 1, or external-interrupt exiting in VMX
    /// non-root operation (which exits whatever IF says).
    func canWake(_ cpu: CPU) -> Bool {
        cpu.controlFlags & RFlags.interrupt.rawValue != 0
            || (cpu.vmx.nonRoot && cpu.vmx.pin.contains(.externalInterruptExiting))
    }
}
