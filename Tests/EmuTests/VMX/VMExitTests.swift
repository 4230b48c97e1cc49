import Testing
@testable import Emu

/// VM exits (SDM vol. 3, 25-28): each exit with its reason, qualification, instruction length
/// and saved RIP; host-state loading; event injection; the preemption timer; bitmaps.
@Suite struct VMExitTests {
    typealias G = VMXGuestMachine

    @Test func cpuidExitAndHostState() {
        let g = G()
        g.cpu.vmx.write(.hostFSBase, 0x1234_5000)
        #expect(g.exitOf([0x90, 0x0F, 0xA2]) == 10)                        // NOP; CPUID
        #expect(g.savedRIP == G.guestCode + 1)
        #expect(g.instructionLength == 2)
        // 28.5: host RIP/RSP, RFLAGS = 2, flat CS (L = 1 with host address-space size), TR.
        let c = g.cpu
        #expect(c.rip == G.hostRIP && c.registers[4] == G.hostRSP && c.rflags == 2)
        #expect(c.segment(.cs).selector == 0x08 && c.segment(.cs).attributes == 0xA09B)
        #expect(c.segment(.fs).base == 0x1234_5000)
        #expect(c.tr.base == 0x7C00 && c.tr.limit == 0x67 && c.tr.attributes == 0x8B)
        #expect(c.dr[7] == 0x400 && c.codeMode == .long64 && !c.vmx.nonRoot)
        // 28.3: guest state saved.
        #expect(c.vmx.read(.guestRSP) == G.guestStack && c.vmx.read(.guestCSAccessRights) == 0xA09B)
        #expect(c.vmx.read(.guestLDTRAccessRights) == 0x1_0000)
        // VMRESUME continues at the saved RIP (advanced by the hypervisor).
        c.vmx.write(.guestRIP, g.savedRIP + 2)
        _ = g.memory.load([0x0F, 0x01, 0xC1], at: G.guestCode + 3)        // VMCALL
        #expect(g.m.run(VMXTestMachine.vmresume) == .succeed)
        #expect(g.runUntilExit() == 18)
        #expect(g.savedRIP == G.guestCode + 3 && g.instructionLength == 3)
    }

    @Test func hltExitNeedsControl() {
        #expect(G().exitOf([0xF4]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 7) } == 12)
        let g = G()
        g.launch([0xF4])
        _ = g.runUntilExit(limit: 1)
        #expect(g.cpu.vmx.nonRoot && g.cpu.halted)                          // the guest halts
    }

