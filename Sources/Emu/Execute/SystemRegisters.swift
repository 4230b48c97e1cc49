/// Control, debug and model-specific registers, descriptor-table registers, TLB and cache
/// control, fast system calls and the small state instructions around them (SDM vol. 2 pages;
/// the rules live in CPU/ControlRegisters.swift, CPU/ModelSpecificRegisters.swift and
/// CPU/FastSystemCalls.swift).
extension CPU {
    func executeSystemRegisterInstruction(_ i: Instruction) throws(Fault) {
        switch i.op {
        case .movFromCR, .movToCR: try executeMovCR(i)
        case .movFromDR, .movToDR: try executeMovDR(i)
        case .lgdt, .lidt: try executeLoadDescriptorTable(i)
        case .sgdt, .sidt: try executeStoreDescriptorTable(i)
        case .lmsw:
            try requireCPL0()
            // Loads CR0[3:0]; it can set PE but never clears it.
            let v = try readRM(i, size: 2) & 0xF
            if vmx.nonRoot { return try vmxLMSW(i, source: try readRM(i, size: 2)) }
            try writeCR0((cr0 & ~0xE) | v | (cr0 & CR0.pe.rawValue))
        case .smsw:
            try checkUMIP()
            let cr0 = vmx.nonRoot ? vmxShadowedCR0 : self.cr0
            if i.mod == 3 {
                setRegister(i.rm, size: i.size, cr0 & CPU.mask(i.size))
            } else {
                try write(i.segment, effectiveAddress(i), size: 2, cr0 & 0xFFFF)
            }
        case .clts:
            try requireCPL0()
            if vmx.nonRoot { return try vmxCLTS(i) }
            cr0 &= ~CR0.ts.rawValue
        case .invlpg:
            try requireCPL0()
            if vmx.nonRoot { try vmxINVLPG(i) }
            // INVLPG accesses no memory: no segment checks (SDM vol. 2, INVLPG).
            flushTLB(linear: uncheckedLinearAddress(i.segment & 7, effectiveAddress(i)))
        case .invpcid: try executeInvpcid(i)
        case .wbinvd, .invd:
            try requireCPL0()
            if vmx.nonRoot { try vmxSimpleExit(i) }
        case .rdmsr:
            try requireCPL0()
            if vmx.nonRoot { try vmxMSRAccess(i, write: false) }
            let index = UInt32(truncatingIfNeeded: registers[1])
            var v: UInt64
            if vmx.nonRoot, let virtual = vmxVirtualizedRDMSR(index) {
                v = virtual
            } else {
                v = try readMSR(index)
                if vmx.nonRoot { v = vmxRDMSRValue(index, v) }
            }
            registers[0] = v & 0xFFFF_FFFF
            registers[2] = v >> 32
        case .wrmsr:
            try requireCPL0()
            if vmx.nonRoot { try vmxMSRAccess(i, write: true) }
            let v = (registers[2] & 0xFFFF_FFFF) << 32 | (registers[0] & 0xFFFF_FFFF)
            let index = UInt32(truncatingIfNeeded: registers[1])
            if vmx.nonRoot, try vmxVirtualizedWRMSR(index, v) { break }
            try writeMSR(index, v)
        case .rdpmc: try executeRdpmc(i)
        case .syscall: try executeSyscall()
        case .sysret: try executeSysret(i)
        case .sysenter: try executeSysenter()
        case .sysexit: try executeSysexit(i)
        case .swapgs: try executeSwapgs()
        case .xgetbv, .xsetbv: try executeXCR(i)
        case .rdfsbase, .rdgsbase, .wrfsbase, .wrgsbase: try executeFSGSBase(i)
        case .rdpkru:
            if cr4 & CR4.pke.rawValue == 0 { throw .invalidOpcode }
            if registers[1] & 0xFFFF_FFFF != 0 { throw .generalProtection(0) }
            registers[0] = UInt64(systemRegisters.pkru)
            registers[2] = 0
        case .wrpkru:
            if cr4 & CR4.pke.rawValue == 0 { throw .invalidOpcode }
            if registers[1] & 0xFFFF_FFFF != 0 || registers[2] & 0xFFFF_FFFF != 0 { throw .generalProtection(0) }
            systemRegisters.pkru = UInt32(truncatingIfNeeded: registers[0])
            flushTLB()                                  // TLB entries hold key-checked permissions
        case .clac, .stac:
            if !cpuidModel.smap || cpl != 0 { throw .invalidOpcode }
            let ac = RFlags.alignmentCheck.rawValue
            controlFlags = i.op == .stac ? controlFlags | ac : controlFlags & ~ac
            if cr4 & CR4.smap.rawValue != 0 { flushTLB() }
        case .monitor, .mwait: try executeMonitorMwait(i)
        case .rdpid:
            if !cpuidModel.rdpid { throw .invalidOpcode }
            setRegister(i.rm, size: codeMode == .long64 ? 8 : 4, tscAux)
        default: throw .invalidOpcode
        }
    }

