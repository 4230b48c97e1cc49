/// Virtual-8086 mode extensions (CR4.VME, SDM vol. 3, 20.3): with IOPL < 3 the 16-bit PUSHF,
/// POPF and IRET work on VIF instead of trapping to the monitor, and INT n may be redirected to
/// the 8086 program's own interrupt vector table through the TSS's interrupt redirection bitmap.
/// CLI/STI (and the protected-mode virtual interrupts of CR4.PVI, 20.4) are in FlagOps.swift.
extension CPU {
    /// The VME variants apply: virtual-8086 mode, IOPL < 3, CR4.VME = 1.
    var virtualModeExtensionsActive: Bool {
        virtual8086 && (controlFlags >> 12) & 3 != 3 && cr4 & CR4.vme.rawValue != 0
    }

    /// PUSHF with VME (20.3.3, PUSHF operation): only the 16-bit form; the image carries VIF in
    /// the IF position and IOPL = 3. PUSHFD is #GP(0).
    func vmePushf(size: UInt8) throws(Fault) {
        if size != 2 { throw .generalProtection(0) }
        var image = rflags & 0xFFFF | RFlags.iopl.rawValue
        image &= ~RFlags.interrupt.rawValue
        if controlFlags & RFlags.virtualInterrupt.rawValue != 0 { image |= RFlags.interrupt.rawValue }
        try push(image, size: 2)
    }

    /// POPF with VME (POPF operation): only the 16-bit form. #GP(0) if the popped TF is 1, or the
    /// popped IF is 1 while VIP is set; otherwise VIF takes the popped IF and IF and IOPL are kept.
    func vmePopf(size: UInt8) throws(Fault) {
        if size != 2 { throw .generalProtection(0) }
        var stack = currentStack
        let value = try popStack(&stack, size: 2)
        try setFlagsVirtually(value)
        commitStackPointer(stack)
    }

    /// IRET with VME (IRET operation, RETURN-FROM-VIRTUAL-8086-MODE): only the 16-bit form; the
    /// popped FLAGS are checked and applied as by POPF.
    func vmeIret(size: UInt8) throws(Fault) {
        if size != 2 { throw .generalProtection(0) }
        var stack = currentStack
        let offset = try popStack(&stack, size: 2)
        let selector = UInt16(truncatingIfNeeded: try popStack(&stack, size: 2))
        let newFlags = try popStack(&stack, size: 2)
        if offset > UInt64(segments[1].limit) { throw .generalProtection(0) }
        try setFlagsVirtually(newFlags)
        commitStackPointer(stack)
        segments[1].selector = selector
        segments[1].base = UInt64(selector) << 4
        rip = offset
    }

    /// FLAGS[15:0] from a VME POPF/IRET: bits other than IF and IOPL are loaded, VIF <- IF.
    private func setFlagsVirtually(_ value: UInt64) throws(Fault) {
        let interrupt = RFlags.interrupt.rawValue
        let vipSet = controlFlags & RFlags.virtualInterruptPending.rawValue != 0
        if value & RFlags.trap.rawValue != 0 || (value & interrupt != 0 && vipSet) {
            throw .generalProtection(0)
        }
        let writable = 0xFFFF & ~(interrupt | RFlags.iopl.rawValue) & RFlags.implemented.rawValue
        var new = rflags & ~writable | value & writable
        if value & interrupt != 0 {
            new |= RFlags.virtualInterrupt.rawValue
        } else {
            new &= ~RFlags.virtualInterrupt.rawValue
        }
        rflags = new | RFlags.reserved1.rawValue
    }

    /// INT n in virtual-8086 mode with CR4.VME = 1 (20.3.3, methods 4-6): bit n of the interrupt
    /// redirection bitmap (the 32 bytes below the TSS's I/O map base) clear sends the interrupt
    /// to the 8086 handler at linear n * 4, like a real-mode INT; returns false when the bit is
    /// set (the caller goes on with the protected-mode rules). #GP(0) if the bitmap byte lies
    /// beyond the TSS limit.
    func vmeRedirectInterrupt(_ vector: UInt8) throws(Fault) -> Bool {
        if tr.limit < 103 { throw .generalProtection(0) }
        let ioBase = try readLinear(tr.base &+ 102, size: 2)
        let offset = ioBase &- 32 &+ UInt64(vector >> 3)
        if ioBase < 32 || offset > UInt64(tr.limit) { throw .generalProtection(0) }
        let bits = try readLinear(tr.base &+ offset, size: 1)
        if bits & (1 << UInt64(vector & 7)) != 0 { return false }
        let entry = try readLinear(UInt64(vector) &* 4, size: 4, asUser: true)
        let iopl3 = (controlFlags >> 12) & 3 == 3
        var image = rflags & 0xFFFF
        if !iopl3 {
            image = image & ~RFlags.interrupt.rawValue | RFlags.iopl.rawValue
            if controlFlags & RFlags.virtualInterrupt.rawValue != 0 { image |= RFlags.interrupt.rawValue }
        }
        var stack = currentStack
        try pushStack(&stack, image, size: 2)
        try pushStack(&stack, UInt64(segments[1].selector), size: 2)
        try pushStack(&stack, rip & 0xFFFF, size: 2)
        commitStackPointer(stack)
        let selector = UInt16(truncatingIfNeeded: entry >> 16)
        segments[1].selector = selector
        segments[1].base = UInt64(selector) << 4
        rip = entry & 0xFFFF
        let masked = iopl3 ? RFlags.interrupt.rawValue : RFlags.virtualInterrupt.rawValue
        controlFlags &= ~(RFlags.trap.rawValue | masked)
        return true
    }
}
