/// Hardware task switching (SDM vol. 3, chapter 7): JMP/CALL to a TSS or task gate, interrupts
/// through task gates, and IRET with NT = 1. Both TSS formats are handled: the 32-bit TSS
/// (104 bytes, figure 7-2) and the 16-bit TSS (44 bytes, figure 7-11). IA-32e mode has no task
/// switching (callers raise #GP there).
extension CPU {
    enum TaskSwitchReason: Equatable {
        case jump, call, iret, interrupt
    }

    /// Field offsets of a TSS format.
    struct TSSLayout {
        let wide: Bool
        var minimumLimit: UInt32 { wide ? 0x67 : 0x2B }
        var ip: UInt64 { wide ? 0x20 : 0x0E }
        var flags: UInt64 { wide ? 0x24 : 0x10 }
        /// EAX..EDI (AX..DI) in register-number order.
        func gpr(_ n: Int) -> UInt64 { wide ? 0x28 + UInt64(n) * 4 : 0x12 + UInt64(n) * 2 }
        /// ES, CS, SS, DS (and FS, GS in the 32-bit TSS) in `SegmentRegister` order.
        func segment(_ n: Int) -> UInt64 { wide ? 0x48 + UInt64(n) * 4 : 0x22 + UInt64(n) * 2 }
        var segmentCount: Int { wide ? 6 : 4 }
        var ldt: UInt64 { wide ? 0x60 : 0x2A }
        var size: Int { wide ? 4 : 2 }
    }

    /// JMP/CALL to a TSS or a task gate (SDM 7.3 steps 1-3); the descriptor `d` is the one
    /// `selector` refers to. INT through a task gate uses `switchTask` directly.
    func transferToTask(_ selector: UInt16, _ d: Descriptor, reason: TaskSwitchReason) throws(Fault) {
        if reason == .iret { return try switchTask(to: selector, d, reason: .iret, errorCode: nil) }
        let code = selector.selectorErrorCode
        if d.dpl < cpl || d.dpl < selector.selectorRPL { throw .generalProtection(code) }
        if !d.present { throw .segmentNotPresent(code) }
        if d.type == SystemType.taskGate {
            let tss = d.gateSelector
            if tss.selectorIsLDT { throw .generalProtection(tss.selectorErrorCode) }
            let t = try readDescriptor(tss, orFault: 13)
            try switchTask(to: tss, t, reason: reason, errorCode: nil)
            return
        }
        try switchTask(to: selector, d, reason: reason, errorCode: nil)
    }

