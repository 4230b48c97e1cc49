/// The VM exits instructions cause in VMX non-root operation (SDM vol. 3, 26.1), with their
/// exit qualifications (28.2.1) and instruction-information fields (28.2.5). The instruction
/// handlers call these as early checks behind `if vmx.nonRoot`; exceptions with priority over
/// the VM exit (26.1.1: #UD, CPL-based faults, the I/O permission check) are raised first.
extension CPU {
    // MARK: Instruction information (28.2.5)

    /// The instruction-information field for instructions with a memory operand (VMCLEAR,
    /// VMPTRLD, VMPTRST, VMXON, VMREAD, VMWRITE, INVEPT, INVPCID, INVVPID): scaling, address
    /// size, segment, index and base registers, and register 2 (`reg`). For a register operand
    /// (VMREAD/VMWRITE), bit 10 is set and bits 6:3 name it.
    func vmxInstructionInformation(_ i: Instruction, reg2: UInt8? = nil) -> UInt64 {
        var info: UInt64 = 0
        let addressSize: UInt64 = i.addressSize == 2 ? 0 : i.addressSize == 4 ? 1 : 2
        info |= addressSize << 7
        if let r = reg2 { info |= UInt64(r & 0xF) << 28 }
        if i.mod == 3 {
            return info | 1 << 10 | UInt64(i.rm & 0xF) << 3
        }
        info |= UInt64(i.scale & 3)
        info |= UInt64(i.segment & 7) << 15
        if i.index < Instruction.noRegister { info |= UInt64(i.index) << 18 } else { info |= 1 << 22 }
        if i.base < Instruction.noRegister { info |= UInt64(i.base) << 23 } else { info |= 1 << 27 }
        return info
    }

    /// The exit qualification of those instructions: the displacement (28.2.1).
    func displacementQualification(_ i: Instruction) -> UInt64 {
        i.mod == 3 ? 0 : UInt64(bitPattern: i.displacement) & CPU.mask(i.addressSize)
    }

    /// VM exits of the VMX instructions in non-root operation (reasons 18-27, 50, 53).
    func vmxInstructionExit(_ i: Instruction, _ reason: VMExitReason) throws(Fault) -> Never {
        switch reason {
        case .vmclear, .vmptrld, .vmptrst, .vmxon:
            try vmExitForInstruction(i, reason, qualification: displacementQualification(i),
                                     instructionInformation: vmxInstructionInformation(i))
        case .vmread, .vmwrite, .invept, .invvpid:
            try vmExitForInstruction(i, reason, qualification: displacementQualification(i),
                                     instructionInformation: vmxInstructionInformation(i, reg2: i.reg))
        default:
            try vmExitForInstruction(i, reason)
        }
    }

    // MARK: Unconditional and control-driven instruction exits

    /// CPUID always exits (25.1.2).
    func vmxCPUID(_ i: Instruction) throws(Fault) {
        try vmExitForInstruction(i, .cpuid)
    }

    /// HLT (after the CPL check): exits with "HLT exiting", else the guest sleeps until an
    /// interrupt or the preemption timer wakes it (`sleepUntil`, VMXTimers.swift).
    func vmxHLT(_ i: Instruction) throws(Fault) {
        if vmx.primary.contains(.hltExiting) { try vmExitForInstruction(i, .hlt) }
    }

    /// INVLPG with "INVLPG exiting": the qualification is the linear-address operand.
    func vmxINVLPG(_ i: Instruction) throws(Fault) {
        guard vmx.primary.contains(.invlpgExiting) else { return }
        var linear = segments[Int(i.segment & 7)].base &+ effectiveAddress(i)
        if codeMode != .long64 { linear &= 0xFFFF_FFFF }
        try vmExitForInstruction(i, .invlpg, qualification: linear)
    }

    /// INVPCID: #UD unless "enable INVPCID"; exits with "INVLPG exiting" (25.1.3).
    func vmxINVPCID(_ i: Instruction) throws(Fault) {
        if !vmx.secondary.contains(.enableINVPCID) { throw .invalidOpcode }
        try requireCPL0()
        if vmx.primary.contains(.invlpgExiting) {
            try vmExitForInstruction(i, .invpcid, qualification: displacementQualification(i),
                                     instructionInformation: vmxInstructionInformation(i, reg2: i.reg))
        }
    }

