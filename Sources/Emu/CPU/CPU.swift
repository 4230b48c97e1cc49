/// One virtual CPU: architectural state and the caches that make it fast.
///
/// Hot state first (DESIGN.md): the register file is unsafe storage indexed by decoder-produced
/// numbers, RIP is register slot 17 so effective addresses need no branches, and flags are lazy.
public final class CPU {
    /// GPR slots: 0-15 RAX..R15, 16 always zero (absent base/index), 17 RIP; 32 slots so any
    /// normalised register number (byte registers go up to 19) stays inside.
    public let registers: UnsafeMutablePointer<UInt64>
    public var flags = LazyFlags()
    /// RFLAGS bits other than the six status flags (bit 1 always set).
    public var controlFlags: UInt64 = 0x2 {
        didSet {
            // Single-stepping: every boundary needs `instructionBoundary` (Execute/Dispatch.swift).
            if controlFlags & RFlags.trap.rawValue != 0 { eventCycle = 0 }
            // TLB entries hold SMAP decisions made under the old EFLAGS.AC (SDM 4.6).
            if (oldValue ^ controlFlags) & RFlags.alignmentCheck.rawValue != 0 && cr4 & (1 << 21) != 0 { flushTLB() }
        }
    }
    public let segments: UnsafeMutablePointer<SegmentCache>
    public var codeMode: CodeMode = .real {
        didSet {
            ripMask = codeMode == .long64 ? UInt64.max : 0xFFFF_FFFF
            decodeTagBits = DecodeCache.tag(physical: 0, mode: codeMode, vendor: vendor)
        }
    }
    /// Masks the instruction pointer after sequential execution (follows `codeMode`): EIP, also
    /// in 16-bit code, which does not wrap at 0FFFFH as the 8086 did: the fetch past the CS
    /// limit raises #GP (SDM vol. 3, IA-32 architecture compatibility, 8086 differences).
    /// Branches with a 16-bit operand size truncate their targets themselves.
    private(set) var ripMask: UInt64 = 0xFFFF_FFFF
    /// The decoded-instruction cache tag of the current mode without the address (follows `codeMode`).
    private(set) var decodeTagBits: UInt64
    public var cpl: UInt8 = 0 {
        didSet {
            // TLB entries hold permission decisions made at user or supervisor level.
            if (oldValue == 3) != (cpl == 3) { flushTLB() }
        }
    }

    public let vendor: Vendor
    public let memory: PhysicalMemory
    public let ports: PortBus
    var tlb: TLB
    let decodeCache: DecodeCache
    /// `decodeCache.slots`, kept here so the fetch path loads it without a second object.
    let decodeSlots: UnsafeMutablePointer<DecodeCache.Entry>
    /// `memory.generation`, kept here so the fetch path loads it without a second object.
    let pageGenerations: UnsafeMutablePointer<UInt32>

    public var gdtr = DescriptorTable()
    public var idtr = DescriptorTable()
    public var ldtr = SegmentCache(attributes: 0x82)
    public var tr = SegmentCache(attributes: 0x8B)
    public var cr0: UInt64 = 0x6000_0010
    public var cr2: UInt64 = 0
    public var cr3: UInt64 = 0
    public var cr4: UInt64 = 0
    public var cr8: UInt64 = 0
    public var efer: UInt64 = 0
    public var xcr0: UInt64 = 1
    /// The x87 FPU (CPU/X87State.swift); MM0-MM7 alias its data registers.
    public var x87 = X87State()
    /// XMM0-XMM15, two 64-bit lanes each: XMMn bits 63:0 in slot 2n, bits 127:64 in slot 2n+1.
    public let xmm: UnsafeMutablePointer<UInt64>
    /// MXCSR (SDM vol. 1, 10.2.3).
    public var mxcsr: UInt32 = 0x1F80
    /// IA32_TSC_AUX, returned by RDTSCP in ECX.
    public var tscAux: UInt64 = 0
    /// DR0-DR7 (DR4/DR5 are never stored: they alias DR6/DR7); power-up values of SDM 10.1.1.
    public var dr: [UInt64] = CPU.debugRegistersAtReset
    static let debugRegistersAtReset: [UInt64] = [0, 0, 0, 0, 0, 0, 0xFFFF_0FF0, 0x400]
    /// MSR file, PKRU, PAE PDPTE registers, TSC offset (CPU/SystemRegisterState.swift).
    public var systemRegisters = SystemRegisterState()
    /// VMX operation state and the current-VMCS cache (VMX/VMXState.swift).
    public var vmx = VMXState()

