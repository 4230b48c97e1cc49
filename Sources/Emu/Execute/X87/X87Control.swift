/// The x87 control instructions (SDM vol. 1, 8.3.11): FNINIT, FLDCW, FNSTENV/FLDENV and
/// FNSAVE/FRSTOR. FNSTCW, FNSTSW and FNCLEX are single statements in X87.swift.
extension CPU {
    /// FNINIT (and the end of FNSAVE): FCW 037Fh, FSW 0, all registers empty, pointers and
    /// opcode cleared; the data registers keep their contents (SDM vol. 2, FINIT/FNINIT).
    func x87Initialize() {
        x87.control = 0x037F
        x87.status = 0
        x87.tags = 0xFFFF
        x87.lastOpcode = 0
        x87.lastInstructionPointer = 0
        x87.lastInstructionSelector = 0
        x87.lastDataPointer = 0
        x87.lastDataSelector = 0
    }

    /// FLDCW m16. Unmasking an exception whose flag is set makes it pending (SDM vol. 2, FLDCW).
    func executeFldcw(_ i: Instruction, _ address: UInt64) throws(Fault) {
        x87.control = UInt16(truncatingIfNeeded: try read(i.segment, address, size: 2))
        x87UpdateErrorSummary()
    }

    /// The environment image's format (SDM vol. 1, 8.1.10, figures 8-9 to 8-12): 28 bytes for a
    /// 32-bit operand size (and in 64-bit mode), 14 for 16-bit; real-address and virtual-8086
    /// mode store linear instruction and data addresses instead of selector and offset.
    private func x87EnvironmentFormat(_ i: Instruction) -> (wide: Bool, real: Bool) {
        (i.size != 2 || codeMode == .long64, codeMode == .real)
    }

    /// The environment as the 7 fields of its image, each 16 bits (narrow) or 32 bits (wide).
    private func x87EnvironmentImage(wide: Bool, real: Bool) -> [UInt64] {
        let fop = UInt64(x87.lastOpcode & 0x7FF)
        let fip = x87.lastInstructionPointer, fdp = x87.lastDataPointer
        let fcs = UInt64(x87.lastInstructionSelector), fds = UInt64(x87.lastDataSelector)
        let filler: UInt64 = wide ? 0xFFFF_0000 : 0
        var fields: [UInt64] = [UInt64(x87.control) | filler, UInt64(x87.status) | filler,
                                UInt64(x87FullTagWord()) | filler]
        if real {
            let ip = (fcs << 4 &+ fip) & 0xFFFF_FFFF, dp = (fds << 4 &+ fdp) & 0xFFFF_FFFF
            let upperShift: UInt64 = 12
            fields += [ip & 0xFFFF | filler, (ip >> 16) << upperShift | fop,
                       dp & 0xFFFF | filler, (dp >> 16) << upperShift]
        } else if wide {
            fields += [fip & 0xFFFF_FFFF, fcs | fop << 16, fdp & 0xFFFF_FFFF, fds | filler]
        } else {
            fields += [fip & 0xFFFF, fcs, fdp & 0xFFFF, fds]
        }
        return fields
    }

    /// Loads the environment from the image fields (the inverse of `x87EnvironmentImage`).
    private func x87LoadEnvironmentImage(_ f: [UInt64], real: Bool, wide: Bool) {
        x87.control = UInt16(truncatingIfNeeded: f[0])
        x87.status = UInt16(truncatingIfNeeded: f[1])
        let tags = UInt16(truncatingIfNeeded: f[2])
        if real {
            let width: UInt64 = wide ? 0xFFFF : 0xF
            x87.lastInstructionPointer = f[3] & 0xFFFF | (f[4] >> 12 & width) << 16
            x87.lastOpcode = UInt16(f[4] & 0x7FF)
            x87.lastDataPointer = f[5] & 0xFFFF | (f[6] >> 12 & width) << 16
            x87.lastInstructionSelector = 0
            x87.lastDataSelector = 0
        } else {
            x87.lastInstructionPointer = f[3]
            x87.lastInstructionSelector = UInt16(truncatingIfNeeded: f[4])
            x87.lastOpcode = wide ? UInt16(f[4] >> 16 & 0x7FF) : x87.lastOpcode
            x87.lastDataPointer = f[5]
            x87.lastDataSelector = UInt16(truncatingIfNeeded: f[6])
        }
        x87LoadTagWord(tags)
        x87UpdateErrorSummary()
    }

