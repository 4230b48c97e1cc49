import Testing
@testable import Emu

/// The IA32_VMX_* capability MSRs of the Intel model (SDM vol. 3, appendix A).
@Suite struct VMXCapabilityTests {
    let caps = VMXCapabilities()

    func msr(_ index: UInt32) -> UInt64 { caps.msr(index) ?? 0 }

    @Test func basic() throws {
        let basic = try #require(caps.msr(0x480))
        #expect(basic & 0x8000_0000 == 0)                                  // bit 31 is 0
        #expect(UInt32(basic & 0x7FFF_FFFF) == caps.revisionIdentifier)
        #expect((basic >> 32) & 0x1FFF == 4096)                            // region size
        #expect((basic >> 48) & 1 == 0)                                    // 64-bit addresses
        #expect((basic >> 49) & 1 == 0)                                    // no dual-monitor SMM
        #expect((basic >> 50) & 0xF == 6)                                  // write-back
        #expect((basic >> 54) & 1 == 1)                                    // INS/OUTS information
        #expect((basic >> 55) & 1 == 1)                                    // TRUE controls
    }

    /// Allowed 0-settings (bits 31:0) must be a subset of the allowed 1-settings (bits 63:32).
    @Test func allowedZeroIsSubsetOfAllowedOne() {
        for index: UInt32 in [0x481, 0x482, 0x483, 0x484, 0x48B, 0x48D, 0x48E, 0x48F, 0x490] {
            let v = msr(index)
            #expect(UInt32(truncatingIfNeeded: v) & ~UInt32(v >> 32) == 0, "MSR \(index)")
        }
    }

    /// Default1 classes (A.3.1, A.3.2, A.4.1, A.5) are 1 in the allowed 0-settings of the
    /// non-TRUE MSRs; the TRUE MSRs may only clear bits of that class and agree on allowed-1.
    @Test func trueControlsRelaxOnlyDefault1Bits() {
        let pairs: [(UInt32, UInt32, UInt32)] = [(0x481, 0x48D, 0x16), (0x482, 0x48E, 0x0401_E172),
                                                 (0x483, 0x48F, 0x0003_6DFF), (0x484, 0x490, 0x0000_11FF)]
        for (plain, trueMSR, default1) in pairs {
            let p = msr(plain), t = msr(trueMSR)
            #expect(UInt32(truncatingIfNeeded: p) == default1, "MSR \(plain)")
            let relaxed = UInt32(truncatingIfNeeded: p) & ~UInt32(truncatingIfNeeded: t)
            #expect(relaxed & ~default1 == 0, "MSR \(trueMSR)")
            #expect(UInt32(truncatingIfNeeded: t) & ~UInt32(truncatingIfNeeded: p) == 0, "MSR \(trueMSR)")
            #expect(p >> 32 == t >> 32, "MSR \(trueMSR)")
        }
        // What the Intel model relaxes: CR3-load/-store exiting, save/load debug controls.
        #expect(UInt32(truncatingIfNeeded: msr(0x48E)) == 0x0400_6172)
        #expect(UInt32(truncatingIfNeeded: msr(0x48F)) == 0x0003_6DFB)
        #expect(UInt32(truncatingIfNeeded: msr(0x490)) == 0x0000_11FB)
    }

