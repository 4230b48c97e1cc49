/// Which TLB set holds which translations (SDM vol. 3, 4.10.1 "Process-Context Identifiers",
/// 29.4 "Caching Translation Information"): every set is tagged by a VPID, an EPTRTA (combined
/// mappings with EPT on, else all ones) and a PCID. VPID 0 serves VMX root operation and guests
/// run without "enable VPID", whose VM entries and exits invalidate VPID 0's mappings
/// (29.4.3.3); a guest with a VPID keeps its sets across VM exits and entries. With CR4.PCIDE,
/// MOV to CR3 makes the set of the new PCID current, so each PCID keeps its translations, stale
/// ones included, until software invalidates them (4.10.4). Global translations are shared by
/// the PCIDs of one VPID and EPTRTA: a set that becomes current takes the global entries of the
/// set it replaces, and invalidations of global translations reach every set of the context.
///
/// A TLB entry caches an access decision, not the paging-structure bits, so a set is reused only
/// when everything the decision depended on is unchanged (`TLBContext`); otherwise it is flushed
/// when it becomes current. Flushing more than the SDM requires is always allowed.
struct TLBContext {
    /// The set is tagged (set 0 starts as VPID 0, PCID 0).
    var valid = false
    var vpid: UInt16 = 0
    /// EPTP bits 51:12 when the entries are combined mappings (EPT on), else all ones.
    var eptRoot: UInt64 = ~0
    var pcid: UInt16 = 0
    var cr0: UInt64 = 0
    var cr3: UInt64 = 0
    var cr4: UInt64 = 0
    var efer: UInt64 = 0
    var user = false
    var alignmentCheck = false
    var pkru: UInt32 = 0
    var pdptes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// When the set was last made current (least recently used sets are reused first).
    var lastUse: UInt64 = 0

    /// The same translations would be made (tags and lastUse aside). With CR4.PCIDE the set
    /// belongs to its PCID, whatever the rest of CR3 is (MOV to CR3 with bit 63 set keeps it).
    func sameDecisions(as o: TLBContext) -> Bool {
        cr0 == o.cr0 && (cr4 & CR4.pcide.rawValue != 0 || cr3 == o.cr3) && cr4 == o.cr4 && efer == o.efer
            && user == o.user && alignmentCheck == o.alignmentCheck && pkru == o.pkru && pdptes.0 == o.pdptes.0
            && pdptes.1 == o.pdptes.1 && pdptes.2 == o.pdptes.2 && pdptes.3 == o.pdptes.3
    }

    /// Tagged with the same VPID and EPTRTA (the PCIDs of one guest, or of the host).
    func sameAddressSpaces(as o: TLBContext) -> Bool { valid && o.valid && vpid == o.vpid && eptRoot == o.eptRoot }
}

extension CPU {
    /// The state TLB entries made now depend on.
    func currentTLBContext() -> TLBContext {
        var c = TLBContext()
        c.cr0 = cr0
        c.cr3 = cr3
        c.cr4 = cr4
        c.efer = efer
        c.user = cpl == 3
        c.alignmentCheck = controlFlags & RFlags.alignmentCheck.rawValue != 0
        c.pkru = systemRegisters.pkru
        c.pdptes = systemRegisters.pdptes
        return c
    }

    /// The EPTRTA that tags combined mappings: bits 51:12 of an EPTP (SDM vol. 3, 29.4.1).
    func eptRoot(of eptp: UInt64) -> UInt64 { eptp & physicalAddressMask & ~0xFFF }

    /// The current PCID: CR3[11:0] with CR4.PCIDE, else 000H (SDM vol. 3, 4.10.1).
    var currentPCID: UInt16 { cr4 & CR4.pcide.rawValue != 0 ? UInt16(truncatingIfNeeded: cr3 & 0xFFF) : 0 }

    /// Records in the current set's context what its entries depend on, before that state
    /// changes: MOV to CR3, VM entry (the host's set) and VM exit (the guest's set).
    func tlbRecordContext() {
        let k = tlb.currentSet
        let old = tlb.contexts[k]
        var now = currentTLBContext()
        now.valid = old.valid
        now.vpid = old.vpid
        now.eptRoot = old.eptRoot
        now.pcid = old.pcid
        now.lastUse = old.lastUse
        tlb.contexts[k] = now
    }

