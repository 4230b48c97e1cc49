/// Far JMP, far CALL, far RET and IRET in every mode (SDM vol. 2, JMP/CALL/RET/IRET operation;
/// vol. 3, 5.8 privilege-level checks for control transfers; APM vol. 2, 4.11-4.13).
///
/// Nothing architectural changes until every check has passed: new stacks are built through a
/// `StackCursor` and committed at the end, so a fault leaves the registers as they were.
extension CPU {
    // MARK: Operand fetch

    /// The selector:offset of a far JMP/CALL: immediate (ptr16:16/32) or memory (m16:16/32/64;
    /// AMD processors ignore REX.W here and read m16:32, APM vol. 3, JMP (Far)).
    func farPointerOperand(_ i: Instruction) throws(Fault) -> (selector: UInt16, offset: UInt64, size: UInt8) {
        if i.form == .farPointer { return (i.immediate2, i.immediate & CPU.mask(i.size), i.size) }
        let size: UInt8 = i.size == 8 && vendor == .amd ? 4 : i.size
        let ea = effectiveAddress(i)
        let offset = try read(i.segment, ea, size: size)
        let selector = try read(i.segment, (ea &+ UInt64(size)) & CPU.mask(i.addressSize), size: 2)
        return (UInt16(truncatingIfNeeded: selector), offset, size)
    }

    // MARK: Far JMP

    func executeFarJump(_ i: Instruction) throws(Fault) {
        let (selector, offset, size) = try farPointerOperand(i)
        if !protectedMode {
            // Real-address and virtual-8086 mode: limit and attributes are kept.
            let target = offset & CPU.mask(size)
            if target > UInt64(segments[1].limit) { throw .generalProtection(0) }
            segments[1].selector = selector
            segments[1].base = UInt64(selector) << 4
            rip = target
            return
        }
        if selector.selectorIsNull { throw .generalProtection(0) }
        var d = try readDescriptor(selector, orFault: 13)
        if !d.isSystem {
            try checkCodeTarget(selector, d)
            let target = offset & CPU.mask(size)
            try checkFarTarget(target, d)
            try loadCodeSegment(selector, d, cpl: cpl)
            rip = target
            return
        }
        switch (d.type, ia32e) {
        case (SystemType.callGate, _), (SystemType.callGate16, false):
            let gate = try checkCallGate(selector, &d)
            let code = try gateCodeSegment(gate.selector)
            // JMP through a call gate never changes privilege (SDM 5.8.6): conforming code
            // with DPL <= CPL or non-conforming code with DPL = CPL.
            if code.descriptor.conforming ? code.descriptor.dpl > cpl : code.descriptor.dpl != cpl {
                throw .generalProtection(gate.selector.selectorErrorCode)
            }
            if !code.descriptor.present { throw .segmentNotPresent(gate.selector.selectorErrorCode) }
            try checkFarTarget(gate.offset, code.descriptor)
            try loadCodeSegment(gate.selector, code.descriptor, cpl: cpl)
            rip = gate.offset
        case (SystemType.taskGate, false), (SystemType.tssAvailable, false), (SystemType.tss16Available, false):
            try transferToTask(selector, d, reason: .jump)
        default:
            throw .generalProtection(selector.selectorErrorCode)
        }
    }

    /// Checks a direct far JMP/CALL target code segment (SDM 5.8.4): conforming: DPL <= CPL;
    /// non-conforming: RPL <= CPL and DPL = CPL; present; not both L and D in IA-32e mode.
    func checkCodeTarget(_ selector: UInt16, _ d: Descriptor) throws(Fault) {
        let code = selector.selectorErrorCode
        guard d.isCode else { throw .generalProtection(code) }
        if d.conforming {
            if d.dpl > cpl { throw .generalProtection(code) }
        } else if selector.selectorRPL > cpl || d.dpl != cpl {
            throw .generalProtection(code)
        }
        if ia32e && d.long && d.defaultBig { throw .generalProtection(code) }
        if !d.present { throw .segmentNotPresent(code) }
    }

