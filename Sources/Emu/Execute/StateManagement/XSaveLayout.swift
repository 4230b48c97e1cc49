/// The first 576 bytes of an FXSAVE or XSAVE area as 72 little-endian quadwords: the legacy
/// region (SDM vol. 1, table 10-2 and table 13-1; vol. 2, FXSAVE tables 3-43, 3-46, 3-47) and
/// the XSAVE header (13.4.2). Every field lies inside one quadword. `present` marks the
/// quadwords an instruction writes (saves) or has read (restores).
struct XSaveImage {
    var words = InlineArray<72, UInt64>(repeating: 0)
    /// Bit k of `present[k >> 6]`: quadword k is part of the transfer.
    var present = InlineArray<2, UInt64>(repeating: 0)

    /// Quadword indexes: the header (byte 512), MXCSR and MXCSR_MASK (byte 24), ST0 (byte 32)
    /// and XMM0 (byte 160).
    static let headerWord = 64
    static let mxcsrWord = 3
    static let firstRegisterWord = 4
    static let firstXMMWord = 20

    func isPresent(_ word: Int) -> Bool { present[word >> 6] >> UInt64(word & 63) & 1 != 0 }

    mutating func mark(_ words: Range<Int>) {
        for w in words { present[w >> 6] |= 1 << UInt64(w & 63) }
    }

    /// The `size`-byte field at byte `offset` (within one quadword).
    func field(_ offset: Int, size: Int) -> UInt64 {
        let v = words[offset >> 3] >> UInt64((offset & 7) * 8)
        return size == 8 ? v : v & ((1 << UInt64(size * 8)) - 1)
    }

    mutating func setField(_ offset: Int, size: Int, _ value: UInt64) {
        let shift = UInt64((offset & 7) * 8)
        let mask: UInt64 = size == 8 ? ~0 : ((1 << UInt64(size * 8)) - 1) << shift
        words[offset >> 3] = words[offset >> 3] & ~mask | (value << shift) & mask
    }

    // MARK: Header (13.4.2)

    var xstateBV: UInt64 {
        get { words[XSaveImage.headerWord] }
        set { words[XSaveImage.headerWord] = newValue }
    }
    var xcompBV: UInt64 {
        get { words[XSaveImage.headerWord + 1] }
        set { words[XSaveImage.headerWord + 1] = newValue }
    }
}

/// The abridged x87 tag word of FXSAVE and XSAVE (SDM vol. 1, 10.5.1.1 and 13.5.1): bit j is 1
/// unless physical register Rj is empty. Restoring computes the full tags from the registers.
enum X87Tags {
    static func abridged(_ tags: UInt16) -> UInt8 {
        var a: UInt8 = 0
        for j in 0..<8 where (tags >> UInt16(2 * j)) & 3 != 3 { a |= 1 << UInt8(j) }
        return a
    }

    /// The full tag word for an abridged one and the physical registers' contents: empty (11)
    /// where the abridged bit is 0, else zero (01), special (10: NaN, infinity, denormal,
    /// unnormal and the other unsupported encodings) or valid (00) from the value (8.1.7).
    static func full(_ abridged: UInt8, _ registers: InlineArray<8, Float80Bits>) -> UInt16 {
        var tags: UInt16 = 0
        for j in 0..<8 {
            let tag: UInt16
            if abridged >> UInt8(j) & 1 == 0 {
                tag = X87Tag.empty
            } else {
                tag = X87Class(registers[j]).tag
            }
            tags |= tag << UInt16(2 * j)
        }
        return tags
    }
}

/// The legacy region's x87 and SSE parts, shared by FXSAVE/FXRSTOR and the XSAVE family.
extension CPU {
    /// Whether the instruction uses the 64-bit FIP/FDP format (REX.W: FXSAVE64, XSAVE64...).
    @inline(__always)
    static func uses64BitPointers(_ i: Instruction) -> Bool { i.prefixes.contains(.rexW) }

    /// The x87 state into bytes 23:0 and 159:32 (SDM vol. 1, 10.5.1.1, 13.5.1): FCW, FSW, the
    /// abridged FTW, FOP, FIP and FDP (bits 31:0 with FCS and FDS, or all 64 bits with REX.W),
    /// and ST0-ST7 in stack order, each 10 bytes with 6 reserved bytes written as 0.
    func storeX87State(into image: inout XSaveImage, pointers64: Bool) {
        let s = x87
        image.words[0] = UInt64(s.control) | UInt64(s.status) << 16
            | UInt64(X87Tags.abridged(s.tags)) << 32 | UInt64(s.lastOpcode & 0x7FF) << 48
        if pointers64 {
            image.words[1] = s.lastInstructionPointer
            image.words[2] = s.lastDataPointer
        } else {
            image.words[1] = s.lastInstructionPointer & 0xFFFF_FFFF | UInt64(s.lastInstructionSelector) << 32
            image.words[2] = s.lastDataPointer & 0xFFFF_FFFF | UInt64(s.lastDataSelector) << 32
        }
        for i in 0..<8 {
            let r = s.registers[(s.top + i) & 7]
            image.words[XSaveImage.firstRegisterWord + 2 * i] = r.significand
            image.words[XSaveImage.firstRegisterWord + 2 * i + 1] = UInt64(r.signExponent)
        }
        image.mark(0..<3)
        image.mark(XSaveImage.firstRegisterWord..<XSaveImage.firstXMMWord)
    }

