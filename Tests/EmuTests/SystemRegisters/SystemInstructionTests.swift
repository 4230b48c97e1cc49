import Testing
@testable import Emu

/// LGDT/LIDT/SGDT/SIDT, INVLPG/INVPCID, WBINVD, RDPMC, XGETBV, FSGSBASE, RDPID, PKRU, CLAC/STAC,
/// MONITOR/MWAIT (SDM vol. 2 instruction pages).
@Suite struct SystemInstructionTests {
    @Test func lgdtAndSgdtIn64BitMode() throws {
        let m = systemMachine(.long64)
        m.memory.write(0x2000, size: 2, value: 0x7F)
        m.memory.write(0x2002, size: 8, value: 0xFFFF_8000_0001_0000)
        m.cpu.registers[3] = 0x2000
        try m.run([0x0F, 0x01, 0x13])                                  // lgdt [rbx]
        #expect(m.cpu.gdtr == DescriptorTable(base: 0xFFFF_8000_0001_0000, limit: 0x7F))
        m.cpu.registers[3] = 0x3000
        try m.run([0x0F, 0x01, 0x03])                                  // sgdt [rbx]: 10 bytes
        #expect(m.memory.read(0x3000, size: 2) == 0x7F)
        #expect(m.memory.read(0x3002, size: 8) == 0xFFFF_8000_0001_0000)
        m.memory.write(0x2002, size: 8, value: 0x0000_8000_0000_0000)
        m.cpu.registers[3] = 0x2000
        #expect(m.fault([0x0F, 0x01, 0x1B]) == gp0)                    // lidt: non-canonical base
        m.cpu.enterUserMode()
        #expect(m.fault([0x0F, 0x01, 0x13]) == gp0)                    // lgdt at CPL 3
        m.cpu.registers[3] = 0x3000
        #expect(m.fault([0x0F, 0x01, 0x0B]) == nil)                    // sidt at CPL 3 (no UMIP)
    }

    @Test func lidtOperandSizesInProtectedMode() throws {
        let m = systemMachine(.protected32)
        m.memory.write(0x2000, size: 2, value: 0x3FF)
        m.memory.write(0x2002, size: 4, value: 0xAABB_CCDD)
        m.cpu.registers[3] = 0x2000
        try m.run([0x0F, 0x01, 0x1B])                                  // lidt [ebx]
        #expect(m.cpu.idtr == DescriptorTable(base: 0xAABB_CCDD, limit: 0x3FF))
        try m.run([0x66, 0x0F, 0x01, 0x1B])                            // 16-bit operand: 24-bit base
        #expect(m.cpu.idtr == DescriptorTable(base: 0xBB_CCDD, limit: 0x3FF))
        m.cpu.idtr = DescriptorTable(base: 0xAABB_CCDD, limit: 0x3FF)
        m.cpu.registers[3] = 0x3000
        try m.run([0x66, 0x0F, 0x01, 0x0B])                            // sidt: full 32-bit base
        #expect(m.memory.read(0x3000, size: 6) == 0xAABB_CCDD_03FF)
    }

    @Test func invlpgAndCacheControlArePrivileged() throws {
        let m = systemMachine(.long64)
        m.cpu.registers[3] = 0x5000
        try m.run([0x0F, 0x01, 0x3B])                                  // invlpg [rbx]
        try m.run([0x0F, 0x09])                                        // wbinvd
        try m.run([0x0F, 0x08])                                        // invd
        m.cpu.enterUserMode()
        #expect(m.fault([0x0F, 0x01, 0x3B]) == gp0)
        #expect(m.fault([0x0F, 0x09]) == gp0)
        #expect(m.fault([0x0F, 0x08]) == gp0)
    }

    @Test func invlpgDropsTheStaleTranslation() throws {
        let m = systemMachine(.long64)
        // 4 KiB mapping of linear 0x4000_0000 through PDPT[1] -> PD -> PT.
        m.memory.write(0x7_1008, size: 8, value: 0x7_2000 | 7)
        m.memory.write(0x7_2000, size: 8, value: 0x7_3000 | 7)
        m.memory.write(0x7_3000, size: 8, value: 0x30_0000 | 7)
        m.memory.write(0x30_0000, size: 8, value: 0xAAAA)
        m.memory.write(0x50_0000, size: 8, value: 0xBBBB)
        #expect(try m.cpu.read(3, 0x4000_0000, size: 8) == 0xAAAA)
        m.memory.write(0x7_3000, size: 8, value: 0x50_0000 | 7)
        m.cpu.registers[3] = 0x4000_0000
        try m.run([0x0F, 0x01, 0x3B])
        #expect(try m.cpu.read(3, 0x4000_0000, size: 8) == 0xBBBB)
    }

