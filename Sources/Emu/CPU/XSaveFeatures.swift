/// The XSAVE feature set as the models implement it (SDM vol. 1, chapter 13): the user state
/// components x87 (0) and SSE (1), both in the legacy region, and no supervisor component.
public enum XSaveFeatures {
    /// State-component bitmaps (13.1).
    public static let x87: UInt64 = 1 << 0
    public static let sse: UInt64 = 1 << 1
    /// XCOMP_BV[63]: the area uses the compacted format (13.4.2).
    public static let compacted: UInt64 = 1 << 63

    /// XCR0 bits the models support (CPUID.(EAX=0DH,ECX=0):EDX:EAX).
    public static let supportedXCR0: UInt64 = x87 | sse
    /// IA32_XSS bits the models support (CPUID.(EAX=0DH,ECX=1):EDX:ECX): none. Every supervisor
    /// state component belongs to a feature swemu does not implement (PT 8, PASID 10, CET 11-12,
    /// HDC 13, UINTR 14, LBR 15, HWP 16), so IA32_XSS holds 0 and WRMSR of any other value #GPs.
    public static let supportedXSS: UInt64 = 0

    /// The legacy region (512 bytes) and the XSAVE header (64 bytes, 13.4.2).
    public static let legacyRegionSize = 512
    public static let headerSize = 64
    /// The size of an XSAVE area for any set of the supported components, standard or
    /// compacted: components 0 and 1 live in the legacy region, so it is always 576 (13.4.3).
    public static let areaSize = legacyRegionSize + headerSize

    /// MXCSR_MASK (SDM vol. 1, 11.6.6): bits 15:0 are implemented, including DAZ (bit 6).
    public static let mxcsrMask: UInt32 = 0x0000_FFFF
    /// MXCSR after RESET and after XRSTOR initializes SSE state (13.6).
    public static let mxcsrInitial: UInt32 = 0x1F80
}

extension CPUIDModel {
    /// XCR0 bits this model lets XSETBV set: x87 and SSE with XSAVE, else only x87 (XCR0 is
    /// then unreachable: CR4.OSXSAVE cannot be set).
    public var supportedXCR0: UInt64 { xsave ? XSaveFeatures.supportedXCR0 : XSaveFeatures.x87 }

    /// CPUID leaf 0Dh (SDM vol. 2, CPUID, "Processor Extended State Enumeration"; APM vol. 3,
    /// E.3.10). Subleaf 0: supported XCR0 bits in EDX:EAX, the area sizes for XCR0 (EBX) and for
    /// every supported component (ECX). Subleaf 1: XSAVEOPT (0), XSAVEC and the compacted form
    /// of XRSTOR (1), XGETBV with ECX = 1 (2), XSAVES/XRSTORS and IA32_XSS (3); EBX the size for
    /// XCR0 | IA32_XSS; EDX:ECX the supported IA32_XSS bits. Subleaves 0 and 1 describe the
    /// legacy region; components 2-62 are not supported, so their subleaves are zero. Both
    /// Skylake-SP and Zen 2 have XSAVEOPT, XSAVEC, XGETBV1 and XSAVES.
    func xsaveLeaf(_ subleaf: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        guard xsave else { return (0, 0, 0, 0) }
        let size = UInt32(XSaveFeatures.areaSize)
        switch subleaf {
        case 0:
            return (UInt32(truncatingIfNeeded: XSaveFeatures.supportedXCR0), size, size,
                    UInt32(truncatingIfNeeded: XSaveFeatures.supportedXCR0 >> 32))
        case 1:
            var a: UInt32 = 0
            if xsaveopt { a |= 1 << 0 }
            if xsavec { a |= 1 << 1 }
            if xgetbv1 { a |= 1 << 2 }
            if xsaves { a |= 1 << 3 }
            return (a, size, UInt32(truncatingIfNeeded: XSaveFeatures.supportedXSS),
                    UInt32(truncatingIfNeeded: XSaveFeatures.supportedXSS >> 32))
        default: return (0, 0, 0, 0)
        }
    }
}
