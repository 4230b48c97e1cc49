/// MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS with REP/REPE/REPNE (SDM vol. 2 and vol. 1, 7.3.9).
///
/// rSI, rDI and rCX have the address size: 16-bit updates keep the upper bits, 32-bit updates
/// zero-extend into the 64-bit register. The source is seg:rSI (DS unless overridden), the
/// destination always ES:rDI. DF = 1 walks down.
///
/// A REP form runs at most `CPU.repeatChunk` iterations per call; if more remain, RIP is put
/// back on the instruction so it continues on the next step, as a REP string instruction does
/// when an interrupt arrives between iterations (SDM vol. 2, REP). Each iteration costs a cycle.
/// If an access faults mid-way, rSI/rDI/rCX are
/// written back with the iterations that completed, so the restarted instruction continues
/// from there (the dispatcher puts RIP back on the instruction). A REP with a zero count, or
/// a fault in the first iteration, leaves every register untouched.
/// REPE/REPNE terminate CMPS/SCAS on ZF after the count is decremented; for the other string
/// instructions F2 and F3 both mean REP.
extension CPU {
    @inline(__always)
    private func stringStep(_ size: UInt8) -> UInt64 {
        directionFlag ? 0 &- UInt64(size) : UInt64(size)
    }

    @inline(__always)
    private func isRepeated(_ i: Instruction) -> Bool {
        i.prefixes.contains(.rep) || i.prefixes.contains(.repne)
    }

