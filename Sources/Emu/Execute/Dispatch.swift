/// The interpreter's dispatch: the run loop, one dense switch over `Handler` (Execute/CommonForms.swift)
/// and, for the rest, one over `Op` (DESIGN.md, hot path rules).
extension CPU {
    /// Runs instructions until `cycles` reaches `deadline`, `attention.pending` becomes nonzero
    /// or the CPU halts (the run loop's inner loop, kept here so the step is inlined into it).
    /// After a specialised handler, the next instruction (the following one, or a branch target)
    /// is taken from the cache slots of the same page when it is valid there
    /// (`DecodeCache.entry(near:distance:)`): no TLB lookup.
    public func run(until deadline: UInt64, attention: Attention) throws(Fault) {
        guard cycles < deadline else { return }
        // Armed debug registers (CPU/DebugBreakpoints.swift): one checked instruction per call.
        if _slowPath(systemRegisters.breakpoints.attention) { try step(); return }
        singleStepping = controlFlags & RFlags.trap.rawValue != 0
        runDeadline = deadline
        eventCycle = min(eventCycle, deadline)
        var linked: UnsafePointer<DecodeCache.Entry>? = nil
        repeat {
            let entry: UnsafePointer<DecodeCache.Entry>
            if let linked { entry = linked } else { entry = try fetchEntry() }
            let i = DecodeCache.instruction(entry)
            let start = rip
            if try execute(decoded: i) { break }
            linked = i.pointee.handler != .generic
                ? DecodeCache.entry(near: entry, distance: rip &- start, generations: pageGenerations) : nil
        } while attention.pending == 0
    }

    /// Executes one instruction: fetch (decoded-instruction cache), advance RIP, execute.
    /// A fault leaves RIP at the faulting instruction (trap-class events leave it past it).
    public func step() throws(Fault) {
        if _slowPath(systemRegisters.breakpoints.attention) { return try stepWithDebugChecks() }
        singleStepping = controlFlags & RFlags.trap.rawValue != 0
        _ = try execute(decoded: DecodeCache.instruction(try fetchEntry()))
    }

    /// Executes the decoded instruction at `i` (RIP still at its start) and retires it, once
    /// `singleStepping` holds EFLAGS.TF. True when `run(until:)` must stop: its deadline has
    /// come or the CPU halted.
    @inline(__always)
    func execute(decoded i: UnsafePointer<Instruction>) throws(Fault) -> Bool {
        let start = rip
        rip = (start &+ UInt64(i.pointee.length)) & ripMask
        do {
            try execute(i)
        } catch {
            if !error.trap && !faultInNewTask { rip = start }
            faultInNewTask = false
            throw error
        }
        instructionsRetired &+= 1
        cycles &+= 1
        if _slowPath(cycles >= eventCycle) { return try instructionBoundary() }
        return false
    }

    /// The end of an instruction that left work for its boundary (`eventCycle`): the interrupt
    /// shadow, the VMX preemption timer, monitor trap flag and interrupt/NMI windows
    /// (VMX/VMXTimers.swift), and the single-step trap, in that order. True when `run(until:)`
    /// must stop.
    @inline(never)
    func instructionBoundary() throws(Fault) -> Bool {
        if interruptShadow != 0 {
            // A shadow lasts until the end of the instruction after the one that set it.
            interruptShadow = interruptShadow & CPU.shadowSetNow != 0 ? interruptShadow & ~CPU.shadowSetNow : 0
        }
        let singleStep = singleStepping
        singleStepping = controlFlags & RFlags.trap.rawValue != 0
        let debugging = systemRegisters.breakpoints.attention
        eventCycle = interruptShadow != 0 || singleStepping || halted || debugging ? 0 : min(vmx.eventDeadline, runDeadline)
        if cycles >= vmx.eventDeadline { try vmxEventDeadline(singleStep: singleStep) }
        if singleStep { try singleStepTrap() }
        return cycles >= runDeadline || halted || debugging
    }

    /// EFLAGS.TF set when an instruction began: a #DB trap after it completes, with DR6.BS set
    /// (SDM vol. 3, 18.3.1.4). None when the instruction cleared TF (interrupt delivery by INT n,
    /// SYSCALL through IA32_FMASK) nor after MOV SS/POP SS (blocking by MOV SS holds #DB back).
    @inline(never)
    func singleStepTrap() throws(Fault) {
        if interruptShadow & 2 != 0 || controlFlags & RFlags.trap.rawValue == 0 { return }
        dr[6] |= 0x4000
        throw Fault(vector: 1, trap: true)
    }

