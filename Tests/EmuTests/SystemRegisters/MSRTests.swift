import Testing
@testable import Emu

/// RDMSR/WRMSR on both models (SDM vol. 4; APM vol. 2, appendix A): reset values, writable
/// bits, canonical checks, read-only MSRs and #GP(0) for MSRs a model does not have.
@Suite struct MSRTests {
    @Test func unknownMSRsFaultOnBothVendors() {
        for vendor in [Vendor.intel, .amd] {
            let m = systemMachine(.long64, vendor: vendor)
            for index: UInt32 in [0x12345, 0x2000, 0x4000_0000, 0xC000_2000, 0xC001_2000, 0xFFFF_FFFF, 0x11] {
                #expect(m.rdmsr(index) == .failure(.generalProtection(0)), "\(vendor) \(index)")
                #expect(m.wrmsr(index, 0) == gp0)
            }
        }
    }

    @Test func vendorSpecificMSRs() {
        let intel = systemMachine(.long64)
        let amd = systemMachine(.long64, vendor: .amd)
        for index in [MSR.featureControl, MSR.miscEnable, MSR.platformID, MSR.archCapabilities] {
            #expect(amd.rdmsr(index) == .failure(.generalProtection(0)))
            #expect((try? intel.rdmsr(index).get()) != nil)
        }
        for index in [MSR.amdVMCR, MSR.amdVMHsavePA, MSR.amdHWCR, MSR.amdPerfCtr0] {
            #expect(intel.rdmsr(index) == .failure(.generalProtection(0)))
            #expect(amd.rdmsr(index) == .success(index == MSR.amdHWCR ? 0x0100_0000 : 0))
        }
    }

    /// MSRs a Linux kernel reads without `rdmsr_safe` at boot on these models: intel_idle on
    /// Skylake-SP (MSR_PKG_CST_CONFIG_CONTROL, MSR_POWER_CTL), the AMD MTRR code on family
    /// 0Fh and later (SYSCFG), with TOP_MEM/TOP_MEM2 beside it; and MSR_PLATFORM_INFO.
    @Test func platformMSRsAKernelReads() {
        let intel = systemMachine(.long64)
        // SDM vol. 4: max non-turbo ratio (15:8) x 100 MHz = the invariant TSC frequency (1 GHz).
        #expect(intel.rdmsr(MSR.platformInfo) == .success(10 << 8 | 10 << 40))
        #expect(intel.wrmsr(MSR.platformInfo, 0) == gp0)                 // read-only
        #expect(intel.rdmsr(MSR.pkgCStateConfigControl) == .success(0))  // C0/C1: no package C-states
        #expect(intel.wrmsr(MSR.pkgCStateConfigControl, 1 << 3) == gp0)  // reserved
        #expect(intel.wrmsr(MSR.pkgCStateConfigControl, 1 << 15 | 7) == nil)
        #expect(intel.wrmsr(MSR.pkgCStateConfigControl, 1 << 16) == nil)  // CFG lock: 15:0 stay
        #expect(intel.rdmsr(MSR.pkgCStateConfigControl) == .success(1 << 16 | 1 << 15 | 7))
        #expect(intel.rdmsr(MSR.powerCtl) == .success(0))
        #expect(intel.wrmsr(MSR.powerCtl, 2) == nil && intel.rdmsr(MSR.powerCtl) == .success(2))
        #expect(intel.wrmsr(MSR.powerCtl, 1 << 3) == gp0)
        let amd = systemMachine(.long64, vendor: .amd)
        for index in [MSR.platformInfo, MSR.pkgCStateConfigControl, MSR.powerCtl] {
            #expect(amd.rdmsr(index) == .failure(.generalProtection(0)))
        }
        for index in [MSR.amdSYSCFG, MSR.amdTopMem, MSR.amdTopMem2] {
            #expect(intel.rdmsr(index) == .failure(.generalProtection(0)))
            #expect(amd.rdmsr(index) == .success(0))
        }
        // SYSCFG: MtrrFixDramEn, MtrrVarDramEn, MtrrTom2En (bits 18, 20, 21); bit 23 (SME) is
        // not offered, bit 0 reserved.
        #expect(amd.wrmsr(MSR.amdSYSCFG, 0x34_0000) == nil && amd.rdmsr(MSR.amdSYSCFG) == .success(0x34_0000))
        #expect(amd.wrmsr(MSR.amdSYSCFG, 1 << 23) == gp0 && amd.wrmsr(MSR.amdSYSCFG, 1) == gp0)
        // TOP_MEM: bits 47:23 (48-bit physical addresses), 8 MiB granular.
        #expect(amd.wrmsr(MSR.amdTopMem, 0x8000_0000) == nil && amd.rdmsr(MSR.amdTopMem) == .success(0x8000_0000))
        #expect(amd.wrmsr(MSR.amdTopMem2, 0x1_0000_0000) == nil)
        #expect(amd.wrmsr(MSR.amdTopMem, 0x40_0000) == gp0)
        #expect(amd.wrmsr(MSR.amdTopMem2, 1 << 48) == gp0)
    }

