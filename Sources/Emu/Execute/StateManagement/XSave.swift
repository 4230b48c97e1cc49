/// The XSAVE feature set (SDM vol. 1, chapter 13; vol. 2, XSAVE, XSAVEOPT, XSAVEC, XSAVES,
/// XRSTOR, XRSTORS) for state components 0 (x87) and 1 (SSE, with MXCSR).
///
/// XINUSE (13.6) is computed from the registers when an instruction needs it, so it is 0
/// exactly when a component is in its initial configuration. XSAVEOPT and XSAVES use the init
/// optimization; they do not use the modified optimization, which the SDM allows but never
/// requires (13.9, 13.11).
extension CPU {
    /// XINUSE: bit 0 unless the x87 state is FNINIT's with zero registers and pointers, bit 1
    /// unless the XMM registers this mode reaches are all 0 (MXCSR does not count, 13.6).
    var xinuse: UInt64 {
        var inUse: UInt64 = 0
        let s = x87
        var x87Initial = s.control == 0x037F && s.status == 0 && s.tags == 0xFFFF && s.lastOpcode == 0
            && s.lastInstructionPointer == 0 && s.lastDataPointer == 0
            && s.lastInstructionSelector == 0 && s.lastDataSelector == 0
        for j in 0..<8 where s.registers[j] != Float80Bits() { x87Initial = false }
        if !x87Initial { inUse |= XSaveFeatures.x87 }
        for k in 0..<(2 * xmmRegisterCount) where xmm[k] != 0 {
            inUse |= XSaveFeatures.sse
            break
        }
        return inUse
    }

    /// EDX:EAX, the instruction mask.
    var xsaveInstructionMask: UInt64 { (registers[2] & 0xFFFF_FFFF) << 32 | (registers[0] & 0xFFFF_FFFF) }

    /// The checks every XSAVE-family instruction makes before touching memory, in priority
    /// order: #UD (CR4.OSXSAVE clear, the variant not enumerated, XSAVES/XRSTORS in a VMX
    /// guest without "enable XSAVES/XRSTORS"), the VM exit of XSAVES/XRSTORS (CPL 0 only:
    /// privilege faults come first, SDM vol. 3, 25.1.1), #NM when CR0.TS is set, #GP(0) for
    /// XSAVES/XRSTORS at CPL > 0 and for an area not 64-byte aligned. Returns the offset.
    func xsaveChecks(_ i: Instruction) throws(Fault) -> UInt64 {
        if cr4 & CR4.osxsave.rawValue == 0 { throw .invalidOpcode }
        let m = cpuidModel
        let supervisor = i.op == .xsaves || i.op == .xrstors
        switch i.op {
        case .xsaveopt: if !m.xsaveopt { throw .invalidOpcode }
        case .xsavec: if !m.xsavec { throw .invalidOpcode }
        case .xsaves, .xrstors: if !m.xsaves { throw .invalidOpcode }
        default: break
        }
        if supervisor && vmx.nonRoot { try vmxXSAVES(i) }
        if cr0 & CR0.ts.rawValue != 0 { throw .deviceNotAvailable }
        if supervisor { try requireCPL0() }
        return try stateAreaOffset(i, alignment: 64)
    }

    /// XSAVE, XSAVEOPT (standard format) and XSAVEC, XSAVES (compacted format).
    func executeXSave(_ i: Instruction) throws(Fault) {
        let offset = try xsaveChecks(i)
        let enabled = i.op == .xsaves ? xcr0 | systemRegisters.xss : xcr0
        let rfbm = xsaveInstructionMask & enabled
        let inUse = xinuse
        let pointers64 = CPU.uses64BitPointers(i)
        var image = XSaveImage()
        if i.op == .xsave || i.op == .xsaveopt {
            // 13.7, 13.9: XSAVE saves every requested component, XSAVEOPT only those in use;
            // MXCSR goes with SSE; XSTATE_BV keeps its bits outside RFBM.
            try readImage(&image, XSaveImage.headerWord..<(XSaveImage.headerWord + 1), i.segment, offset)
            let save = i.op == .xsave ? rfbm : rfbm & inUse
            if save & XSaveFeatures.x87 != 0 { storeX87State(into: &image, pointers64: pointers64) }
            if save & XSaveFeatures.sse != 0 { storeXMMRegisters(into: &image) }
            if rfbm & XSaveFeatures.sse != 0 { storeMXCSR(into: &image) }
            image.xstateBV = image.xstateBV & ~rfbm | inUse & rfbm
        } else {
            // 13.10, 13.11: components in use are saved, and SSE also when MXCSR is not 1F80H;
            // XSTATE_BV and XCOMP_BV are the only header bytes written.
            var save = rfbm & inUse
            if rfbm & XSaveFeatures.sse != 0 && mxcsr != XSaveFeatures.mxcsrInitial { save |= XSaveFeatures.sse }
            if save & XSaveFeatures.x87 != 0 { storeX87State(into: &image, pointers64: pointers64) }
            if save & XSaveFeatures.sse != 0 {
                storeXMMRegisters(into: &image)
                storeMXCSR(into: &image)
            }
            image.xstateBV = save
            image.xcompBV = rfbm | XSaveFeatures.compacted
            image.mark(XSaveImage.headerWord..<(XSaveImage.headerWord + 2))
        }
        try writeImage(image, i.segment, offset)
    }