    /// Instructions without a specialised handler (`Handler.generic`).
    @inline(never)
    func executeGeneric(_ p: UnsafePointer<Instruction>) throws(Fault) {
        let i = p.pointee
        switch i.op {
        case .add, .or, .adc, .sbb, .and, .sub, .xor, .cmp: try executeALU(i)
        case .test: try executeTest(i)
        case .inc, .dec: try executeIncDec(i)
        case .neg: try executeNeg(i)
        case .not: try executeNot(i)
        case .rol, .ror, .rcl, .rcr, .shl, .shr, .sar: try executeShift(i)
        case .shld, .shrd: try executeShiftDouble(i)
        case .mul: try executeMul(i)
        case .imul1: try executeImul1(i)
        case .imul: try executeImul(i)
        case .div: try executeDiv(i)
        case .idiv: try executeIdiv(i)
        case .bt, .bts, .btr, .btc: try executeBitTest(i)
        case .bsf, .bsr: try executeBitScan(i)
        case .tzcnt, .lzcnt, .popcnt: try executeBitCount(i)
        case .andn, .bextr, .blsi, .blsmsk, .blsr, .bzhi, .mulx, .pdep, .pext, .rorx, .sarx, .shlx, .shrx:
            try executeBMI(i)
        case .adcx, .adox: try executeADX(i)
        case .movbe: try executeMovbe(i)
        case .crc32: try executeCRC32(i)
        case .mov: try executeMov(i)
        case .movzx, .movsx, .movsxd: try executeMovExtend(i)
        case .cmovcc: try executeCmov(i)
        case .setcc: try executeSetcc(i)
        case .xchg: try executeXchg(i)
        case .cmpxchg: try executeCmpxchg(i)
        case .cmpxchg8b, .cmpxchg16b: try executeCmpxchgWide(i)
        case .xadd: try executeXadd(i)
        case .bswap: executeBswap(i)
        case .lea: executeLea(i)
        case .cbw: executeCbw(i)
        case .cwd: executeCwd(i)
        case .lahf: try executeLahf(i)
        case .sahf: try executeSahf(i)
        case .xlat: try executeXlat(i)
        case .movnti: try executeMov(i)
        case .push: try executePush(i)
        case .pop: try executePop(i)
        case .pushSreg: try executePushSegment(i)
        case .popSreg: try executePopSegment(i)
        case .pusha: try executePusha(i)
        case .popa: try executePopa(i)
        case .pushf: try executePushf(i)
        case .popf: try executePopf(i)
        case .enter: try executeEnter(i)
        case .leave: try executeLeave(i)
        case .jcc: try executeJcc(i)
        case .jmp: try executeJmp(i)
        case .jmpIndirect: try executeJmpIndirect(i)
        case .call: try executeCall(i)
        case .callIndirect: try executeCallIndirect(i)
        case .ret: try executeRet(i)
        case .loop, .loope, .loopne: try executeLoop(i)
        case .jrcxz: try executeJrcxz(i)
        case .int3, .int, .into, .int1: try executeSoftwareInterrupt(i)
        case .bound: try executeBound(i)
        case .movs: try executeMovs(i)
        case .cmps: try executeCmps(i)
        case .scas: try executeScas(i)
        case .lods: try executeLods(i)
        case .stos: try executeStos(i)
        case .ins: try executeIns(i)
        case .outs: try executeOuts(i)
        case .daa, .das, .aaa, .aas, .aam, .aad, .salc: try executeBCD(i)
        case .clc, .stc, .cmc, .cld, .std, .cli, .sti: try executeFlagOp(i)
        case .nop, .endbr, .prefetch, .lfence, .mfence, .sfence: break
        case .pause: if vmx.nonRoot { try vmxSimpleExit(i) }
        case .wait: try executeWait()
        case .ud0, .ud1, .ud2: throw .invalidOpcode
        case .cpuid: try executeCpuid(i)
        case .rdtsc, .rdtscp: try executeRdtsc(i)
        case .inImm, .inDX: try executeIn(i)
        case .outImm, .outDX: try executeOut(i)
        case .movSreg, .movToSreg, .lds, .les, .lfs, .lgs, .lss, .jmpFar, .jmpFarIndirect, .callFar,
             .callFarIndirect, .retFar, .iret, .lldt, .sldt, .ltr, .str, .lar, .lsl, .verr, .verw, .arpl:
            try executeSegmentInstruction(i)
        case .lgdt, .lidt, .sgdt, .sidt, .lmsw, .smsw, .clts, .invlpg, .invpcid, .movFromCR, .movToCR,
             .movFromDR, .movToDR, .rdmsr, .wrmsr, .rdpmc, .sysenter, .sysexit, .syscall, .sysret, .swapgs,
             .wbinvd, .invd, .xgetbv, .xsetbv, .rdfsbase, .rdgsbase, .wrfsbase, .wrgsbase, .rdpkru, .wrpkru,
             .clac, .stac, .monitor, .mwait, .rdpid:
            try executeSystemRegisterInstruction(i)
        case .clflush, .clflushopt, .clwb: try executeCacheLineFlush(i)
        case .x87: try executeX87(i)
        case .sse: try executeSSE(i)
        case .fxsave, .fxrstor, .ldmxcsr, .stmxcsr, .xsave, .xrstor, .xsaveopt, .xsavec, .xsaves, .xrstors:
            try executeStateManagement(i)
        case .vmcall, .vmlaunch, .vmresume, .vmxoff, .vmxon, .vmclear, .vmptrld, .vmptrst, .vmread, .vmwrite,
             .invept, .invvpid, .vmfunc:
            try executeVMXInstruction(i)
        default: try executeSystem(i)
        }
    }
}
