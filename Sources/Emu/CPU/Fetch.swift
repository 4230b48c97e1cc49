extension CPU {
    /// The instruction at CS:RIP, from the decoded-instruction cache when it is still valid,
    /// else fetched (with paging and the fetch TLB) and decoded.
    /// Returns a pointer into the decoded-instruction cache (or its scratch slot for
    /// instructions that cannot be cached), so the hot path never copies the instruction.
    @inline(__always)
    func fetchEntry() throws(Fault) -> UnsafePointer<DecodeCache.Entry> {
        let linear = codeMode == .long64 ? rip : (segments[1].base &+ rip) & 0xFFFF_FFFF
        let page = linear >> 12
        let e = tlb.fetch[Int(page & TLB.mask)]
        if e.tag == page {
            let physical = e.physicalPage << 12 | (linear & 0xFFF)
            let slot = decodeSlots + DecodeCache.slot(physical: physical)
            // A fetch TLB entry only holds RAM pages, so the generation index is in range.
            if slot.pointee.tag == physical | decodeTagBits
                && slot.pointee.generation == pageGenerations[Int(truncatingIfNeeded: e.physicalPage)] {
                return UnsafePointer(slot)
            }
        }
        return try fetchAndDecode(linear)
    }

    @inline(never)
    func fetchAndDecode(_ linear: UInt64) throws(Fault) -> UnsafePointer<DecodeCache.Entry> {
        if codeMode != .long64 {
            // CS limit (SDM vol. 3, 5.3): the first byte must be inside; later bytes are checked
            // against the instruction's length below.
            let cs = segments[1]
            if rip > UInt64(cs.limit) { throw .generalProtection(0) }
        }
        let physical = try translate(linear, access: .execute, seg: SegmentRegister.cs.rawValue)
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
        if codeMode != .long64 && rip &+ UInt64(insn.length) &- 1 > UInt64(segments[1].limit) {
            throw .generalProtection(0)
        }
        // Cache instructions that lie inside one RAM page; others go to the scratch slot.
        let physicalPage = physical >> 12
        if inPage + Int(insn.length) <= 0x1000 && Int(physicalPage) < memory.pageCount
            && memory.hostPage(physicalPage) != nil {
            let slot = decodeCache.slots + DecodeCache.slot(physical: physical)
            memory.codePage[Int(physicalPage)] = 1
            slot.pointee = DecodeCache.Entry(tag: DecodeCache.tag(physical: physical, mode: codeMode, vendor: vendor),
                                             generation: memory.generation[Int(physicalPage)], instruction: insn)
            return UnsafePointer(slot)
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
