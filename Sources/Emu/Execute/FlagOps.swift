/// CLC, STC, CMC, CLD, STD, CLI, STI (SDM vol. 2).
///
/// CLI/STI follow the SDM pseudo-code including the protected-mode virtual interrupts (CR4.PVI)
/// and virtual-8086 mode extensions (CR4.VME), which only touch VIF.
extension CPU {
    func executeFlagOp(_ i: Instruction) throws(Fault) {
        switch i.op {
        case .clc: flags.bits = flags.bits & ~RFlags.carry.rawValue
        case .stc: flags.bits = flags.bits | RFlags.carry.rawValue
        case .cmc: flags.bits = flags.bits ^ RFlags.carry.rawValue
        case .cld: controlFlags &= ~RFlags.direction.rawValue
        case .std: controlFlags |= RFlags.direction.rawValue
        case .cli: try setInterruptFlag(false)
        case .sti:
            let wasSet = controlFlags & RFlags.interrupt.rawValue != 0
            try setInterruptFlag(true)
            // STI shadow: when STI sets IF (it was clear), maskable interrupts stay blocked until
            // after the next instruction (SDM vol. 2, STI).
            if !wasSet && controlFlags & RFlags.interrupt.rawValue != 0 { interruptShadow |= 1 | CPU.shadowSetNow }
        default: throw .invalidOpcode
        }
    }

    /// CLI (`set == false`) / STI (`set == true`) per the SDM operation sections.
    @inline(__always)
    private func setInterruptFlag(_ set: Bool) throws(Fault) {
        let interrupt = RFlags.interrupt.rawValue
        let vif = RFlags.virtualInterrupt.rawValue
        let vipSet = controlFlags & RFlags.virtualInterruptPending.rawValue != 0
        let iopl = UInt8((controlFlags >> 12) & 3)
        let v86 = controlFlags & RFlags.virtual8086.rawValue != 0
        let vme = cr4 & 0x1 != 0
        let pvi = cr4 & 0x2 != 0
        let target: UInt64
        if cr0 & 1 == 0 {
            target = interrupt                       // real-address mode: always allowed
        } else if !v86 {
            if iopl >= cpl {
                target = interrupt
            } else if cpl == 3 && pvi && !(set && vipSet) {
                target = vif                         // protected-mode virtual interrupts
            } else {
                throw .generalProtection(0)
            }
        } else if iopl == 3 {
            target = interrupt
        } else if vme && !(set && vipSet) {
            target = vif                             // virtual-8086 mode extensions
        } else {
            throw .generalProtection(0)
        }
        if set { controlFlags |= target } else { controlFlags &= ~target }
    }
}