    @inline(__always) func requireCPL0() throws(Fault) {
        if cpl != 0 { throw .generalProtection(0) }
    }

    /// CR4.UMIP: SGDT, SIDT, SMSW (and SLDT, STR) are #GP(0) at CPL > 0.
    func checkUMIP() throws(Fault) {
        if cpuidModel.umip && cr4 & CR4.umip.rawValue != 0 && cpl > 0 { throw .generalProtection(0) }
    }

    func executeMovCR(_ i: Instruction) throws(Fault) {
        // CR1, CR5-CR7, CR9-CR15 are #UD, a decode fault that comes before the CPL check
        // (SDM vol. 3, table 6-2; the host CPU agrees at CPL 3).
        if i.reg > 8 || (0x11D >> i.reg) & 1 == 0 { throw .invalidOpcode }
        try requireCPL0()
        if vmx.nonRoot, try vmxMovCR(i) { return }   // CR0/2/3/4/8
        // 64 bits in 64-bit mode, 32 otherwise; the mod field is ignored (SDM vol. 2, MOV CRn).
        let size: UInt8 = codeMode == .long64 ? 8 : 4
        if i.op == .movFromCR {
            let v: UInt64
            switch i.reg {
            case 0: v = cr0
            case 2: v = cr2
            case 3: v = cr3
            case 4: v = cr4
            case 8: v = cr8
            default: throw .invalidOpcode
            }
            setRegister(i.rm, size: size, v & CPU.mask(size))
            return
        }
        let v = register(i.rm, size: size)
        switch i.reg {
        case 0: try writeCR0(v)
        case 2: cr2 = v
        case 3: try writeCR3(v)
        case 4: try writeCR4(v)
        case 8: try writeCR8(v)
        default: throw .invalidOpcode
        }
    }

    func executeMovDR(_ i: Instruction) throws(Fault) {
        // REX.R (DR8-DR15) is #UD (SDM vol. 2, MOV DR), before the CPL check as for MOV CR.
        if i.reg > 7 { throw .invalidOpcode }
        try requireCPL0()
        var n = Int(i.reg)
        if n == 4 || n == 5 {
            // DR4/DR5 alias DR6/DR7 unless CR4.DE (SDM vol. 3, 18.2.2).
            if cr4 & CR4.de.rawValue != 0 { throw .invalidOpcode }
            n += 2
        }
        if vmx.nonRoot { try vmxMovDR(i) }
        if dr[7] & (1 << 13) != 0 {
            // General detect (SDM vol. 3, 18.2.4): #DB with DR6.BD; GD is cleared so the handler
            // can use the debug registers.
            dr[6] = CPU.dr6Value(dr[6]) | (1 << 13)
            dr[7] &= ~(1 << 13)
            systemRegisters.breakpoints.instructionBreakpointFault = false   // its frame has RF = 1
            throw .debug
        }
        let size: UInt8 = codeMode == .long64 ? 8 : 4
        if i.op == .movFromDR {
            let v = n == 6 ? CPU.dr6Value(dr[6]) : n == 7 ? CPU.dr7Value(dr[7]) : dr[n]
            setRegister(i.rm, size: size, v & CPU.mask(size))
            return
        }
        let v = register(i.rm, size: size)
        switch n {
        case 6, 7:
            if v >> 32 != 0 { throw .generalProtection(0) }
            dr[n] = n == 6 ? CPU.dr6Value(v) : CPU.dr7Value(v)
        default:
            dr[n] = v
        }
        if n != 6 { refreshBreakpoints() }
    }