    /// RDTSC and RDTSCP: #UD for RDTSCP without "enable RDTSCP", #GP with CR4.TSD at CPL > 0,
    /// then "RDTSC exiting", else the TSC, offset and scaled (TSCOffsettingAndScaling.swift).
    func vmxRDTSC(_ i: Instruction) throws(Fault) {
        if i.op == .rdtscp && !vmx.secondary.contains(.enableRDTSCP) { throw .invalidOpcode }
        if cr4 & 0x4 != 0 && cpl != 0 { throw .generalProtection(0) }
        if vmx.primary.contains(.rdtscExiting) { try vmExitForInstruction(i, i.op == .rdtscp ? .rdtscp : .rdtsc) }
        let t = vmxGuestTSC(tsc)
        registers[0] = t & 0xFFFF_FFFF
        registers[2] = t >> 32
        if i.op == .rdtscp { registers[1] = tscAux & 0xFFFF_FFFF }
    }

    /// Descriptor-table exiting (25.1.3; after the mode and CPL checks, 25.1.1): LGDT, LIDT,
    /// SGDT, SIDT exit with reason 46, LLDT, LTR, SLDT, STR with 47. Qualification: the
    /// displacement; instruction information (28.2.5): the memory-operand fields, the operand
    /// size (bit 11, reason 46) or the register operand (bits 6:3 and 10, reason 47), and the
    /// instruction identity in bits 29:28 (SGDT/SLDT 0, SIDT/STR 1, LGDT/LLDT 2, LIDT/LTR 3).
    func vmxDescriptorTableExit(_ i: Instruction) throws(Fault) {
        guard vmx.secondary.contains(.descriptorTableExiting) else { return }
        let reason: VMExitReason
        let identity: UInt64
        switch i.op {
        case .sgdt: reason = .gdtrOrIDTRAccess; identity = 0
        case .sidt: reason = .gdtrOrIDTRAccess; identity = 1
        case .lgdt: reason = .gdtrOrIDTRAccess; identity = 2
        case .lidt: reason = .gdtrOrIDTRAccess; identity = 3
        case .sldt: reason = .ldtrOrTRAccess; identity = 0
        case .str: reason = .ldtrOrTRAccess; identity = 1
        case .lldt: reason = .ldtrOrTRAccess; identity = 2
        default: reason = .ldtrOrTRAccess; identity = 3
        }
        var info = vmxInstructionInformation(i) | identity << 28
        if reason == .gdtrOrIDTRAccess && i.size != 2 { info |= 1 << 11 }
        try vmExitForInstruction(i, reason, qualification: displacementQualification(i), instructionInformation: info)
    }

    /// RDMSR of IA32_TSC returns the TSC as RDTSC does (25.3).
    func vmxRDMSRValue(_ index: UInt32, _ value: UInt64) -> UInt64 {
        index == MSR.tsc ? vmxGuestTSC(value) : value
    }

    /// RDMSR/WRMSR (after the CPL check): MSR bitmaps or, without them, always (25.1.3).
    func vmxMSRAccess(_ i: Instruction, write: Bool) throws(Fault) {
        let index = UInt32(truncatingIfNeeded: registers[1])
        if vmxMSRExits(index, write: write) { try vmExitForInstruction(i, write ? .wrmsr : .rdmsr) }
    }

    /// The MSR bitmaps (24.6.9): read-low at 0, read-high at 400H, write-low at 800H,
    /// write-high at C00H; MSRs outside 0-1FFFH and C0000000H-C0001FFFH always exit.
    func vmxMSRExits(_ index: UInt32, write: Bool) -> Bool {
        guard vmx.primary.contains(.useMSRBitmaps) else { return true }
        var offset: UInt64
        switch index {
        case 0...0x1FFF: offset = 0
        case 0xC000_0000...0xC000_1FFF: offset = 0x400
        default: return true
        }
        if write { offset += 0x800 }
        let bit = UInt64(index & 0x1FFF)
        let byte = memory.read(vmx.read(.msrBitmapsAddress) &+ offset &+ (bit >> 3), size: 1)
        return (byte >> (bit & 7)) & 1 != 0
    }

    // MARK: I/O instructions (25.1.3, 24.6.4, 28.2.1 table 28-5)

