/// Exception and interrupt delivery (SDM vol. 3, chapter 6; APM vol. 2, chapter 8): the
/// real-mode IVT, the protected-mode IDT with interrupt, trap and task gates and the stack switch
/// through the TSS, the IA-32e 16-byte gates with IST and the 64-bit frame, and the double-fault
/// and shutdown rules of 6.15 (table 6-5).
public enum DeliveryOutcome: Equatable, Sendable {
    /// The handler's first instruction is at CS:RIP.
    case delivered
    /// A fault while delivering #DF: the processor shuts down (SDM 6.15, interrupt 8). The
    /// associated fault is the one raised while delivering the double fault.
    case tripleFault(Fault)
}

/// Where an event comes from; it decides the IDT gate DPL check, the EXT bit of error codes
/// raised while delivering it, and whether an error code and RF are pushed.
enum EventSource: Equatable {
    /// An exception raised by an instruction or by delivery (`Fault`).
    case exception
    /// INT n, INT3, INTO: gate DPL checked against CPL, EXT = 0 in resulting error codes.
    case software
    /// INT1 (ICEBP): no DPL check, EXT = 1.
    case privilegedSoftware
    /// External interrupt (PIC/APIC) or NMI.
    case external
}

struct InterruptEvent: Equatable {
    var vector: UInt8
    var errorCode: UInt32?
    var source: EventSource
    /// RIP already points past the instruction (traps, software interrupts, interrupts).
    var trap: Bool

    /// "#GP(0x43)", "INT 0x80", "interrupt 0x20", for the shutdown report.
    var name: String {
        switch source {
        case .software, .privilegedSoftware: return vector == 1 ? "INT1" : "INT 0x\(String(vector, radix: 16))"
        case .external: return vector == 2 ? "NMI" : "interrupt 0x\(String(vector, radix: 16))"
        case .exception: return Fault(vector: vector, errorCode: errorCode).name
        }
    }
}

extension CPU {
    // MARK: Run-loop API

    /// Delivers an exception that `step()` threw. Faults raised while delivering it become the
    /// next event (with EXT set in #TS/#NP/#SS/#GP error codes), a contributory or page fault
    /// during a contributory or page fault becomes #DF (error code 0), and any fault while
    /// delivering #DF shuts the processor down: the caller stops the machine on `.tripleFault`.
    ///
    /// A trap-class fault with a vector other than 1 comes from INT n, INT3 or INTO (the only
    /// trap-class exceptions with those vectors): it is delivered as a software interrupt (gate
    /// DPL checked against CPL, no error code, EXT = 0 in the error codes of faults it causes).
    /// Vector 1 traps (INT1, single-step and data breakpoints) skip the DPL check.
    public func deliver(_ fault: Fault) -> DeliveryOutcome {
        // VM exits: the exception bitmap, triple faults, and instructions that exited (VMX/).
        if vmx.nonRoot || fault == .vmExitTaken { return vmxDeliver(fault) }
        let software = fault.trap && fault.vector != 1
        return deliverEvent(InterruptEvent(vector: fault.vector, errorCode: software ? nil : fault.errorCode,
                                           source: software ? .software : .exception, trap: fault.trap))
    }

    /// Delivers a maskable external interrupt (the caller checked RFLAGS.IF and the interrupt
    /// shadow) or, with vector 2, an NMI. RIP is the next instruction to execute; a halted CPU
    /// resumes.
    public func deliverExternalInterrupt(vector: UInt8) -> DeliveryOutcome {
        deliverEvent(InterruptEvent(vector: vector, errorCode: nil, source: .external, trap: true))
    }

    /// Delivers an event, handling faults during delivery (SDM 6.15 table 6-5).
    func deliverEvent(_ first: InterruptEvent) -> DeliveryOutcome {
        var event = first
        // The events that could not be delivered, for the shutdown report (empty, so no
        // allocation, unless delivery faults).
        var failed: [InterruptEvent] = []
        for _ in 0..<8 {
            do throws(Fault) {
                try deliverThroughTable(event)
                halted = false
                return .delivered
            } catch {
                var f = error
                // An EPT violation or misconfiguration while delivering: a VM exit (VMX/).
                if f == .accessVMExit { return vmxExitDuringDelivery(event) }
                if event.source != .software, (10...13).contains(f.vector) {
                    f.errorCode = (f.errorCode ?? 0) | 1
                }
                failed.append(event)
                let raised = InterruptEvent(vector: f.vector, errorCode: f.errorCode, source: .exception, trap: f.trap)
                if event.source == .exception && event.vector == 8 {
                    // A VMX guest's exception bitmap sees a fault during #DF delivery first (VMX/).
                    if vmx.nonRoot, let outcome = vmxExceptionDuringDelivery(event, raised) { return outcome }
                    shutdownChain = failed.map(\.name) + [f.name]
                    return .tripleFault(f)
                }
                let next = event.source == .exception && CPU.causesDoubleFault(first: event.vector, second: f.vector)
                    ? InterruptEvent(vector: 8, errorCode: 0, source: .exception, trap: false) : raised
                // In a VMX guest the exception bitmap may turn it into a VM exit (VMX/).
                if vmx.nonRoot, let outcome = vmxExceptionDuringDelivery(event, next) { return outcome }
                event = next
            }
        }
        return .tripleFault(Fault(vector: 8, errorCode: 0))
    }