    private func x87WriteEnvironment(_ i: Instruction, _ address: UInt64) throws(Fault) {
        let (wide, real) = x87EnvironmentFormat(i)
        let mask = CPU.mask(i.addressSize)
        let width: UInt64 = wide ? 4 : 2
        for (k, field) in x87EnvironmentImage(wide: wide, real: real).enumerated() {
            try write(i.segment, (address &+ UInt64(k) &* width) & mask, size: UInt8(width), field)
        }
    }

    private func x87ReadEnvironment(_ i: Instruction, _ address: UInt64) throws(Fault) -> [UInt64] {
        let wide = x87EnvironmentFormat(i).wide
        let mask = CPU.mask(i.addressSize)
        let width: UInt64 = wide ? 4 : 2
        var fields: [UInt64] = []
        for k in 0..<7 {
            fields.append(try read(i.segment, (address &+ UInt64(k) &* width) & mask, size: UInt8(width)))
        }
        return fields
    }

    /// FNSTENV: stores the environment, then masks all exceptions (SDM vol. 2, FSTENV); with
    /// nothing left unmasked, FSW.ES and B clear, as the host vectors (x87-state) show.
    func executeFnstenv(_ i: Instruction, _ address: UInt64) throws(Fault) {
        try probeWrite(i.segment, address, size: x87EnvironmentFormat(i).wide ? 28 : 14)
        try x87WriteEnvironment(i, address)
        x87.control |= X87Status.exceptionFlags
        x87UpdateErrorSummary()
    }

    func executeFldenv(_ i: Instruction, _ address: UInt64) throws(Fault) {
        let (wide, real) = x87EnvironmentFormat(i)
        x87LoadEnvironmentImage(try x87ReadEnvironment(i, address), real: real, wide: wide)
    }

    /// FNSAVE: the environment, then ST(0)..ST(7) as 10-byte values; then FNINIT.
    func executeFnsave(_ i: Instruction, _ address: UInt64) throws(Fault) {
        let base: UInt64 = x87EnvironmentFormat(i).wide ? 28 : 14
        try probeWrite(i.segment, address, size: UInt8(base + 80))
        try x87WriteEnvironment(i, address)
        let m = X87Memory(segment: i.segment, offset: address, mask: CPU.mask(i.addressSize))
        for k in 0..<8 {
            let at = X87Memory(segment: i.segment, offset: m.at(base &+ UInt64(k) &* 10), mask: m.mask)
            try x87WriteReal80(at, st(k))
        }
        x87Initialize()
    }

    /// FRSTOR: the inverse of FNSAVE; the registers are read before anything changes.
    func executeFrstor(_ i: Instruction, _ address: UInt64) throws(Fault) {
        let (wide, real) = x87EnvironmentFormat(i)
        let base: UInt64 = wide ? 28 : 14
        let fields = try x87ReadEnvironment(i, address)
        let m = X87Memory(segment: i.segment, offset: address, mask: CPU.mask(i.addressSize))
        var values = InlineArray<8, Float80Bits>(repeating: Float80Bits())
        for k in 0..<8 {
            values[k] = try x87ReadReal80(X87Memory(segment: i.segment, offset: m.at(base &+ UInt64(k) &* 10), mask: m.mask))
        }
        let top = Int(fields[1] >> 11) & 7
        for k in 0..<8 { x87.registers[(top + k) & 7] = values[k] }
        x87LoadEnvironmentImage(fields, real: real, wide: wide)
    }
}