    /// Whether an access of `size` bytes at `port` exits: unconditional I/O exiting without
    /// bitmaps; with bitmaps, any port of the access with its bit set, or a wrap past FFFFH.
    func vmxIOExits(port: UInt16, size: UInt8) -> Bool {
        guard vmx.primary.contains(.useIOBitmaps) else { return vmx.primary.contains(.unconditionalIOExiting) }
        for k in 0..<UInt32(size) {
            let p = UInt32(port) + k
            if p > 0xFFFF { return true }
            let bitmap = vmx.read(p < 0x8000 ? .ioBitmapAAddress : .ioBitmapBAddress)
            let byte = memory.read(bitmap &+ UInt64((p & 0x7FFF) >> 3), size: 1)
            if (byte >> UInt64(p & 7)) & 1 != 0 { return true }
        }
        return false
    }

    /// IN/OUT (after the I/O permission check). Qualification: size - 1 (2:0), direction
    /// (3, 1 = IN), string (4), REP (5), immediate operand (6), port (31:16).
    func vmxIO(_ i: Instruction, port: UInt16, size: UInt8, input: Bool) throws(Fault) {
        guard vmxIOExits(port: port, size: size) else { return }
        var q = UInt64(size - 1) | UInt64(port) << 16
        if input { q |= 1 << 3 }
        if i.op == .inImm || i.op == .outImm { q |= 1 << 6 }
        try vmExitForInstruction(i, .ioInstruction, qualification: q)
    }

    /// INS/OUTS: the I/O permission check, then the exit with the string and REP bits, the
    /// guest-linear address of the memory operand and the instruction information (address
    /// size 9:7, segment 17:15 for OUTS).
    func vmxStringIO(_ i: Instruction, input: Bool) throws(Fault) {
        let size = min(i.size, 4)
        let port = UInt16(truncatingIfNeeded: registers[2])
        try checkIOPermission(port: port, size: size)
        guard vmxIOExits(port: port, size: size) else { return }
        var q = UInt64(size - 1) | UInt64(port) << 16 | 1 << 4
        if input { q |= 1 << 3 }
        if i.prefixes.contains(.rep) || i.prefixes.contains(.repne) { q |= 1 << 5 }
        let seg = input ? SegmentRegister.es.rawValue : i.segment & 7
        let offset = registers[input ? 7 : 6] & CPU.mask(i.addressSize)
        var linear = segments[Int(seg)].base &+ offset
        if codeMode != .long64 { linear &= 0xFFFF_FFFF }
        let addressSize: UInt64 = i.addressSize == 2 ? 0 : i.addressSize == 4 ? 1 : 2
        let info = addressSize << 7 | (input ? 0 : UInt64(seg) << 15)
        try vmExitForInstruction(i, .ioInstruction, qualification: q, instructionInformation: info,
                                 guestLinearAddress: linear)
    }

    // MARK: Control-register accesses (25.1.3, 25.3, 28.2.1 table 28-3)

    /// CR0/CR4 as MOV from CR reads them: guest-owned bits from the register, host-owned bits
    /// (set in the guest/host mask) from the read shadow.
    var vmxShadowedCR0: UInt64 { (cr0 & ~vmx.cr0Mask) | (vmx.cr0Shadow & vmx.cr0Mask) }
    var vmxShadowedCR4: UInt64 { (cr4 & ~vmx.cr4Mask) | (vmx.cr4Shadow & vmx.cr4Mask) }

