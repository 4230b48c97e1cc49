import Testing
@testable import Emu

fileprivate typealias M = VMXTestMachine

/// Each VMX instruction's success and failure paths, from the operation sections and exception
/// lists of SDM vol. 3, 31.3, and the conventions of 31.2 (VMsucceed, VMfailInvalid, VMfailValid).
@Suite struct VMXONTests {
    @Test func entersVMXRootOperation() {
        let m = M()
        m.cpu.rflags = 0x2 | M.statusFlags
        #expect(m.vmxon() == .succeed)
        #expect(m.cpu.vmx.inVMXOperation)
        #expect(!m.cpu.vmx.nonRoot)
        #expect(m.cpu.vmx.vmxonPointer == M.vmxonRegion)
        #expect(m.cpu.vmx.currentVMCS == UInt64.max)
        #expect(m.cpu.rip == M.code + 4)
    }

    @Test func undefinedWithoutCR4VMXE() {
        let m = M()
        m.cpu.cr4 &= ~0x2000
        #expect(m.vmxon() == .fault(.invalidOpcode))
        #expect(!m.cpu.vmx.inVMXOperation)
        #expect(m.cpu.rip == M.code)
    }

    @Test func undefinedWithRegisterOperand() {
        let m = M()
        #expect(m.run([0xF3, 0x0F, 0xC7, 0xF1]) == .fault(.invalidOpcode))
    }

    @Test func undefinedInCompatibilityAndRealMode() {
        let m = M()
        m.enterCompatibilityMode()
        #expect(m.vmxon() == .fault(.invalidOpcode))
        let r = FlatMachine(memorySize: 1 << 20, mode: .real)!
        r.cpu.cr4 = 0x2000
        _ = r.memory.load([0xF3, 0x0F, 0xC7, 0x37], at: 0x1000)   // VMXON [BX]
        r.cpu.rip = 0x1000
        #expect(throws: Fault.invalidOpcode) { try r.cpu.step() }
    }

    @Test func undefinedOnAMD() {
        let m = M(vendor: .amd)
        #expect(m.vmxon() == .fault(.invalidOpcode))
    }

    @Test func generalProtectionAtCPL3() {
        let m = M()
        m.machine.cpu.enterUserMode()
        #expect(m.vmxon() == .fault(.generalProtection(0)))
    }

    @Test func generalProtectionWithUnsupportedCR0OrCR4() {
        let m = M()
        m.cpu.cr0 &= ~0x20                               // CR0.NE fixed to 1
        #expect(m.vmxon() == .fault(.generalProtection(0)))
        m.cpu.cr0 |= 0x20
        m.cpu.cr4 |= 1 << 14                             // SMXE is not in CR4_FIXED1
        #expect(m.vmxon() == .fault(.generalProtection(0)))
        #expect(!m.cpu.vmx.inVMXOperation)
    }

    @Test func generalProtectionWithoutFeatureControl() {
        for value: UInt64 in [0, 0x1, 0x4] {              // unlocked, or VMX outside SMX disabled
            let m = M()
            m.cpu.systemRegisters.featureControl = value
            #expect(m.vmxon() == .fault(.generalProtection(0)), "IA32_FEATURE_CONTROL \(value)")
        }
    }

    @Test func failInvalidForBadPointers() {
        let m = M()
        #expect(m.vmxon(M.vmxonRegion + 8) == .failInvalid)       // not 4-KByte aligned
        #expect(m.vmxon(1 << 46) == .failInvalid)                 // beyond MAXPHYADDR
        #expect(m.vmxon(M.vmcsA + 0x2000) == .failInvalid)        // revision identifier 0
        m.memory.write(M.vmxonRegion, size: 4, value: UInt64(m.cpu.vmx.capabilities.revisionIdentifier) | 1 << 31)
        #expect(m.vmxon() == .failInvalid)                        // bit 31 set
        #expect(!m.cpu.vmx.inVMXOperation)
    }

    @Test func inVMXRootOperation() {
        let m = M()
        m.vmxon()
        #expect(m.vmxon() == .failInvalid)                        // no current VMCS
        m.vmclear(M.vmcsA)
        m.vmptrld(M.vmcsA)
        m.cpu.rflags = 0x2
        #expect(m.vmxon() == .failValid(15))
        m.cpu.enterUserMode()
        #expect(m.vmxon() == .fault(.generalProtection(0)))
    }
}