    /// Makes the set of (`vpid`, `eptRoot`, `pcid`) current: the one tagged so if its entries
    /// were made under the current state, else the least recently used set, flushed. A set of
    /// another PCID of the same address spaces takes the global entries of the one it replaces.
    func tlbSelect(vpid: UInt16, eptRoot: UInt64, pcid: UInt16) {
        let previous = tlb.currentSet
        var now = currentTLBContext()
        now.valid = true
        now.vpid = vpid
        now.eptRoot = eptRoot
        now.pcid = pcid
        var chosen = -1
        for k in 0..<TLB.setCount where tlb.contexts[k].valid && tlb.contexts[k].vpid == vpid
            && tlb.contexts[k].eptRoot == eptRoot && tlb.contexts[k].pcid == pcid {
            chosen = k
        }
        // Pages holding a data breakpoint stay out of the TLB (CPU/DebugBreakpoints.swift): only
        // the current set is flushed when those change.
        let reuse = chosen >= 0 && tlb.contexts[chosen].sameDecisions(as: now) && systemRegisters.breakpoints.data == 0
        if chosen < 0 {
            chosen = previous == 0 ? 1 : 0
            for k in 0..<TLB.setCount where k != previous {
                if !tlb.contexts[k].valid { chosen = k; break }
                if tlb.contexts[k].lastUse < tlb.contexts[chosen].lastUse { chosen = k }
            }
        }
        tlb.select(chosen)
        if !reuse { tlb.flush() }
        if chosen != previous && tlb.contexts[previous].sameAddressSpaces(as: now) {
            tlb.sets[chosen].copyGlobals(from: tlb.sets[previous])
        }
        tlb.useCounter &+= 1
        now.lastUse = tlb.useCounter
        tlb.contexts[chosen] = now
    }

    /// Set `k` holds translations of the current VPID and EPTRTA (of any PCID).
    func tlbSetInCurrentAddressSpaces(_ k: Int) -> Bool {
        k == tlb.currentSet || tlb.contexts[k].sameAddressSpaces(as: tlb.contexts[tlb.currentSet])
    }

    /// Flushes every set (the current one or a tagged one) whose context `match`es; those other
    /// than the current one are untagged.
    func tlbInvalidateSets(where match: (TLBContext) -> Bool) {
        for k in 0..<TLB.setCount where k == tlb.currentSet || tlb.contexts[k].valid {
            guard match(tlb.contexts[k]) else { continue }
            tlb.sets[k].flush()
            if k != tlb.currentSet { tlb.contexts[k].valid = false }
        }
    }

    // MARK: MOV to CR3, CR4, INVLPG, INVPCID (SDM vol. 3, 4.10.4.1)

    /// MOV to CR3 of `value` (already checked). With CR4.PCIDE = 0 every non-global translation
    /// is invalidated. With CR4.PCIDE = 1 the new PCID's set becomes current; unless `noFlush`
    /// (bit 63 of the source), its non-global translations are invalidated, and those of the
    /// other PCIDs stay.
    func tlbLoadCR3(_ value: UInt64, noFlush: Bool) {
        guard cr4 & CR4.pcide.rawValue != 0 else {
            cr3 = value
            flushTLB(keepingGlobalPages: cr4 & CR4.pge.rawValue != 0)
            return
        }
        tlbRecordContext()
        cr3 = value
        let c = tlb.contexts[tlb.currentSet]
        if c.pcid != currentPCID { tlbSelect(vpid: c.vpid, eptRoot: c.eptRoot, pcid: currentPCID) }
        if !noFlush { tlb.flushNonGlobal() }
    }

    /// MOV to CR4 changed CR4.PGE, or cleared CR4.PCIDE: every translation of every PCID is
    /// invalidated, global ones included; the current set is PCID `currentPCID`'s.
    func tlbInvalidateAllPCIDs() {
        let c = tlb.contexts[tlb.currentSet]
        tlbInvalidateSets { $0.vpid == c.vpid && $0.eptRoot == c.eptRoot }
        tlb.contexts[tlb.currentSet].pcid = currentPCID
    }

    /// INVLPG: the current PCID's translations of the page and the global ones of every PCID.
    public func flushTLB(linear: UInt64) {
        let page = linear >> 12
        for k in 0..<TLB.setCount where tlbSetInCurrentAddressSpaces(k) {
            tlb.sets[k].invalidate(page: page, k == tlb.currentSet ? .all : .global)
        }
    }

