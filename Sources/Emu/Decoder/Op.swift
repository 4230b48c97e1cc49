/// The operation of a decoded instruction: what the interpreter dispatches on.
///
/// One case per mnemonic (operand forms are told apart by `Instruction.form`, sizes by
/// `Instruction.size`). The opcode tables name these cases by their `description`.
public enum Op: UInt16, CaseIterable, Sendable, CustomStringConvertible {
    // Arithmetic and logic (Execute/Arithmetic.swift, Execute/Logic.swift)
    case add, or, adc, sbb, and, sub, xor, cmp, test, inc, dec, neg, not
    // Shifts and rotates (Execute/Shifts.swift)
    case rol, ror, rcl, rcr, shl, shr, sar, shld, shrd
    // Multiply and divide (Execute/MulDiv.swift)
    case mul, imul1, imul, div, idiv
    // Bit operations (Execute/BitOps.swift)
    case bt, bts, btr, btc, bsf, bsr, tzcnt, lzcnt, popcnt
    // BMI1, BMI2, ADX, MOVBE, CRC32 (Execute/BitManipulation.swift)
    case andn, bextr, blsi, blsmsk, blsr, bzhi, mulx, pdep, pext, rorx, sarx, shlx, shrx
    case adcx, adox, movbe, crc32
    // Data movement (Execute/DataMovement.swift)
    case mov, movzx, movsx, movsxd, cmovcc, setcc, xchg, cmpxchg, cmpxchg8b, cmpxchg16b, xadd
    case bswap, lea, cbw, cwd, lahf, sahf, xlat, movnti
    case movSreg, movToSreg, lds, les, lfs, lgs, lss
    // Stack (Execute/Stack.swift)
    case push, pop, pushSreg, popSreg, pusha, popa, pushf, popf, enter, leave
    // Control flow (Execute/ControlFlow.swift)
    case jcc, jmp, jmpIndirect, jmpFar, jmpFarIndirect, call, callIndirect, callFar, callFarIndirect
    case ret, retFar, iret, loop, loope, loopne, jrcxz
    case int3, int, into, int1, bound
    // Strings (Execute/Strings.swift)
    case movs, cmps, scas, lods, stos, ins, outs
    // BCD (Execute/BCD.swift)
    case daa, das, aaa, aas, aam, aad, salc
    // Flags (Execute/FlagOps.swift)
    case clc, stc, cmc, cld, std, cli, sti
    // Miscellaneous (Execute/Misc.swift)
    case nop, pause, ud0, ud1, ud2, cpuid, rdtsc, rdtscp, rdrand, rdseed, rdpid
    case lfence, mfence, sfence, clflush, clflushopt, clwb, prefetch, endbr
    // Input/output (Execute/InputOutput.swift)
    case inImm, inDX, outImm, outDX
    // System (Execute/System.swift; the rules come with the system-architecture issue)
    case hlt, lgdt, lidt, sgdt, sidt, lldt, sldt, ltr, str, lmsw, smsw, clts, invlpg, invpcid
    case lar, lsl, verr, verw, arpl, movFromCR, movToCR, movFromDR, movToDR
    case rdmsr, wrmsr, rdpmc, sysenter, sysexit, syscall, sysret, swapgs, wbinvd, invd
    case xgetbv, xsetbv, monitor, mwait, clac, stac, rdfsbase, rdgsbase, wrfsbase, wrgsbase
    case rdpkru, wrpkru, serialize, rsm, xsave, xrstor, xsaveopt, xsavec, xsaves, xrstors
    case fxsave, fxrstor, ldmxcsr, stmxcsr, wait, getsec, rdpru, clzero, monitorx, mwaitx
    // VMX (VMX/Instructions)
    case vmcall, vmlaunch, vmresume, vmxoff, vmxon, vmclear, vmptrld, vmptrst, vmread, vmwrite
    case invept, invvpid, vmfunc
    // SVM (SVM/Instructions)
    case vmrun, vmmcall, vmload, vmsave, stgi, clgi, skinit, invlpga
    // Decoded for length and validity; executed by later issues (x87, SSE, AVX, AVX-512).
    case x87, sse, vex, evex, xop, threeDNow
    /// A defined encoding this CPU does not implement: #UD when executed.
    case unsupported

