import Testing
@testable import Emu

/// MOV to/from CR0/CR2/CR3/CR4/CR8, LMSW, SMSW, CLTS and MOV DRn, one rule at a time (SDM vol. 2,
/// MOV CRn / MOV DRn / LMSW / SMSW; vol. 3, 2.5, 4.1, 10.8.5, 18.2).
@Suite struct ControlRegisterTests {
    static let movCR0RAX: [UInt8] = [0x0F, 0x22, 0xC0]
    static let movRAXCR0: [UInt8] = [0x0F, 0x20, 0xC0]
    static let movCR3RAX: [UInt8] = [0x0F, 0x22, 0xD8]
    static let movCR4RAX: [UInt8] = [0x0F, 0x22, 0xE0]
    static let movCR8RAX: [UInt8] = [0x44, 0x0F, 0x22, 0xC0]
    static let movRAXCR8: [UInt8] = [0x44, 0x0F, 0x20, 0xC0]

    @Test func cr0ReservedLowBitsIgnoredHighBitsFault() throws {
        let m = systemMachine(.long64)
        m.cpu.registers[0] = 0x8001_0011 | 0x40 | 0x2
        try m.run(Self.movCR0RAX)
        #expect(m.cpu.cr0 == 0x8001_0013)                          // bit 6 ignored, MP kept
        m.cpu.registers[0] = 0x1_8001_0011
        #expect(m.fault(Self.movCR0RAX) == gp0)
        m.cpu.registers[0] = 0x8001_0001                           // ET reads as 1 regardless
        try m.run(Self.movCR0RAX)
        try m.run(Self.movRAXCR0)
        #expect(m.cpu.registers[0] == 0x8001_0011)
    }

    @Test func cr0InvalidCombinations() {
        let m = systemMachine(.protected32)
        m.cpu.registers[0] = 0x8000_0010                            // PG without PE
        #expect(m.fault(Self.movCR0RAX) == gp0)
        m.cpu.registers[0] = 0x2000_0011                            // NW without CD
        #expect(m.fault(Self.movCR0RAX) == gp0)
        m.cpu.registers[0] = 0x6000_0011                            // CD and NW: fine
        #expect(m.fault(Self.movCR0RAX) == nil)
        #expect(m.cpu.cr0 == 0x6000_0011)
    }

    @Test func enablingPagingWithLMEActivatesIA32e() throws {
        let m = systemMachine(.protected32)
        m.memory.write(0x7_0000, size: 8, value: 0x7_1000 | 7)
        m.memory.write(0x7_1000, size: 8, value: 0x87)
        m.cpu.registers[0] = 0x7_0000
        try m.run(Self.movCR3RAX)
        // PG with LME but without PAE: #GP.
        #expect(m.wrmsr(MSR.efer, 0x100) == nil)
        m.cpu.registers[0] = 0x8000_0011
        #expect(m.fault(Self.movCR0RAX) == gp0)
        m.cpu.registers[0] = 0x20
        try m.run(Self.movCR4RAX)
        m.cpu.registers[0] = 0x8000_0011
        try m.run(Self.movCR0RAX)
        #expect(m.cpu.efer == 0x500)                                 // LMA set
        #expect(m.cpu.codeMode == .protected32)                      // compatibility mode until CS.L
        // LME cannot change while paging is on; LMA is read-only.
        #expect(m.wrmsr(MSR.efer, 0) == gp0)
        #expect(m.wrmsr(MSR.efer, 0x100) == nil)
        #expect(m.cpu.efer == 0x500)
        // CR4.PAE cannot be cleared in IA-32e mode.
        m.cpu.registers[0] = 0
        #expect(m.fault(Self.movCR4RAX) == gp0)
        // Clearing PG from compatibility mode leaves IA-32e mode.
        m.cpu.registers[0] = 0x11
        try m.run(Self.movCR0RAX)
        #expect(m.cpu.efer == 0x100)
    }

    @Test func clearingPagingIn64BitModeFaults() {
        let m = systemMachine(.long64)
        m.cpu.registers[0] = 0x11
        #expect(m.fault(Self.movCR0RAX) == gp0)
        #expect(m.cpu.cr0 == 0x8001_0011)
    }

    @Test func cr4ReservedBitsFollowTheModel() {
        let intel = systemMachine(.long64)
        for bit in [14, 12, 11, 32] {                                  // SMXE, LA57, UMIP (VMXE: VMX model)
            intel.cpu.registers[0] = 0x20 | 1 << UInt64(bit)
            #expect(intel.fault(Self.movCR4RAX) == gp0, "CR4 bit \(bit)")
        }
        intel.cpu.registers[0] = 0x20 | 1 << 9 | 1 << 10 | 1 << 16 | 1 << 20 | 1 << 21 | 1 << 22 | 0x8C
        #expect(intel.fault(Self.movCR4RAX) == nil)
        let amd = systemMachine(.long64, vendor: .amd)
        for bit in [17, 22] {                                          // no PCID, no PKU on Zen 2
            amd.cpu.registers[0] = 0x20 | 1 << UInt64(bit)
            #expect(amd.fault(Self.movCR4RAX) == gp0, "AMD CR4 bit \(bit)")
        }
    }