    /// INVPCID (SDM vol. 2): type 0 the non-global translations of one page for `pcid`, type 1
    /// every non-global translation of `pcid`, type 2 every translation of every PCID, type 3
    /// every non-global one of every PCID.
    func tlbInvalidatePCID(type: UInt64, pcid: UInt16, linear: UInt64) {
        for k in 0..<TLB.setCount where tlbSetInCurrentAddressSpaces(k) {
            let ofPCID = tlb.contexts[k].pcid == pcid
            switch type {
            case 0: if ofPCID { tlb.sets[k].invalidate(page: linear >> 12, .nonGlobal) }
            case 1: if ofPCID { tlb.sets[k].invalidate(page: nil, .nonGlobal) }
            case 2: tlb.sets[k].flush()
            default: tlb.sets[k].invalidate(page: nil, .nonGlobal)
            }
        }
    }

    // MARK: VMX transitions and invalidations (SDM vol. 3, 29.4)

    /// VM entry, after guest state is loaded: without VPID, VPID 0's sets are invalidated; with
    /// a VPID, the set of the guest's VPID, EPTRTA and PCID becomes current (flushed if anything
    /// its entries depended on changed, or if it is new).
    func tlbEnterGuest() {
        guard vmx.secondary.contains(.enableVPID) else {
            tlbInvalidateSets { $0.vpid == 0 }
            tlbSelect(vpid: 0, eptRoot: ~0, pcid: currentPCID)
            return
        }
        let vpid = UInt16(truncatingIfNeeded: vmx.read(.virtualProcessorIdentifier))
        let root = vmx.secondary.contains(.enableEPT) ? eptRoot(of: vmx.eptPointer) : ~0
        tlbSelect(vpid: vpid, eptRoot: root, pcid: currentPCID)
    }

    /// VM exit, after host state is loaded: back to a set of VPID 0 for the host's PCID. A guest
    /// without VPID ran on VPID 0's sets, which the VM exit invalidates; after a guest with a
    /// VPID, the host's set is reused if the host's state is what it was.
    func tlbExitToRoot() {
        if tlb.contexts[tlb.currentSet].vpid == 0 { tlbInvalidateSets { $0.vpid == 0 } }
        tlbSelect(vpid: 0, eptRoot: ~0, pcid: currentPCID)
    }

    /// Invalidates every set and makes set 0 current for VPID 0 (VMXON, reset).
    func tlbInvalidateAll() {
        for k in 0..<TLB.setCount {
            tlb.sets[k].flush()
            tlb.contexts[k] = TLBContext()
        }
        tlb.select(0)
        tlb.contexts[0].valid = true
        tlb.contexts[0].pcid = currentPCID
    }

    /// INVVPID (SDM vol. 3, 31.3): type 0 one page of `vpid`, types 1 and 3 every mapping of
    /// `vpid` (type 3 may keep global translations; none are kept here), type 2 every VPID but 0.
    func tlbInvalidateVPID(type: UInt64, vpid: UInt16, linear: UInt64) {
        if type == 0 {
            for k in 0..<TLB.setCount where tlb.contexts[k].valid && tlb.contexts[k].vpid == vpid && vpid != 0 {
                tlb.sets[k].invalidate(page: linear >> 12, .all)
            }
            return
        }
        tlbInvalidateSets { $0.vpid != 0 && (type == 2 || $0.vpid == vpid) }
    }

    /// INVEPT (SDM vol. 3, 31.3): single-context, the combined mappings of one EPTRTA; all-context,
    /// every combined mapping. Guests without VPID use VPID 0's sets, which every VM exit flushes.
    func tlbInvalidateEPT(root: UInt64?) {
        tlbInvalidateSets { $0.vpid != 0 && $0.eptRoot != ~0 && (root == nil || $0.eptRoot == root) }
    }

    /// EPTP switching (VMFUNC 0) changed the EPTP: the current set's entries are flushed and it
    /// is tagged with the new EPTRTA.
    func tlbSwitchedEPTP() {
        flushTLB()
        let k = tlb.currentSet
        if tlb.contexts[k].vpid != 0 { tlb.contexts[k].eptRoot = eptRoot(of: vmx.eptPointer) }
    }
}