    /// The task switch proper (SDM 7.3 steps 4-14). Faults up to the commit point (the new
    /// TR) are raised in the old task's context, later ones in the new task's. `savedResume`:
    /// the EFLAGS image saved in the old TSS has RF set (an event through a task gate, 18.3.1.1).
    func switchTask(to selector: UInt16, _ d: Descriptor, reason: TaskSwitchReason,
                    errorCode: UInt32?, savedResume: Bool = false) throws(Fault) {
        let code = selector.selectorErrorCode
        let available = d.type == SystemType.tssAvailable || d.type == SystemType.tss16Available
        let busy = d.type == SystemType.tssBusy || d.type == SystemType.tss16Busy
        guard d.isSystem, !selector.selectorIsLDT, available || busy else {
            throw reason == .iret ? .invalidTSS(code) : .generalProtection(code)
        }
        if reason == .iret ? !busy : !available {
            throw reason == .iret ? .invalidTSS(code) : .generalProtection(code)
        }
        if !d.present { throw .segmentNotPresent(code) }
        let new = TSSLayout(wide: d.type == SystemType.tssAvailable || d.type == SystemType.tssBusy)
        if d.limit < new.minimumLimit { throw .invalidTSS(code) }
        // VMX non-root operation: the task switch is a VM exit once these checks pass (26.4.2).
        if vmx.nonRoot { try vmxTaskSwitch(to: selector, reason: reason) }
        let oldType = UInt8(tr.attributes & 0xF)
        let old = TSSLayout(wide: oldType == SystemType.tssAvailable || oldType == SystemType.tssBusy)
        if UInt64(tr.limit) < UInt64(old.minimumLimit) { throw .invalidTSS(tr.selector.selectorErrorCode) }

        // Read the whole new state before anything changes (page faults here are old-context).
        let base = d.base
        func field(_ offset: UInt64, _ size: Int) throws(Fault) -> UInt64 { try readLinear(base &+ offset, size: size) }
        let newIP = try field(new.ip, new.size)
        var newFlags = try field(new.flags, new.size)
        var newGPR = [UInt64](repeating: 0, count: 8)
        for n in 0..<8 { newGPR[n] = try field(new.gpr(n), new.size) }
        var newSelectors = [UInt16](repeating: 0, count: 6)
        for n in 0..<new.segmentCount { newSelectors[n] = UInt16(truncatingIfNeeded: try field(new.segment(n), 2)) }
        let newLDT = UInt16(truncatingIfNeeded: try field(new.ldt, 2))
        let newCR3 = new.wide ? try field(0x1C, 4) : cr3
        // The debug trap flag T (bit 0 at offset 64h of a 32-bit TSS; SDM 7.2.1).
        let debugTrap = new.wide ? try field(0x64, 1) & 1 != 0 : false
        // Probe the writes of step 8 (old TSS) so a #PF cannot come half way.
        _ = try translateLinear(tr.base &+ old.ip, access: .write, asUser: false)
        _ = try translateLinear(tr.base &+ old.ldt &- 2, access: .write, asUser: false)

        // Old task: busy bit (JMP, IRET), saved state (NT cleared for IRET).
        if reason == .jump || reason == .iret {
            if let address = descriptorAddress(tr.selector) {
                let type = try readLinear(address &+ 5, size: 1)
                try writeLinear(address &+ 5, size: 1, type & ~2)
            }
        }
        var savedFlags = rflags
        if reason == .iret { savedFlags &= ~RFlags.nestedTask.rawValue }
        if savedResume { savedFlags |= RFlags.resume.rawValue }
        try writeLinear(tr.base &+ old.ip, size: old.size, rip)
        try writeLinear(tr.base &+ old.flags, size: old.size, savedFlags)
        for n in 0..<8 { try writeLinear(tr.base &+ old.gpr(n), size: old.size, registers[n]) }
        for n in 0..<old.segmentCount { try writeLinear(tr.base &+ old.segment(n), size: 2, UInt64(segments[n].selector)) }

        // New task: back link and NT (CALL, interrupt), busy bit.
        if reason == .call || reason == .interrupt {
            try writeLinear(base, size: 2, UInt64(tr.selector))
            newFlags |= RFlags.nestedTask.rawValue
        }
        if reason != .iret { try writeDescriptorTypeByte(selector, UInt8(truncatingIfNeeded: d.low >> 40) | 2) }

        // Commit point: TR, CR0.TS, CR3, registers.
        var trCache = d.cache(selector: selector)
        trCache.attributes |= 2
        tr = trCache
        cr0 |= 8
        let cr3Changed = new.wide && cr0 & 0x8000_0000 != 0 && newCR3 != cr3
        if cr3Changed { cr3 = newCR3 }
        flushTLB()
        // The local breakpoint enables L0-L3 belong to the old task (SDM vol. 3, 18.2.4).
        if dr[7] & 0x55 != 0 {
            dr[7] &= ~0x55
            refreshBreakpoints()
        }
        // From here on a fault is raised in the new task: its frame holds the new task's EIP
        // (SDM vol. 3, 7.3 step 13, table 7-1), so the instruction's rollback is skipped.
        do throws(Fault) {
            for n in 0..<8 {
                registers[n] = new.wide ? newGPR[n] & 0xFFFF_FFFF : registers[n] & ~0xFFFF | newGPR[n]
            }
            if !new.wide { newFlags = rflags & ~0xFFFF | newFlags & 0xFFFF }
            rflags = newFlags | RFlags.reserved1.rawValue
            noteResumeFlag()
            rip = newIP & (new.wide ? 0xFFFF_FFFF : 0xFFFF)
            // With PAE paging a task switch that changes CR3 loads the PDPTEs from it (SDM vol. 3,
            // 4.4.1); a reserved bit in a present one is #GP(0), raised in the new task (as Bochs).
            if cr3Changed && paePagingMode { try loadPDPTEs(newCR3) }
            // The selectors are loaded first, unusable, then their descriptors (SDM 7.3 step 12):
            // a fault while loading a descriptor is raised in the new task.
            ldtr = SegmentCache(selector: newLDT, base: 0, limit: 0, attributes: 0)
            for n in 0..<6 { segments[n] = SegmentCache(selector: newSelectors[n], base: 0, limit: 0, attributes: 0) }
            if new.wide && newFlags & RFlags.virtual8086.rawValue != 0 {
                for n in 0..<6 {
                    segments[n] = SegmentCache(selector: newSelectors[n], base: UInt64(newSelectors[n]) << 4,
                                               limit: 0xFFFF, attributes: 0xF3)
                }
                cpl = 3
                updateCodeMode()
                flushTLB()
            } else {
                try loadTaskSegments(ldt: newLDT, selectors: newSelectors)
            }
            if let errorCode {
                let size: UInt8 = new.wide ? 4 : 2
                var stack = currentStack
                try pushStack(&stack, UInt64(errorCode), size: size)
                commitStackPointer(stack)
            }
            if rip > UInt64(segments[1].limit) { throw .generalProtection(0) }
        } catch {
            // Instructions roll RIP back on a fault; event delivery never moved it.
            faultInNewTask = reason != .interrupt
            throw error
        }
        if debugTrap { noteTaskSwitchTrap() }
    }