    @Test func advertisedControls() {
        let primary = PrimaryProcessorBasedControls(rawValue: UInt32(msr(0x482) >> 32))
        #expect(primary.contains([.activateSecondaryControls, .useMSRBitmaps, .useIOBitmaps, .hltExiting]))
        #expect(!primary.contains(.activateTertiaryControls))
        let secondary = SecondaryProcessorBasedControls(rawValue: UInt32(msr(0x48B) >> 32))
        #expect(secondary.contains([.enableEPT, .enableVPID, .unrestrictedGuest, .enableVMFunctions]))
        #expect(secondary.contains(.vmcsShadowing))
        #expect(secondary.contains([.pauseLoopExiting, .rdrandExiting, .rdseedExiting, .useTSCScaling]))
        #expect(!secondary.contains([.enablePML]) && secondary.contains(.enableXSAVESXRSTORS))
        #expect(UInt32(truncatingIfNeeded: msr(0x48B)) == 0)
        let exit = VMExitControls(rawValue: UInt32(msr(0x483) >> 32))
        #expect(exit.contains([.hostAddressSpaceSize, .loadIA32EFER, .saveVMXPreemptionTimerValue]))
        let entry = VMEntryControls(rawValue: UInt32(msr(0x484) >> 32))
        #expect(entry.contains([.ia32eModeGuest, .loadIA32EFER]))
        #expect(!entry.contains(.entryToSMM))
    }

    @Test func misc() {
        let misc = msr(0x485)
        #expect(misc & 0x1F == 5)                       // preemption-timer rate
        #expect((misc >> 5) & 1 == 1)                   // LMA stored in "IA-32e mode guest"
        #expect((misc >> 6) & 7 == 0b111)               // HLT, shutdown, wait-for-SIPI
        #expect((misc >> 16) & 0x1FF == 4)              // CR3-target values
        #expect((misc >> 25) & 7 == 0)                  // 512 MSR-list entries
        #expect((misc >> 29) & 1 == 1)                  // VMWRITE to VM-exit information fields
        #expect(misc >> 32 == 0)                        // MSEG revision identifier
    }

    @Test func fixedBits() {
        #expect(msr(0x486) == 0x8000_0021)              // PE, NE, PG
        #expect(msr(0x487) == 0xFFFF_FFFF)
        #expect(msr(0x488) == 0x2000)                   // VMXE
        #expect(msr(0x489) & 0x2000 != 0)
        // A bit fixed to 1 is allowed to be 1.
        #expect(msr(0x486) & ~msr(0x487) == 0)
        #expect(msr(0x488) & ~msr(0x489) == 0)
    }

    @Test func vmcsEnumIsHighestSupportedIndex() {
        // The highest index of the supported fields is the TSC multiplier's (2032H: index 19H).
        #expect(msr(0x48A) == 0x19 << 1)
        for e in VMCSField.catalog where caps.supports(e.feature) {
            #expect(UInt64(e.field.index) << 1 <= msr(0x48A))
        }
    }

    @Test func eptVPIDAndVMFunctions() {
        let cap = msr(0x48C)
        for bit: UInt64 in [0, 6, 8, 14, 16, 17, 20, 21, 25, 26, 32, 40, 41, 42, 43] {
            #expect((cap >> bit) & 1 == 1, "bit \(bit)")
        }
        #expect(msr(0x491) == 1)                        // EPTP switching
    }

    @Test func absentMSRs() {
        #expect(caps.msr(0x492) == nil)     // no tertiary controls
        #expect(caps.msr(0x493) == nil)
        #expect(caps.msr(0x47F) == nil)
    }

    /// Fields exist with the features appendix B ties them to.
    @Test func supportedFields() {
        let c = caps
        #expect(c.supports(.eptPointer))
        #expect(c.supports(.virtualProcessorIdentifier))
        #expect(c.supports(.vmxPreemptionTimerValue))
        #expect(c.supports(.eptpListAddress))
        #expect(c.supports(.guestIA32PAT))
        #expect(c.supports(.postedInterruptNotificationVector))
        #expect(c.supports(.apicAccessAddress))
        #expect(c.supports(.xssExitingBitmap))
        #expect(c.supports(.vmreadBitmapAddress))
        #expect(!c.supports(.pmlAddress))
        #expect(c.supports(.pleGap) && c.supports(.pleWindow) && c.supports(.tscMultiplier))
        #expect(!c.supports(.guestIA32PerfGlobalCtrl))
        #expect(!c.supports(.tertiaryProcessorBasedVMExecutionControls))
        #expect(!c.supports(.guestSSP))
    }
}
