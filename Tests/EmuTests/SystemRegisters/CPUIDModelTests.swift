import Testing
@testable import Emu

/// CPUID leaves of the two models (SDM vol. 2, CPUID; APM vol. 3, appendix E): identification,
/// the feature bits of what swemu implements, cache/topology leaves and address sizes.
@Suite struct CPUIDModelTests {
    private func ascii(_ words: [UInt32]) -> String {
        String(decoding: words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }.filter { $0 != 0 },
               as: UTF8.self)
    }

    @Test func vendorAndSignature() {
        let intel = systemMachine(.long64)
        let (a, b, c, d) = intel.cpuid(0)
        #expect(a == 0xD && ascii([b, d, c]) == "GenuineIntel")
        let one = intel.cpuid(1)
        #expect(one.0 == 0x5_0654)                                    // family 6, model 55h, stepping 4
        let amd = systemMachine(.long64, vendor: .amd)
        let (_, ab, ac, ad) = amd.cpuid(0)
        #expect(ascii([ab, ad, ac]) == "AuthenticAMD")
        let family = (amd.cpuid(1).0 >> 8) & 0xF + (amd.cpuid(1).0 >> 20) & 0xFF
        #expect(family == 0x17)
        let e0 = amd.cpuid(0x8000_0000)
        #expect(e0.0 == 0x8000_001E && ascii([e0.1, e0.3, e0.2]) == "AuthenticAMD")
        #expect(intel.cpuid(0x8000_0000) == (0x8000_0008, 0, 0, 0))
    }

    @Test func leaf1FeaturesDescribeTheImplementation() {
        for vendor in [Vendor.intel, .amd] {
            let m = systemMachine(.long64, vendor: vendor)
            let (_, b, c, d) = m.cpuid(1)
            let simd: UInt32 = 1 << 0 | 1 << 19 | 1 << 23 | 1 << 24 | 1 << 25 | 1 << 26
            #expect(d & simd == simd)                                  // FPU, CLFSH, MMX, FXSR, SSE, SSE2
            #expect(d & (1 << 9) == 0)                                 // no local APIC device yet
            for bit in [1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 15, 16, 17] {  // VME DE PSE TSC MSR PAE CX8 SEP MTRR PGE CMOV PAT PSE36
                #expect(d & 1 << UInt32(bit) != 0, "\(vendor) EDX bit \(bit)")
            }
            #expect((c & 1 << 5 != 0) == (vendor == .intel))           // VMX on the Intel model only
            let sse: UInt32 = 1 << 0 | 1 << 1 | 1 << 9 | 1 << 19 | 1 << 20
            #expect(c & sse == sse)                                    // SSE3, PCLMULQDQ, SSSE3, SSE4.1, SSE4.2
            #expect(c & (1 << 27 | 1 << 28) == 0)                      // OSXSAVE while CR4.OSXSAVE = 0; no AVX
            #expect(c & 1 << 26 != 0)                                  // XSAVE (OSXSAVE follows CR4)
            #expect(c & 1 << 30 != 0)                                  // RDRAND (Skylake-SP and Zen 2)
            #expect(c & (1 << 13 | 1 << 22 | 1 << 23 | 1 << 3) == (1 << 13 | 1 << 22 | 1 << 23 | 1 << 3))
            #expect(c & 1 << 17 == (vendor == .intel ? 1 << 17 : 0))   // PCID
            #expect(b >> 24 == 0 && (b >> 8) & 0xFF == 8)
        }
    }

    @Test func leaf7AndExtendedFeatures() {
        let intel = systemMachine(.long64)
        let (_, b, c, d) = intel.cpuid(7)
        let ebx: UInt32 = 1 << 0 | 1 << 3 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 18 | 1 << 19 | 1 << 20
            | 1 << 23 | 1 << 24
        #expect(b == ebx)                                              // RDSEED, CLFLUSHOPT, CLWB; no AVX2
        #expect(c == 1 << 3)                                           // PKU; OSPKE while CR4.PKE = 0
        #expect(d == 1 << 26 | 1 << 27 | 1 << 29 | 1 << 31)
        let e1 = intel.cpuid(0x8000_0001)
        #expect(e1.3 == 1 << 11 | 1 << 20 | 1 << 26 | 1 << 27 | 1 << 29)
        #expect(e1.2 == 1 << 0 | 1 << 5 | 1 << 8)
        let amd = systemMachine(.long64, vendor: .amd)
        let a7 = amd.cpuid(7)
        #expect(a7.1 == ebx & ~(1 << 10) && a7.2 == 1 << 22)           // no INVPCID, RDPID, no PKU
        let a1 = amd.cpuid(0x8000_0001)
        #expect(a1.2 & 1 << 2 == 0)                                    // SVM left for the SVM issue
        #expect(a1.2 & 1 << 4 != 0)                                    // LOCK MOV CR0 = CR8
        #expect(a1.3 & 1 << 29 != 0 && a1.3 & 1 << 11 != 0)           // LM, SYSCALL
        let mirrored: UInt32 = 1 << 0 | 1 << 22 | 1 << 23 | 1 << 24      // FPU, MmxExt, MMX, FXSR
        #expect(a1.3 & mirrored == mirrored)
    }

    @Test func addressSizesBrandAndCaches() {
        let intel = systemMachine(.long64)
        #expect(intel.cpuid(0x8000_0008).0 == 0x302E)                  // 46 physical, 48 linear
        let amd = systemMachine(.long64, vendor: .amd)
        #expect(amd.cpuid(0x8000_0008).0 == 0x3030)
        let brand = [0x8000_0002, 0x8000_0003, 0x8000_0004].flatMap { (leaf: UInt32) -> [UInt32] in
            let r = intel.cpuid(leaf)
            return [r.0, r.1, r.2, r.3]
        }
        #expect(ascii(brand).hasPrefix("Intel(R) Xeon(R)"))
        #expect(intel.cpuid(0x8000_0007).3 == 1 << 8)                   // invariant TSC
        let l1d = intel.cpuid(4, 0)
        #expect(l1d.0 & 0x1F == 1 && (l1d.0 >> 5) & 7 == 1)            // data cache, level 1
        let size = ((l1d.1 >> 22) + 1) * (((l1d.1 >> 12) & 0x3FF) + 1) * ((l1d.1 & 0xFFF) + 1) * (l1d.2 + 1)
        #expect(size == 32 * 1024)
        #expect(intel.cpuid(4, 4).0 & 0x1F == 0)                        // no more caches
        // Leaf 2: AL = 1; every descriptor byte 0 except FFh ("use leaf 4"), since a FEh ("use
        // leaf 18h") would send software past the highest basic leaf (SDM vol. 2, table 3-12).
        let two = intel.cpuid(2)
        let bytes = [two.0 >> 8, two.0 >> 16, two.0 >> 24, two.1, two.1 >> 8, two.1 >> 16, two.1 >> 24,
                     two.2, two.2 >> 8, two.2 >> 16, two.2 >> 24, two.3, two.3 >> 8, two.3 >> 16, two.3 >> 24]
        #expect(two.0 & 0xFF == 1 && bytes.map { $0 & 0xFF }.filter { $0 != 0 } == [0xFF])
        #expect(intel.cpuid(0).0 < 0x18)
        #expect(intel.cpuid(0xB, 0).2 == 0x100 && intel.cpuid(0xB, 1).2 == 0x201)
        #expect(intel.cpuid(0xB, 2).2 >> 8 == 0)
        // Leaf 0Dh: XCR0 x87 | SSE, 576-byte areas (SDM vol. 1, 13.4); leaf-0Dh tests: XSaveTests.
        #expect(intel.cpuid(0xD) == (3, 576, 576, 0))
        // Beyond the maximum: Intel answers with the highest basic leaf, AMD with zeros.
        #expect(intel.cpuid(0x20) == intel.cpuid(0xD))
        #expect(amd.cpuid(0x20) == (0, 0, 0, 0))
        #expect(intel.cpuid(0x8000_0009) == intel.cpuid(0xD))
    }

    @Test func apicIDInLeaves1AndB() {
        let m = systemMachine(.long64)
        m.cpu.cpuidModel.apicID = 3
        #expect(m.cpuid(1).1 >> 24 == 3)
        #expect(m.cpuid(0xB, 0).3 == 3 && m.cpuid(0xB, 1).3 == 3)
    }

    /// `--smp 3` as one package of three single-thread cores (APIC IDs 0-2). Expected values
    /// from the field definitions: SDM vol. 2, CPUID leaves 1, 4, 0Bh and vol. 3, 10.9 (the
    /// package ID is the x2APIC ID shifted right by the core level's EAX[4:0]); APM vol. 3,
    /// E.3.2 and E.4.7 (LogicalProcessorCount, CmpLegacy, NC, ApicIdSize).
    @Test func topologyOfSeveralCores() {
        let intel = systemMachine(.long64)
        intel.cpu.cpuidModel.coresPerPackage = 3
        intel.cpu.cpuidModel.apicID = 2
        let one = intel.cpuid(1)
        #expect(one.3 & 1 << 28 != 0 && (one.1 >> 16) & 0xFF == 4)   // HTT; 4 addressable IDs
        let smt = intel.cpuid(0xB, 0), core = intel.cpuid(0xB, 1)
        #expect(smt.0 & 0x1F == 0 && smt.1 == 1 && (smt.2 >> 8) & 0xFF == 1)
        #expect(core.1 == 3 && (core.2 >> 8) & 0xFF == 2 && core.3 == 2)
        #expect(core.3 >> (core.0 & 0x1F) == 0)                        // every core in package 0
        #expect((1 << (core.0 & 0x1F)) >= core.1)                      // the shift covers 3 cores
        for n: UInt32 in 0...3 {
            let c = intel.cpuid(4, n)
            #expect(c.0 >> 26 == 3, "leaf 4.\(n): addressable core IDs - 1")
            #expect((c.0 >> 14) & 0xFFF == (n == 3 ? 3 : 0), "leaf 4.\(n): sharing")
        }
        let amd = systemMachine(.long64, vendor: .amd)
        amd.cpu.cpuidModel.coresPerPackage = 3
        let a1 = amd.cpuid(1)
        #expect(a1.3 & 1 << 28 != 0 && (a1.1 >> 16) & 0xFF == 3)
        #expect(amd.cpuid(0x8000_0001).2 & 1 << 1 != 0)                // CmpLegacy
        let a8 = amd.cpuid(0x8000_0008).2
        #expect(a8 & 0xFF == 2 && (a8 >> 12) & 0xF == 2)
        // A single processor: no HTT, one ID, no CmpLegacy, NC = 0.
        let single = systemMachine(.long64, vendor: .amd)
        #expect(single.cpuid(1).3 & 1 << 28 == 0 && (single.cpuid(1).1 >> 16) & 0xFF == 1)
        #expect(single.cpuid(0x8000_0001).2 & 1 << 1 == 0 && single.cpuid(0x8000_0008).2 == 0)
        #expect(systemMachine(.long64).cpuid(4, 3).0 >> 14 == 0)
    }

    /// Leaf 6: ARAT only (the APIC timer does not stop in C-states), on both models.
    @Test func powerManagementLeaf() {
        for vendor in [Vendor.intel, .amd] {
            #expect(systemMachine(.long64, vendor: vendor).cpuid(6) == (1 << 2, 0, 0, 0))
        }
    }

    /// AMD TopologyExtensions (APM vol. 3, E.4.15, E.4.16): 8000_001Dh describes the same caches
    /// as 8000_0005h/6h (size = ways x partitions x line size x sets), 8000_001Eh the APIC and
    /// core IDs; with three cores only the L3 is shared, by all three.
    @Test func amdTopologyExtensions() {
        let amd = systemMachine(.long64, vendor: .amd)
        amd.cpu.cpuidModel.coresPerPackage = 3
        amd.cpu.cpuidModel.apicID = 2
        #expect(amd.cpuid(0x8000_0001).2 & 1 << 22 != 0)
        func size(_ r: (UInt32, UInt32, UInt32, UInt32)) -> UInt32 {
            ((r.1 >> 22) + 1) * (((r.1 >> 12) & 0x3FF) + 1) * ((r.1 & 0xFFF) + 1) * (r.2 + 1)
        }
        let l1d = amd.cpuid(0x8000_001D, 0), l1i = amd.cpuid(0x8000_001D, 1)
        let l2 = amd.cpuid(0x8000_001D, 2), l3 = amd.cpuid(0x8000_001D, 3)
        #expect(l1d.0 & 0xFF == 0x21 && l1i.0 & 0xFF == 0x22 && l2.0 & 0xFF == 0x43 && l3.0 & 0xFF == 0x63)
        let e5 = amd.cpuid(0x8000_0005), e6 = amd.cpuid(0x8000_0006)
        #expect(size(l1d) == (e5.2 >> 24) * 1024 && size(l1i) == (e5.3 >> 24) * 1024)
        #expect(size(l2) == (e6.2 >> 16) * 1024)
        #expect(size(l3) == (e6.3 >> 18) * 512 * 1024)
        #expect((l1d.0 >> 14) & 0xFFF == 0 && (l2.0 >> 14) & 0xFFF == 0 && (l3.0 >> 14) & 0xFFF == 2)
        #expect(amd.cpuid(0x8000_001D, 4).0 & 0x1F == 0)
        #expect(amd.cpuid(0x8000_001E) == (2, 2, 0, 0))
        #expect(systemMachine(.long64).cpuid(0x8000_001E) == systemMachine(.long64).cpuid(0xD))
    }
}
