import Testing
@testable import Emu

/// The checks on VMX controls (SDM vol. 3, 26.2.1: error 7) and on the host-state area
/// (26.2.2-26.2.4: error 8) that VMLAUNCH/VMRESUME make before loading guest state.
@Suite struct VMEntryCheckTests {
    /// Controls at their TRUE allowed-0 settings plus "host address-space size" and "IA-32e mode
    /// guest", and a 64-bit host: CR0 PE/NE/PG, CR4 PAE/VMXE, flat selectors, canonical bases.
    static func writeValidControlsAndHostState(_ cpu: CPU) {
        cpu.vmx.write(.pinBasedVMExecutionControls, 0x16)
        cpu.vmx.write(.primaryProcessorBasedVMExecutionControls, 0x0400_6172)
        cpu.vmx.write(.primaryVMExitControls, 0x0003_6DFB | 0x200)
        cpu.vmx.write(.vmEntryControls, 0x0000_11FB | 0x200)
        cpu.vmx.write(.hostCR0, 0x8000_0031)
        cpu.vmx.write(.hostCR3, 0x8_0000)
        cpu.vmx.write(.hostCR4, 0x2020)
        cpu.vmx.write(.hostCSSelector, 0x08)
        cpu.vmx.write(.hostSSSelector, 0x10)
        cpu.vmx.write(.hostDSSelector, 0x10)
        cpu.vmx.write(.hostESSelector, 0x10)
        cpu.vmx.write(.hostTRSelector, 0x18)
        cpu.vmx.write(.hostRIP, 0xFFFF_FFFF_8000_0000)
        cpu.vmx.write(.hostRSP, 0x9000)
    }

    func machine() -> VMXTestMachine {
        let m = VMXTestMachine()
        m.enterRootWithCurrentVMCS()
        Self.writeValidControlsAndHostState(m.cpu)
        return m
    }

    /// Applies `change` to a valid VMCS and returns the check's result.
    func check(_ change: (CPU) -> Void) -> VMInstructionError? {
        let m = machine()
        change(m.cpu)
        return m.cpu.checkVMEntryControlsAndHostState()
    }

    func set(_ f: VMCSField, _ bits: UInt64) -> (CPU) -> Void { { $0.vmx.write(f, $0.vmx.read(f) | bits) } }
    func clear(_ f: VMCSField, _ bits: UInt64) -> (CPU) -> Void { { $0.vmx.write(f, $0.vmx.read(f) & ~bits) } }

    static let controls = VMInstructionError.vmEntryInvalidControlFields
    static let host = VMInstructionError.vmEntryInvalidHostStateFields