    @Test func privilegedAtCPL3() {
        let m = systemMachine(.long64)
        m.cpu.enterUserMode()
        #expect(m.rdmsr(MSR.efer) == .failure(.generalProtection(0)))
        #expect(m.wrmsr(MSR.star, 0) == gp0)
    }

    @Test func eferWritableBitsByVendor() {
        let intel = systemMachine(.long64)
        #expect(intel.rdmsr(MSR.efer) == .success(0x500))
        #expect(intel.wrmsr(MSR.efer, 0x901) == nil)                  // SCE, NXE (LME unchanged)
        #expect(intel.rdmsr(MSR.efer) == .success(0xD01))
        #expect(intel.wrmsr(MSR.efer, 0x1D01) == gp0)                 // SVME is reserved on Intel
        #expect(intel.wrmsr(MSR.efer, 0xD03) == gp0)                  // bit 1 reserved
        #expect(intel.wrmsr(MSR.efer, 0x901 & ~0x400) == nil)         // LMA is read-only: ignored
        #expect(intel.rdmsr(MSR.efer) == .success(0xD01))
        let amd = systemMachine(.long64, vendor: .amd)
        #expect(amd.wrmsr(MSR.efer, 0x1D01) == nil)
        #expect(amd.rdmsr(MSR.efer) == .success(0x1D01))
        // VM_CR.SVMDIS forbids SVME; with LOCK it cannot be cleared again.
        #expect(amd.wrmsr(MSR.efer, 0xD01) == nil)
        #expect(amd.wrmsr(MSR.amdVMCR, VMCR.svmdis | VMCR.lock) == nil)
        #expect(amd.wrmsr(MSR.efer, 0x1D01) == gp0)
        #expect(amd.wrmsr(MSR.amdVMCR, 0) == nil)
        #expect(amd.rdmsr(MSR.amdVMCR) == .success(VMCR.svmdis | VMCR.lock))
        #expect(amd.wrmsr(MSR.amdVMCR, 1 << 5) == gp0)
    }

    @Test func syscallMSRsAndCanonicalChecks() {
        let m = systemMachine(.long64)
        #expect(m.wrmsr(MSR.star, 0x0023_0010_DEAD_BEEF) == nil)
        #expect(m.rdmsr(MSR.star) == .success(0x0023_0010_DEAD_BEEF))
        for index in [MSR.lstar, MSR.cstar, MSR.kernelGSBase, MSR.fsBase, MSR.gsBase, MSR.sysenterEIP, MSR.sysenterESP] {
            #expect(m.wrmsr(index, 0x0000_8000_0000_0000) == gp0, "\(index)")
            #expect(m.wrmsr(index, 0xFFFF_8000_0000_1000) == nil)
            #expect(m.rdmsr(index) == .success(0xFFFF_8000_0000_1000))
        }
        #expect(m.cpu.segment(.fs).base == 0xFFFF_8000_0000_1000)
        #expect(m.cpu.segment(.gs).base == 0xFFFF_8000_0000_1000)
        #expect(m.wrmsr(MSR.fmask, 0xFFFF_FFFF_0004_7700) == nil)
        #expect(m.rdmsr(MSR.fmask) == .success(0x4_7700))
        #expect(m.wrmsr(MSR.tscAux, 1 << 32) == gp0)
        #expect(m.wrmsr(MSR.tscAux, 7) == nil)
        #expect(m.cpu.tscAux == 7)
    }