    func executeMovs(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = i.addressSize
        let m = CPU.mask(a)
        let d = stringStep(size)
        let es = SegmentRegister.es.rawValue
        var si = registers[6] & m
        var di = registers[7] & m
        if !isRepeated(i) {
            try write(es, di, size: size, try read(i.segment, si, size: size))
            setRegister(6, size: a, si &+ d)
            setRegister(7, size: a, di &+ d)
            return
        }
        let start = registers[1] & m
        var count = start
        let stop = repeatStop(start)
        let ended = false
        do {
            while count != stop {
                let v = try read(i.segment, si, size: size)
                try write(es, di, size: size, v)
                si = (si &+ d) & m
                di = (di &+ d) & m
                count &-= 1
            }
        } catch {
            if count != start { commitString(a, si: si, di: di, count: count) }
            throw error
        }
        if count != start { commitString(a, si: si, di: di, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    func executeCmps(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = i.addressSize
        let m = CPU.mask(a)
        let mk = CPU.mask(size)
        let d = stringStep(size)
        let es = SegmentRegister.es.rawValue
        var si = registers[6] & m
        var di = registers[7] & m
        if !isRepeated(i) {
            let x = try read(i.segment, si, size: size)
            let y = try read(es, di, size: size)
            flags.set(.sub, size: size, a: x, b: y, result: (x &- y) & mk)
            setRegister(6, size: a, si &+ d)
            setRegister(7, size: a, di &+ d)
            return
        }
        let whileEqual = i.prefixes.contains(.rep)
        let start = registers[1] & m
        var count = start
        let stop = repeatStop(start)
        var ended = false
        do {
            while count != stop {
                let x = try read(i.segment, si, size: size)
                let y = try read(es, di, size: size)
                flags.set(.sub, size: size, a: x, b: y, result: (x &- y) & mk)
                si = (si &+ d) & m
                di = (di &+ d) & m
                count &-= 1
                if (x == y) != whileEqual { ended = true; break }
            }
        } catch {
            if count != start { commitString(a, si: si, di: di, count: count) }
            throw error
        }
        if count != start { commitString(a, si: si, di: di, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    func executeScas(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = i.addressSize
        let m = CPU.mask(a)
        let mk = CPU.mask(size)
        let d = stringStep(size)
        let es = SegmentRegister.es.rawValue
        let acc = register(0, size: size)
        var di = registers[7] & m
        if !isRepeated(i) {
            let y = try read(es, di, size: size)
            flags.set(.sub, size: size, a: acc, b: y, result: (acc &- y) & mk)
            setRegister(7, size: a, di &+ d)
            return
        }
        let whileEqual = i.prefixes.contains(.rep)
        let start = registers[1] & m
        var count = start
        let stop = repeatStop(start)
        var ended = false
        do {
            while count != stop {
                let y = try read(es, di, size: size)
                flags.set(.sub, size: size, a: acc, b: y, result: (acc &- y) & mk)
                di = (di &+ d) & m
                count &-= 1
                if (acc == y) != whileEqual { ended = true; break }
            }
        } catch {
            if count != start { commitDestination(a, di: di, count: count) }
            throw error
        }
        if count != start { commitDestination(a, di: di, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    func executeLods(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = i.addressSize
        let m = CPU.mask(a)
        let d = stringStep(size)
        var si = registers[6] & m
        if !isRepeated(i) {
            setRegister(0, size: size, try read(i.segment, si, size: size))
            setRegister(6, size: a, si &+ d)
            return
        }
        let start = registers[1] & m
        var count = start
        let stop = repeatStop(start)
        let ended = false
        do {
            while count != stop {
                setRegister(0, size: size, try read(i.segment, si, size: size))
                si = (si &+ d) & m
                count &-= 1
            }
        } catch {
            if count != start { commitSource(a, si: si, count: count) }
            throw error
        }
        if count != start { commitSource(a, si: si, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    func executeStos(_ i: Instruction) throws(Fault) {
        let size = i.size
        let a = i.addressSize
        let m = CPU.mask(a)
        let d = stringStep(size)
        let es = SegmentRegister.es.rawValue
        let v = register(0, size: size)
        var di = registers[7] & m
        if !isRepeated(i) {
            try write(es, di, size: size, v)
            setRegister(7, size: a, di &+ d)
            return
        }
        let start = registers[1] & m
        var count = start
        let stop = repeatStop(start)
        let ended = false
        do {
            while count != stop {
                try write(es, di, size: size, v)
                di = (di &+ d) & m
                count &-= 1
            }
        } catch {
            if count != start { commitDestination(a, di: di, count: count) }
            throw error
        }
        if count != start { commitDestination(a, di: di, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    /// INS: port DX -> ES:rDI. The destination is checked before the port is read, so a
    /// faulting iteration does not consume device data. Operand size is at most 32 bits
    /// (REX.W is ignored). The I/O permission check (CPL > IOPL or virtual-8086 mode: TSS
    /// bitmap, #GP(0)) is done once before the first iteration, as the port and size are fixed;
    /// a REP form with a zero count does no I/O and so cannot fault.
    func executeIns(_ i: Instruction) throws(Fault) {
        if vmx.nonRoot { try vmxStringIO(i, input: true) }
        let size = min(i.size, 4)
        let a = i.addressSize
        let m = CPU.mask(a)
        let d = stringStep(size)
        let es = SegmentRegister.es.rawValue
        let port = UInt16(truncatingIfNeeded: registers[2])
        var di = registers[7] & m
        if !isRepeated(i) {
            try checkIOPermission(port: port, size: size)
            try probeWrite(es, di, size: size)
            try write(es, di, size: size, UInt64(ports.read(port, size: Int(size))))
            setRegister(7, size: a, di &+ d)
            return
        }
        let start = registers[1] & m
        if start == 0 { return }
        try checkIOPermission(port: port, size: size)
        var count = start
        let stop = repeatStop(start)
        let ended = false
        do {
            while count != stop {
                try probeWrite(es, di, size: size)
                try write(es, di, size: size, UInt64(ports.read(port, size: Int(size))))
                di = (di &+ d) & m
                count &-= 1
            }
        } catch {
            if count != start { commitDestination(a, di: di, count: count) }
            throw error
        }
        if count != start { commitDestination(a, di: di, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    /// OUTS: seg:rSI -> port DX (see INS for size and permission notes; the permission check
    /// precedes the memory read).
    func executeOuts(_ i: Instruction) throws(Fault) {
        if vmx.nonRoot { try vmxStringIO(i, input: false) }
        let size = min(i.size, 4)
        let a = i.addressSize
        let m = CPU.mask(a)
        let d = stringStep(size)
        let port = UInt16(truncatingIfNeeded: registers[2])
        var si = registers[6] & m
        if !isRepeated(i) {
            try checkIOPermission(port: port, size: size)
            let v = try read(i.segment, si, size: size)
            ports.write(port, size: Int(size), value: UInt32(truncatingIfNeeded: v))
            setRegister(6, size: a, si &+ d)
            return
        }
        let start = registers[1] & m
        if start == 0 { return }
        try checkIOPermission(port: port, size: size)
        var count = start
        let stop = repeatStop(start)
        let ended = false
        do {
            while count != stop {
                let v = try read(i.segment, si, size: size)
                ports.write(port, size: Int(size), value: UInt32(truncatingIfNeeded: v))
                si = (si &+ d) & m
                count &-= 1
            }
        } catch {
            if count != start { commitSource(a, si: si, count: count) }
            throw error
        }
        if count != start { commitSource(a, si: si, count: count) }
        resumeRepeat(i, start: start, count: count, ended: ended)
    }

    static let repeatChunk: UInt64 = 4096

    /// The count at which this call stops (the rest runs on the next step). While data or I/O
    /// breakpoints are armed, one iteration per step, so that a hit is reported after the
    /// iteration that made it (SDM 18.3.1.2; CPU/DebugBreakpoints.swift).
    @inline(__always)
    func repeatStop(_ start: UInt64) -> UInt64 {
        let b = systemRegisters.breakpoints
        if _slowPath(b.data | b.io != 0) { return start == 0 ? 0 : start &- 1 }
        return start > CPU.repeatChunk ? start &- CPU.repeatChunk : 0
    }

    /// Charges the iterations and, when iterations remain (and REPE/REPNE did not end the loop),
    /// puts RIP back on the instruction.
    @inline(__always)
    private func resumeRepeat(_ i: Instruction, start: UInt64, count: UInt64, ended: Bool) {
        cycles &+= start &- count
        if count != 0 && !ended {
            rip = (rip &- UInt64(i.length)) & ripMask
            systemRegisters.breakpoints.repeatIncomplete = true     // CPU/DebugBreakpoints.swift
        }
    }

    @inline(__always)
    private func commitString(_ a: UInt8, si: UInt64, di: UInt64, count: UInt64) {
        setRegister(6, size: a, si)
        setRegister(7, size: a, di)
        setRegister(1, size: a, count)
    }

    @inline(__always)
    private func commitSource(_ a: UInt8, si: UInt64, count: UInt64) {
        setRegister(6, size: a, si)
        setRegister(1, size: a, count)
    }

    @inline(__always)
    private func commitDestination(_ a: UInt8, di: UInt64, count: UInt64) {
        setRegister(7, size: a, di)
        setRegister(1, size: a, count)
    }
}