    @Test func invpcidRules() throws {
        let m = systemMachine(.long64)
        let invpcid: [UInt8] = [0x66, 0x0F, 0x38, 0x82, 0x03]          // invpcid rax, [rbx]
        m.cpu.registers[3] = 0x2000
        m.memory.write(0x2000, size: 8, value: 0)
        m.memory.write(0x2008, size: 8, value: 0x1000)
        for type: UInt64 in 0...3 {
            m.cpu.registers[0] = type
            #expect(m.fault(invpcid) == nil, "type \(type)")
        }
        m.cpu.registers[0] = 4
        #expect(m.fault(invpcid) == gp0)
        m.cpu.registers[0] = 0
        m.memory.write(0x2008, size: 8, value: 0x0000_8000_0000_0000)
        #expect(m.fault(invpcid) == gp0)                                // type 0, non-canonical
        m.cpu.registers[0] = 2
        #expect(m.fault(invpcid) == nil)                                // type 2 ignores the address
        m.memory.write(0x2000, size: 8, value: 1)                       // PCID 1 with PCIDE = 0
        m.cpu.registers[0] = 1
        #expect(m.fault(invpcid) == gp0)
        m.memory.write(0x2000, size: 8, value: 0x1000)                  // bits 63:12 reserved
        m.cpu.registers[0] = 3
        #expect(m.fault(invpcid) == gp0)
        let amd = systemMachine(.long64, vendor: .amd)
        #expect(amd.fault(invpcid) == ud)
        // Real mode runs it (CPL 0); virtual-8086 mode does not recognize it: #UD.
        let real = systemMachine(.real)
        real.cpu.registers[3] = 0x2000
        real.cpu.registers[0] = 2
        #expect(real.fault([0x66, 0x0F, 0x38, 0x82, 0x07]) == nil)      // invpcid eax, [bx]
        let v86 = systemMachine(.protected32)
        v86.cpu.registers[3] = 0x2000
        v86.cpu.controlFlags |= RFlags.virtual8086.rawValue
        v86.cpu.cpl = 3
        v86.cpu.updateCodeMode()
        #expect(v86.fault([0x66, 0x0F, 0x38, 0x82, 0x07]) == ud)
    }

    @Test func rdpmc() throws {
        let intel = systemMachine(.long64)
        intel.cpu.registers[1] = 0
        #expect(intel.fault([0x0F, 0x33]) == gp0)                       // no counters
        let amd = systemMachine(.long64, vendor: .amd)
        amd.cpu.systemRegisters.perfCounter[2] = 0x1234_5678_9A
        amd.cpu.registers[1] = 2
        try amd.run([0x0F, 0x33])
        #expect(amd.cpu.registers[0] == 0x3456_789A && amd.cpu.registers[2] == 0x12)
        amd.cpu.registers[1] = 4
        #expect(amd.fault([0x0F, 0x33]) == gp0)
        amd.cpu.enterUserMode()
        amd.cpu.registers[1] = 0
        #expect(amd.fault([0x0F, 0x33]) == gp0)                         // CR4.PCE = 0
        amd.cpu.cr4 |= 0x100
        #expect(amd.fault([0x0F, 0x33]) == nil)
    }

    @Test func xcr0AccessNeedsOSXSAVE() {
        let m = systemMachine(.long64)
        m.cpu.registers[1] = 0
        #expect(m.fault([0x0F, 0x01, 0xD0]) == ud)                     // xgetbv
        #expect(m.fault([0x0F, 0x01, 0xD1]) == ud)                     // xsetbv
        m.cpu.cr4 |= 1 << 18
        #expect(m.fault([0x0F, 0x01, 0xD0]) == nil)
        #expect(m.cpu.registers[0] == 1 && m.cpu.registers[2] == 0)
        m.cpu.registers[1] = 2                                         // ECX = 1 is XINUSE (XSaveTests)
        #expect(m.fault([0x0F, 0x01, 0xD0]) == gp0)
        m.cpu.registers[1] = 0
        m.cpu.registers[0] = 0
        #expect(m.fault([0x0F, 0x01, 0xD1]) == gp0)                    // bit 0 must be 1
        m.cpu.registers[0] = 0x7
        #expect(m.fault([0x0F, 0x01, 0xD1]) == gp0)                    // AVX state not supported
        m.cpu.registers[0] = 0x3
        #expect(m.fault([0x0F, 0x01, 0xD1]) == nil)
        #expect(m.cpu.xcr0 == 3)
        m.cpu.enterUserMode()
        #expect(m.fault([0x0F, 0x01, 0xD1]) == gp0)
    }

    @Test func fsgsbase() throws {
        let m = systemMachine(.long64)
        let wrfsbase: [UInt8] = [0xF3, 0x48, 0x0F, 0xAE, 0xD0]
        let rdgsbase32: [UInt8] = [0xF3, 0x0F, 0xAE, 0xC8]
        m.cpu.registers[0] = 0x7FFF_1234_5678
        #expect(m.fault(wrfsbase) == ud)
        m.cpu.cr4 |= 1 << 16
        m.cpu.enterUserMode()                                          // any CPL
        try m.run(wrfsbase)
        #expect(m.cpu.segment(.fs).base == 0x7FFF_1234_5678)
        m.cpu.registers[0] = 0xFFFF_0000_0000_0000 >> 1
        #expect(m.fault(wrfsbase) == gp0)
        var gs = m.cpu.segment(.gs)
        gs.base = 0xFFFF_8000_1234_5678
        m.cpu.setSegment(.gs, gs)
        m.cpu.registers[0] = ~0
        try m.run(rdgsbase32)
        #expect(m.cpu.registers[0] == 0x1234_5678)
        try m.run([0xF3, 0x48, 0x0F, 0xAE, 0xC0])                      // rdfsbase rax
        #expect(m.cpu.registers[0] == 0x7FFF_1234_5678)
    }

