/// The breakpoint conditions of DR0-DR3 and DR7 (SDM vol. 3, 18.2.4), decoded whenever DR0-DR3,
/// DR7 or CR4.DE change, so that `CPU.step()` tests one flag (`attention`) and does nothing else
/// while no breakpoint is enabled and RF is clear; with it set, `stepWithDebugChecks` runs the
/// instruction.
public struct DebugBreakpoints: Sendable {
    /// The slow path runs around each instruction: a breakpoint is enabled or RF may be set.
    public var attention = false
    /// Enabled (L or G) breakpoints by kind, bit n for DRn.
    var instruction: UInt8 = 0
    var data: UInt8 = 0
    var io: UInt8 = 0
    /// Data and I/O breakpoints hit by the current instruction (reported after it, 18.2.4.1).
    var hits: UInt8 = 0
    /// The #DB fault being raised is an instruction breakpoint (its frame keeps RF as it is).
    var instructionBreakpointFault = false
    /// Where a repeated string instruction last stopped before its last iteration (RIP left on
    /// it): `instructionsRetired` once it retired, and its RIP (`CPU.betweenRepeatIterations`).
    var repeatStop: (retired: UInt64, rip: UInt64) = (~0, ~0)
    /// A task switch to a TSS with T = 1 completed: #DB (DR6.BT) before the new task's first
    /// instruction (SDM vol. 3, 7.2.1, 18.2.3).
    var taskSwitchTrap = false

    public init() {}

    /// DR7 R/Wn (bits 16 + 4n) and LENn (bits 18 + 4n) of breakpoint `n`.
    static func kind(_ dr7: UInt64, _ n: Int) -> UInt64 { (dr7 >> (16 + 4 * UInt64(n))) & 3 }
    /// LENn as a byte count: 00 = 1, 01 = 2, 11 = 4, 10 = 8 (18.2.5).
    static func length(_ dr7: UInt64, _ n: Int) -> UInt64 {
        switch (dr7 >> (18 + 4 * UInt64(n))) & 3 {
        case 0: return 1
        case 1: return 2
        case 2: return 8
        default: return 4
        }
    }
}

extension CPU {
    var resumeFlagSet: Bool { controlFlags & RFlags.resume.rawValue != 0 }

    /// A repeated string instruction stopped after an iteration other than its last and nothing
    /// ran since: an interrupt, or a trap of that iteration, delivered now pushes RF = 1, so an
    /// instruction breakpoint on it does not fire again when it resumes (SDM vol. 3, 18.3.1.1).
    var betweenRepeatIterations: Bool {
        let s = systemRegisters.breakpoints.repeatStop
        return s.retired == instructionsRetired && s.rip == rip
    }

    /// Re-decodes DR7 (after MOV to DR0-DR3/DR7 or a change of CR4.DE). R/W = 10 is an I/O
    /// breakpoint only with CR4.DE (otherwise undefined: treated as disabled). Pages holding a
    /// data breakpoint must not stay in the TLB, so the TLB is flushed when data breakpoints are
    /// or were enabled.
    func refreshBreakpoints() {
        let dr7 = dr[7]
        var b = systemRegisters.breakpoints
        let hadData = b.data != 0
        b.instruction = 0
        b.data = 0
        b.io = 0
        for n in 0..<4 where (dr7 >> (2 * UInt64(n))) & 3 != 0 {
            switch DebugBreakpoints.kind(dr7, n) {
            case 0: b.instruction |= 1 << n
            case 2: if cr4 & CR4.de.rawValue != 0 { b.io |= 1 << n }
            default: b.data |= 1 << n
            }
        }
        b.attention = b.instruction | b.data | b.io != 0 || resumeFlagSet || b.taskSwitchTrap
        systemRegisters.breakpoints = b
        if b.attention { eventCycle = 0 }   // run(until:) hands over to the checked step
        if hadData || b.data != 0 { flushTLB() }
    }

    /// A task switch into a TSS whose debug trap flag (T) is set.
    func noteTaskSwitchTrap() {
        systemRegisters.breakpoints.taskSwitchTrap = true
        systemRegisters.breakpoints.attention = true
        eventCycle = 0
    }

    /// After an instruction or event that may have set RF (IRET, task switch, VM entry).
    func noteResumeFlag() {
        if resumeFlagSet {
            systemRegisters.breakpoints.attention = true
            eventCycle = 0
        }
    }