    /// A call gate's checks (DPL >= CPL and >= RPL, present; in IA-32e mode the 16-byte form)
    /// and its target; `size` is the gate's operand size (2, 4 or 8).
    func checkCallGate(_ selector: UInt16, _ d: inout Descriptor) throws(Fault)
        -> (selector: UInt16, offset: UInt64, size: UInt8) {
        let code = selector.selectorErrorCode
        if d.dpl < cpl || d.dpl < selector.selectorRPL { throw .generalProtection(code) }
        if !d.present { throw .segmentNotPresent(code) }
        if ia32e {
            try readDescriptorHigh(selector, &d, orFault: 13)
            if !d.highTypeIsZero { throw .generalProtection(code) }
            return (d.gateSelector, d.gateOffset64, 8)
        }
        if d.type == SystemType.callGate16 { return (d.gateSelector, d.gateOffset & 0xFFFF, 2) }
        return (d.gateSelector, d.gateOffset, 4)
    }

    /// The code segment a call gate names: not null (#GP(0)), inside the table, a code
    /// segment with DPL <= CPL, and a 64-bit one in IA-32e mode (#GP(selector)).
    func gateCodeSegment(_ selector: UInt16) throws(Fault) -> (selector: UInt16, descriptor: Descriptor) {
        if selector.selectorIsNull { throw .generalProtection(0) }
        let d = try readDescriptor(selector, orFault: 13)
        let code = selector.selectorErrorCode
        if !d.isCode || d.dpl > cpl { throw .generalProtection(code) }
        if ia32e && (!d.long || d.defaultBig) { throw .generalProtection(code) }
        return (selector, d)
    }

    // MARK: Far CALL

    func executeFarCall(_ i: Instruction) throws(Fault) {
        let (selector, offset, size) = try farPointerOperand(i)
        if !protectedMode {
            let target = offset & CPU.mask(size)
            if target > UInt64(segments[1].limit) { throw .generalProtection(0) }
            var stack = currentStack
            try pushStack(&stack, UInt64(segments[1].selector), size: size)
            try pushStack(&stack, rip, size: size)
            commitStackPointer(stack)
            segments[1].selector = selector
            segments[1].base = UInt64(selector) << 4
            rip = target
            return
        }
        if selector.selectorIsNull { throw .generalProtection(0) }
        var d = try readDescriptor(selector, orFault: 13)
        if !d.isSystem {
            try checkCodeTarget(selector, d)
            let target = offset & CPU.mask(size)
            var stack = currentStack
            try pushStack(&stack, UInt64(segments[1].selector), size: size)
            try pushStack(&stack, rip, size: size)
            try checkFarTarget(target, d)
            try loadCodeSegment(selector, d, cpl: cpl)
            commitStackPointer(stack)
            rip = target
            return
        }
        switch (d.type, ia32e) {
        case (SystemType.callGate, _), (SystemType.callGate16, false):
            try callThroughGate(selector, &d)
        case (SystemType.taskGate, false), (SystemType.tssAvailable, false), (SystemType.tss16Available, false):
            try transferToTask(selector, d, reason: .call)
        default:
            throw .generalProtection(selector.selectorErrorCode)
        }
    }