    /// MOV to/from CRn in non-root operation (after the CPL check and the #UD for undefined
    /// registers). Returns true when it completed the instruction without a VM exit.
    func vmxMovCR(_ i: Instruction) throws(Fault) -> Bool {
        let size: UInt8 = codeMode == .long64 ? 8 : 4
        let gpr = UInt64(i.rm & 0xF) << 8
        let n = UInt64(i.reg)
        if i.op == .movFromCR {
            switch n {
            case 0: setRegister(i.rm, size: size, vmxShadowedCR0 & CPU.mask(size)); return true
            case 4: setRegister(i.rm, size: size, vmxShadowedCR4 & CPU.mask(size)); return true
            case 3 where vmx.primary.contains(.cr3StoreExiting),
                 8 where vmx.primary.contains(.cr8StoreExiting):
                try vmExitForInstruction(i, .controlRegisterAccess, qualification: n | 1 << 4 | gpr)
            case 8 where vmx.primary.contains(.useTPRShadow):
                setRegister(i.rm, size: size, vmxReadTPRShadow()); return true
            default: return false
            }
        }
        let value = register(i.rm, size: size)
        switch n {
        case 0:
            if (value ^ vmx.cr0Shadow) & vmx.cr0Mask != 0 {
                try vmExitForInstruction(i, .controlRegisterAccess, qualification: gpr)
            }
            try vmxWriteCR0((value & ~vmx.cr0Mask) | (cr0 & vmx.cr0Mask))
            return true
        case 4:
            if (value ^ vmx.cr4Shadow) & vmx.cr4Mask != 0 {
                try vmExitForInstruction(i, .controlRegisterAccess, qualification: 4 | gpr)
            }
            let merged = (value & ~vmx.cr4Mask) | (cr4 & vmx.cr4Mask)
            // Bits fixed in VMX operation stay fixed (25.3).
            let c = vmx.capabilities
            if merged & c.cr4Fixed0 != c.cr4Fixed0 || merged & ~vmxCR4Fixed1 != 0 { throw .generalProtection(0) }
            try writeCR4(merged)
            return true
        case 3:
            if vmx.primary.contains(.cr3LoadExiting) {
                let count = min(vmx.read(.cr3TargetCount), 4)
                let targets: [VMCSField] = [.cr3TargetValue0, .cr3TargetValue1, .cr3TargetValue2, .cr3TargetValue3]
                let matches = (0..<Int(count)).contains { vmx.read(targets[$0]) == value }
                if !matches { try vmExitForInstruction(i, .controlRegisterAccess, qualification: 3 | gpr) }
            }
            return false
        case 8:
            if vmx.primary.contains(.cr8LoadExiting) {
                try vmExitForInstruction(i, .controlRegisterAccess, qualification: 8 | gpr)
            }
            if vmx.primary.contains(.useTPRShadow) { try vmxWriteTPRShadow(value); return true }
            return false
        default:
            return false
        }
    }

    /// MOV to CR0 without a VM exit: #GP if the value breaks the VMX fixed bits (PE and PG are
    /// free with "unrestricted guest").
    func vmxWriteCR0(_ merged: UInt64) throws(Fault) {
        let c = vmx.capabilities
        let fixed0 = c.cr0Fixed0 & ~(vmx.secondary.contains(.unrestrictedGuest) ? 0x8000_0001 : 0)
        if merged & fixed0 != fixed0 || merged & ~c.cr0Fixed1 != 0 { throw .generalProtection(0) }
        try writeCR0(merged)
    }

    /// CLTS: exits if CR0.TS is host-owned and set in the shadow; a host-owned TS is not changed.
    func vmxCLTS(_ i: Instruction) throws(Fault) {
        let ts: UInt64 = 8
        if vmx.cr0Mask & ts != 0 {
            if vmx.cr0Shadow & ts != 0 { try vmExitForInstruction(i, .controlRegisterAccess, qualification: 2 << 4) }
            return
        }
        cr0 &= ~ts
    }

    /// LMSW: exits if it would set a host-owned PE the shadow has clear or change a host-owned
    /// MP/EM/TS (25.1.3); qualification: type 3, operand type (6), source data (31:16); bits 11:8
    /// (the GPR of MOV CR) are cleared for LMSW (27.2.1, table "Exit Qualification for
    /// Control-Register Accesses").
    func vmxLMSW(_ i: Instruction, source: UInt64) throws(Fault) {
        let mask = vmx.cr0Mask & 0xF, shadow = vmx.cr0Shadow & 0xF
        let setsPE = mask & 1 != 0 && shadow & 1 == 0 && source & 1 != 0
        if setsPE || (source ^ shadow) & mask & 0xE != 0 {
            var q: UInt64 = 3 << 4 | (source & 0xFFFF) << 16
            var linear: UInt64? = nil
            if i.mod != 3 {
                q |= 1 << 6
                var l = segments[Int(i.segment & 7)].base &+ effectiveAddress(i)
                if codeMode != .long64 { l &= 0xFFFF_FFFF }
                linear = l
            }
            try vmExitForInstruction(i, .controlRegisterAccess, qualification: q, guestLinearAddress: linear)
        }
        // Host-owned bits keep their value; LMSW never clears PE.
        let v = (cr0 & ~0xE) | (source & 0xF) | (cr0 & 1)
        try vmxWriteCR0((v & ~mask) | (cr0 & mask))
    }

