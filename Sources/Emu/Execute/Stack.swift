/// PUSH, POP, PUSH/POP Sreg, PUSHA/POPA, PUSHF/POPF, ENTER, LEAVE (SDM vol. 2).
///
/// Every handler leaves RSP (and the other registers) unchanged when it faults, so the
/// instruction can be restarted; memory written before the fault may have changed, as on
/// hardware.
extension CPU {
    func executePush(_ i: Instruction) throws(Fault) {
        let size = i.size
        let v: UInt64
        if i.form == .imm {
            v = i.immediate                       // Ib/Iz, already sign-extended
        } else {
            // PUSH RSP / PUSH [RSP+x] use the value of RSP before the push.
            v = try readRM(i, size: size)
        }
        try push(v, size: size)
    }

    func executePop(_ i: Instruction) throws(Fault) {
        let size = i.size
        if i.mod == 3 {
            // POP RSP: the increment happens first, then the popped value is written.
            let v = try pop(size: size)
            setRegister(i.rm, size: size, v)
            return
        }
        // POP m: the effective address is computed after RSP is incremented.
        let v = try peekStack(at: 0, size: size)
        let saved = registers[4]
        setStackPointer(stackPointer &+ UInt64(size))
        do {
            try writeRM(i, size: size, v)
        } catch {
            registers[4] = saved
            throw error
        }
    }

    /// PUSH ES/CS/SS/DS/FS/GS. With a 32- or 64-bit operand size the stack pointer moves by the
    /// operand size; Intel processors write only the 16-bit selector (the SDM's "16-bit move"
    /// option, leaving the upper bytes of the slot unchanged), AMD ones push the selector
    /// zero-extended.
    func executePushSegment(_ i: Instruction) throws(Fault) {
        let sub = Int(i.sub)
        guard sub < 6 else { throw .invalidOpcode }
        let selector = UInt64(segments[sub].selector)
        let size = i.size
        if size == 2 || vendor == .amd {
            try push(selector, size: size)
            return
        }
        let sp = (stackPointer &- UInt64(size)) & CPU.mask(stackAddressSize)
        // Check the whole slot (the limit check uses the operand size), then move 16 bits.
        try probeWrite(SegmentRegister.ss.rawValue, sp, size: size)
        try write(SegmentRegister.ss.rawValue, sp, size: 2, selector)
        setStackPointer(sp)
    }

    /// POP ES/SS/DS/FS/GS (SDM vol. 2, POP operation).
    ///
    /// The selector is read first, then loaded with the checks of `loadSegment` (real-address
    /// and virtual-8086 mode: base = selector << 4, limit and attributes kept; protected and
    /// long mode: descriptor checks with #GP/#SS/#NP(selector)), and only then does RSP move,
    /// so a fault changes nothing. POP SS starts a one-instruction interrupt shadow.
    func executePopSegment(_ i: Instruction) throws(Fault) {
        let sub = Int(i.sub)
        guard sub < 6, sub != Int(SegmentRegister.cs.rawValue),
              let sreg = SegmentRegister(rawValue: UInt8(sub)) else { throw .invalidOpcode }
        let size = i.size
        let v = try peekStack(at: 0, size: size)
        let m = CPU.mask(stackAddressSize)
        let newSP = (stackPointer &+ UInt64(size)) & m
        try loadSegment(sreg, UInt16(truncatingIfNeeded: v))
        registers[4] = registers[4] & ~m | newSP
        if sreg == .ss { beginInterruptShadow(movSS: true) }
    }

    /// PUSHA/PUSHAD: AX CX DX BX (original SP) BP SI DI. All slots are written before SP moves.
    func executePusha(_ i: Instruction) throws(Fault) {
        let size = i.size
        let m = CPU.mask(stackAddressSize)
        let sp = stackPointer
        let originalSP = register(4, size: size)
        var offset = sp
        for n: UInt8 in 0..<8 {
            offset = (offset &- UInt64(size)) & m
            let v = n == 4 ? originalSP : register(n, size: size)
            try write(SegmentRegister.ss.rawValue, offset, size: size, v)
        }
        setStackPointer(offset)
    }

    /// POPA/POPAD: DI SI BP (skipped) BX DX CX AX; all values are read before any register changes.
    func executePopa(_ i: Instruction) throws(Fault) {
        let size = i.size
        let s = UInt64(size)
        let di = try peekStack(at: 0, size: size)
        let si = try peekStack(at: s, size: size)
        let bp = try peekStack(at: 2 &* s, size: size)
        let bx = try peekStack(at: 4 &* s, size: size)
        let dx = try peekStack(at: 5 &* s, size: size)
        let cx = try peekStack(at: 6 &* s, size: size)
        let ax = try peekStack(at: 7 &* s, size: size)
        setRegister(7, size: size, di)
        setRegister(6, size: size, si)
        setRegister(5, size: size, bp)
        setRegister(3, size: size, bx)
        setRegister(2, size: size, dx)
        setRegister(1, size: size, cx)
        setRegister(0, size: size, ax)
        setStackPointer(stackPointer &+ 8 &* s)
    }