    @Test func pcideRules() throws {
        let m = systemMachine(.long64)
        m.cpu.cr3 = 0x7_0008                                          // PWT set: CR3[11:0] != 0
        m.cpu.registers[0] = 0x20 | 1 << 17
        #expect(m.fault(Self.movCR4RAX) == gp0)
        m.cpu.cr3 = 0x7_0000
        try m.run(Self.movCR4RAX)
        #expect(m.cpu.cr4 & 1 << 17 != 0)
        // Bit 63 of the source: no invalidation, not stored.
        m.cpu.registers[0] = 1 << 63 | 0x7_0005
        try m.run(Self.movCR3RAX)
        #expect(m.cpu.cr3 == 0x7_0005)
        // PCIDE can only be set in IA-32e mode.
        let p = systemMachine(.protected32)
        p.cpu.registers[0] = 0x20 | 1 << 17                           // not in IA-32e mode
        #expect(p.fault(Self.movCR4RAX) == gp0)
    }

    @Test func cr3ReservedBitsByMaxPhyAddr() throws {
        let intel = systemMachine(.long64)
        intel.cpu.registers[0] = 1 << 46 | 0x7_0000
        #expect(intel.fault(Self.movCR3RAX) == gp0)
        intel.cpu.registers[0] = 1 << 63 | 0x7_0000                   // without PCIDE bit 63 is reserved
        #expect(intel.fault(Self.movCR3RAX) == gp0)
        let amd = systemMachine(.long64, vendor: .amd)
        amd.memory.write(0x8_0000, size: 8, value: 0x7_1000 | 7)
        amd.cpu.registers[0] = 0x8_0018                               // PWT, PCD kept
        try amd.run(Self.movCR3RAX)
        #expect(amd.cpu.cr3 == 0x8_0018)
    }

    @Test func cr8AndCR2() throws {
        let m = systemMachine(.long64)
        m.cpu.registers[0] = 0xF
        try m.run(Self.movCR8RAX)
        #expect(m.cpu.cr8 == 0xF)
        m.cpu.registers[0] = 0x10
        #expect(m.fault(Self.movCR8RAX) == gp0)
        m.cpu.registers[0] = 0
        try m.run(Self.movRAXCR8)
        #expect(m.cpu.registers[0] == 0xF)
        m.cpu.registers[0] = 0xFFFF_8000_1234_5678
        try m.run([0x0F, 0x22, 0xD0])                                  // mov cr2, rax
        #expect(m.cpu.cr2 == 0xFFFF_8000_1234_5678)
        // AMD: LOCK MOV CR0 is CR8 outside 64-bit mode.
        let amd = systemMachine(.protected32, vendor: .amd)
        amd.cpu.registers[0] = 5
        try amd.run([0xF0, 0x0F, 0x22, 0xC0])
        #expect(amd.cpu.cr8 == 5)
    }

    @Test func privilegedAtCPL3() {
        let m = systemMachine(.long64)
        m.cpu.enterUserMode()
        #expect(m.fault(Self.movRAXCR0) == gp0)
        #expect(m.fault(Self.movCR3RAX) == gp0)
        #expect(m.fault([0x0F, 0x06]) == gp0)                          // clts
        #expect(m.fault([0x0F, 0x01, 0xF0]) == gp0)                    // lmsw ax
        #expect(m.fault([0x0F, 0x21, 0xF8]) == gp0)                    // mov rax, dr7
        #expect(m.fault([0x0F, 0x01, 0xE0]) == nil)                    // smsw eax: no UMIP
        // Encodings of no register are #UD before the CPL check (table 6-2 classes 8 and 9;
        // measured at CPL 3 on the host: SIGILL for these, SIGSEGV for CR0 and DR0).
        #expect(m.fault([0x0F, 0x20, 0xC8]) == ud)                     // mov rax, cr1
        #expect(m.fault([0x0F, 0x22, 0xE8]) == ud)                     // mov cr5, rax
        #expect(m.fault([0x44, 0x0F, 0x20, 0xC8]) == ud)               // mov rax, cr9
        #expect(m.fault([0x44, 0x0F, 0x20, 0xC0]) == gp0)              // mov rax, cr8
        #expect(m.fault([0x44, 0x0F, 0x21, 0xC0]) == ud)               // mov rax, dr8
        #expect(m.fault([0x44, 0x0F, 0x23, 0xC8]) == ud)               // mov dr9, rax
    }

    /// MOV DR with REX.R names DR8-DR15, which do not exist: #UD at CPL 0 too, DR0 unchanged.
    @Test func debugRegistersBeyondDR7AreUndefined() {
        let m = systemMachine(.long64)
        m.cpu.registers[0] = 0x1234
        #expect(m.fault([0x44, 0x0F, 0x23, 0xC0]) == ud)               // mov dr8, rax
        #expect(m.cpu.dr[0] == 0)
        #expect(m.fault([0x44, 0x0F, 0x21, 0xF8]) == ud)               // mov rax, dr15
    }