    /// CALL through a call gate (SDM vol. 2, CALL operation, CALL-GATE; vol. 3, 5.8.5).
    func callThroughGate(_ gateSelector: UInt16, _ gateDescriptor: inout Descriptor) throws(Fault) {
        let gate = try checkCallGate(gateSelector, &gateDescriptor)
        let (csSelector, d) = try gateCodeSegment(gate.selector)
        let csCode = csSelector.selectorErrorCode
        if !d.present { throw .segmentNotPresent(csCode) }
        let oldCS = UInt64(segments[1].selector)
        let oldSS = segments[2]
        let oldSP = stackPointer
        let size = gate.size
        if !d.conforming && d.dpl < cpl {
            // More privilege: a new stack from the TSS.
            let newCPL = d.dpl
            var stack = try innerStack(for: newCPL, ist: 0, vector: nil)
            try pushStack(&stack, UInt64(oldSS.selector), size: size)
            try pushStack(&stack, oldSP, size: size)
            if !ia32e {
                // Copy the parameters from the caller's stack (SDM 5.8.5, figure 5-13).
                var source = currentStack
                source.sp = (oldSP &+ UInt64(gateDescriptor.parameterCount) &* UInt64(size)) & CPU.mask(source.addressSize)
                for _ in 0..<gateDescriptor.parameterCount {
                    source.sp = (source.sp &- UInt64(size)) & CPU.mask(source.addressSize)
                    var peek = source
                    let v = try popStack(&peek, size: size)
                    try pushStack(&stack, v, size: size)
                }
            }
            try pushStack(&stack, oldCS, size: size)
            try pushStack(&stack, rip, size: size)
            try checkFarTarget(gate.offset, d)
            try loadCodeSegment(csSelector, d, cpl: newCPL)
            segments[2] = stack.cache
            commitStackPointer(stack)
            rip = gate.offset
            return
        }
        if !d.conforming && d.dpl != cpl { throw .generalProtection(csCode) }
        var stack = currentStack
        try pushStack(&stack, oldCS, size: size)
        try pushStack(&stack, rip, size: size)
        try checkFarTarget(gate.offset, d)
        try loadCodeSegment(csSelector, d, cpl: cpl)
        commitStackPointer(stack)
        rip = gate.offset
    }

    /// The inner-privilege stack for a call gate or interrupt to `newCPL` (SDM 5.8.5, 6.12.1,
    /// 6.14.4): SS:ESP from a 32-bit (or 16-bit) TSS with the SS checks (#TS(SS), #SS(SS)),
    /// or in IA-32e mode RSPn / ISTn from the 64-bit TSS with a null SS of RPL = newCPL.
    /// `vector` is set for interrupt delivery (IA-32e: the stack is aligned to 16).
    func innerStack(for newCPL: UInt8, ist: Int, vector: UInt8?) throws(Fault) -> StackCursor {
        let trCode = tr.selector.selectorErrorCode
        if ia32e {
            let offset: UInt64 = ist != 0 ? 0x1C + UInt64(ist) * 8 : 4 + UInt64(newCPL) * 8
            if offset + 7 > UInt64(tr.limit) { throw .invalidTSS(trCode) }
            var rsp = try readLinear(tr.base &+ offset, size: 8)
            if !isCanonical(rsp) { throw .stackFault(0) }
            if vector != nil { rsp &= ~0xF }
            let ss = SegmentCache(selector: UInt16(newCPL), base: 0, limit: 0,
                                  attributes: UInt16(newCPL) << 5)
            return StackCursor(cache: ss, sp: rsp, addressSize: 8, faultCode: 0, user: newCPL == 3)
        }
        let tss32 = tr.attributes & 0xF == SystemType.tssBusy || tr.attributes & 0xF == SystemType.tssAvailable
        let spOffset: UInt64 = tss32 ? 4 + UInt64(newCPL) * 8 : 2 + UInt64(newCPL) * 4
        let spSize = tss32 ? 4 : 2
        if spOffset + UInt64(spSize) * 2 - 1 > UInt64(tr.limit) { throw .invalidTSS(trCode) }
        let sp = try readLinear(tr.base &+ spOffset, size: spSize)
        let ssSelector = UInt16(truncatingIfNeeded: try readLinear(tr.base &+ spOffset &+ UInt64(spSize), size: 2))
        let ssCode = ssSelector.selectorErrorCode
        if ssSelector.selectorIsNull { throw .invalidTSS(ssCode) }
        let d = try readDescriptor(ssSelector, orFault: 10)
        if ssSelector.selectorRPL != newCPL || d.dpl != newCPL || !d.writableData { throw .invalidTSS(ssCode) }
        if !d.present { throw .stackFault(ssCode) }
        try markAccessed(ssSelector, d)
        let cache = d.accessed.cache(selector: ssSelector)
        return StackCursor(cache: cache, sp: sp, addressSize: cache.defaultBig ? 4 : 2, faultCode: ssCode,
                           user: newCPL == 3)
    }

    // MARK: Far RET

