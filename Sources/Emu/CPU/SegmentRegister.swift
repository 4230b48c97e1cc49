/// The six segment registers, numbered as in the Sreg field of instructions (SDM vol. 2, 3.1.1.3).
public enum SegmentRegister: UInt8, Sendable, CaseIterable {
    case es = 0, cs, ss, ds, fs, gs
}