    /// OUT imm8, AL; IN AL, DX; OUT DX, EAX: qualification size, direction, operand, port (28.2.1).
    @Test func ioQualification() {
        let io: (G) -> Void = { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 24) }
        let g = G()
        #expect(g.exitOf([0xE6, 0x80], setup: io) == 30)
        #expect(g.qualification == 0x80 << 16 | 1 << 6)
        let h = G()
        h.cpu.registers[2] = 0x3F8
        #expect(h.exitOf([0xEC], setup: io) == 30)
        #expect(h.qualification == 0x3F8 << 16 | 1 << 3)
        let k = G()
        #expect(k.exitOf([0xBA, 0xFD, 0x03, 0x00, 0x00, 0xEF], setup: io) == 30)   // MOV EDX, 3FDH; OUT DX, EAX
        #expect(k.qualification == 0x3FD << 16 | 3)
        #expect(k.savedRIP == G.guestCode + 5 && k.instructionLength == 1)
        // REP OUTSB: string and REP bits, guest-linear address, instruction information.
        let s = G()
        s.cpu.registers[6] = 0x9000
        s.cpu.registers[2] = 0x3F8
        s.cpu.registers[1] = 3
        #expect(s.exitOf([0xF3, 0x6E], setup: io) == 30)
        #expect(s.qualification == 0x3F8 << 16 | 1 << 4 | 1 << 5)
        #expect(s.cpu.vmx.read(.guestLinearAddress) == 0x9000)
        #expect(s.cpu.vmx.read(.vmExitInstructionInformation) == 2 << 7 | 3 << 15)   // 64-bit, DS
    }

    @Test func ioBitmaps() {
        func run(_ port: UInt16, size: [UInt8]) -> UInt64? {
            let g = G()
            g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 25)
            g.cpu.vmx.write(.ioBitmapAAddress, 0x5000)
            g.cpu.vmx.write(.ioBitmapBAddress, 0x6000)
            for a in stride(from: 0x5000, to: 0x7000, by: 8) { g.memory.write(UInt64(a), size: 8, value: 0) }
            g.memory.write(0x5000 + 0x71 / 8, size: 1, value: 1 << (0x71 % 8))     // port 71H
            g.memory.write(0x6000 + 0x1000 / 8, size: 1, value: 1)                  // port 9000H
            g.cpu.registers[2] = UInt64(port)
            return g.exitOf(size + [0x0F, 0x01, 0xC1])                              // IN ..., DX; VMCALL
        }
        #expect(run(0x70, size: [0xEC]) == 18)         // IN AL, DX at 70H: not in the bitmap
        #expect(run(0x70, size: [0x66, 0xED]) == 30)   // IN AX, DX covers 71H
        #expect(run(0x71, size: [0xEC]) == 30)
        #expect(run(0x9000, size: [0xEC]) == 30)       // bitmap B
        #expect(run(0xFFFF, size: [0x66, 0xED]) == 30) // wraps past FFFFH
    }

    @Test func msrBitmaps() {
        func run(_ msr: UInt32, write: Bool, bitmap: Bool) -> UInt64? {
            let g = G()
            g.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 28)
            g.cpu.vmx.write(.msrBitmapsAddress, 0x5000)
            for a in stride(from: 0x5000, to: 0x6000, by: 8) { g.memory.write(UInt64(a), size: 8, value: 0) }
            if bitmap {
                let base: UInt64 = (msr >= 0xC000_0000 ? 0x400 : 0) + (write ? 0x800 : 0)
                let bit = UInt64(msr & 0x1FFF)
                g.memory.write(0x5000 + base + bit / 8, size: 1, value: 1 << (bit % 8))
            }
            g.cpu.registers[1] = UInt64(msr)
            return g.exitOf((write ? [0x0F, 0x30] : [0x0F, 0x32]) + [0x0F, 0x01, 0xC1])
        }
        #expect(run(0x10, write: false, bitmap: false) == 18)
        #expect(run(0x10, write: false, bitmap: true) == 31)
        #expect(run(0x174, write: true, bitmap: true) == 32)
        #expect(run(0xC000_0080, write: false, bitmap: true) == 31)
        #expect(run(0x4000_0000, write: false, bitmap: false) == 31)   // outside both ranges
        // Without MSR bitmaps every RDMSR exits.
        let g = G()
        g.cpu.registers[1] = 0x10
        #expect(g.exitOf([0x0F, 0x32]) == 31)
    }

    @Test func controlRegisterAccess() {
        // MOV CR0, RAX changing a host-owned bit (TS) against the shadow: qualification 0, GPR 0.
        let g = G()
        g.cpu.registers[0] = 0x8000_0039
        #expect(g.exitOf([0x0F, 0x22, 0xC0]) { $0.cpu.vmx.write(.cr0GuestHostMask, 8); $0.cpu.vmx.write(.cr0ReadShadow, 0) } == 28)
        #expect(g.qualification == 0)
        // Same value as the shadow: no exit; MOV RBX, CR0 reads the shadow for owned bits.
        let h = G()
        h.cpu.registers[0] = 0x8000_0011                                  // NE = shadow: no exit, NE stays 1
        let r = h.exitOf([0x0F, 0x22, 0xC0, 0x0F, 0x20, 0xC3, 0x0F, 0x01, 0xC1]) {
            $0.cpu.vmx.write(.cr0GuestHostMask, 0x20); $0.cpu.vmx.write(.cr0ReadShadow, 0)
        }
        #expect(r == 18)
        #expect(h.cpu.registers[3] == 0x8000_0011)                          // NE read from the shadow
        #expect(h.cpu.vmx.read(.guestCR0) == 0x8000_0031)
        // MOV R9, CR3 with CR3-store exiting: access type 1, CR 3, GPR 9.
        let k = G()
        #expect(k.exitOf([0x41, 0x0F, 0x20, 0xD9]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 16) } == 28)
        #expect(k.qualification == 3 | 1 << 4 | 9 << 8)
        // MOV CR3, RAX with CR3-load exiting, unless the value is a CR3-target value.
        let l = G()
        l.cpu.registers[0] = VMXTestMachine.pml4
        #expect(l.exitOf([0x0F, 0x22, 0xD8]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 15) } == 28)
        #expect(l.qualification == 3)
        let t = G()
        t.cpu.registers[0] = VMXTestMachine.pml4
        #expect(t.exitOf([0x0F, 0x22, 0xD8, 0x0F, 0x01, 0xC1]) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 15)
            $0.cpu.vmx.write(.cr3TargetCount, 1); $0.cpu.vmx.write(.cr3TargetValue0, VMXTestMachine.pml4)
        } == 18)
        // CLTS with TS owned and set in the shadow: access type 2.
        let c = G()
        #expect(c.exitOf([0x0F, 0x06]) { $0.cpu.vmx.write(.cr0GuestHostMask, 8); $0.cpu.vmx.write(.cr0ReadShadow, 8) } == 28)
        #expect(c.qualification == 2 << 4)
        // LMSW AX setting an owned MP: access type 3, source data in 31:16.
        let m = G()
        m.cpu.registers[0] = 0x3
        #expect(m.exitOf([0x0F, 0x01, 0xF0]) { $0.cpu.vmx.write(.cr0GuestHostMask, 2); $0.cpu.vmx.write(.cr0ReadShadow, 0) } == 28)
        #expect(m.qualification == 3 << 4 | 3 << 16)
        // MOV CR8, RAX with CR8-load exiting.
        let e = G()
        #expect(e.exitOf([0x44, 0x0F, 0x22, 0xC0]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 19) } == 28)
        #expect(e.qualification == 8)
    }

    @Test func movDR() {
        let g = G()
        #expect(g.exitOf([0x0F, 0x21, 0xFA]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 23) } == 29)
        #expect(g.qualification == 7 | 1 << 4 | 2 << 8)                   // MOV RDX, DR7
    }

    @Test func invlpgAndRDTSC() {
        let g = G()
        g.cpu.registers[3] = 0x1234
        #expect(g.exitOf([0x0F, 0x01, 0x7B, 0x10]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 9) } == 14)
        #expect(g.qualification == 0x1244)                                  // INVLPG [RBX+10H]
        #expect(G().exitOf([0x0F, 0x31]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 12) } == 16)
        #expect(G().exitOf([0x0F, 0x01, 0xF9]) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 12); $0.setSecondary(1 << 3)
        } == 51)
        // TSC offsetting: RDTSC in the guest returns TSC + offset.
        let t = G()
        _ = t.exitOf([0x0F, 0x31, 0x0F, 0x01, 0xC1]) {
            $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 3); $0.cpu.vmx.write(.tscOffset, 1 << 40)
        }
        let value = t.cpu.registers[2] << 32 | t.cpu.registers[0]
        #expect(value >= 1 << 40 && value < (1 << 40) + 1_000_000)
    }

    @Test func vmxInstructionsExit() {
        let g = G()
        g.cpu.registers[0] = 0x4402
        #expect(g.exitOf([0x0F, 0x78, 0xC3]) == 23)                        // VMREAD RBX, RAX
        #expect(g.cpu.vmx.read(.vmExitInstructionInformation) == 1 << 10 | 3 << 3 | 2 << 7 | 0 << 28)
        let h = G()
        #expect(h.exitOf([0x0F, 0xC7, 0x71, 0x08]) == 21)                  // VMPTRLD [RCX+8]
        #expect(h.qualification == 8)
        #expect(h.cpu.vmx.read(.vmExitInstructionInformation) == 2 << 7 | 3 << 15 | 1 << 22 | 1 << 23)
        #expect(G().exitOf([0x0F, 0x01, 0xC2]) == 20)                      // VMLAUNCH
        #expect(G().exitOf([0x0F, 0x01, 0xC4]) == 26)                      // VMXOFF
    }

    @Test func exceptionBitmap() {
        let g = G()
        #expect(g.exitOf([0x0F, 0x0B]) { $0.cpu.vmx.write(.exceptionBitmap, 1 << 6) } == 0)   // UD2
        #expect(g.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0306)
        #expect(g.savedRIP == G.guestCode)
        // #GP with error code.
        let p = G()
        p.cpu.registers[0] = 0x8000_0000_0000_0000
        #expect(p.exitOf([0x48, 0x8B, 0x00]) { $0.cpu.vmx.write(.exceptionBitmap, 1 << 13) } == 0)   // MOV RAX, [RAX]
        #expect(p.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0B0D)
        #expect(p.cpu.vmx.read(.vmExitInterruptionErrorCode) == 0)
        // INT3: software exception (type 6) with the instruction length.
        let b = G()
        #expect(b.exitOf([0xCC]) { $0.cpu.vmx.write(.exceptionBitmap, 1 << 3) } == 0)
        #expect(b.cpu.vmx.read(.vmExitInterruptionInformation) == 0x8000_0603)
        #expect(b.instructionLength == 1 && b.savedRIP == G.guestCode)
    }

    /// #PF: the bitmap bit with the error-code mask/match rule; CR2 unchanged; address in the
    /// qualification (25.2, 27.1).
    @Test func pageFaultMaskMatch() {
        func run(bit: Bool, mask: UInt64, match: UInt64) -> (UInt64?, VMXGuestMachine) {
            let g = G()
            g.cpu.cr2 = 0x77
            g.cpu.registers[0] = 0x4000_0000                                  // beyond the 1-GiB map
            let r = g.exitOf([0x8B, 0x00, 0x0F, 0x01, 0xC1]) { g in
                g.cpu.vmx.write(.exceptionBitmap, bit ? 1 << 14 : 0)
                g.cpu.vmx.write(.pageFaultErrorCodeMask, mask)
                g.cpu.vmx.write(.pageFaultErrorCodeMatch, match)
                g.setGate(14, handler: G.guestCode + 2)                          // the handler is VMCALL
            }
            return (r, g)
        }
        let (r, g) = run(bit: true, mask: 0, match: 0)
        #expect(r == 0)
        #expect(g.qualification == 0x4000_0000 && g.cpu.cr2 == 0x77)
        #expect(run(bit: true, mask: 1, match: 1).0 == 18)   // not-present fault: code & 1 = 0 != 1
        #expect(run(bit: false, mask: 1, match: 1).0 == 0)   // bit clear: exits when they differ
        #expect(run(bit: false, mask: 0, match: 0).0 == 18)
    }

    @Test func tripleFault() {
        let g = G()
        g.cpu.vmx.write(.guestIDTRLimit, 0)
        #expect(g.exitOf([0x0F, 0x0B]) == 2)
    }

    /// Event injection through the guest IDT: #GP with error code 1234H, and INT 80H with the
    /// instruction length (RIP pushed past it) (26.6).
    @Test func eventInjection() {
        let g = G()
        g.setGate(13, handler: G.guestCode + 0x100)
        _ = g.memory.load([0x0F, 0x01, 0xC1], at: G.guestCode + 0x100)
        #expect(g.exitOf([0x90]) {
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0B0D)
            $0.cpu.vmx.write(.vmEntryExceptionErrorCode, 0x1234)
        } == 18)
        #expect(g.savedRIP == G.guestCode + 0x100)
        let rsp = g.cpu.vmx.read(.guestRSP)
        #expect(g.memory.read(rsp, size: 8) == 0x1234)                      // error code
        #expect(g.memory.read(rsp + 8, size: 8) == G.guestCode)             // RIP of the faulting instruction
        #expect(g.cpu.vmx.read(.vmEntryInterruptionInformation) >> 31 == 0) // valid bit cleared
        let s = G()
        s.setGate(0x80, handler: G.guestCode + 0x100)
        _ = s.memory.load([0x0F, 0x01, 0xC1], at: G.guestCode + 0x100)
        #expect(s.exitOf([0xCD, 0x80]) {
            $0.cpu.vmx.write(.vmEntryInterruptionInformation, 0x8000_0480)
            $0.cpu.vmx.write(.vmEntryInstructionLength, 2)
        } == 18)
        #expect(s.memory.read(s.cpu.vmx.read(.guestRSP), size: 8) == G.guestCode + 2)
    }

    /// The preemption timer counts down once every 2^rate cycles (IA32_VMX_MISC[4:0]).
    @Test func preemptionTimer() {
        let rate = UInt64(VMXCapabilities().preemptionTimerRate)
        let g = G()
        // A loop: JMP $.
        let r = g.exitOf([0xEB, 0xFE]) {
            $0.setControl(.pinBasedVMExecutionControls, 1 << 6)
            $0.setControl(.primaryVMExitControls, 1 << 22)
            $0.cpu.vmx.write(.vmxPreemptionTimerValue, 10)
        }
        #expect(r == nil || r == 52)
        _ = g.runUntilExit(limit: 100_000)
        #expect(g.exitReason == 52)
        #expect(g.cpu.vmx.read(.vmxPreemptionTimerValue) == 0)
        #expect(g.cpu.cycles >> rate >= 10)
        // Value 0: the exit happens before the first guest instruction.
        let z = G()
        #expect(z.exitOf([0x0F, 0x0B]) {
            $0.setControl(.pinBasedVMExecutionControls, 1 << 6); $0.cpu.vmx.write(.vmxPreemptionTimerValue, 0)
        } == 52)
        #expect(z.savedRIP == G.guestCode)
    }

    @Test func monitorTrapFlagAndWindows() {
        let g = G()
        #expect(g.exitOf([0x90, 0x90]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 27) } == 37)
        #expect(g.savedRIP == G.guestCode + 1)
        // Interrupt window: IF = 0 at entry, STI opens it after the shadow of the next instruction.
        let w = G()
        #expect(w.exitOf([0xFB, 0x90, 0x90]) { $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 2) } == 7)
        #expect(w.savedRIP == G.guestCode + 2)
        // NMI window with virtual NMIs and no blocking: at once.
        let n = G()
        #expect(n.exitOf([0x90]) {
            $0.setControl(.pinBasedVMExecutionControls, 0x8 | 0x20)
            $0.setControl(.primaryProcessorBasedVMExecutionControls, 1 << 22)
        } == 8)
    }

    @Test func msrStoreAndLoadLists() {
        let g = G()
        g.cpu.vmx.write(.vmExitMSRStoreCount, 1)
        g.cpu.vmx.write(.vmExitMSRStoreAddress, 0x5000)
        g.memory.write(0x5000, size: 8, value: 0x175)
        g.cpu.vmx.write(.vmExitMSRLoadCount, 1)
        g.cpu.vmx.write(.vmExitMSRLoadAddress, 0x5100)
        g.memory.write(0x5100, size: 8, value: 0x176)
        g.memory.write(0x5108, size: 8, value: 0xABCD)
        g.cpu.vmx.write(.guestIA32SysenterESP, 0x4444)
        #expect(g.exitOf([0x0F, 0xA2]) == 10)
        #expect(g.memory.read(0x5008, size: 8) == 0x4444)                   // stored guest value
        #expect(g.cpu.systemRegisters.sysenterEIP == 0xABCD)                // loaded after host state
    }

    /// A VMX abort: a VM-exit MSR-load entry that fails (28.7) writes the indicator and shuts down.
    @Test func vmxAbort() {
        let g = G()
        g.cpu.vmx.write(.vmExitMSRLoadCount, 1)
        g.cpu.vmx.write(.vmExitMSRLoadAddress, 0x5100)
        g.memory.write(0x5100, size: 8, value: 0xC000_0100)
        g.launch([0x0F, 0xA2])
        var outcome: DeliveryOutcome = .delivered
        do { try g.cpu.step() } catch { outcome = g.cpu.deliver(error) }
        #expect(outcome != .delivered)
        #expect(g.memory.read(VMXTestMachine.vmcsA + 4, size: 4) == 4)
    }

    /// A VM-exit MSR-store entry that fails (an x2APIC MSR, 28.4) is VMX abort 1 (28.7).
    @Test func vmxAbortSavingGuestMSRs() {
        let g = G()
        g.cpu.vmx.write(.vmExitMSRStoreCount, 1)
        g.cpu.vmx.write(.vmExitMSRStoreAddress, 0x5000)
        g.memory.write(0x5000, size: 8, value: 0x808)
        g.launch([0x0F, 0xA2])
        var outcome: DeliveryOutcome = .delivered
        do { try g.cpu.step() } catch { outcome = g.cpu.deliver(error) }
        #expect(outcome != .delivered)
        #expect(g.memory.read(VMXTestMachine.vmcsA + 4, size: 4) == 1)
    }
}