    /// RDTSC/RDTSCP (SDM vol. 2): EDX:EAX = the TSC, RDTSCP also ECX = IA32_TSC_AUX[31:0];
    /// with CR4.TSD both are #GP(0) at CPL > 0 and allowed at CPL 0.
    @Test func timeStampDisable() throws {
        for vendor in [Vendor.intel, .amd] {
            let m = systemMachine(.long64, vendor: vendor)
            m.cpu.tscAux = 7
            m.cpu.enterUserMode()
            m.cpu.registers[1] = ~0
            try m.run([0x0F, 0x01, 0xF9])                              // rdtscp
            #expect(m.cpu.registers[1] == 7)
            #expect(m.cpu.registers[2] << 32 | m.cpu.registers[0] <= m.cpu.tsc)
            try m.run([0x0F, 0x31])                                    // rdtsc
            m.cpu.cr4 |= CR4.tsd.rawValue
            #expect(m.fault([0x0F, 0x31]) == gp0)
            #expect(m.fault([0x0F, 0x01, 0xF9]) == gp0)
            let kernel = systemMachine(.long64, vendor: vendor)
            kernel.cpu.cr4 |= CR4.tsd.rawValue
            #expect(kernel.fault([0x0F, 0x31]) == nil && kernel.fault([0x0F, 0x01, 0xF9]) == nil)
        }
    }

    @Test func rdpidOnTheModelsThatHaveIt() throws {
        let amd = systemMachine(.long64, vendor: .amd)
        amd.cpu.tscAux = 0x42
        amd.cpu.registers[0] = ~0
        try amd.run([0xF3, 0x0F, 0xC7, 0xF8])                          // rdpid rax
        #expect(amd.cpu.registers[0] == 0x42)
        let intel = systemMachine(.long64)
        #expect(intel.fault([0xF3, 0x0F, 0xC7, 0xF8]) == ud)
    }

    @Test func pkruInstructions() throws {
        let m = systemMachine(.long64)
        #expect(m.fault([0x0F, 0x01, 0xEE]) == ud)                     // rdpkru without CR4.PKE
        m.cpu.registers[0] = 0x20
        try m.run([0x0F, 0x22, 0xE0] .map { $0 })                      // mov cr4, rax (PAE only)
        m.cpu.registers[0] = 0x20 | 1 << 22
        try m.run([0x0F, 0x22, 0xE0])
        #expect(m.cpuid(7).2 & 1 << 4 != 0)                            // OSPKE follows CR4.PKE
        m.cpu.enterUserMode()
        m.cpu.registers[0] = 0xC
        m.cpu.registers[1] = 0
        m.cpu.registers[2] = 0
        try m.run([0x0F, 0x01, 0xEF])                                  // wrpkru at CPL 3
        #expect(m.cpu.systemRegisters.pkru == 0xC)
        m.cpu.registers[0] = ~0
        m.cpu.registers[2] = ~0
        try m.run([0x0F, 0x01, 0xEE])
        #expect(m.cpu.registers[0] == 0xC && m.cpu.registers[2] == 0)
        m.cpu.registers[2] = 1
        #expect(m.fault([0x0F, 0x01, 0xEF]) == gp0)
        m.cpu.registers[1] = 1
        #expect(m.fault([0x0F, 0x01, 0xEE]) == gp0)
    }

    @Test func clacStac() throws {
        let m = systemMachine(.long64)
        try m.run([0x0F, 0x01, 0xCB])                                  // stac
        #expect(m.cpu.rflags & 1 << 18 != 0)
        try m.run([0x0F, 0x01, 0xCA])                                  // clac
        #expect(m.cpu.rflags & 1 << 18 == 0)
        m.cpu.enterUserMode()
        #expect(m.fault([0x0F, 0x01, 0xCB]) == ud)
    }

    @Test func monitorMwait() throws {
        let m = systemMachine(.long64)
        m.cpu.registers[0] = 0x2000
        m.cpu.registers[1] = 0
        try m.run([0x0F, 0x01, 0xC8])                                  // monitor
        try m.run([0x0F, 0x01, 0xC9])                                  // mwait
        m.cpu.registers[1] = 1
        #expect(m.fault([0x0F, 0x01, 0xC8]) == gp0)                    // no MONITOR extensions
        #expect(m.fault([0x0F, 0x01, 0xC9]) == nil)                    // interrupt break event
        m.cpu.registers[1] = 2
        #expect(m.fault([0x0F, 0x01, 0xC9]) == gp0)
        m.cpu.enterUserMode()
        #expect(m.fault([0x0F, 0x01, 0xC9]) == ud)
    }
}