    @Test func cr3WriteFlushesTranslations() throws {
        let m = systemMachine(.long64)
        m.memory.write(0x30_0000, size: 8, value: 0x1111)
        m.memory.write(0x50_0000, size: 8, value: 0x2222)
        #expect(try m.cpu.read(3, 0x30_0000, size: 8) == 0x1111)
        // New tables: 2 MiB pages, linear 3 MiB maps 5 MiB.
        m.memory.write(0x9_0000, size: 8, value: 0x9_1000 | 7)
        m.memory.write(0x9_1000, size: 8, value: 0x9_2000 | 7)
        m.memory.write(0x9_2000, size: 8, value: 0x87)                 // 0-2 MiB identity (code)
        m.memory.write(0x9_2008, size: 8, value: 0x40_0000 | 0x87)     // 2-4 MiB -> 4-6 MiB
        m.cpu.registers[0] = 0x9_0000
        try m.run(Self.movCR3RAX)
        #expect(try m.cpu.read(3, 0x30_0000, size: 8) == 0x2222)
    }

    // MARK: LMSW, SMSW, CLTS

    @Test func lmswSetsButNeverClearsPE() throws {
        let real = systemMachine(.real)
        real.cpu.registers[0] = 0xFFE1                                  // PE and bits LMSW ignores
        try real.run([0x0F, 0x01, 0xF0])                               // lmsw ax
        #expect(real.cpu.cr0 == 0x11)                                  // only bits 3:0 load
        #expect(real.cpu.codeMode == .protected16)
        real.cpu.registers[0] = 0xE
        try real.run([0x0F, 0x01, 0xF0])
        #expect(real.cpu.cr0 == 0x1F)                                  // PE stays
    }

    @Test func smswOperandSizes() throws {
        let m = systemMachine(.long64)
        m.cpu.cr0 |= 0x2000_0000 | 0x4000_0000
        m.cpu.registers[0] = 0xFFFF_FFFF_FFFF_FFFF
        try m.run([0x48, 0x0F, 0x01, 0xE0])                            // smsw rax
        #expect(m.cpu.registers[0] == m.cpu.cr0)
        m.cpu.registers[0] = 0xFFFF_FFFF_FFFF_FFFF
        try m.run([0x66, 0x0F, 0x01, 0xE0])                            // smsw ax
        #expect(m.cpu.registers[0] == 0xFFFF_FFFF_FFFF_0000 | (m.cpu.cr0 & 0xFFFF))
        m.memory.write(0x2000, size: 8, value: ~0)
        m.cpu.registers[3] = 0x2000
        try m.run([0x0F, 0x01, 0x23])                                  // smsw [rbx]: 16 bits
        #expect(m.memory.read(0x2000, size: 8) == 0xFFFF_FFFF_FFFF_0000 | (m.cpu.cr0 & 0xFFFF))
    }

    @Test func cltsClearsTS() throws {
        let m = systemMachine(.protected32)
        m.cpu.cr0 |= 0x8
        try m.run([0x0F, 0x06])
        #expect(m.cpu.cr0 & 0x8 == 0)
    }

    // MARK: Debug registers

    @Test func debugRegisterAliasesAndReservedBits() throws {
        let m = systemMachine(.long64)
        m.cpu.registers[0] = 0x1234
        try m.run([0x0F, 0x23, 0xC0])                                  // mov dr0, rax
        #expect(m.cpu.dr[0] == 0x1234)
        m.cpu.registers[0] = 0
        try m.run([0x0F, 0x23, 0xF0])                                  // mov dr6, rax
        try m.run([0x0F, 0x21, 0xF0])                                  // mov rax, dr6
        #expect(m.cpu.registers[0] == 0xFFFF_0FF0)
        m.cpu.registers[0] = 0
        try m.run([0x0F, 0x21, 0xE0])                                  // mov rax, dr4 = dr6
        #expect(m.cpu.registers[0] == 0xFFFF_0FF0)
        m.cpu.registers[0] = 0xFFFF_DFFF                               // all but GD
        try m.run([0x0F, 0x23, 0xF8])                                  // mov dr7, rax
        #expect(m.cpu.dr[7] == 0xFFFF_07FF)                            // bits 11, 12, 14, 15 read 0
        m.cpu.registers[0] = 1 << 32
        #expect(m.fault([0x0F, 0x23, 0xF8]) == gp0)
        m.cpu.cr4 |= 0x8                                               // CR4.DE: DR4/DR5 are #UD
        #expect(m.fault([0x0F, 0x21, 0xE0]) == ud)
    }

    @Test func generalDetectRaisesDebugException() throws {
        let m = systemMachine(.protected32)
        m.cpu.registers[0] = 0x2400                                    // GD
        try m.run([0x0F, 0x23, 0xF8])
        #expect(m.fault([0x0F, 0x21, 0xC0]) == .debug)                 // any DR access
        #expect(m.cpu.dr[6] & 0x2000 != 0)                             // DR6.BD
        #expect(m.cpu.rip == 0x1000)                                   // a fault
        #expect(m.fault([0x0F, 0x21, 0xC0]) == nil)                    // GD was cleared
    }
}
