/// PCMPEQB/W/D and PCMPGTB/W/D (0F 74-76, 64-66; SDM vol. 2): all ones in each element where
/// the comparison holds (greater-than compares signed), zero elsewhere.
extension CPU {
    static func compareLane(_ op: UInt8, _ a: UInt64, _ b: UInt64) -> UInt64 {
        switch op {
        case 0x64: return Lanes.mask(Lanes.s8(a) .> Lanes.s8(b))
        case 0x65: return Lanes.mask(Lanes.s16(a) .> Lanes.s16(b))
        case 0x66: return Lanes.mask(Lanes.s32(a) .> Lanes.s32(b))
        case 0x74: return Lanes.mask(Lanes.u8(a) .== Lanes.u8(b))
        case 0x75: return Lanes.mask(Lanes.u16(a) .== Lanes.u16(b))
        default: return Lanes.mask(Lanes.u32(a) .== Lanes.u32(b))
        }
    }
}
