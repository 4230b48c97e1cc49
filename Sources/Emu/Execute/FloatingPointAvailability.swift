/// Whether an x87, MMX or SSE instruction may execute, from CR0.EM/TS/MP and CR4.OSFXSR (SDM
/// vol. 3, 2.5 and table 2-2 (x87, MMX); vol. 3, 13.1 and vol. 2, the SSE instructions'
/// exception tables).
extension CPU {
    /// x87 FPU instructions: #NM when CR0.EM or CR0.TS is set.
    @inline(__always)
    func requireX87() throws(Fault) {
        if cr0 & (CR0.em.rawValue | CR0.ts.rawValue) != 0 { throw .deviceNotAvailable }
    }

    /// MMX instructions: #UD when CR0.EM is set, #NM when CR0.TS is set.
    @inline(__always)
    func requireMMX() throws(Fault) {
        if cr0 & CR0.em.rawValue != 0 { throw .invalidOpcode }
        if cr0 & CR0.ts.rawValue != 0 { throw .deviceNotAvailable }
    }

    /// SSE instructions: #UD when CR0.EM is set or CR4.OSFXSR is clear, #NM when CR0.TS is set.
    @inline(__always)
    func requireSSE() throws(Fault) {
        if cr0 & CR0.em.rawValue != 0 || cr4 & CR4.osfxsr.rawValue == 0 { throw .invalidOpcode }
        if cr0 & CR0.ts.rawValue != 0 { throw .deviceNotAvailable }
    }
}