@Suite struct VMXOFFTests {
    @Test func leavesVMXOperation() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        m.vmwrite(VMCSField.guestRIP.rawValue.u64, 0x1234)
        m.cpu.rflags = 0x2 | M.statusFlags
        #expect(m.run(M.vmxoff) == .succeed)
        #expect(!m.cpu.vmx.inVMXOperation)
        #expect(m.run(M.vmxoff) == .fault(.invalidOpcode))
        // The current VMCS was written back: VMPTRLD after a new VMXON sees the value.
        m.vmxon()
        m.vmptrld(M.vmcsA)
        #expect(m.vmread(VMCSField.guestRIP.rawValue.u64) == (.succeed, 0x1234))
    }

    @Test func faults() {
        let m = M()
        #expect(m.run(M.vmxoff) == .fault(.invalidOpcode))
        m.vmxon()
        m.cpu.enterUserMode()
        #expect(m.run(M.vmxoff) == .fault(.generalProtection(0)))
        #expect(m.cpu.vmx.inVMXOperation)
    }
}

@Suite struct VMCLEARAndVMPTRLDTests {
    @Test func loadStoreAndClear() {
        let m = M()
        m.vmxon()
        #expect(m.vmptrst() == (.succeed, UInt64.max))
        #expect(m.vmclear(M.vmcsA) == .succeed)
        #expect(m.vmptrld(M.vmcsA) == .succeed)
        #expect(m.vmptrst() == (.succeed, M.vmcsA))
        #expect(m.vmclear(M.vmcsA) == .succeed)
        #expect(m.vmptrst() == (.succeed, UInt64.max))
        // Launch state "clear" is in the region (bytes 8-11 of swemu's layout).
        #expect(m.memory.read(M.vmcsA + VMCSLayout.launchStateOffset, size: 4) == 0)
    }

    @Test func switchingVMCSKeepsEachOnesData() {
        let m = M()
        m.vmxon()
        m.vmclear(M.vmcsA); m.vmclear(M.vmcsB)
        m.vmptrld(M.vmcsA)
        m.vmwrite(VMCSField.guestRSP.rawValue.u64, 0xAAAA)
        m.vmptrld(M.vmcsB)
        m.vmwrite(VMCSField.guestRSP.rawValue.u64, 0xBBBB)
        m.vmptrld(M.vmcsA)
        #expect(m.vmread(VMCSField.guestRSP.rawValue.u64) == (.succeed, 0xAAAA))
        m.vmptrld(M.vmcsB)
        #expect(m.vmread(VMCSField.guestRSP.rawValue.u64) == (.succeed, 0xBBBB))
    }

    @Test func vmclearErrors() {
        let m = M()
        m.vmxon()
        // Without a current VMCS, VMfail is VMfailInvalid.
        #expect(m.vmclear(M.vmcsA + 1) == .failInvalid)
        #expect(m.vmclear(M.vmxonRegion) == .failInvalid)
        m.vmptrld(M.vmcsA)
        #expect(m.vmclear(M.vmcsB | 0x800) == .failValid(2))
        #expect(m.vmclear(1 << 50) == .failValid(2))
        #expect(m.vmclear(M.vmxonRegion) == .failValid(3))
        #expect(m.vmptrst() == (.succeed, M.vmcsA))
    }

    @Test func vmptrldErrors() {
        let m = M()
        m.vmxon()
        #expect(m.vmptrld(M.vmcsA + 0x10) == .failInvalid)
        m.vmptrld(M.vmcsA)
        #expect(m.vmptrld(M.vmcsB + 0x10) == .failValid(9))
        #expect(m.vmptrld(1 << 46) == .failValid(9))
        #expect(m.vmptrld(M.vmxonRegion) == .failValid(10))
        #expect(m.vmptrld(0x5000) == .failValid(11))             // revision identifier 0
        let revision = UInt64(m.cpu.vmx.capabilities.revisionIdentifier)
        m.memory.write(M.vmcsB, size: 4, value: (revision + 1) | 1 << 31)   // wrong revision, shadow
        #expect(m.vmptrld(M.vmcsB) == .failValid(11))
        #expect(m.vmptrst() == (.succeed, M.vmcsA))
        // A shadow VMCS may be made current when VMCS shadowing is supported (24.10).
        m.memory.write(M.vmcsB, size: 4, value: revision | 1 << 31)
        #expect(m.vmptrld(M.vmcsB) == .succeed)
        #expect(m.vmptrst() == (.succeed, M.vmcsB))
    }