    func executeLoadDescriptorTable(_ i: Instruction) throws(Fault) {
        try requireCPL0()
        if vmx.nonRoot { try vmxDescriptorTableExit(i) }
        let offset = effectiveAddress(i)
        let mask = CPU.mask(i.addressSize)
        let limit = try read(i.segment, offset, size: 2)
        let long = codeMode == .long64
        var base = try read(i.segment, (offset &+ 2) & mask, size: long ? 8 : 4)
        if long {
            if !isCanonicalAddress(base) { throw .generalProtection(0) }
        } else if i.size == 2 {
            base &= 0xFF_FFFF                          // 16-bit operand size: a 24-bit base
        }
        let table = DescriptorTable(base: base, limit: UInt16(limit))
        if i.op == .lgdt { gdtr = table } else { idtr = table }
    }

    func executeStoreDescriptorTable(_ i: Instruction) throws(Fault) {
        try checkUMIP()
        if vmx.nonRoot { try vmxDescriptorTableExit(i) }
        let table = i.op == .sgdt ? gdtr : idtr
        let offset = effectiveAddress(i)
        let second = (offset &+ 2) & CPU.mask(i.addressSize)
        let baseSize: UInt8 = codeMode == .long64 ? 8 : 4
        // Legacy and compatibility modes store the full 32-bit base for both operand sizes.
        try probeWrite(i.segment, offset, size: 2)
        try probeWrite(i.segment, second, size: baseSize)
        try write(i.segment, offset, size: 2, UInt64(table.limit))
        try write(i.segment, second, size: baseSize, table.base & CPU.mask(baseSize))
    }

    /// INVPCID (SDM vol. 2): type in the register operand, a 128-bit descriptor in memory.
    func executeInvpcid(_ i: Instruction) throws(Fault) {
        // Not recognized in virtual-8086 mode (SDM vol. 2, INVPCID): #UD, not the CPL 3 #GP.
        if !cpuidModel.invpcid || virtual8086 { throw .invalidOpcode }
        if vmx.nonRoot { try vmxINVPCID(i) }
        try requireCPL0()
        let long = codeMode == .long64
        let type = register(i.reg, size: long ? 8 : 4)
        let offset = effectiveAddress(i)
        let descriptor = try read(i.segment, offset, size: 8)
        let address = try read(i.segment, (offset &+ 8) & CPU.mask(i.addressSize), size: 8)
        if type > 3 || descriptor & ~0xFFF != 0 { throw .generalProtection(0) }
        let pcid = descriptor & 0xFFF
        if type <= 1 && pcid != 0 && cr4 & CR4.pcide.rawValue == 0 { throw .generalProtection(0) }
        if type == 0 && !isCanonicalAddress(address) { throw .generalProtection(0) }
        tlbInvalidatePCID(type: type, pcid: UInt16(pcid), linear: address)
    }