    @Test func tscWriteSetsAnOffsetAgainstTheCycleCounter() {
        let m = systemMachine(.long64)
        m.cpu.cycles = 1000
        #expect(m.wrmsr(MSR.tsc, 0x1_0000_0000) == nil)              // the WRMSR itself retires a cycle
        #expect(m.cpu.tsc == 0x1_0000_0000 + 1)
        m.cpu.cycles += 50
        #expect(m.rdmsr(MSR.tsc) == .success(0x1_0000_0000 + 51))
    }

    @Test func apicBase() {
        let m = systemMachine(.long64)
        #expect(m.rdmsr(MSR.apicBase) == .success(0xFEE0_0900))
        #expect(m.wrmsr(MSR.apicBase, 0xFEE0_0000 | 1 << 10 | 1 << 11) == gp0)   // no x2APIC
        #expect(m.wrmsr(MSR.apicBase, 1 << 46 | 0x900) == gp0)                   // beyond MAXPHYADDR
        #expect(m.wrmsr(MSR.apicBase, 0xFED0_0900) == nil)
        #expect(m.rdmsr(MSR.apicBase) == .success(0xFED0_0900))
    }

    @Test func patAndMTRRs() {
        let m = systemMachine(.long64)
        #expect(m.rdmsr(MSR.pat) == .success(0x0007_0406_0007_0406))
        #expect(m.wrmsr(MSR.pat, 0x0007_0406_0007_0402) == gp0)     // type 2 is reserved
        #expect(m.wrmsr(MSR.pat, 0x0007_0406_0007_0408) == gp0)     // high bits of an entry
        #expect(m.wrmsr(MSR.pat, 0x0000_0001_0506_0700) == nil)
        #expect(m.rdmsr(MSR.mtrrCap) == .success(0x508))
        #expect(m.wrmsr(MSR.mtrrCap, 0) == gp0)
        #expect(m.wrmsr(MSR.mtrrDefType, 0xC06) == nil)
        #expect(m.wrmsr(MSR.mtrrDefType, 0x1006) == gp0)
        #expect(m.wrmsr(MSR.mtrrDefType, 0xC03) == gp0)
        #expect(m.wrmsr(MSR.mtrrFix64K, 0x0606_0606_0606_0606) == nil)
        #expect(m.wrmsr(MSR.mtrrFix4KC0000 + 7, 0x0606_0606_0606_0206) == gp0)
        #expect(m.rdmsr(MSR.mtrrFix64K) == .success(0x0606_0606_0606_0606))
        #expect(m.wrmsr(MSR.mtrrPhysBase0, 0x8000_0006) == nil)
        #expect(m.wrmsr(MSR.mtrrPhysBase0, 0x8000_0106) == gp0)     // bits 11:8 reserved
        #expect(m.wrmsr(MSR.mtrrPhysBase0 + 1, 0x3FFF_C000_0800) == nil)
        #expect(m.wrmsr(MSR.mtrrPhysBase0 + 1, 0x4000_0000_0800) == gp0)   // bit 46 > MAXPHYADDR
        #expect(m.wrmsr(MSR.mtrrPhysBase0 + 1, 0x8000_0400) == gp0)
        #expect(m.rdmsr(MSR.mtrrPhysBase0 + 16) == .failure(.generalProtection(0)))   // VCNT = 8
    }

    @Test func featureControlLocks() {
        let m = systemMachine(.long64)
        #expect(m.rdmsr(MSR.featureControl) == .success(0))
        m.cpu.cpuidModel.vmx = false
        #expect(m.wrmsr(MSR.featureControl, 0x4) == gp0)              // without VMX
        m.cpu.cpuidModel.vmx = true
        #expect(m.wrmsr(MSR.featureControl, 0x2) == gp0)              // VMX inside SMX: no SMX
        #expect(m.wrmsr(MSR.featureControl, 0x5) == nil)
        #expect(m.wrmsr(MSR.featureControl, 0x5) == gp0)              // locked
        #expect(m.rdmsr(MSR.featureControl) == .success(0x5))
    }