    @Test func faults() {
        let m = M()
        #expect(m.vmclear(M.vmcsA) == .fault(.invalidOpcode))
        #expect(m.vmptrld(M.vmcsA) == .fault(.invalidOpcode))
        #expect(m.vmptrst().0 == .fault(.invalidOpcode))
        m.vmxon()
        m.cpu.enterUserMode()
        #expect(m.vmclear(M.vmcsA) == .fault(.generalProtection(0)))
        #expect(m.vmptrld(M.vmcsA) == .fault(.generalProtection(0)))
        #expect(m.vmptrst().0 == .fault(.generalProtection(0)))
    }

    @Test func operandFaults() {
        let m = M()
        m.vmxon()
        // A non-canonical memory operand in 64-bit mode: #GP(0).
        #expect(m.run(M.vmptrldRCX, [1: 0x8000_0000_0000_0000]) == .fault(.generalProtection(0)))
        // Beyond the 1-GByte identity page: #PF.
        if case .fault(let f) = m.run(M.vmptrldRCX, [1: 0x4000_0000]) {
            #expect(f.vector == 14)
        } else {
            Issue.record("expected #PF")
        }
    }
}

@Suite struct VMREADAndVMWRITETests {
    @Test func failInvalidWithoutCurrentVMCS() {
        let m = M()
        m.vmxon()
        #expect(m.vmwrite(0x681E, 1) == .failInvalid)
        #expect(m.vmread(0x681E).0 == .failInvalid)
    }

    @Test func readBackEveryWidth() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        #expect(m.vmwrite(0x681E, 0xFFFF_8000_0000_1000) == .succeed)        // guest RIP
        #expect(m.vmread(0x681E) == (.succeed, 0xFFFF_8000_0000_1000))
        #expect(m.vmwrite(0x0802, 0x1_2345) == .succeed)                     // guest CS selector
        #expect(m.vmread(0x0802) == (.succeed, 0x2345))
        #expect(m.vmwrite(0x4802, 0x1_FFFF_FFFF) == .succeed)                // guest CS limit
        #expect(m.vmread(0x4802) == (.succeed, 0xFFFF_FFFF))
        #expect(m.vmwrite(0x2806, 0x0000_0D01) == .succeed)                  // guest IA32_EFER
        #expect(m.vmwrite(0x2807, 0xFFFF_FFFF_8765_4321) == .succeed)        // ... high
        #expect(m.vmread(0x2806) == (.succeed, 0x8765_4321_0000_0D01))
        #expect(m.vmread(0x2807) == (.succeed, 0x8765_4321))
    }

    @Test func memoryOperands() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        m.memory.write(0x7000, size: 8, value: 0x0123_4567_89AB_CDEF)
        #expect(m.run(M.vmwriteRAXMem, [0: 0x6C16, 1: 0x7000]) == .succeed)   // host RIP
        #expect(m.run(M.vmreadMemRAX, [0: 0x6C16, 1: 0x7100]) == .succeed)
        #expect(m.memory.read(0x7100, size: 8) == 0x0123_4567_89AB_CDEF)
        // A 16-bit field is zero-extended to the 64-bit destination.
        m.memory.write(0x7200, size: 8, value: UInt64.max)
        m.vmwrite(0x0C02, 0x10)
        #expect(m.run(M.vmreadMemRAX, [0: 0x0C02, 1: 0x7200]) == .succeed)
        #expect(m.memory.read(0x7200, size: 8) == 0x10)
    }

    @Test func unsupportedComponents() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        for encoding: UInt64 in [0x0004, 0x200E, 0x681F, 0x4001, 0x681E | 1 << 12,
                                 0x681E | 1 << 32, 0x6C20, 0xFFFF_FFFF_FFFF_FFFF] {
            #expect(m.vmwrite(encoding, 1) == .failValid(12), "VMWRITE \(encoding)")
            m.vmwrite(0x4400, 0)
            #expect(m.vmread(encoding).0 == .failValid(12), "VMREAD \(encoding)")
        }
    }

    @Test func readOnlyComponents() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        // IA32_VMX_MISC[29] = 1: VM-exit information fields are writable.
        #expect(m.vmwrite(0x4402, 30) == .succeed)
        #expect(m.vmread(0x4402) == (.succeed, 30))
        m.cpu.vmx.capabilities.vmwriteToReadOnlyFields = false
        #expect(m.vmwrite(0x6400, 1) == .failValid(13))
        #expect(m.vmwrite(0x2400, 1) == .failValid(13))
        #expect(m.vmread(0x4400) == (.succeed, 13))
    }

    @Test func failValidFlagsAreExact() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        m.cpu.rflags = 0x2 | M.statusFlags | 0x200
        m.vmwrite(0x0004, 0)
        #expect(m.cpu.rflags == 0x2 | 0x40 | 0x200)
        m.clearCurrentVMCS()
        m.cpu.rflags = 0x2 | M.statusFlags
        m.vmwrite(0x681E, 0)
        #expect(m.cpu.rflags == 0x2 | 0x1)
    }

    @Test func faults() {
        let m = M()
        #expect(m.vmwrite(0x681E, 0) == .fault(.invalidOpcode))
        #expect(m.vmread(0x681E).0 == .fault(.invalidOpcode))
        m.enterRootWithCurrentVMCS()
        m.enterCompatibilityMode()
        #expect(m.vmread(0x681E).0 == .fault(.invalidOpcode))
    }

    @Test func generalProtectionAtCPL3() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        m.cpu.enterUserMode()
        #expect(m.vmwrite(0x681E, 0) == .fault(.generalProtection(0)))
        #expect(m.vmread(0x681E).0 == .fault(.generalProtection(0)))
    }

    /// A memory destination faults only after the field checks; a memory source before them.
    @Test func memoryFaultOrder() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        let bad: UInt64 = 0x8000_0000_0000_0000
        #expect(m.run(M.vmreadMemRAX, [0: 0x0004, 1: bad]) == .failValid(12))
        #expect(m.run(M.vmwriteRAXMem, [0: 0x0004, 1: bad]) == .fault(.generalProtection(0)))
    }
}