    /// Table 6-5: contributory (#DE, #TS, #NP, #SS, #GP) after contributory, or contributory
    /// or #PF after #PF, is a double fault; everything else is handled serially.
    static func causesDoubleFault(first: UInt8, second: UInt8) -> Bool {
        func contributory(_ v: UInt8) -> Bool { v == 0 || (10...13).contains(v) }
        if contributory(first) { return contributory(second) }
        if first == 14 { return contributory(second) || second == 14 }
        return false
    }

    /// INT n, INT3, INTO and INT1 executed by an instruction: delivered at once, so a fault
    /// during delivery is a fault of the INT instruction (RIP back at it, SDM vol. 2, INT n).
    /// `softwareException`: INT3 or INTO (VMX reports them as software exceptions).
    func deliverSoftwareInterrupt(_ vector: UInt8, privileged: Bool, softwareException: Bool = false) throws(Fault) {
        let event = InterruptEvent(vector: vector, errorCode: nil,
                                   source: privileged ? .privilegedSoftware : .software, trap: true)
        do {
            try deliverThroughTable(event)
        } catch {
            var f = error
            if vmx.nonRoot {   // a VM exit during delivery reports this event (VMX/)
                vmxNoteSoftwareEventDelivery(vector, type: privileged ? 5 : softwareException ? 6 : 4)
            }
            if privileged, (10...13).contains(f.vector) { f.errorCode = (f.errorCode ?? 0) | 1 }
            throw f
        }
    }

    // MARK: Delivery

    func deliverThroughTable(_ e: InterruptEvent) throws(Fault) {
        if cr0 & 1 == 0 { return try deliverReal(e) }
        try deliverProtected(e)
    }

    /// Real-address mode (SDM 20.1.4): IVT entry = IP:CS at IDTR.base + 4 * vector; FLAGS, CS
    /// and IP are pushed; IF, TF, AC and RF are cleared.
    func deliverReal(_ e: InterruptEvent) throws(Fault) {
        let entry = UInt64(e.vector) * 4
        if entry + 3 > UInt64(idtr.limit) { throw .generalProtection(0) }
        let vectorEntry = try readLinear(idtr.base &+ entry, size: 4)
        var stack = currentStack
        try pushStack(&stack, rflags, size: 2)
        try pushStack(&stack, UInt64(segments[1].selector), size: 2)
        try pushStack(&stack, rip, size: 2)
        commitStackPointer(stack)
        let selector = UInt16(truncatingIfNeeded: vectorEntry >> 16)
        segments[1].selector = selector
        segments[1].base = UInt64(selector) << 4
        rip = vectorEntry & 0xFFFF
        controlFlags &= ~(RFlags.interrupt.rawValue | RFlags.trap.rawValue | RFlags.alignmentCheck.rawValue
                          | RFlags.resume.rawValue)
    }