    /// RDPMC: Intel reports no architectural counters (CPUID leaf 0Ah is zero), so every index
    /// is invalid; AMD has the four legacy counters (PERF_CTR0-3).
    func executeRdpmc(_ i: Instruction) throws(Fault) {
        if cr4 & CR4.pce.rawValue == 0 && cpl != 0 { throw .generalProtection(0) }
        if vmx.nonRoot { try vmxSimpleExit(i) }
        let n = registers[1] & 0xFFFF_FFFF
        if vendor == .intel || n >= 4 { throw .generalProtection(0) }
        let v = systemRegisters.perfCounter[Int(n)]
        registers[0] = v & 0xFFFF_FFFF
        registers[2] = v >> 32
    }

    /// XGETBV/XSETBV (SDM vol. 2; vol. 1, 13.3, 13.6). XGETBV with ECX = 1 reads XCR0 AND
    /// XINUSE where CPUID.(EAX=0DH,ECX=1):EAX[2] enumerates it. XCR0 may hold only components
    /// the model supports (CPUIDModel.supportedXCR0); bit 0 (x87) is always 1; AVX needs SSE;
    /// AVX-512 state needs all three parts.
    func executeXCR(_ i: Instruction) throws(Fault) {
        if cr4 & CR4.osxsave.rawValue == 0 { throw .invalidOpcode }
        let n = registers[1] & 0xFFFF_FFFF
        if i.op == .xgetbv {
            let v: UInt64
            switch n {
            case 0: v = xcr0
            case 1 where cpuidModel.xgetbv1: v = xcr0 & xinuse
            default: throw .generalProtection(0)
            }
            registers[0] = v & 0xFFFF_FFFF
            registers[2] = v >> 32
            return
        }
        try requireCPL0()
        if vmx.nonRoot { try vmxSimpleExit(i) }
        if n != 0 { throw .generalProtection(0) }
        let v = (registers[2] & 0xFFFF_FFFF) << 32 | (registers[0] & 0xFFFF_FFFF)
        if v & ~cpuidModel.supportedXCR0 != 0 || v & 1 == 0 { throw .generalProtection(0) }
        if v & 0x4 != 0 && v & 0x2 == 0 { throw .generalProtection(0) }
        if v & 0xE0 != 0 && v & 0xE0 != 0xE0 { throw .generalProtection(0) }
        if v & 0xE0 != 0 && v & 0x6 != 0x6 { throw .generalProtection(0) }
        xcr0 = v
    }

    func executeFSGSBase(_ i: Instruction) throws(Fault) {
        if cr4 & CR4.fsgsbase.rawValue == 0 { throw .invalidOpcode }
        let s: SegmentRegister = i.op == .rdfsbase || i.op == .wrfsbase ? .fs : .gs
        if i.op == .rdfsbase || i.op == .rdgsbase {
            setRegister(i.rm, size: i.size, segment(s).base & CPU.mask(i.size))
            return
        }
        let v = register(i.rm, size: i.size)
        if !isCanonicalAddress(v) { throw .generalProtection(0) }
        var c = segment(s)
        c.base = v
        setSegment(s, c)
    }

    /// MONITOR/MWAIT (SDM vol. 2): ring 0 only; no extensions to MONITOR (ECX = 0); MWAIT's
    /// only extension is "interrupts break the wait" (ECX bit 0). MWAIT returns at once: a
    /// wake-up event may end the wait at any time, so waiting for none is architectural.
    func executeMonitorMwait(_ i: Instruction) throws(Fault) {
        let enabled = cpuidModel.monitor
            && (vendor != .intel || systemRegisters.miscEnable & MiscEnable.monitorEnable != 0)
        if !enabled || cpl != 0 { throw .invalidOpcode }
        if vmx.nonRoot { try vmxSimpleExit(i) }
        let ecx = registers[1] & 0xFFFF_FFFF
        if i.op == .monitor {
            if ecx != 0 { throw .generalProtection(0) }
            let offset = registers[0] & CPU.mask(i.addressSize)
            let linear = try linearAddress(i.segment, offset, size: 1)
            _ = try translate(linear, access: .read, seg: i.segment)
        } else if ecx > 1 {
            throw .generalProtection(0)
        }
    }
}