extension VMXTestMachine {
    /// VMCLEAR of the current VMCS A: afterwards there is no current VMCS.
    func clearCurrentVMCS() { vmclear(Self.vmcsA) }
}

extension UInt32 {
    var u64: UInt64 { UInt64(self) }
}

/// VMREAD/VMWRITE outside IA-32e mode: 32-bit operands (31.3).
@Suite struct VMXProtectedModeTests {
    /// A 32-bit protected-mode machine with 4-MByte identity pages (CR4.PSE) and VMX enabled.
    func machine() -> VMXTestMachine {
        let m = M()
        m.cpu.enterFlatMode(.protected32)
        m.memory.write(M.pml4, size: 4, value: 0x87)          // PDE 0: 0-4 MiB
        m.cpu.cr3 = M.pml4
        m.cpu.cr4 = 0x2010                                      // VMXE, PSE
        m.cpu.cr0 = 0x8000_0031
        m.cpu.flushTLB()
        return m
    }

    @Test func thirtyTwoBitOperands() {
        let m = machine()
        #expect(m.vmxon() == .succeed)
        m.vmclear(M.vmcsA)
        #expect(m.vmptrld(M.vmcsA) == .succeed)
        // High bits of the field are cleared by a 32-bit VMWRITE.
        m.cpu.vmx.write(.guestRIP, 0xFFFF_FFFF_0000_0000)
        #expect(m.vmwrite(0x681E, 0x1234_5678) == .succeed)
        #expect(m.cpu.vmx.read(.guestRIP) == 0x1234_5678)
        // A 32-bit VMREAD of a 64-bit field returns bits 31:0; the high access gives 63:32.
        m.cpu.vmx.write(.eptPointer, 0xAAAA_BBBB_CCCC_DDDD)
        #expect(m.vmread(0x201A) == (.succeed, 0xCCCC_DDDD))
        #expect(m.vmread(0x201B) == (.succeed, 0xAAAA_BBBB))
        #expect(m.vmwrite(0x201B, 0x1111_2222) == .succeed)
        #expect(m.cpu.vmx.read(.eptPointer) == 0x1111_2222_CCCC_DDDD)
    }
}

@Suite struct VMLAUNCHAndVMRESUMETests {
    @Test func failInvalidWithoutCurrentVMCS() {
        let m = M()
        m.vmxon()
        #expect(m.run(M.vmlaunch) == .failInvalid)
        #expect(m.run(M.vmresume) == .failInvalid)
    }