    /// Protected mode and IA-32e mode (SDM 6.12, 6.14; vol. 2, INT n operation).
    func deliverProtected(_ e: InterruptEvent) throws(Fault) {
        let idtCode = UInt32(e.vector) << 3 | 2
        let entrySize: UInt64 = ia32e ? 16 : 8
        let entry = UInt64(e.vector) * entrySize
        if entry + entrySize - 1 > UInt64(idtr.limit) { throw .generalProtection(idtCode) }
        var gate = Descriptor(low: try readLinear(idtr.base &+ entry, size: 8))
        if ia32e { gate.high = try readLinear(idtr.base &+ entry &+ 8, size: 8) }
        let type = gate.type
        let validTypes: [UInt8] = ia32e ? [SystemType.interruptGate, SystemType.trapGate]
            : [SystemType.taskGate, SystemType.interruptGate16, SystemType.trapGate16,
               SystemType.interruptGate, SystemType.trapGate]
        if !gate.isSystem || !validTypes.contains(type) { throw .generalProtection(idtCode) }
        if e.source == .software && gate.dpl < cpl { throw .generalProtection(idtCode) }
        if !gate.present { throw .segmentNotPresent(idtCode) }
        let pushesErrorCode = e.source == .exception && e.errorCode != nil
        // RF in the EFLAGS image pushed, or saved in the old TSS through a task gate (SDM
        // 18.3.1.1): 1 for fault-class exceptions but instruction-breakpoint #DB, and for
        // interrupts and traps after an iteration of a repeated string instruction but its last.
        let instructionBreakpoint = e.vector == 1 && takeInstructionBreakpointFault()
        let resume = e.source == .exception && !e.trap && !instructionBreakpoint
            || (e.source == .external || e.source == .exception && e.trap) && betweenRepeatIterations

        if type == SystemType.taskGate {
            let tss = gate.gateSelector
            if tss.selectorIsLDT { throw .generalProtection(tss.selectorErrorCode) }
            let d = try readDescriptor(tss, orFault: 13)
            try switchTask(to: tss, d, reason: .interrupt, errorCode: pushesErrorCode ? e.errorCode : nil,
                           savedResume: resume)
            return
        }

        let csSelector = gate.gateSelector
        if csSelector.selectorIsNull { throw .generalProtection(0) }
        let d = try readDescriptor(csSelector, orFault: 13)
        let csCode = csSelector.selectorErrorCode
        if !d.isCode || d.dpl > cpl { throw .generalProtection(csCode) }
        if !d.present { throw .segmentNotPresent(csCode) }
        if ia32e && (!d.long || d.defaultBig) { throw .generalProtection(csCode) }
        let size: UInt8 = ia32e ? 8 : (type == SystemType.interruptGate16 || type == SystemType.trapGate16) ? 2 : 4
        let offset = ia32e ? gate.gateOffset64 : size == 2 ? gate.gateOffset & 0xFFFF : gate.gateOffset

        var image = rflags
        if resume { image |= RFlags.resume.rawValue }
        let fromV86 = virtual8086
        let oldSS = segments[2]
        let oldSP = registers[4]
        var stack: StackCursor
        var newCPL = cpl
        var switchStacks = false
        if !d.conforming && d.dpl < cpl {
            if fromV86 && d.dpl != 0 { throw .generalProtection(csCode) }
            newCPL = d.dpl
            stack = try innerStack(for: newCPL, ist: ia32e ? gate.ist : 0, vector: e.vector)
            switchStacks = true
        } else if d.conforming || d.dpl == cpl {
            if fromV86 { throw .generalProtection(csCode) }
            if ia32e {
                if gate.ist != 0 {
                    stack = try innerStack(for: cpl, ist: gate.ist, vector: e.vector)
                    stack.cache = oldSS
                } else {
                    stack = StackCursor(cache: oldSS, sp: registers[4] & ~0xF, addressSize: 8, user: cpl == 3)
                }
            } else {
                stack = currentStack
            }
        } else {
            throw .generalProtection(csCode)
        }
        if fromV86 {
            for sreg in [SegmentRegister.gs, .fs, .ds, .es] {
                try pushStack(&stack, UInt64(segments[Int(sreg.rawValue)].selector), size: size)
            }
        }
        if switchStacks || ia32e {
            try pushStack(&stack, UInt64(oldSS.selector), size: size)
            try pushStack(&stack, ia32e ? oldSP : oldSP & CPU.mask(stackAddressSize), size: size)
        }
        try pushStack(&stack, image, size: size)
        try pushStack(&stack, UInt64(segments[1].selector), size: size)
        try pushStack(&stack, rip, size: size)
        if pushesErrorCode, let code = e.errorCode { try pushStack(&stack, UInt64(code), size: size) }
        try checkFarTarget(offset, d)

        try markAccessed(csSelector, d)

        // Commit.
        if fromV86 {
            for sreg in [SegmentRegister.gs, .fs, .ds, .es] {
                segments[Int(sreg.rawValue)] = SegmentCache(selector: 0, base: 0, limit: 0, attributes: 0)
            }
        }
        var cleared = RFlags.trap.rawValue | RFlags.nestedTask.rawValue | RFlags.resume.rawValue
            | RFlags.virtual8086.rawValue
        if type == SystemType.interruptGate || type == SystemType.interruptGate16 {
            cleared |= RFlags.interrupt.rawValue
        }
        controlFlags &= ~cleared
        if switchStacks { segments[2] = stack.cache }
        try loadCodeSegment(csSelector, d.accessed, cpl: newCPL)
        if stack.addressSize == 8 { registers[4] = stack.sp } else { commitStackPointer(stack) }
        rip = offset
    }
}