    /// MOV DR with "MOV-DR exiting" (after the CPL and CR4.DE checks): qualification DR number
    /// (2:0), direction (4, 1 = from DR), GPR (11:8).
    func vmxMovDR(_ i: Instruction) throws(Fault) {
        guard vmx.primary.contains(.movDRExiting) else { return }
        let q = UInt64(i.reg & 7) | (i.op == .movFromDR ? 1 << 4 : 0) | UInt64(i.rm & 0xF) << 8
        try vmExitForInstruction(i, .movDR, qualification: q)
    }

    // MARK: Other instructions

    /// Instructions whose exit depends on one control and carries no qualification: WBINVD,
    /// INVD (always), XSETBV (always), RDPMC, MONITOR, MWAIT; PAUSE (PauseLoopExiting.swift).
    func vmxSimpleExit(_ i: Instruction) throws(Fault) {
        switch i.op {
        case .wbinvd: if vmx.secondary.contains(.wbinvdExiting) { try vmExitForInstruction(i, .wbinvdOrWBNOINVD) }
        case .invd: try vmExitForInstruction(i, .invd)
        case .xsetbv: try vmExitForInstruction(i, .xsetbv)
        case .rdpmc: if vmx.primary.contains(.rdpmcExiting) { try vmExitForInstruction(i, .rdpmc) }
        case .monitor: if vmx.primary.contains(.monitorExiting) { try vmExitForInstruction(i, .monitor) }
        case .mwait: if vmx.primary.contains(.mwaitExiting) { try vmExitForInstruction(i, .mwait) }
        case .pause: try vmxPause(i)
        default: break
        }
    }

    /// RDRAND with "RDRAND exiting", RDSEED with "RDSEED exiting" (25.1.3, after the #UD
    /// checks): the instruction information (28.2.5) names the destination register (6:3) and
    /// the operand size (12:11: 0 16-bit, 1 32-bit, 2 64-bit).
    func vmxRandomNumberExit(_ i: Instruction) throws(Fault) {
        let rdrand = i.op == .rdrand
        guard vmx.secondary.contains(rdrand ? .rdrandExiting : .rdseedExiting) else { return }
        let size: UInt64 = i.size == 2 ? 0 : i.size == 4 ? 1 : 2
        try vmExitForInstruction(i, rdrand ? .rdrand : .rdseed,
                                 instructionInformation: UInt64(i.rm & 0xF) << 3 | size << 11)
    }

    /// INT3 and INTO raise software exceptions (type 6) that the exception bitmap intercepts;
    /// the exit reports the instruction length (28.2.2, 28.2.4).
    func vmxSoftwareException(_ i: Instruction, vector: UInt8) throws(Fault) {
        guard vmx.exceptionBitmap >> UInt32(vector) & 1 != 0 else { return }
        rip = (rip &- UInt64(i.length)) & ripMask
        var info = VMExitInformation()
        info.interruptionInformation = UInt64(vector) | 6 << 8 | 1 << 31
        info.instructionLength = UInt64(i.length)
        try takeVMExit(.exceptionOrNMI, info)
    }

    // MARK: Exceptions, triple fault, external interrupts

    /// `deliver` in non-root operation (and for `Fault.vmExitTaken`): exceptions the exception
    /// bitmap intercepts exit with reason 0 (25.2); a triple fault exits with reason 2.
    func vmxDeliver(_ fault: Fault) -> DeliveryOutcome {
        let shutdown = DeliveryOutcome.tripleFault(Fault(vector: 8, errorCode: 0))
        let softwareEvent = vmx.softwareEventVectoring
        vmx.softwareEventVectoring = nil
        if fault == .vmExitTaken { return vmx.aborted ? shutdown : .delivered }
        if fault == .accessVMExit {
            takePendingExit()
            return vmx.aborted ? shutdown : .delivered
        }
        if vmxExceptionExits(fault) {
            var info = VMExitInformation()
            if let e = softwareEvent {
                info.idtVectoringInformation = e.information
                info.instructionLength = (e.nextRIP &- rip) & ripMask
            }
            return vmxExceptionExit(fault, info)
        }
        let software = fault.trap && fault.vector != 1
        let outcome = deliverEvent(InterruptEvent(vector: fault.vector, errorCode: software ? nil : fault.errorCode,
                                                  source: software ? .software : .exception, trap: fault.trap))
        if case .tripleFault = outcome, vmx.nonRoot {
            vmExit(.tripleFault)
            return vmx.aborted ? shutdown : .delivered
        }
        vmxExitsAfterDelivery()
        return vmx.aborted ? shutdown : outcome
    }