    /// PUSHF/PUSHFD/PUSHFQ: RFLAGS with VM and RF cleared in the image. In virtual-8086 mode with
    /// IOPL < 3 it is IOPL-sensitive: #GP(0), or with CR4.VME the 16-bit variant that pushes VIF
    /// as IF (VirtualModeExtensions.swift).
    func executePushf(_ i: Instruction) throws(Fault) {
        if virtualModeExtensionsActive { return try vmePushf(size: i.size) }
        if controlFlags & RFlags.virtual8086.rawValue != 0 && (controlFlags >> 12) & 3 != 3 {
            throw .generalProtection(0)
        }
        let image = rflags & ~(RFlags.virtual8086.rawValue | RFlags.resume.rawValue)
        try push(image, size: i.size)
    }

    /// POPF/POPFD/POPFQ (SDM vol. 2, POPF operation).
    /// - VIP, VIF, VM and the reserved bits never change; bit 1 stays 1.
    /// - IOPL changes only at CPL 0; IF only when CPL <= IOPL (real mode counts as CPL 0).
    /// - A 32/64-bit POPF clears RF (except in virtual-8086 mode, where RF is kept); a 16-bit
    ///   one changes only bits 15:0.
    /// - Virtual-8086 mode: with IOPL = 3 IOPL is kept; with IOPL < 3 #GP(0), or with CR4.VME
    ///   the 16-bit variant that sets VIF (VirtualModeExtensions.swift).
    func executePopf(_ i: Instruction) throws(Fault) {
        if virtualModeExtensionsActive { return try vmePopf(size: i.size) }
        let alignmentChecked = alignmentCheckActive
        defer { noteAlignmentCheckFlags(wasActive: alignmentChecked) }
        let size = i.size
        let v86 = controlFlags & RFlags.virtual8086.rawValue != 0
        let iopl = UInt8((controlFlags >> 12) & 3)
        if v86 && iopl != 3 { throw .generalProtection(0) }
        let value = try pop(size: size)
        var writable: UInt64 = RFlags.status.rawValue | RFlags.trap.rawValue | RFlags.direction.rawValue
            | RFlags.nestedTask.rawValue | RFlags.alignmentCheck.rawValue | RFlags.id.rawValue
        let effectiveCPL: UInt8 = cr0 & 1 == 0 ? 0 : v86 ? 3 : cpl
        if !v86 && effectiveCPL == 0 { writable |= RFlags.iopl.rawValue }
        if v86 || effectiveCPL <= iopl { writable |= RFlags.interrupt.rawValue }
        var current = rflags
        if size == 2 {
            writable &= 0xFFFF
        } else if !v86 {
            current &= ~RFlags.resume.rawValue
        }
        rflags = (current & ~writable) | (value & writable) | RFlags.reserved1.rawValue
    }

    /// ENTER imm16, imm8 (SDM vol. 2, ENTER operation). The frame-pointer copies for nesting
    /// levels > 1 are read from SS:[rBP - k * size] with the stack address size.
    func executeEnter(_ i: Instruction) throws(Fault) {
        let size = i.size
        let s = UInt64(size)
        let level = Int(i.immediate2 & 31)
        let allocSize = i.immediate & 0xFFFF
        let stackMask = CPU.mask(stackAddressSize)
        let savedSP = registers[4]
        do {
            try push(registers[5], size: size)
            let frameTemp = registers[4] & CPU.mask(size)
            if level > 0 {
                var fp = registers[5] & stackMask
                if level > 1 {
                    for _ in 1..<level {
                        fp = (fp &- s) & stackMask
                        let v = try read(SegmentRegister.ss.rawValue, fp, size: size)
                        try push(v, size: size)
                    }
                }
                try push(frameTemp, size: size)
            }
            setRegister(5, size: size, frameTemp)
            setStackPointer(stackPointer &- allocSize)
        } catch {
            registers[4] = savedSP
            throw error
        }
    }

    /// LEAVE: rSP <- rBP (stack address size), then rBP <- POP (operand size).
    func executeLeave(_ i: Instruction) throws(Fault) {
        let size = i.size
        let frame = registers[5] & CPU.mask(stackAddressSize)
        let v = try read(SegmentRegister.ss.rawValue, frame, size: size)
        setStackPointer(frame &+ UInt64(size))
        setRegister(5, size: size, v)
    }
}