    /// The virtual cycle counter every guest-visible timer derives from.
    public var cycles: UInt64 = 0
    public var instructionsRetired: UInt64 = 0
    public var halted = false {
        didSet { if halted { eventCycle = 0 } }
    }
    /// The events of the last delivery that ended in a shutdown, first to last, ending with the
    /// fault raised while delivering #DF (SDM vol. 3, 6.15): "#UD", "#GP(0x33)", "#DF(0x0)", ...
    public var shutdownChain: [String] = []
    /// A task switch faulted after its commit point: the fault belongs to the new task, whose
    /// EIP is already in RIP (cleared by the instruction's fault path in `execute(decoded:)`).
    var faultInNewTask = false
    /// Interrupt shadow (SDM vol. 3, 6.8.3): bit 0 = blocking by STI (maskable interrupts),
    /// bit 1 = blocking by MOV SS/POP SS (also #DB traps). It holds during the next instruction
    /// and ends after it; bit 7 (`shadowSetNow`) marks a shadow set by the current instruction.
    public var interruptShadow: UInt8 = 0 {
        didSet { if interruptShadow != 0 { eventCycle = 0 } }
    }
    /// The instruction boundary work of `step()` (interrupt shadow, VMX timers and windows,
    /// single-step trap, the end of `run(until:)`) is done after an instruction that leaves
    /// `cycles >= eventCycle`; it is at most the VMX event deadline and the deadline of
    /// `run(until:)`, and 0 while an interrupt shadow is held, EFLAGS.TF is set or the CPU halts.
    var eventCycle: UInt64 = .max
    /// The deadline of the current or last `run(until:)`.
    var runDeadline: UInt64 = .max
    /// EFLAGS.TF was set when the current instruction began.
    var singleStepping = false
    static let shadowSetNow: UInt8 = 0x80
    /// NMIs blocked from NMI delivery until the next IRET (SDM vol. 3, 6.7.1).
    public var nmiBlocked = false
    /// Called for CPUID (leaf in EAX, subleaf in ECX): the CPU model fills it.
    public var cpuidModel: CPUIDModel
    /// RDRAND and RDSEED draw from it (CPU/DigitalRandomNumberGenerator.swift); it starts at
    /// construction, and `reset()` (RESET, INIT) does not rewind it.
    public var randomNumberGenerator = DigitalRandomNumberGenerator()
    /// This processor's local APIC (Devices/LocalAPIC.swift): IA32_APIC_BASE, the x2APIC MSRs,
    /// IA32_TSC_DEADLINE and CR8 reach it. Nil for a CPU without a machine (unit tests).
    public var localAPIC: LocalAPIC?

    public init(vendor: Vendor, memory: PhysicalMemory, ports: PortBus) {
        self.vendor = vendor
        self.memory = memory
        self.ports = ports
        registers = .allocate(capacity: 32)
        registers.initialize(repeating: 0, count: 32)
        segments = .allocate(capacity: 6)
        segments.initialize(repeating: SegmentCache(), count: 6)
        xmm = .allocate(capacity: 32)
        xmm.initialize(repeating: 0, count: 32)
        tlb = TLB()
        decodeCache = DecodeCache()
        decodeSlots = decodeCache.slots
        pageGenerations = memory.generation
        decodeTagBits = DecodeCache.tag(physical: 0, mode: .real, vendor: vendor)
        cpuidModel = CPUIDModel(vendor: vendor)
        reset()
    }

