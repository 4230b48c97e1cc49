/// Loading the data and stack segment registers (MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS), with
/// the checks of SDM vol. 2 (MOV, POP pseudo-code) and vol. 3, 5.5-5.7.
extension CPU {
    /// The cache of a null data-segment selector: unusable (P = 0), so that the VMX
    /// "unusable" bit and the access checks see it. Intel clears the base of FS/GS in 64-bit
    /// mode, AMD keeps it (APM vol. 2, 4.5.3).
    func nullSegmentCache(_ sreg: SegmentRegister, selector: UInt16) -> SegmentCache {
        var c = SegmentCache(selector: selector, base: 0, limit: 0, attributes: 0)
        if vendor == .amd && (sreg == .fs || sreg == .gs) { c.base = segments[Int(sreg.rawValue)].base }
        return c
    }

    /// Loads ES, SS, DS, FS or GS with `selector` as MOV/POP/LxS do. Real-address and
    /// virtual-8086 mode: base = selector << 4, limit and attributes kept ("unreal" mode).
    func loadSegment(_ sreg: SegmentRegister, _ selector: UInt16) throws(Fault) {
        let s = Int(sreg.rawValue)
        if !protectedMode {
            segments[s].selector = selector
            segments[s].base = UInt64(selector) << 4
            return
        }
        segments[s] = try checkedSegmentCache(sreg, selector)
    }

    /// The cache a protected-mode load of `selector` into `sreg` produces, after every check;
    /// sets the descriptor's accessed bit. Nothing in the CPU changes.
    func checkedSegmentCache(_ sreg: SegmentRegister, _ selector: UInt16) throws(Fault) -> SegmentCache {
        let rpl = selector.selectorRPL
        if sreg == .ss {
            if selector.selectorIsNull {
                // IA-32e 64-bit mode allows a null SS at CPL < 3 when RPL = CPL (SDM 6.15, #GP).
                if codeMode == .long64 && cpl < 3 && rpl == cpl {
                    return SegmentCache(selector: selector, base: 0, limit: 0, attributes: 0)
                }
                throw .generalProtection(0)
            }
            let d = try readDescriptor(selector, orFault: 13)
            if rpl != cpl || !d.writableData || d.dpl != cpl {
                throw .generalProtection(selector.selectorErrorCode)
            }
            if !d.present { throw .stackFault(selector.selectorErrorCode) }
            try markAccessed(selector, d)
            return d.accessed.cache(selector: selector)
        }
        if selector.selectorIsNull { return nullSegmentCache(sreg, selector: selector) }
        let d = try readDescriptor(selector, orFault: 13)
        if !(d.isData || d.readableCode) { throw .generalProtection(selector.selectorErrorCode) }
        if d.isData || !d.conforming {
            if rpl > d.dpl || cpl > d.dpl { throw .generalProtection(selector.selectorErrorCode) }
        }
        if !d.present { throw .segmentNotPresent(selector.selectorErrorCode) }
        try markAccessed(selector, d)
        return d.accessed.cache(selector: selector)
    }

    /// Loads CS for a transfer to code segment `d` at privilege `newCPL` (the selector's RPL
    /// becomes the CPL, SDM 5.8.1); updates the decoding mode and flushes the software TLB
    /// when the CPL changes (its entries do not record the privilege they were filled at).
    func loadCodeSegment(_ selector: UInt16, _ d: Descriptor, cpl newCPL: UInt8) throws(Fault) {
        try markAccessed(selector, d)
        // The base is loaded as the descriptor says; 64-bit mode ignores it when fetching.
        segments[Int(SegmentRegister.cs.rawValue)] = d.accessed.cache(selector: selector & 0xFFFC | UInt16(newCPL))
        let changed = newCPL != cpl
        cpl = newCPL
        updateCodeMode()
        if changed { flushTLB() }
    }

    /// After a return to an outer privilege level: DS, ES, FS and GS that the new CPL may not
    /// use (data or non-conforming code with DPL < CPL) are loaded with a null selector
    /// (SDM vol. 2, RET and IRET, "FOR each of segment register (ES, FS, GS, and DS)").
    func nullInaccessibleDataSegments() {
        for sreg in [SegmentRegister.es, .fs, .gs, .ds] {
            let c = segments[Int(sreg.rawValue)]
            let conformingCode = c.attributes & 0x1C == 0x1C
            if c.present && !conformingCode && c.dpl < cpl {
                segments[Int(sreg.rawValue)] = nullSegmentCache(sreg, selector: 0)
            }
        }
    }

    /// The target of a far transfer must lie inside the new CS limit (or be canonical for a
    /// 64-bit code segment): #GP(0) otherwise.
    func checkFarTarget(_ offset: UInt64, _ d: Descriptor) throws(Fault) {
        if ia32e && d.long {
            if !isCanonical(offset) { throw .generalProtection(0) }
        } else if offset > UInt64(d.limit) {
            throw .generalProtection(0)
        }
    }
}
