/// What CPUID reports (SDM vol. 2, CPUID; APM vol. 3, appendix E). It reports exactly what is
/// implemented; the system-architecture and VMX/SVM issues extend the leaves as features land.
public struct CPUIDModel: Sendable {
    public let vendor: Vendor
    /// MAXPHYADDR (CPUID 8000_0008h:EAX[7:0]).
    public let physicalAddressBits: Int
    public let linearAddressBits: Int

    public init(vendor: Vendor) {
        self.vendor = vendor
        physicalAddressBits = vendor == .intel ? 46 : 48
        linearAddressBits = 48
    }

    /// Returns EAX, EBX, ECX, EDX for leaf `eax`, subleaf `ecx`.
    public func query(eax leaf: UInt32, ecx subleaf: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        // Vendor strings: "GenuineIntel" / "AuthenticAMD" in EBX, EDX, ECX.
        let name: (UInt32, UInt32, UInt32) = vendor == .intel
            ? (0x756E_6547, 0x4965_6E69, 0x6C65_746E) : (0x6874_7541, 0x6974_6E65, 0x444D_4163)
        // Leaf 1 feature bits implemented by the integer core.
        let edx1: UInt32 = (1 << 4) | (1 << 8) | (1 << 15)           // TSC, CX8, CMOV
        let ecx1: UInt32 = (1 << 13) | (1 << 22) | (1 << 23)         // CX16, MOVBE, POPCNT
        let ebx7: UInt32 = (1 << 3) | (1 << 8) | (1 << 19)           // BMI1, BMI2, ADX
        switch leaf {
        case 0: return (0xD, name.0, name.2, name.1)
        case 1:
            let signature: UInt32 = vendor == .intel ? 0x0005_0654 : 0x00A0_0F11
            return (signature, 0x0001_0800, ecx1, edx1)
        case 7 where subleaf == 0: return (0, ebx7, 0, 0)
        case 0x8000_0000: return (0x8000_0008, name.0, name.2, name.1)
        case 0x8000_0001:
            // LAHF/SAHF in 64-bit mode, LZCNT (ABM); SYSCALL, NX, RDTSCP, long mode.
            return (0, 0, (1 << 0) | (1 << 5), (1 << 11) | (1 << 20) | (1 << 27) | (1 << 29))
        case 0x8000_0008:
            return (UInt32(physicalAddressBits) | UInt32(linearAddressBits) << 8, 0, 0, 0)
        default: return (0, 0, 0, 0)
        }
    }
}