    @Test func baselineIsValid() {
        #expect(check { _ in } == nil)
        // Everything the model advertises at once, consistently.
        #expect(check { cpu in
            cpu.vmx.write(.pinBasedVMExecutionControls, 0x16 | 0x1 | 0x8 | 0x20 | 0x40)
            cpu.vmx.write(.primaryProcessorBasedVMExecutionControls, 0x0400_6172 | 1 << 31 | 1 << 22 | 1 << 25 | 1 << 28)
            cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, 0x2 | 0x20 | 0x80 | 0x2000)
            cpu.vmx.write(.virtualProcessorIdentifier, 1)
            cpu.vmx.write(.eptPointer, 0x5_0000 | 0x5E)
            cpu.vmx.write(.vmFunctionControls, 1)
            cpu.vmx.write(.eptpListAddress, 0x5_1000)
            cpu.vmx.write(.ioBitmapAAddress, 0x5_2000)
            cpu.vmx.write(.ioBitmapBAddress, 0x5_3000)
            cpu.vmx.write(.msrBitmapsAddress, 0x5_4000)
            cpu.vmx.write(.primaryVMExitControls, 0x0003_6DFB | 0x200 | 1 << 22)
        } == nil)
    }

    @Test func reservedControlBits() {
        #expect(check(clear(.pinBasedVMExecutionControls, 0x2)) == Self.controls)        // default1
        #expect(check(set(.pinBasedVMExecutionControls, 0x80)) == Self.controls)         // posted interrupts
        #expect(check(set(.primaryProcessorBasedVMExecutionControls, 1 << 17)) == Self.controls)  // tertiary
        #expect(check(clear(.primaryProcessorBasedVMExecutionControls, 0x2)) == Self.controls)
        #expect(check(clear(.primaryProcessorBasedVMExecutionControls, 1 << 15)) == nil)  // TRUE relaxes CR3-load
        #expect(check(clear(.primaryVMExitControls, 0x4)) == nil)                         // TRUE relaxes save debug
        #expect(check(clear(.primaryVMExitControls, 0x1)) == Self.controls)
        #expect(check(set(.primaryVMExitControls, 1 << 12)) == Self.controls)            // perf global ctrl
        #expect(check(set(.vmEntryControls, 1 << 10)) == Self.controls)                 // entry to SMM
        #expect(check(clear(.vmEntryControls, 0x100)) == Self.controls)
    }

    @Test func secondaryControls() {
        let activate: (CPU) -> Void = set(.primaryProcessorBasedVMExecutionControls, 1 << 31)
        // Ignored while not activated.
        #expect(check(set(.secondaryProcessorBasedVMExecutionControls, 0x1)) == nil)
        // Virtualize APIC accesses: the APIC-access address must be page aligned (26.2.1.1).
        #expect(check { cpu in
            activate(cpu); self.set(.secondaryProcessorBasedVMExecutionControls, 0x1)(cpu)
            cpu.vmx.write(.apicAccessAddress, 0x5010)
        } == Self.controls)
        #expect(check { cpu in
            activate(cpu); self.set(.secondaryProcessorBasedVMExecutionControls, 0x1)(cpu)
            cpu.vmx.write(.apicAccessAddress, 0x5000)
        } == nil)
        #expect(check { activate($0); self.set(.secondaryProcessorBasedVMExecutionControls, 0x20)($0) } == Self.controls)
        #expect(check { cpu in
            activate(cpu); cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, 0x20)
            cpu.vmx.write(.virtualProcessorIdentifier, 1)
        } == nil)
        #expect(check { activate($0); self.set(.secondaryProcessorBasedVMExecutionControls, 0x80)($0) } == Self.controls)
        for (eptp, valid): (UInt64, Bool) in [(0x1E, true), (0x18, true), (0x16, false), (0x19, false),
                                             (0x9E, false), (0x1E | 1 << 46, false)] {
            #expect(check { cpu in
                activate(cpu); cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, 0x2)
                cpu.vmx.write(.eptPointer, eptp)
            } == (valid ? nil : Self.controls), "EPTP \(eptp)")
        }
        // EPTP switching needs EPT and an aligned EPTP list.
        #expect(check { cpu in
            activate(cpu); cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, 0x2000)
            cpu.vmx.write(.vmFunctionControls, 1)
        } == Self.controls)
        #expect(check { cpu in
            activate(cpu); cpu.vmx.write(.secondaryProcessorBasedVMExecutionControls, 0x2000)
            cpu.vmx.write(.vmFunctionControls, 2)
        } == Self.controls)
    }

    @Test func executionControlFields() {
        #expect(check { $0.vmx.write(.cr3TargetCount, 5) } == Self.controls)
        #expect(check { $0.vmx.write(.cr3TargetCount, 4) } == nil)
        #expect(check { cpu in
            self.set(.primaryProcessorBasedVMExecutionControls, 1 << 25)(cpu)
            cpu.vmx.write(.ioBitmapAAddress, 0x5_0800)
        } == Self.controls)
        #expect(check { cpu in
            self.set(.primaryProcessorBasedVMExecutionControls, 1 << 28)(cpu)
            cpu.vmx.write(.msrBitmapsAddress, 1 << 46)
        } == Self.controls)
        #expect(check(set(.pinBasedVMExecutionControls, 0x20)) == Self.controls)         // virtual NMIs
        #expect(check(set(.pinBasedVMExecutionControls, 0x28)) == nil)
        #expect(check(set(.primaryProcessorBasedVMExecutionControls, 1 << 22)) == Self.controls)
        // TPR shadow: threshold bits 31:4 zero and threshold[3:0] <= VTPR[7:4].
        #expect(check { cpu in
            self.set(.primaryProcessorBasedVMExecutionControls, 1 << 21)(cpu)
            cpu.vmx.write(.virtualAPICAddress, 0x5_0000)
            cpu.vmx.write(.tprThreshold, 0x10)
        } == Self.controls)
        let m = machine()
        m.memory.write(0x5_0080, size: 1, value: 0x30)
        set(.primaryProcessorBasedVMExecutionControls, 1 << 21)(m.cpu)
        m.cpu.vmx.write(.virtualAPICAddress, 0x5_0000)
        m.cpu.vmx.write(.tprThreshold, 3)
        #expect(m.cpu.checkVMEntryControlsAndHostState() == nil)
        m.cpu.vmx.write(.tprThreshold, 4)
        #expect(m.cpu.checkVMEntryControlsAndHostState() == Self.controls)
    }

    @Test func exitAndEntryControlFields() {
        #expect(check(set(.primaryVMExitControls, 1 << 22)) == Self.controls)     // save timer without timer
        #expect(check { cpu in
            cpu.vmx.write(.vmExitMSRStoreCount, 1); cpu.vmx.write(.vmExitMSRStoreAddress, 0x5_0008)
        } == Self.controls)
        #expect(check { cpu in
            cpu.vmx.write(.vmExitMSRLoadCount, 2); cpu.vmx.write(.vmExitMSRLoadAddress, 0x5_0010)
        } == nil)
        #expect(check { cpu in
            cpu.vmx.write(.vmEntryMSRLoadCount, 1); cpu.vmx.write(.vmEntryMSRLoadAddress, (1 << 46) - 8)
        } == Self.controls)
    }

    @Test func eventInjection() {
        func inject(_ info: UInt64, error: UInt64 = 0, length: UInt64 = 0) -> VMInstructionError? {
            check { cpu in
                cpu.vmx.write(.vmEntryInterruptionInformation, info)
                cpu.vmx.write(.vmEntryExceptionErrorCode, error)
                cpu.vmx.write(.vmEntryInstructionLength, length)
            }
        }
        #expect(inject(0x8000_0B0D) == nil)                   // #GP with error code
        #expect(inject(0x8000_030D) == Self.controls)         // #GP without error code
        #expect(inject(0x8000_0B06) == Self.controls)         // #UD with error code
        #expect(inject(0x8000_0B0D, error: 0x1_0000) == Self.controls)
        #expect(inject(0x8000_0202) == nil)                   // NMI
        #expect(inject(0x8000_0203) == Self.controls)         // NMI type with vector 3
        #expect(inject(0x8000_0120) == Self.controls)         // type 1 reserved
        #expect(inject(0x8000_0320) == Self.controls)         // hardware exception vector 32
        #expect(inject(0x8000_0480, length: 2) == nil)        // software interrupt
        #expect(inject(0x8000_0480, length: 0) == Self.controls)
        #expect(inject(0x8000_0480, length: 16) == Self.controls)
        #expect(inject(0x8000_1080) == Self.controls)         // bit 12 reserved
        #expect(inject(0x8000_0700) == nil)                   // MTF pending
        #expect(inject(0x0000_0120) == nil)                   // not valid: not checked
    }

    @Test func hostControlRegistersAndMSRs() {
        #expect(check(clear(.hostCR0, 0x20)) == Self.host)
        #expect(check(clear(.hostCR4, 0x2000)) == Self.host)
        #expect(check(set(.hostCR4, 1 << 12)) == Self.host)
        #expect(check(set(.hostCR3, 1 << 50)) == Self.host)
        #expect(check { $0.vmx.write(.hostIA32SysenterEIP, 0x0000_8000_0000_0000) } == Self.host)
        #expect(check { $0.vmx.write(.hostIA32SysenterESP, 0xFFFF_7FFF_FFFF_FFFF) } == Self.host)
        #expect(check { cpu in
            self.set(.primaryVMExitControls, 1 << 19)(cpu); cpu.vmx.write(.hostIA32PAT, 0x0007_0406_0007_0406)
        } == nil)
        #expect(check { cpu in
            self.set(.primaryVMExitControls, 1 << 19)(cpu); cpu.vmx.write(.hostIA32PAT, 0x0007_0406_0007_0402)
        } == Self.host)
        #expect(check { cpu in
            self.set(.primaryVMExitControls, 1 << 21)(cpu); cpu.vmx.write(.hostIA32EFER, 0x500)
        } == nil)
        #expect(check { cpu in
            self.set(.primaryVMExitControls, 1 << 21)(cpu); cpu.vmx.write(.hostIA32EFER, 0x400)
        } == Self.host)
        #expect(check { cpu in
            self.set(.primaryVMExitControls, 1 << 21)(cpu); cpu.vmx.write(.hostIA32EFER, 0x1502)
        } == Self.host)
    }

    @Test func hostSegmentsAndDescriptorTables() {
        #expect(check { $0.vmx.write(.hostCSSelector, 0) } == Self.host)
        #expect(check { $0.vmx.write(.hostTRSelector, 0) } == Self.host)
        #expect(check { $0.vmx.write(.hostSSSelector, 0) } == nil)        // allowed with a 64-bit host
        #expect(check { $0.vmx.write(.hostSSSelector, 0x13) } == Self.host)
        #expect(check { $0.vmx.write(.hostFSSelector, 0x0C) } == Self.host) // TI = 1
        #expect(check { $0.vmx.write(.hostGDTRBase, 0x0000_8000_0000_0000) } == Self.host)
        #expect(check { $0.vmx.write(.hostFSBase, 0xFFFF_8000_0000_0000) } == nil)
    }

    @Test func addressSpaceSize() {
        // In IA-32e mode the host must be 64-bit.
        #expect(check(clear(.primaryVMExitControls, 0x200)) == Self.host)
        #expect(check(clear(.hostCR4, 0x20)) == Self.host)
        #expect(check { $0.vmx.write(.hostRIP, 0x0000_8000_0000_0000) } == Self.host)
        // Outside IA-32e mode: no 64-bit host, no IA-32e mode guest, RIP below 4 GiB.
        let m = machine()
        m.cpu.efer = 0
        #expect(m.cpu.checkVMEntryControlsAndHostState() == Self.host)
        clear(.primaryVMExitControls, 0x200)(m.cpu)
        clear(.vmEntryControls, 0x200)(m.cpu)
        m.cpu.vmx.write(.hostRIP, 0x10_0000)
        #expect(m.cpu.checkVMEntryControlsAndHostState() == nil)
        set(.vmEntryControls, 0x200)(m.cpu)
        #expect(m.cpu.checkVMEntryControlsAndHostState() == Self.host)
    }
}