    /// The VM exit an access recorded (EPT violation or misconfiguration), with RIP at the
    /// instruction that made the access.
    func takePendingExit() {
        guard var pending = vmx.pendingExit else { return }
        vmx.pendingExit = nil
        if pending.reason == .eptViolation && iretUnblockedNMI() {
            pending.info.qualification |= EPTViolation.nmiUnblockingDueToIRET
        }
        if let next = pending.nextRIP { pending.info.instructionLength = (next &- rip) & ripMask }
        vmExit(pending.reason, pending.info)
    }

    /// INT n (type 4), INT1 (5), INT3 or INTO (6) was delivering its event when an access
    /// caused a VM exit: the IDT-vectoring information describes it (27.2.4); RIP is past the
    /// instruction now and back at it when the exit is taken.
    func vmxNoteSoftwareEventDelivery(_ vector: UInt8, type: UInt64) {
        let information = UInt64(vector) | type << 8 | 1 << 31
        if vmx.pendingExit != nil {
            vmx.pendingExit?.info.idtVectoringInformation = information
            vmx.pendingExit?.nextRIP = rip
        } else {
            vmx.softwareEventVectoring = (information, rip)
        }
    }

    /// The instruction that is ending in a VM exit is an IRET that unblocked NMIs: the exit
    /// reports bit 12 and NMIs stay blocked, since the IRET did not complete (28.2.2, 28.3.4).
    func iretUnblockedNMI() -> Bool {
        guard vmx.iretUnblockedNMIAt == instructionsRetired else { return false }
        vmx.iretUnblockedNMIAt = .max
        nmiBlocked = true
        return true
    }

    /// An access made while delivering `e` through the guest IDT caused a VM exit: the
    /// IDT-vectoring fields describe the event (SDM 27.2.4): vector, type (0 external interrupt,
    /// 2 NMI, 3 hardware exception, 4 software interrupt, 5 privileged software exception,
    /// 6 software exception), error code, valid. An event injected by VM entry is reported with
    /// the type it was injected with.
    func vmxExitDuringDelivery(_ e: InterruptEvent) -> DeliveryOutcome {
        guard var pending = vmx.pendingExit else { return .delivered }
        vmx.pendingExit = nil
        let vectoring = idtVectoring(e, &pending.info)
        pending.info.idtVectoringInformation = vectoring.information
        pending.info.idtVectoringErrorCode = vectoring.errorCode
        vmExit(pending.reason, pending.info)
        return vmx.aborted ? .tripleFault(Fault(vector: 8, errorCode: 0)) : .delivered
    }

    /// An exception raised while delivering `e` that the exception bitmap intercepts: a VM exit
    /// with the exception's interruption information and `e` as IDT-vectoring information
    /// (27.2.4); nil when it is not intercepted (delivery goes on, SDM 6.15). A double fault
    /// that the delivery produced exits directly: no IDT-vectoring information (28.2.3, "not
    /// considered to occur during event delivery").
    func vmxExceptionDuringDelivery(_ e: InterruptEvent, _ next: InterruptEvent) -> DeliveryOutcome? {
        let fault = Fault(vector: next.vector, errorCode: next.errorCode)
        guard vmx.nonRoot, vmxExceptionExits(fault) else { return nil }
        var info = VMExitInformation()
        if next.vector == 8 { return vmxExceptionExit(fault, info) }
        let vectoring = idtVectoring(e, &info)
        info.idtVectoringInformation = vectoring.information
        info.idtVectoringErrorCode = vectoring.errorCode
        return vmxExceptionExit(fault, info)
    }

