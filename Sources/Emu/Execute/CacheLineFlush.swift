/// CLFLUSH, CLFLUSHOPT and CLWB. swemu has no caches to write back or invalidate, so what
/// remains of them is the address check: the line is reached as by a byte load, with the
/// segment checks, the page walk (#PF) and, in a guest, EPT (SDM vol. 2, CLFLUSH: "treated as
/// a byte load for permission checking").
extension CPU {
    func executeCacheLineFlush(_ i: Instruction) throws(Fault) {
        let linear = try linearAddress(i.segment, effectiveAddress(i), size: 1)
        _ = try translate(linear, access: .read, seg: i.segment, size: 1)
    }
}