    /// The x87 state from an image (FXRSTOR, XRSTOR): ST0-ST7 land in the physical registers
    /// that the loaded TOP makes them, and the tags follow from the abridged word.
    func loadX87State(from image: XSaveImage, pointers64: Bool) {
        var s = X87State()
        s.control = UInt16(truncatingIfNeeded: image.field(0, size: 2))
        s.status = UInt16(truncatingIfNeeded: image.field(2, size: 2))
        s.lastOpcode = UInt16(truncatingIfNeeded: image.field(6, size: 2)) & 0x7FF
        if pointers64 {
            s.lastInstructionPointer = image.words[1]
            s.lastDataPointer = image.words[2]
        } else {
            s.lastInstructionPointer = image.field(8, size: 4)
            s.lastInstructionSelector = UInt16(truncatingIfNeeded: image.field(12, size: 2))
            s.lastDataPointer = image.field(16, size: 4)
            s.lastDataSelector = UInt16(truncatingIfNeeded: image.field(20, size: 2))
        }
        for i in 0..<8 {
            let w = XSaveImage.firstRegisterWord + 2 * i
            s.registers[(s.top + i) & 7] = Float80Bits(significand: image.words[w],
                                                       signExponent: UInt16(truncatingIfNeeded: image.words[w + 1]))
        }
        s.tags = X87Tags.full(UInt8(truncatingIfNeeded: image.field(4, size: 1)), s.registers)
        x87 = s
    }

    /// The XMM registers this mode reaches: XMM0-XMM15 in 64-bit mode, XMM0-XMM7 outside it
    /// (FXSAVE and the XSAVE family neither store nor load XMM8-XMM15 there).
    var xmmRegisterCount: Int { codeMode == .long64 ? 16 : 8 }

    func storeXMMRegisters(into image: inout XSaveImage) {
        let n = xmmRegisterCount
        for k in 0..<(2 * n) { image.words[XSaveImage.firstXMMWord + k] = xmm[k] }
        image.mark(XSaveImage.firstXMMWord..<(XSaveImage.firstXMMWord + 2 * n))
    }

    func loadXMMRegisters(from image: XSaveImage) {
        for k in 0..<(2 * xmmRegisterCount) { xmm[k] = image.words[XSaveImage.firstXMMWord + k] }
    }

    func storeMXCSR(into image: inout XSaveImage) {
        image.words[XSaveImage.mxcsrWord] = UInt64(mxcsr) | UInt64(XSaveFeatures.mxcsrMask) << 32
        image.mark(XSaveImage.mxcsrWord..<(XSaveImage.mxcsrWord + 1))
    }

    /// MXCSR from bytes 27:24; #GP(0) if it sets a bit MXCSR_MASK reserves (checked before any
    /// state changes, so the caller calls it first and assigns the result last).
    func imageMXCSR(_ image: XSaveImage) throws(Fault) -> UInt32 {
        let v = UInt32(truncatingIfNeeded: image.words[XSaveImage.mxcsrWord])
        if v & ~XSaveFeatures.mxcsrMask != 0 { throw .generalProtection(0) }
        return v
    }

    // MARK: Moving an image between memory and the buffer

    /// Writes the present quadwords at segment:offset after checking that every one of them can
    /// be written, so a fault leaves memory unchanged.
    func writeImage(_ image: XSaveImage, _ seg: UInt8, _ offset: UInt64) throws(Fault) {
        for w in 0..<72 where image.isPresent(w) { try probeWrite(seg, offset &+ UInt64(8 * w), size: 8) }
        for w in 0..<72 where image.isPresent(w) { try write(seg, offset &+ UInt64(8 * w), size: 8, image.words[w]) }
    }

    /// Reads quadwords `words` at segment:offset into the image.
    func readImage(_ image: inout XSaveImage, _ words: Range<Int>, _ seg: UInt8, _ offset: UInt64) throws(Fault) {
        for w in words { image.words[w] = try read(seg, offset &+ UInt64(8 * w), size: 8) }
        image.mark(words)
    }

    /// Effective address of the area after the alignment check: FXSAVE areas are 16-byte
    /// aligned, XSAVE areas 64-byte aligned; a misaligned linear address is #GP(0) whatever the
    /// segment (SDM vol. 2, FXSAVE and XSAVE exceptions).
    func stateAreaOffset(_ i: Instruction, alignment: UInt64) throws(Fault) -> UInt64 {
        let offset = effectiveAddress(i)
        if uncheckedLinearAddress(i.segment, offset) & (alignment - 1) != 0 { throw .generalProtection(0) }
        return offset
    }
}