    /// `step()` while `attention` is set (18.3.1.1): with RF set, the instruction runs without
    /// instruction-breakpoint checks and RF is cleared at its start (an IRET or task switch may
    /// load it again); otherwise an instruction breakpoint on it is a fault. The instruction runs
    /// through `step()` with `attention` clear; data or I/O breakpoints it hit then raise a #DB
    /// trap with DR6.B0-B3, merged with DR6.BS when it also single-steps.
    @inline(never)
    func stepWithDebugChecks() throws(Fault) {
        var b = systemRegisters.breakpoints
        b.instructionBreakpointFault = false
        if b.taskSwitchTrap {
            // A trap of the task switch: the new task's first instruction has not run yet.
            b.taskSwitchTrap = false
            systemRegisters.breakpoints = b
            recomputeDebugAttention()
            dr[6] = CPU.dr6Value(dr[6]) | 0x8000
            throw Fault(vector: 1, trap: true)
        }
        b.hits = 0
        b.attention = false
        systemRegisters.breakpoints = b
        defer { recomputeDebugAttention() }
        if resumeFlagSet {
            controlFlags &= ~RFlags.resume.rawValue
        } else if b.instruction != 0 {
            let linear = uncheckedLinearAddress(SegmentRegister.cs.rawValue, rip)
            var hits: UInt8 = 0
            for n in 0..<4 where b.instruction & (1 << n) != 0 && dr[n] == linear { hits |= 1 << n }
            if hits != 0 {
                dr[6] = CPU.dr6Value(dr[6]) & ~0xF | UInt64(hits)
                systemRegisters.breakpoints.instructionBreakpointFault = true
                throw .debug
            }
        }
        do {
            try step()
        } catch {
            // A single-step #DB of this instruction reports its data breakpoints too.
            if error == Fault(vector: 1, trap: true) && systemRegisters.breakpoints.hits != 0 {
                dr[6] = dr[6] & ~0xF | UInt64(systemRegisters.breakpoints.hits)
            }
            throw error
        }
        let hits = systemRegisters.breakpoints.hits
        if hits != 0 {
            dr[6] = CPU.dr6Value(dr[6]) & ~0xF | UInt64(hits)
            // A trap after an iteration other than the last pushes RF = 1, so that an instruction
            // breakpoint on the string instruction does not fire again when it resumes (18.3.1.1).
            if betweenRepeatIterations { controlFlags |= RFlags.resume.rawValue }
            throw Fault(vector: 1, trap: true)
        }
    }

    private func recomputeDebugAttention() {
        var b = systemRegisters.breakpoints
        b.hits = 0
        b.attention = b.instruction | b.data | b.io != 0 || resumeFlagSet || b.taskSwitchTrap
        systemRegisters.breakpoints = b
    }

    /// Whether a #DB fault being delivered came from an instruction breakpoint: the one
    /// fault-class exception that pushes RF as it is instead of 1 (18.3.1.1). Reading it
    /// consumes it.
    func takeInstructionBreakpointFault() -> Bool {
        let was = systemRegisters.breakpoints.instructionBreakpointFault
        systemRegisters.breakpoints.instructionBreakpointFault = false
        return was
    }

    /// True if the linear page holds an enabled data breakpoint: such pages stay out of the
    /// TLB so that every access to them reaches `noteDataAccess`.
    func pageHoldsDataBreakpoint(_ page: UInt64) -> Bool {
        let b = systemRegisters.breakpoints
        if b.data == 0 { return false }
        for n in 0..<4 where b.data & (1 << n) != 0 {
            let first = dr[n] & ~(DebugBreakpoints.length(dr[7], n) &- 1)
            let last = first &+ DebugBreakpoints.length(dr[7], n) &- 1
            if first >> 12 == page || last >> 12 == page { return true }
        }
        return false
    }

    /// A data access of `size` bytes at `linear` (slow path): R/W = 01 matches writes, 11 reads
    /// and writes, over the LEN-aligned range of the breakpoint (18.2.5).
    func noteDataAccess(_ linear: UInt64, size: Int, write: Bool) {
        let b = systemRegisters.breakpoints
        if b.data == 0 { return }
        let dr7 = dr[7]
        let last = linear &+ UInt64(size) &- 1
        var hits: UInt8 = 0
        for n in 0..<4 where b.data & (1 << n) != 0 {
            if !write && DebugBreakpoints.kind(dr7, n) == 1 { continue }
            let length = DebugBreakpoints.length(dr7, n)
            let first = dr[n] & ~(length &- 1)
            if linear <= first &+ length &- 1 && first <= last { hits |= 1 << n }
        }
        systemRegisters.breakpoints.hits |= hits
    }

    /// An I/O access of `size` bytes at `port` (IN, OUT, INS, OUTS) against the I/O breakpoints
    /// of CR4.DE = 1 (18.2.4).
    func noteIOAccess(port: UInt16, size: UInt8) {
        let b = systemRegisters.breakpoints
        let first = UInt64(port)
        let last = first &+ UInt64(size) &- 1
        var hits: UInt8 = 0
        for n in 0..<4 where b.io & (1 << n) != 0 {
            let length = DebugBreakpoints.length(dr[7], n)
            let start = dr[n] & 0xFFFF & ~(length &- 1)
            if first <= start &+ length &- 1 && start <= last { hits |= 1 << n }
        }
        systemRegisters.breakpoints.hits |= hits
    }
}