    public var description: String { Op.names[Int(rawValue)] }

    private static let names: [String] = [
        "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test", "inc", "dec", "neg", "not",
        "rol", "ror", "rcl", "rcr", "shl", "shr", "sar", "shld", "shrd",
        "mul", "imul1", "imul", "div", "idiv",
        "bt", "bts", "btr", "btc", "bsf", "bsr", "tzcnt", "lzcnt", "popcnt",
        "andn", "bextr", "blsi", "blsmsk", "blsr", "bzhi", "mulx", "pdep", "pext", "rorx", "sarx", "shlx", "shrx",
        "adcx", "adox", "movbe", "crc32",
        "mov", "movzx", "movsx", "movsxd", "cmovcc", "setcc", "xchg", "cmpxchg", "cmpxchg8b", "cmpxchg16b", "xadd",
        "bswap", "lea", "cbw", "cwd", "lahf", "sahf", "xlat", "movnti",
        "movSreg", "movToSreg", "lds", "les", "lfs", "lgs", "lss",
        "push", "pop", "pushSreg", "popSreg", "pusha", "popa", "pushf", "popf", "enter", "leave",
        "jcc", "jmp", "jmpIndirect", "jmpFar", "jmpFarIndirect", "call", "callIndirect", "callFar", "callFarIndirect",
        "ret", "retFar", "iret", "loop", "loope", "loopne", "jrcxz",
        "int3", "int", "into", "int1", "bound",
        "movs", "cmps", "scas", "lods", "stos", "ins", "outs",
        "daa", "das", "aaa", "aas", "aam", "aad", "salc",
        "clc", "stc", "cmc", "cld", "std", "cli", "sti",
        "nop", "pause", "ud0", "ud1", "ud2", "cpuid", "rdtsc", "rdtscp", "rdrand", "rdseed", "rdpid",
        "lfence", "mfence", "sfence", "clflush", "clflushopt", "clwb", "prefetch", "endbr",
        "inImm", "inDX", "outImm", "outDX",
        "hlt", "lgdt", "lidt", "sgdt", "sidt", "lldt", "sldt", "ltr", "str", "lmsw", "smsw", "clts", "invlpg", "invpcid",
        "lar", "lsl", "verr", "verw", "arpl", "movFromCR", "movToCR", "movFromDR", "movToDR",
        "rdmsr", "wrmsr", "rdpmc", "sysenter", "sysexit", "syscall", "sysret", "swapgs", "wbinvd", "invd",
        "xgetbv", "xsetbv", "monitor", "mwait", "clac", "stac", "rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase",
        "rdpkru", "wrpkru", "serialize", "rsm", "xsave", "xrstor", "xsaveopt", "xsavec", "xsaves", "xrstors",
        "fxsave", "fxrstor", "ldmxcsr", "stmxcsr", "wait", "getsec", "rdpru", "clzero", "monitorx", "mwaitx",
        "vmcall", "vmlaunch", "vmresume", "vmxoff", "vmxon", "vmclear", "vmptrld", "vmptrst", "vmread", "vmwrite",
        "invept", "invvpid", "vmfunc",
        "vmrun", "vmmcall", "vmload", "vmsave", "stgi", "clgi", "skinit", "invlpga",
        "x87", "sse", "vex", "evex", "xop", "threeDNow",
        "unsupported",
    ]

    /// Looks an operation up by the name the opcode tables use (table set-up only, not the hot path).
    static func named(_ name: String) -> Op? { byName[name] }
    private static let byName: [String: Op] = {
        var d: [String: Op] = [:]
        for op in Op.allCases { d[op.description] = op }
        return d
    }()
}