    func executeFarReturn(_ i: Instruction) throws(Fault) {
        let size = i.size
        let release: UInt64 = i.form == .imm ? i.immediate & 0xFFFF : 0
        var stack = currentStack
        let offset = try popStack(&stack, size: size)
        let selector = UInt16(truncatingIfNeeded: try popStack(&stack, size: size))
        if !protectedMode {
            let target = offset & CPU.mask(size)
            if target > UInt64(segments[1].limit) { throw .generalProtection(0) }
            stack.sp = (stack.sp &+ release) & CPU.mask(stack.addressSize)
            commitStackPointer(stack)
            segments[1].selector = selector
            segments[1].base = UInt64(selector) << 4
            rip = target
            return
        }
        let d = try checkReturnCodeSegment(selector)
        let rpl = selector.selectorRPL
        stack.sp = (stack.sp &+ release) & CPU.mask(stack.addressSize)
        if rpl == cpl {
            try checkFarTarget(offset, d)
            try loadCodeSegment(selector, d, cpl: cpl)
            commitStackPointer(stack)
            rip = offset
            return
        }
        // Return to an outer privilege level: SS:eSP follow on the stack.
        try returnWithStack(&stack, size: size, selector: selector, offset: offset, code: d, release: release)
        rip = offset
    }

    /// The end of a far RET to an outer privilege level and of an IRET that pops SS:eSP (outer
    /// privilege, or any IRET in 64-bit mode): pops SS:eSP, checks SS and the target offset, loads
    /// CS (CPL = its RPL) and SS, sets eSP to the popped value plus `release` (RET imm16) and,
    /// when the CPL rises, nulls the data segments the new CPL may not use.
    func returnWithStack(_ stack: inout StackCursor, size: UInt8, selector: UInt16, offset: UInt64,
                         code d: Descriptor, release: UInt64) throws(Fault) {
        let rpl = selector.selectorRPL
        let oldCPL = cpl
        let newSP = try popStack(&stack, size: size)
        let ssSelector = UInt16(truncatingIfNeeded: try popStack(&stack, size: size))
        let ss = try checkReturnStackSegment(ssSelector, rpl: rpl, code: d)
        try checkFarTarget(offset, d)
        try loadCodeSegment(selector, d, cpl: rpl)
        segments[2] = ss
        if ia32e {
            registers[4] = (newSP &+ release) & CPU.mask(size)
        } else {
            let m = CPU.mask(ss.defaultBig ? 4 : 2)
            registers[4] = registers[4] & ~m | (newSP &+ release) & m
        }
        if rpl > oldCPL { nullInaccessibleDataSegments() }
    }

    /// The return CS checks of RET and IRET: not null (#GP(0)); inside the table, code,
    /// RPL >= CPL, conforming: DPL <= RPL, non-conforming: DPL = RPL (#GP(sel)); present (#NP).
    func checkReturnCodeSegment(_ selector: UInt16) throws(Fault) -> Descriptor {
        if selector.selectorIsNull { throw .generalProtection(0) }
        let d = try readDescriptor(selector, orFault: 13)
        let code = selector.selectorErrorCode
        let rpl = selector.selectorRPL
        if !d.isCode || rpl < cpl { throw .generalProtection(code) }
        if d.conforming ? d.dpl > rpl : d.dpl != rpl { throw .generalProtection(code) }
        if ia32e && d.long && d.defaultBig { throw .generalProtection(code) }
        if !d.present { throw .segmentNotPresent(code) }
        return d
    }

    /// The SS popped by a return to privilege `rpl`: RPL = CS.RPL, writable data with DPL =
    /// CS.RPL (#GP(sel)), present (#SS(sel)); null only for 64-bit code at RPL < 3 in IA-32e mode.
    func checkReturnStackSegment(_ selector: UInt16, rpl: UInt8, code: Descriptor) throws(Fault) -> SegmentCache {
        if selector.selectorIsNull {
            if ia32e && code.long && rpl < 3 {
                return SegmentCache(selector: selector, base: 0, limit: 0, attributes: UInt16(rpl) << 5)
            }
            throw .generalProtection(0)
        }
        let d = try readDescriptor(selector, orFault: 13)
        let ec = selector.selectorErrorCode
        if selector.selectorRPL != rpl || !d.writableData || d.dpl != rpl { throw .generalProtection(ec) }
        if !d.present { throw .stackFault(ec) }
        try markAccessed(selector, d)
        return d.accessed.cache(selector: selector)
    }