    @Test func launchStateErrors() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        #expect(m.run(M.vmresume) == .failValid(5))
        m.cpu.vmx.launched = true
        #expect(m.run(M.vmlaunch) == .failValid(4))
        // The launch state is part of the VMCS: it survives VMPTRLD of another VMCS and back.
        m.vmclear(M.vmcsB)
        m.vmptrld(M.vmcsB)
        m.vmptrld(M.vmcsA)
        #expect(m.run(M.vmlaunch) == .failValid(4))
        m.vmclear(M.vmcsA)
        m.vmptrld(M.vmcsA)
        #expect(m.run(M.vmresume) == .failValid(5))
    }

    @Test func invalidControlsAndHostState() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        #expect(m.run(M.vmlaunch) == .failValid(7))       // all-zero controls lack default1 bits
        VMEntryCheckTests.writeValidControlsAndHostState(m.cpu)
        m.cpu.vmx.write(.hostCSSelector, 0)
        #expect(m.run(M.vmlaunch) == .failValid(8))
    }

    /// Valid controls and host state with an all-zero guest-state area: VM entry fails with
    /// basic exit reason 33 and bit 31 set (SDM 26.8), and the CPU continues at the host RIP.
    @Test func zeroGuestStateFailsEntry() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        VMEntryCheckTests.writeValidControlsAndHostState(m.cpu)
        #expect(m.run(M.vmlaunch) == .fault(.vmExitTaken))
        #expect(m.cpu.vmx.read(.vmExitReason) == 0x8000_0021)
        #expect(m.cpu.rip == 0xFFFF_FFFF_8000_0000)
        #expect(!m.cpu.vmx.nonRoot)
        #expect(!m.cpu.vmx.launched)
    }

    @Test func faults() {
        let m = M()
        #expect(m.run(M.vmlaunch) == .fault(.invalidOpcode))
        #expect(m.run(M.vmresume) == .fault(.invalidOpcode))
        m.enterRootWithCurrentVMCS()
        m.cpu.enterUserMode()
        #expect(m.run(M.vmlaunch) == .fault(.generalProtection(0)))
        #expect(m.run(M.vmresume) == .fault(.generalProtection(0)))
    }
}

@Suite struct VMCALLAndVMFUNCTests {
    @Test func vmcallInRootOperation() {
        let m = M()
        #expect(m.run(M.vmcall) == .fault(.invalidOpcode))
        m.vmxon()
        #expect(m.run(M.vmcall) == .failInvalid)
        m.vmclear(M.vmcsA)
        m.vmptrld(M.vmcsA)
        #expect(m.run(M.vmcall) == .failValid(1))
        m.cpu.enterUserMode()
        #expect(m.run(M.vmcall) == .fault(.generalProtection(0)))
    }

    @Test func vmcallInCompatibilityMode() {
        let m = M()
        m.vmxon()
        m.enterCompatibilityMode()
        #expect(m.run(M.vmcall) == .fault(.invalidOpcode))
    }

    @Test func vmfuncOutsideNonRoot() {
        let m = M()
        #expect(m.run(M.vmfunc) == .fault(.invalidOpcode))
        m.enterRootWithCurrentVMCS()
        #expect(m.run(M.vmfunc) == .fault(.invalidOpcode))
    }

    @Test func amdModelHasNoVMX() {
        let m = M(vendor: .amd)
        for bytes in [M.vmcall, M.vmlaunch, M.vmresume, M.vmxoff, M.vmreadRBXRAX, M.vmwriteRAXRBX,
                      M.vmptrldRCX, M.vmclearRCX, M.vmptrstRCX, M.inveptRAXMem, M.invvpidRAXMem] {
            #expect(m.run(bytes, [1: M.operand]) == .fault(.invalidOpcode), "\(bytes)")
        }
    }
}

@Suite struct INVEPTAndINVVPIDTests {
    fileprivate func invept(_ m: M, type: UInt64, eptp: UInt64) -> VMOutcome {
        m.memory.write(0x7000, size: 8, value: eptp)
        m.memory.write(0x7008, size: 8, value: 0)
        return m.run(M.inveptRAXMem, [0: type, 1: 0x7000])
    }

    fileprivate func invvpid(_ m: M, type: UInt64, vpid: UInt64, linear: UInt64 = 0) -> VMOutcome {
        m.memory.write(0x7000, size: 8, value: vpid)
        m.memory.write(0x7008, size: 8, value: linear)
        return m.run(M.invvpidRAXMem, [0: type, 1: 0x7000])
    }