    /// Loads LDTR, CS, SS, DS, ES, FS, GS of a new task with the #TS/#NP/#SS checks of SDM
    /// 7.3 step 13 (table 7-1).
    func loadTaskSegments(ldt: UInt16, selectors: [UInt16]) throws(Fault) {
        if !ldt.selectorIsNull {
            if ldt.selectorIsLDT { throw .invalidTSS(ldt.selectorErrorCode) }
            let d = try readDescriptor(ldt, orFault: 10)
            if !d.isSystem || d.type != SystemType.ldt { throw .invalidTSS(ldt.selectorErrorCode) }
            if !d.present { throw .invalidTSS(ldt.selectorErrorCode) }
            ldtr = d.cache(selector: ldt)
        }
        let csSelector = selectors[Int(SegmentRegister.cs.rawValue)]
        let newCPL = csSelector.selectorRPL
        let csCode = csSelector.selectorErrorCode
        if csSelector.selectorIsNull { throw .invalidTSS(0) }
        let cs = try readDescriptor(csSelector, orFault: 10)
        if !cs.isCode || (cs.conforming ? cs.dpl > newCPL : cs.dpl != newCPL) { throw .invalidTSS(csCode) }
        let ssSelector = selectors[Int(SegmentRegister.ss.rawValue)]
        let ssCode = ssSelector.selectorErrorCode
        if ssSelector.selectorIsNull { throw .invalidTSS(0) }
        let ss = try readDescriptor(ssSelector, orFault: 10)
        if !ss.writableData || ss.dpl != newCPL || ssSelector.selectorRPL != newCPL { throw .invalidTSS(ssCode) }
        if !cs.present { throw .segmentNotPresent(csCode) }
        if !ss.present { throw .stackFault(ssCode) }
        try markAccessed(csSelector, cs)
        try markAccessed(ssSelector, ss)
        segments[Int(SegmentRegister.cs.rawValue)] = cs.accessed.cache(selector: csSelector)
        segments[Int(SegmentRegister.ss.rawValue)] = ss.accessed.cache(selector: ssSelector)
        cpl = newCPL
        updateCodeMode()
        flushTLB()
        for sreg in [SegmentRegister.ds, .es, .fs, .gs] {
            let s = selectors[Int(sreg.rawValue)]
            if s.selectorIsNull { segments[Int(sreg.rawValue)] = nullSegmentCache(sreg, selector: s); continue }
            let code = s.selectorErrorCode
            let d = try readDescriptor(s, orFault: 10)
            if !(d.isData || d.readableCode) { throw .invalidTSS(code) }
            if (d.isData || !d.conforming) && (d.dpl < newCPL || d.dpl < s.selectorRPL) { throw .invalidTSS(code) }
            if !d.present { throw .segmentNotPresent(code) }
            try markAccessed(s, d)
            segments[Int(sreg.rawValue)] = d.accessed.cache(selector: s)
        }
    }
}