    @Test func miscEnableAndItsCPUIDEffects() {
        let m = systemMachine(.long64)
        #expect(m.rdmsr(MSR.miscEnable) == .success(0x4_1801))
        #expect(m.wrmsr(MSR.miscEnable, 1 << 1) == gp0)               // reserved
        #expect(m.wrmsr(MSR.miscEnable, 0x1 | 1 << 22 | 1 << 34) == nil)
        #expect(m.rdmsr(MSR.miscEnable) == .success(0x1 | 1 << 22 | 1 << 34 | 0x1800))
        #expect(m.cpuid(0).0 == 2)                                     // limit CPUID maxval
        #expect(m.cpuid(1).2 & 1 << 3 == 0)                            // MONITOR off
        #expect(m.cpuid(0x8000_0001).3 & 1 << 20 == 0)                 // XD disabled
        #expect(m.wrmsr(MSR.efer, 0xD00) == gp0)                       // so NXE is reserved
        #expect(m.fault([0x0F, 0x01, 0xC9]) == ud)                     // mwait
    }

    @Test func speculationControlsAndMachineCheck() {
        let m = systemMachine(.long64)
        #expect(m.wrmsr(MSR.specCtrl, 0x7) == nil)
        #expect(m.rdmsr(MSR.specCtrl) == .success(0x7))
        #expect(m.wrmsr(MSR.specCtrl, 0x8) == gp0)
        #expect(m.wrmsr(MSR.predCmd, 1) == nil)
        #expect(m.rdmsr(MSR.predCmd) == .failure(.generalProtection(0)))   // write-only
        // IA32_ARCH_CAPABILITIES: every "not affected" bit of SDM vol. 4 table 2-2 that applies,
        // none of the bits that name an MSR or a behaviour the model lacks.
        guard case .success(let caps) = m.rdmsr(MSR.archCapabilities) else { Issue.record("no ARCH_CAPABILITIES"); return }
        for bit: UInt64 in [0, 3, 4, 5, 6, 8, 13, 14, 15, 20, 24, 26, 27] { #expect(caps & 1 << bit != 0, "bit \(bit)") }
        for bit: UInt64 in [1, 2, 7, 9, 10, 11, 12, 17, 18, 19, 21, 23, 25, 28] { #expect(caps & 1 << bit == 0, "bit \(bit)") }
        #expect(caps >> 29 == 0)
        #expect(m.wrmsr(MSR.archCapabilities, 0) == gp0)
        #expect(m.rdmsr(MSR.mcgCap) == .success(0))
        #expect(m.wrmsr(MSR.mcgStatus, 0x8) == gp0)
        #expect(m.rdmsr(MSR.biosSignID) == .success(0x0200_0065 << 32))
        #expect(m.wrmsr(MSR.debugCtl, 1) == gp0)
    }

    @Test func amdSVMMSRs() {
        let m = systemMachine(.long64, vendor: .amd)
        #expect(m.wrmsr(MSR.amdVMHsavePA, 0x10_0000) == nil)
        #expect(m.rdmsr(MSR.amdVMHsavePA) == .success(0x10_0000))
        #expect(m.wrmsr(MSR.amdVMHsavePA, 0x10_0010) == gp0)
        #expect(m.wrmsr(MSR.amdVMHsavePA, 1 << 48) == gp0)
        #expect(m.wrmsr(MSR.sysenterEIP, 0xFFFF_FFFF_8000_0000) == nil)   // AMD keeps 32 bits
        #expect(m.rdmsr(MSR.sysenterEIP) == .success(0x8000_0000))
    }

    /// Random MSR numbers and values: only #GP or success, never a trap; a successful write
    /// reads back unchanged for the plain storage MSRs.
    @Test func randomMSRAccesses() {
        var rng = SystemRandomNumberGenerator()
        for vendor in [Vendor.intel, .amd] {
            let m = systemMachine(.long64, vendor: vendor)
            for _ in 0..<3000 {
                let ranges: [ClosedRange<UInt32>] = [0...0x1FFF, 0xC000_0000...0xC000_1FFF, 0xC001_0000...0xC001_1FFF, 0...UInt32.max]
                let index = UInt32.random(in: ranges.randomElement(using: &rng)!, using: &rng)
                let value = UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
                if index == MSR.efer || index == MSR.miscEnable { continue }  // keep the machine runnable
                if let f = m.wrmsr(index, value) { #expect(f == .generalProtection(0)) }
                switch m.rdmsr(index) {
                case .failure(let f): #expect(f == .generalProtection(0))
                case .success: break
                }
            }
        }
    }
}
