/// FXSAVE/FXRSTOR and LDMXCSR/STMXCSR (SDM vol. 2; vol. 1, 10.5 and 11.6.6).
extension CPU {
    /// FXSAVE: the 512-byte legacy layout (REX.W: 64-bit FIP/FDP). #UD without FXSR, #NM when
    /// CR0.EM or CR0.TS is set, #GP(0) unless 16-byte aligned. XMM registers and MXCSR are
    /// saved whatever CR4.OSFXSR says (the SDM leaves it to the implementation); bytes 511:288
    /// (outside 64-bit mode) or 511:416 are not written.
    func executeFXSave(_ i: Instruction) throws(Fault) {
        if !cpuidModel.fxsr { throw .invalidOpcode }
        try requireX87()
        let offset = try stateAreaOffset(i, alignment: 16)
        var image = XSaveImage()
        storeX87State(into: &image, pointers64: CPU.uses64BitPointers(i))
        storeMXCSR(into: &image)
        storeXMMRegisters(into: &image)
        try writeImage(image, i.segment, offset)
    }

    /// FXRSTOR: the inverse of FXSAVE; #GP(0) (nothing loaded) if the MXCSR image sets a
    /// reserved bit. The tags come from the abridged tag word and the register contents.
    func executeFXRestore(_ i: Instruction) throws(Fault) {
        if !cpuidModel.fxsr { throw .invalidOpcode }
        try requireX87()
        let offset = try stateAreaOffset(i, alignment: 16)
        var image = XSaveImage()
        try readImage(&image, 0..<(XSaveImage.firstXMMWord + 2 * xmmRegisterCount), i.segment, offset)
        let newMXCSR = try imageMXCSR(image)
        loadX87State(from: image, pointers64: CPU.uses64BitPointers(i))
        loadXMMRegisters(from: image)
        mxcsr = newMXCSR
    }

    /// LDMXCSR m32: #GP(0) if a reserved bit (clear in MXCSR_MASK) is set.
    func executeLdmxcsr(_ i: Instruction) throws(Fault) {
        if !cpuidModel.sse { throw .invalidOpcode }
        try requireSSE()
        let v = UInt32(truncatingIfNeeded: try read(i.segment, effectiveAddress(i), size: 4))
        if v & ~XSaveFeatures.mxcsrMask != 0 { throw .generalProtection(0) }
        mxcsr = v
    }

    /// STMXCSR m32.
    func executeStmxcsr(_ i: Instruction) throws(Fault) {
        if !cpuidModel.sse { throw .invalidOpcode }
        try requireSSE()
        try write(i.segment, effectiveAddress(i), size: 4, UInt64(mxcsr))
    }
}