    @Test func invept() {
        let m = M()
        #expect(invept(m, type: 2, eptp: 0) == .fault(.invalidOpcode))
        m.enterRootWithCurrentVMCS()
        #expect(invept(m, type: 2, eptp: 0) == .succeed)                   // all-context
        #expect(invept(m, type: 1, eptp: 0x5_0000 | 0x5E) == .succeed)     // WB, 4 levels, A/D
        #expect(invept(m, type: 1, eptp: 0x5_0000 | 0x18) == .succeed)     // UC, 4 levels
        #expect(invept(m, type: 1, eptp: 0x5_0000 | 0x16) == .failValid(28)) // 3 levels
        #expect(invept(m, type: 1, eptp: 0x5_0000 | 0x1D) == .failValid(28)) // type 5
        #expect(invept(m, type: 1, eptp: 0x5_0000 | 0x11E) == .failValid(28)) // bit 8
        #expect(invept(m, type: 1, eptp: 1 << 47 | 0x1E) == .failValid(28)) // beyond MAXPHYADDR
        #expect(invept(m, type: 0, eptp: 0) == .failValid(28))
        #expect(invept(m, type: 3, eptp: 0) == .failValid(28))
        #expect(invept(m, type: 1 << 32 | 2, eptp: 0) == .failValid(28))
        m.vmclear(M.vmcsA)
        #expect(invept(m, type: 0, eptp: 0) == .failInvalid)
        m.cpu.enterUserMode()
        #expect(invept(m, type: 2, eptp: 0) == .fault(.generalProtection(0)))
    }

    @Test func invvpid() {
        let m = M()
        #expect(invvpid(m, type: 2, vpid: 0) == .fault(.invalidOpcode))
        m.enterRootWithCurrentVMCS()
        #expect(invvpid(m, type: 0, vpid: 1, linear: 0xFFFF_8000_0000_0000) == .succeed)
        #expect(invvpid(m, type: 0, vpid: 1, linear: 0x0000_8000_0000_0000) == .failValid(28))
        #expect(invvpid(m, type: 0, vpid: 0, linear: 0) == .failValid(28))
        #expect(invvpid(m, type: 1, vpid: 5) == .succeed)
        #expect(invvpid(m, type: 1, vpid: 0) == .failValid(28))
        #expect(invvpid(m, type: 2, vpid: 0) == .succeed)
        #expect(invvpid(m, type: 2, vpid: 1 << 16) == .failValid(28))       // bits 63:16 reserved
        #expect(invvpid(m, type: 3, vpid: 7) == .succeed)
        #expect(invvpid(m, type: 3, vpid: 0) == .failValid(28))
        #expect(invvpid(m, type: 4, vpid: 1) == .failValid(28))
        m.cpu.enterUserMode()
        #expect(invvpid(m, type: 2, vpid: 0) == .fault(.generalProtection(0)))
    }

    @Test func registerFormIsUndefined() {
        let m = M()
        m.enterRootWithCurrentVMCS()
        #expect(m.run([0x66, 0x0F, 0x38, 0x80, 0xC1]) == .fault(.invalidOpcode))
    }
}

/// What RDMSR will see through `vmxCapabilityMSR` (the MSR file consults it).
@Suite struct VMXCapabilityMSRTests {
    @Test func intelAndAMD() {
        let intel = M().cpu
        #expect(intel.vmxCapabilityMSR(0x480) == intel.vmx.capabilities.msr(0x480))
        #expect(intel.vmxCapabilityMSR(0x48B) != nil)
        #expect(intel.vmxCapabilityMSR(0x492) == nil)
        // CR4_FIXED1 is what MOV to CR4 accepts; VMXE is fixed to 1.
        #expect(intel.vmxCapabilityMSR(0x489) == intel.cr4Writable | 0x2000)
        #expect(intel.vmxCapabilityMSR(0x489)! & (1 << 12) == 0)
        // Without CPUID.01H:ECX.VMX the MSRs do not exist.
        intel.cpuidModel.vmx = false
        #expect(intel.vmxCapabilityMSR(0x480) == nil)
        let amd = M(vendor: .amd).cpu
        for index: UInt32 in 0x480...0x493 { #expect(amd.vmxCapabilityMSR(index) == nil) }
    }
}