    // MARK: IRET

    func executeIret(_ i: Instruction) throws(Fault) {
        let alignmentChecked = alignmentCheckActive
        defer {
            noteResumeFlag()
            noteAlignmentCheckFlags(wasActive: alignmentChecked)
        }
        let size = i.size
        unblockNMI()
        if cr0 & 1 == 0 { return try iretReal(size) }
        if virtual8086 { return try iretVirtual8086(size) }
        if controlFlags & RFlags.nestedTask.rawValue != 0 {
            if ia32e { throw .generalProtection(0) }
            return try returnFromNestedTask()
        }
        var stack = currentStack
        let offset = try popStack(&stack, size: size)
        let selector = UInt16(truncatingIfNeeded: try popStack(&stack, size: size))
        let newFlags = try popStack(&stack, size: size)
        if newFlags & RFlags.virtual8086.rawValue != 0 && cpl == 0 && size == 4 && !ia32e {
            return try iretToVirtual8086(offset: offset, cs: selector, flags: newFlags, stack: stack)
        }
        let d = try checkReturnCodeSegment(selector)
        let rpl = selector.selectorRPL
        let oldCPL = cpl
        if rpl == cpl && codeMode != .long64 {
            try checkFarTarget(offset, d)
            try loadCodeSegment(selector, d, cpl: cpl)
            commitStackPointer(stack)
            setFlagsFromIret(newFlags, size: size, oldCPL: oldCPL)
            rip = offset
            return
        }
        // Outer privilege, or any IRET in 64-bit mode: SS:RSP are popped too.
        try returnWithStack(&stack, size: size, selector: selector, offset: offset, code: d, release: 0)
        setFlagsFromIret(newFlags, size: size, oldCPL: oldCPL)
        rip = offset
    }

    /// The RFLAGS bits a protected-mode IRET may change (SDM vol. 2, IRET operation,
    /// RETURN-TO-SAME/OUTER-PRIVILEGE-LEVEL): status flags, TF, DF, NT always; RF, AC, ID with
    /// a 32/64-bit operand; IOPL, VIF, VIP only at CPL 0; IF when CPL <= IOPL. VM never.
    func setFlagsFromIret(_ value: UInt64, size: UInt8, oldCPL: UInt8) {
        var writable: UInt64 = RFlags.status.rawValue | RFlags.trap.rawValue | RFlags.direction.rawValue
            | RFlags.nestedTask.rawValue
        if size != 2 { writable |= RFlags.resume.rawValue | RFlags.alignmentCheck.rawValue | RFlags.id.rawValue }
        let iopl = UInt8((controlFlags >> 12) & 3)
        if oldCPL == 0 {
            writable |= RFlags.iopl.rawValue
            if size != 2 { writable |= RFlags.virtualInterrupt.rawValue | RFlags.virtualInterruptPending.rawValue }
        }
        if oldCPL <= iopl { writable |= RFlags.interrupt.rawValue }
        rflags = (rflags & ~writable) | (value & writable)
    }

    /// Real-address mode IRET: IP, CS, FLAGS; a 32-bit IRET keeps VM, VIF and VIP
    /// (EFLAGS <- tempEFLAGS AND 257FD5H OR EFLAGS AND 1A0000H).
    func iretReal(_ size: UInt8) throws(Fault) {
        var stack = currentStack
        let offset = try popStack(&stack, size: size)
        let selector = UInt16(truncatingIfNeeded: try popStack(&stack, size: size))
        let newFlags = try popStack(&stack, size: size)
        if offset > UInt64(segments[1].limit) { throw .generalProtection(0) }
        commitStackPointer(stack)
        segments[1].selector = selector
        segments[1].base = UInt64(selector) << 4
        if size == 2 {
            rflags = rflags & ~0xFFFF | newFlags & 0xFFFF
        } else {
            rflags = newFlags & 0x25_7FD5 | rflags & 0x1A_0000
        }
        rip = offset
    }