    /// The IDT-vectoring fields for event `e`; `info` receives the instruction length of an
    /// injected software event (whose RIP goes back to VM entry's).
    func idtVectoring(_ e: InterruptEvent, _ info: inout VMExitInformation) -> (information: UInt64, errorCode: UInt64) {
        var type: UInt64
        switch e.source {
        case .exception: type = 3
        case .software: type = 4
        case .privilegedSoftware: type = 5
        case .external: type = e.vector == 2 ? 2 : 0
        }
        if vmx.injectedEventInformation & 0x8000_0000 != 0 {
            type = (vmx.injectedEventInformation >> 8) & 7
            if type == 4 || type == 5 || type == 6 {
                // An injected software event: RIP and the instruction length as VM entry had
                // them (27.2.4, 28.3.3).
                let length = vmx.read(.vmEntryInstructionLength)
                rip = (rip &- length) & ripMask
                info.instructionLength = length
            }
        }
        var information = UInt64(e.vector) | type << 8 | 1 << 31
        var errorCode: UInt64 = 0
        if let code = e.errorCode {
            information |= 1 << 11
            errorCode = UInt64(code)
        }
        // The event was not delivered: an NMI leaves NMIs unblocked (27.3.4 saves blocking by NMI
        // as it was before delivery).
        if type == 2 { nmiBlocked = false }
        return (information, errorCode)
    }

    /// An exception VM exit (reason 0, 27.2.2): interruption information and error code, the
    /// qualification of #PF (the address; CR2 keeps its old value, 27.1) and #DB.
    func vmxExceptionExit(_ fault: Fault, _ base: VMExitInformation) -> DeliveryOutcome {
        var info = base
        info.interruptionInformation = UInt64(fault.vector) | 3 << 8 | 1 << 31
        if let code = fault.errorCode {
            info.interruptionInformation |= 1 << 11
            info.interruptionErrorCode = UInt64(code)
        }
        if fault.vector != 8 && info.idtVectoringInformation == 0 && iretUnblockedNMI() {
            info.interruptionInformation |= 1 << 12
        }
        if fault.vector == 14 {
            info.qualification = cr2
            cr2 = vmx.cr2BeforePageFault
        } else if fault.vector == 1 {
            info.qualification = CPU.dr6Value(dr[6]) & 0x600F
        }
        vmExit(.exceptionOrNMI, info)
        return vmx.aborted ? .tripleFault(Fault(vector: 8, errorCode: 0)) : .delivered
    }

    /// The exception bitmap, with the #PF error-code mask/match rule (25.2).
    func vmxExceptionExits(_ fault: Fault) -> Bool {
        guard fault.vector < 32 else { return false }
        let bit = vmx.exceptionBitmap >> UInt32(fault.vector) & 1 != 0
        if fault.vector == 14 {
            let code = UInt64(fault.errorCode ?? 0)
            let matches = code & vmx.read(.pageFaultErrorCodeMask) == vmx.read(.pageFaultErrorCodeMatch)
            return bit == matches
        }
        return bit
    }

    /// The hook for NMIs: in non-root operation with "NMI exiting" an NMI exits with reason 0
    /// and interruption information vector 2, type NMI (25.2, 27.2.2). Returns true if it exited.
    public func vmxNMI() -> Bool {
        guard vmx.nonRoot, vmx.pin.contains(.nmiExiting) else { return false }
        var info = VMExitInformation()
        info.interruptionInformation = 2 | 2 << 8 | 1 << 31
        halted = false
        vmExit(.exceptionOrNMI, info)
        return true
    }

    /// The hook for interrupt controllers: an external interrupt arriving in non-root operation
    /// with "external-interrupt exiting" exits (reason 1) instead of being delivered; with
    /// "acknowledge interrupt on exit" the vector is reported (28.2.2). Returns true if it exited.
    public func vmxExternalInterrupt(vector: UInt8) -> Bool {
        guard vmx.nonRoot, vmx.pin.contains(.externalInterruptExiting) else { return false }
        var info = VMExitInformation()
        if vmx.exitControls.contains(.acknowledgeInterruptOnExit) {
            info.interruptionInformation = UInt64(vector) | 1 << 31
        }
        halted = false
        vmExit(.externalInterrupt, info)
        return true
    }
}