    deinit {
        registers.deallocate()
        segments.deallocate()
        xmm.deallocate()
        tlb.deallocate()
        decodeCache.deallocate()
        vmx.deallocate()
    }

    /// The power-on/RESET state (SDM vol. 3, 10.1.1, table 10-1).
    public func reset() {
        for i in 0..<32 { registers[i] = 0 }
        registers[2] = UInt64(cpuidModel.signature)   // EDX = family/model/stepping
        flags.bits = 0
        controlFlags = 0x2
        for s in SegmentRegister.allCases { segments[Int(s.rawValue)] = SegmentCache() }
        segments[Int(SegmentRegister.cs.rawValue)] = SegmentCache(selector: 0xF000, base: 0xFFFF_0000,
                                                                  limit: 0xFFFF, attributes: 0x9B)
        rip = 0xFFF0
        cr0 = 0x6000_0010
        cr2 = 0; cr3 = 0; cr4 = 0; cr8 = 0; efer = 0; xcr0 = 1
        // x87 and SSE after power-up and RESET (table 10-1): FCW 0040H, FTW 5555H (every
        // register +0.0), the rest 0; MXCSR 1F80H, XMM registers 0. INIT keeps them (applyINIT).
        x87 = X87State()
        x87.control = 0x0040
        x87.tags = 0x5555
        mxcsr = XSaveFeatures.mxcsrInitial
        for k in 0..<32 { xmm[k] = 0 }
        dr = CPU.debugRegistersAtReset
        systemRegisters = SystemRegisterState()
        vmx.reset()
        gdtr = DescriptorTable()
        idtr = DescriptorTable()
        ldtr = SegmentCache(attributes: 0x82)
        tr = SegmentCache(attributes: 0x8B)
        tscAux = 0
        codeMode = .real
        cpl = 0
        halted = false
        interruptShadow = 0
        nmiBlocked = false
        tlbInvalidateAll()
    }

    public var rip: UInt64 {
        @inline(__always) get { registers[17] }
        @inline(__always) set { registers[17] = newValue }
    }

    /// RFLAGS as software sees it (PUSHF, traces, tests).
    public var rflags: UInt64 {
        get { controlFlags | flags.bits | 0x2 }
        set {
            flags.bits = newValue
            controlFlags = (newValue & RFlags.implemented.rawValue & ~RFlags.status.rawValue) | 0x2
        }
    }

    @inline(__always) public var directionFlag: Bool { controlFlags & RFlags.direction.rawValue != 0 }

    @inline(__always)
    public func segment(_ s: SegmentRegister) -> SegmentCache { segments[Int(s.rawValue)] }

    public func setSegment(_ s: SegmentRegister, _ cache: SegmentCache) {
        segments[Int(s.rawValue)] = cache
    }

    /// Recomputes the decoding mode from CR0.PE, EFLAGS.VM, EFER.LMA and CS (SDM vol. 3, 2.2).
    public func updateCodeMode() {
        let cs = segments[Int(SegmentRegister.cs.rawValue)]
        if cr0 & 1 == 0 || controlFlags & RFlags.virtual8086.rawValue != 0 {
            codeMode = .real
        } else if efer & 0x400 != 0 && cs.long {
            codeMode = .long64
        } else {
            codeMode = cs.defaultBig ? .protected32 : .protected16
        }
    }
}

/// GDTR/IDTR: a base and a 16-bit limit.
public struct DescriptorTable: Sendable, Equatable {
    public var base: UInt64 = 0
    public var limit: UInt16 = 0xFFFF
    public init(base: UInt64 = 0, limit: UInt16 = 0xFFFF) {
        self.base = base
        self.limit = limit
    }
}