    /// IRET in virtual-8086 mode: with IOPL = 3 a real-mode style return that keeps IOPL
    /// (and VM, VIF, VIP); with IOPL < 3 #GP(0) (SDM 20.2.7), or with CR4.VME the 16-bit
    /// variant that sets VIF (VirtualModeExtensions.swift).
    func iretVirtual8086(_ size: UInt8) throws(Fault) {
        if virtualModeExtensionsActive { return try vmeIret(size: size) }
        if (controlFlags >> 12) & 3 != 3 { throw .generalProtection(0) }
        var stack = currentStack
        let offset = try popStack(&stack, size: size)
        let selector = UInt16(truncatingIfNeeded: try popStack(&stack, size: size))
        let newFlags = try popStack(&stack, size: size)
        if offset & CPU.mask(size) > UInt64(segments[1].limit) { throw .generalProtection(0) }
        commitStackPointer(stack)
        segments[1].selector = selector
        segments[1].base = UInt64(selector) << 4
        let kept: UInt64 = RFlags.iopl.rawValue | RFlags.virtual8086.rawValue
            | RFlags.virtualInterrupt.rawValue | RFlags.virtualInterruptPending.rawValue
        let writable: UInt64 = (size == 2 ? 0xFFFF : 0x3F_FFFF) & ~kept & RFlags.implemented.rawValue
        rflags = (rflags & ~writable) | (newFlags & writable)
        rip = offset & CPU.mask(size)
    }

    /// IRETD from CPL 0 with VM set in the popped EFLAGS (SDM vol. 2, IRET,
    /// RETURN-TO-VIRTUAL-8086-MODE): ESP, SS, ES, DS, FS, GS follow; every segment gets
    /// base = selector << 4, limit FFFFh, DPL 3 data attributes; CPL becomes 3.
    func iretToVirtual8086(offset: UInt64, cs: UInt16, flags: UInt64, stack: StackCursor) throws(Fault) {
        var stack = stack
        let newESP = try popStack(&stack, size: 4)
        var selectors: [UInt16] = []
        for _ in 0..<5 { selectors.append(UInt16(truncatingIfNeeded: try popStack(&stack, size: 4))) }
        let (ss, es, ds, fs, gs) = (selectors[0], selectors[1], selectors[2], selectors[3], selectors[4])
        rflags = flags
        func v86(_ s: UInt16) -> SegmentCache {
            SegmentCache(selector: s, base: UInt64(s) << 4, limit: 0xFFFF, attributes: 0xF3)
        }
        segments[Int(SegmentRegister.cs.rawValue)] = v86(cs)
        segments[Int(SegmentRegister.ss.rawValue)] = v86(ss)
        segments[Int(SegmentRegister.es.rawValue)] = v86(es)
        segments[Int(SegmentRegister.ds.rawValue)] = v86(ds)
        segments[Int(SegmentRegister.fs.rawValue)] = v86(fs)
        segments[Int(SegmentRegister.gs.rawValue)] = v86(gs)
        registers[4] = newESP & 0xFFFF_FFFF
        cpl = 3
        updateCodeMode()
        flushTLB()
        rip = offset & 0xFFFF
    }

    /// IRET with NT = 1 outside IA-32e mode: switch back to the task in the back link of the
    /// current TSS (SDM 7.3, 7.4).
    func returnFromNestedTask() throws(Fault) {
        let link = UInt16(truncatingIfNeeded: try readLinear(tr.base, size: 2))
        if link.selectorIsLDT { throw .invalidTSS(link.selectorErrorCode) }
        let d = try readDescriptor(link, orFault: 10)
        if d.isSystem && (d.type == SystemType.tssBusy || d.type == SystemType.tss16Busy) {
            try transferToTask(link, d, reason: .iret)
            return
        }
        throw .invalidTSS(link.selectorErrorCode)
    }

    /// Called by IRET: NMIs are unblocked at the end of an IRET (SDM 6.7.1). The NMI-blocking
    /// state lives with the interrupt controller wiring; until the CPU has a stored
    /// `nmiBlocked` property this is where it is cleared.
    func unblockNMI() {
        if nmiBlocked && vmx.nonRoot { vmx.iretUnblockedNMIAt = instructionsRetired }   // VMX: exit bit 12
        nmiBlocked = false
    }
}
