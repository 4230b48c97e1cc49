/// Which TLB set holds which translations (SDM vol. 3, 29.4 "Caching Translation Information"):
/// linear mappings are tagged by VPID, combined mappings by VPID and EPTRTA. Set 0 belongs to
/// VPID 0: VMX root operation and guests run without "enable VPID", whose VM entries and exits
/// invalidate VPID 0's mappings (29.4.3.3). A guest with a VPID gets a set of its own, kept across
/// VM exits and entries; INVVPID and INVEPT invalidate the sets they name.
///
/// A TLB entry caches an access decision, not the paging-structure bits, so a set is reused only
/// when everything the decision depended on is unchanged (`TLBContext`); otherwise it is flushed
/// when it becomes current. Flushing more than the SDM requires is always allowed.
struct TLBContext {
    /// The set holds a tagged guest's entries (sets 1...); set 0 is always VPID 0.
    var valid = false
    var vpid: UInt16 = 0
    /// EPTP bits 51:12 when the entries are combined mappings (EPT on), else all ones.
    var eptRoot: UInt64 = ~0
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

    /// The same translations would be made (tags and lastUse aside).
    func sameDecisions(as o: TLBContext) -> Bool {
        cr0 == o.cr0 && cr3 == o.cr3 && cr4 == o.cr4 && efer == o.efer && user == o.user
            && alignmentCheck == o.alignmentCheck && pkru == o.pkru && pdptes.0 == o.pdptes.0
            && pdptes.1 == o.pdptes.1 && pdptes.2 == o.pdptes.2 && pdptes.3 == o.pdptes.3
    }
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

    /// VM entry, after guest state is loaded: without VPID, VPID 0's set is invalidated; with a
    /// VPID, the guest's set becomes current (flushed if anything its entries depended on
    /// changed, or if it is new).
    func tlbEnterGuest() {
        guard vmx.secondary.contains(.enableVPID) else {
            if tlb.currentSet != 0 { tlb.select(0) }
            flushTLB()
            return
        }
        let vpid = UInt16(truncatingIfNeeded: vmx.read(.virtualProcessorIdentifier))
        let root = vmx.secondary.contains(.enableEPT) ? vmx.eptPointer & physicalAddressMask & ~0xFFF : ~0
        var now = currentTLBContext()
        now.valid = true
        now.vpid = vpid
        now.eptRoot = root
        var chosen = 0
        for k in 1..<TLB.setCount where tlb.contexts[k].valid && tlb.contexts[k].vpid == vpid
            && tlb.contexts[k].eptRoot == root {
            chosen = k
        }
        var reuse = chosen != 0 && tlb.contexts[chosen].sameDecisions(as: now)
        if chosen == 0 {
            chosen = 1
            for k in 1..<TLB.setCount {
                if !tlb.contexts[k].valid { chosen = k; break }
                if tlb.contexts[k].lastUse < tlb.contexts[chosen].lastUse { chosen = k }
            }
            reuse = false
        }
        tlb.select(chosen)
        if !reuse { flushTLB() }
        tlb.useCounter &+= 1
        now.lastUse = tlb.useCounter
        tlb.contexts[chosen] = now
    }

    /// VM exit, before host state is loaded: a tagged guest's set records what its entries
    /// depend on.
    func tlbSaveGuestContext() {
        let k = tlb.currentSet
        guard k != 0 else { return }
        let old = tlb.contexts[k]
        var now = currentTLBContext()
        now.valid = old.valid
        now.vpid = old.vpid
        now.eptRoot = old.eptRoot
        now.lastUse = old.lastUse
        tlb.contexts[k] = now
    }

    /// VM entry, before guest state is loaded: VPID 0's set records the host's state.
    func tlbSaveRootContext() {
        guard tlb.currentSet == 0 else { return }
        tlb.contexts[0] = currentTLBContext()
    }

    /// VM exit, after host state is loaded: back to VPID 0's set, which a VM exit invalidates
    /// unless the guest ran with its own VPID (and the host's state is what it was).
    func tlbExitToRoot() {
        if tlb.currentSet == 0 {
            flushTLB()
            return
        }
        tlb.select(0)
        if !tlb.contexts[0].sameDecisions(as: currentTLBContext()) { flushTLB() }
    }

    /// Invalidates every set and makes VPID 0's current (VMXON, reset-like events).
    func tlbInvalidateAll() {
        for k in 0..<TLB.setCount {
            tlb.sets[k].flush()
            tlb.contexts[k] = TLBContext()
        }
        tlb.select(0)
    }

    /// INVVPID (SDM vol. 3, 31.3): type 0 one page of `vpid`, types 1 and 3 every mapping of
    /// `vpid` (type 3 may keep global translations; none are kept here), type 2 every VPID but 0.
    func tlbInvalidateVPID(type: UInt64, vpid: UInt16, linear: UInt64) {
        for k in 1..<TLB.setCount where tlb.contexts[k].valid && (type == 2 || tlb.contexts[k].vpid == vpid) {
            if type == 0 {
                tlb.sets[k].flush(page: linear >> 12)
            } else {
                tlb.sets[k].flush()
                tlb.contexts[k].valid = false
            }
        }
    }

    /// INVEPT (SDM vol. 3, 31.3): single-context, the combined mappings of one EPTRTA; all-context,
    /// every combined mapping. Guests without VPID use set 0, which every VM exit flushes.
    func tlbInvalidateEPT(root: UInt64?) {
        for k in 1..<TLB.setCount where tlb.contexts[k].valid && tlb.contexts[k].eptRoot != ~0 {
            if let r = root, tlb.contexts[k].eptRoot != r { continue }
            tlb.sets[k].flush()
            tlb.contexts[k].valid = false
        }
    }

    /// EPTP switching (VMFUNC 0) changed the EPTP: the current set's entries are flushed and it
    /// is tagged with the new EPTRTA.
    func tlbSwitchedEPTP() {
        flushTLB()
        let k = tlb.currentSet
        if k != 0 { tlb.contexts[k].eptRoot = vmx.eptPointer & physicalAddressMask & ~0xFFF }
    }
}