    /// XRSTOR (standard or compacted form by XCOMP_BV[63]) and XRSTORS (compacted only), with
    /// the header checks of 13.8.1, 13.8.2 and 13.12; every check and every read happens before
    /// any state changes.
    func executeXRestore(_ i: Instruction) throws(Fault) {
        let offset = try xsaveChecks(i)
        let supervisor = i.op == .xrstors
        let enabled = supervisor ? xcr0 | systemRegisters.xss : xcr0
        let rfbm = xsaveInstructionMask & enabled
        let header = XSaveImage.headerWord
        var image = XSaveImage()
        // XSTATE_BV, XCOMP_BV and bytes 23:16 of the header.
        try readImage(&image, header..<(header + 3), i.segment, offset)
        let xstateBV = image.xstateBV
        let xcompBV = image.xcompBV
        let restore: UInt64
        let loadsMXCSR: Bool
        if xcompBV & XSaveFeatures.compacted == 0 {
            // Standard form: XSTATE_BV within XCR0, header bytes 23:8 zero; MXCSR is loaded
            // whenever RFBM[1] is set, whatever XSTATE_BV[1] says.
            if supervisor || xstateBV & ~xcr0 != 0 || xcompBV != 0 || image.words[header + 2] != 0 {
                throw .generalProtection(0)
            }
            restore = rfbm & xstateBV
            loadsMXCSR = rfbm & XSaveFeatures.sse != 0
        } else {
            // Compacted form: XCOMP_BV[62:0] within XCR0 (| IA32_XSS for XRSTORS), XSTATE_BV
            // within XCOMP_BV, header bytes 63:16 zero. Components RFBM names but the format
            // lacks are initialized.
            if !cpuidModel.xsavec { throw .generalProtection(0) }
            try readImage(&image, (header + 3)..<(header + 8), i.segment, offset)
            var reserved: UInt64 = 0
            for w in (header + 2)..<(header + 8) { reserved |= image.words[w] }
            let format = xcompBV & ~XSaveFeatures.compacted
            if format & ~enabled != 0 || xstateBV & ~xcompBV != 0 || reserved != 0 {
                throw .generalProtection(0)
            }
            restore = rfbm & format & xstateBV
            loadsMXCSR = restore & XSaveFeatures.sse != 0
        }
        if restore & XSaveFeatures.x87 != 0 {
            try readImage(&image, 0..<3, i.segment, offset)
            try readImage(&image, XSaveImage.firstRegisterWord..<XSaveImage.firstXMMWord, i.segment, offset)
        }
        if loadsMXCSR { try readImage(&image, XSaveImage.mxcsrWord..<(XSaveImage.mxcsrWord + 1), i.segment, offset) }
        if restore & XSaveFeatures.sse != 0 {
            try readImage(&image, XSaveImage.firstXMMWord..<(XSaveImage.firstXMMWord + 2 * xmmRegisterCount),
                          i.segment, offset)
        }
        var newMXCSR = loadsMXCSR ? try imageMXCSR(image) : mxcsr

        let initialize = rfbm & ~restore
        if restore & XSaveFeatures.x87 != 0 {
            loadX87State(from: image, pointers64: CPU.uses64BitPointers(i))
        } else if initialize & XSaveFeatures.x87 != 0 {
            x87 = X87State()
        }
        if restore & XSaveFeatures.sse != 0 {
            loadXMMRegisters(from: image)
        } else if initialize & XSaveFeatures.sse != 0 {
            for k in 0..<(2 * xmmRegisterCount) { xmm[k] = 0 }
            // The compacted form initializes MXCSR with the XMM registers (13.8.2).
            if !loadsMXCSR && xcompBV & XSaveFeatures.compacted != 0 { newMXCSR = XSaveFeatures.mxcsrInitial }
        }
        mxcsr = newMXCSR
    }
}
