extension CPU {
    /// The instruction at CS:RIP, from the decoded-instruction cache when it is still valid,
    /// else fetched (with paging and the fetch TLB) and decoded.
    /// Returns a pointer into the decoded-instruction cache (or its scratch slot for
    /// instructions that cannot be cached or must not be linked from), so the hot path never
    /// copies the instruction.
    ///
    /// Outside 64-bit mode, instruction bytes past the CS limit raise #GP(0) (SDM vol. 3, 5.3).
    /// The cached path checks no limit: it serves only code pages that lie wholly inside it
    /// (`codePageInsideLimit`), and so does `CPU.run(until:)`, which follows slots of the same
    /// page only from an entry this returned in a cached slot. Pages the limit cuts go through
    /// `fetchAndDecode`, which checks every instruction and returns it in the scratch slot.
    @inline(__always)
    func fetchEntry() throws(Fault) -> UnsafePointer<DecodeCache.Entry> {
        let linear: UInt64
        if codeMode == .long64 {
            linear = rip
        } else {
            let cs = segments[1]
            linear = (cs.base &+ rip) & 0xFFFF_FFFF
            if !CPU.codePageInsideLimit(linear, base: cs.base, limit: cs.limit) { return try fetchAndDecode(linear) }
        }
        let page = linear >> 12
        let e = tlb.fetch[Int(page & TLB.mask)]
        // A fetch TLB entry only holds RAM pages, so the generation index is in range.
        if e.tag == page, let slot = cachedInstruction(physical: e.physicalPage << 12 | (linear & 0xFFF)) {
            return UnsafePointer(slot)
        }
        return try fetchAndDecode(linear)
    }

    /// The decoded-instruction cache slot of `physical` if it holds a current decode of the
    /// instruction there in this mode. `physical` must lie in RAM (its page's generation is read).
    @inline(__always)
    func cachedInstruction(physical: UInt64) -> UnsafeMutablePointer<DecodeCache.Entry>? {
        let slot = decodeSlots + DecodeCache.slot(physical: physical)
        guard slot.pointee.tag == physical | decodeTagBits,
              slot.pointee.generation == pageGenerations[Int(truncatingIfNeeded: physical >> 12)] else { return nil }
        return slot
    }

    /// Every byte of the page of `linear` lies at an offset within `limit` of a code segment at
    /// `base` (32-bit offsets, as outside 64-bit mode).
    @inline(__always)
    static func codePageInsideLimit(_ linear: UInt64, base: UInt64, limit: UInt32) -> Bool {
        let first = ((linear & ~0xFFF) &- base) & 0xFFFF_FFFF
        return limit == 0xFFFF_FFFF || first &+ 0xFFF <= UInt64(limit)
    }

    @inline(never)
    func fetchAndDecode(_ linear: UInt64) throws(Fault) -> UnsafePointer<DecodeCache.Entry> {
        let limited = codeMode != .long64
        let cs = segments[1]
        // CS limit (SDM vol. 3, 5.3): the first byte must be inside; later bytes are checked
        // against the instruction's length below.
        if limited && rip > UInt64(cs.limit) { throw .generalProtection(0) }
        let physical = try translate(linear, access: .execute, seg: SegmentRegister.cs.rawValue)
        let physicalPage = physical >> 12
        // On a page the limit cuts, every instruction comes here: reuse its decoded form.
        let cut = limited && !CPU.codePageInsideLimit(linear, base: cs.base, limit: cs.limit)
        if cut && Int(physicalPage) < memory.pageCount, let slot = cachedInstruction(physical: physical) {
            return try unlinked(slot.pointee.instruction)
        }
        var buffer: (UInt64, UInt64) = (0, 0)
        let inPage = Int(linear & 0xFFF)
        let firstCount = min(15, 0x1000 - inPage)
        let insn: Instruction = try withUnsafeMutableBytes(of: &buffer) { raw throws(Fault) -> Instruction in
            let bytes = raw.baseAddress!
            for k in 0..<firstCount {
                bytes.storeBytes(of: UInt8(truncatingIfNeeded: memory.read(physical &+ UInt64(k), size: 1)),
                                 toByteOffset: k, as: UInt8.self)
            }
            let first: Result<Instruction, DecodeError>
            do throws(DecodeError) {
                first = .success(try Decoder.decode(UnsafeRawPointer(bytes), count: firstCount, mode: codeMode, vendor: vendor))
            } catch {
                first = .failure(error)
            }
            switch first {
            case .success(let insn): return insn
            case .failure(.truncated):
                // The instruction continues on the next page: fetch it (this may fault).
                let next = try translate((linear | 0xFFF) &+ 1, access: .execute, seg: SegmentRegister.cs.rawValue)
                for k in firstCount..<15 {
                    bytes.storeBytes(of: UInt8(truncatingIfNeeded: memory.read(next &+ UInt64(k - firstCount), size: 1)),
                                     toByteOffset: k, as: UInt8.self)
                }
                do throws(DecodeError) {
                    return try Decoder.decode(UnsafeRawPointer(bytes), count: 15, mode: codeMode, vendor: vendor)
                } catch {
                    throw CPU.fault(for: error)
                }
            case .failure(let error):
                throw CPU.fault(for: error)
            }
        }
        // Cache instructions that lie inside one RAM page; others go to the scratch slot.
        if inPage + Int(insn.length) <= 0x1000 && Int(physicalPage) < memory.pageCount
            && memory.hostPage(physicalPage) != nil {
            let slot = decodeCache.slots + DecodeCache.slot(physical: physical)
            memory.codePage[Int(physicalPage)] = 1
            slot.pointee = DecodeCache.Entry(tag: DecodeCache.tag(physical: physical, mode: codeMode, vendor: vendor),
                                             generation: memory.generation[Int(physicalPage)], instruction: insn)
            // Inside one page that is inside the limit: the instruction is too.
            if !cut { return UnsafePointer(slot) }
        }
        return try unlinked(insn)
    }

    /// `insn` at RIP in the scratch slot (whose tag no instruction is linked from), once its
    /// last byte is checked against the CS limit outside 64-bit mode.
    func unlinked(_ insn: Instruction) throws(Fault) -> UnsafePointer<DecodeCache.Entry> {
        if codeMode != .long64 && rip &+ UInt64(insn.length) &- 1 > UInt64(segments[1].limit) {
            throw .generalProtection(0)
        }
        decodeCache.scratch.pointee.instruction = insn
        return UnsafePointer(decodeCache.scratch)
    }

    static func fault(for error: DecodeError) -> Fault {
        switch error {
        case .invalidOpcode: return .invalidOpcode
        case .tooLong, .truncated: return .generalProtection(0)
        }
    }
}
