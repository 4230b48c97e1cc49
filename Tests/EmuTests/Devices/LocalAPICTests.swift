@testable import Emu
import Testing

/// The local APIC against the SDM (vol. 3, chapter 11): register reset values, priorities,
/// IRR/ISR/TMR, EOI, the timer modes, x2APIC MSR rules, IA32_APIC_BASE transitions, IPIs.
@Suite struct LocalAPICTests {
    func machine(cpus: Int = 1) throws -> Machine {
        var config = MachineConfig(memorySize: 16 << 20, serial: .none)
        config.cpuCount = cpus
        return try Machine(config: config, serialSink: BufferSerialSink())
    }

    func read(_ m: Machine, _ offset: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: m.memory.read(0xFEE0_0000 + UInt64(offset), size: 4))
    }

    func write(_ m: Machine, _ offset: UInt32, _ v: UInt32) {
        m.memory.write(0xFEE0_0000 + UInt64(offset), size: 4, value: UInt64(v))
    }

    func rdmsr(_ m: Machine, _ i: UInt32) -> UInt64? { try? m.cpu.readMSR(i) }
    func wrmsrFaults(_ m: Machine, _ i: UInt32, _ v: UInt64) -> Bool {
        do { try m.cpu.writeMSR(i, v); return false } catch { return error == .generalProtection(0) }
    }

    @Test func registersAfterResetAndFirmware() throws {
        let m = try machine()
        // 11.4.7.1: ID = initial APIC ID, version 14h-class, DFR all ones, LVT masked; the
        // firmware (SeaBIOS' smp_setup) software-enables the APIC with LINT0 ExtINT, LINT1 NMI.
        #expect(read(m, APICRegister.id) == 0)
        #expect(read(m, APICRegister.version) & 0xFF == 0x14 && (read(m, APICRegister.version) >> 16) & 0xFF == 5)
        #expect(read(m, APICRegister.dfr) == 0xFFFF_FFFF)
        #expect(read(m, APICRegister.svr) == 0x1FF)
        #expect(read(m, APICRegister.lvtLINT0) == 0x8700 && read(m, APICRegister.lvtLINT1) == 0x8400)
        #expect(read(m, APICRegister.lvtTimer) == 0x1_0000 && read(m, APICRegister.lvtError) == 0x1_0000)
        #expect(read(m, APICRegister.tpr) == 0 && read(m, APICRegister.ppr) == 0)
        #expect(rdmsr(m, MSR.apicBase) == 0xFEE0_0900)
        // CPUID.1: EDX[9] APIC, ECX[21] x2APIC, ECX[24] TSC-deadline.
        let (_, _, c, d) = m.cpu.cpuidModel.query(eax: 1, ecx: 0)
        #expect(d & (1 << 9) != 0 && c & (1 << 21) != 0 && c & (1 << 24) != 0)
    }

    @Test func priorityClassesDecideDelivery() throws {
        let m = try machine()
        let a = m.apics[0]
        a.accept(vector: 0x31, levelTriggered: false)
        a.accept(vector: 0x45, levelTriggered: true)
        // IRR bit 45h: register 2 (offset 220h) bit 5; TMR likewise for the level one.
        #expect(read(m, APICRegister.irr + 0x20) == 1 << 5 && read(m, APICRegister.irr + 0x10) == 1 << 17)
        #expect(read(m, APICRegister.tmr + 0x20) == 1 << 5 && read(m, APICRegister.tmr + 0x10) == 0)
        #expect(a.deliverableVector == 0x45)
        write(m, APICRegister.tpr, 0x45)                  // class 4 = class of 45h: blocked (11.8.3)
        #expect(a.deliverableVector == nil && read(m, APICRegister.ppr) == 0x45)
        #expect(m.cpu.cr8 == 4)                            // CR8 = TPR[7:4] (11.8.6.5)
        try m.cpu.writeCR8(3)
        #expect(read(m, APICRegister.tpr) == 0x30 && a.deliverableVector == 0x45)
        try m.cpu.writeCR8(0)
        a.acknowledge(0x45)
        // ISR 45h: PPR = 40h; 31h is below it, a new 4xh waits, 51h passes.
        #expect(read(m, APICRegister.isr + 0x20) == 1 << 5 && read(m, APICRegister.ppr) == 0x40)
        #expect(a.deliverableVector == nil)
        a.accept(vector: 0x4A, levelTriggered: false)
        #expect(a.deliverableVector == nil)
        a.accept(vector: 0x51, levelTriggered: false)
        #expect(a.deliverableVector == 0x51)
        // APR (11.6.2.4): max class of TPR 0, ISRV 45h, IRRV 51h = 50h.
        #expect(read(m, APICRegister.apr) == 0x50)
        write(m, APICRegister.eoi, 0)
        #expect(read(m, APICRegister.isr + 0x20) == 0 && read(m, APICRegister.ppr) == 0)
    }

    @Test func illegalVectorsAndRegistersSetTheESR() throws {
        let m = try machine()
        m.apics[0].accept(vector: 7, levelTriggered: false)
        #expect(read(m, APICRegister.esr) == 0)            // latched by the next ESR write (11.5.3)
        _ = read(m, 0x2A0)                                 // reserved register
        write(m, APICRegister.esr, 0)
        #expect(read(m, APICRegister.esr) == APICError.receiveIllegalVector | APICError.illegalRegisterAddress)
        #expect(m.apics[0].irr.isEmpty)
        write(m, APICRegister.esr, 0)
        #expect(read(m, APICRegister.esr) == 0)
    }

    @Test func softwareDisableMasksTheLVT() throws {
        let m = try machine()
        write(m, APICRegister.svr, 0xFF)
        #expect(read(m, APICRegister.lvtLINT0) == 0x1_8700)
        write(m, APICRegister.lvtTimer, 0x40)              // mask cannot be cleared (11.4.7.2)
        #expect(read(m, APICRegister.lvtTimer) == 0x1_0040)
        m.apics[0].accept(vector: 0x40, levelTriggered: false)
        #expect(m.apics[0].irr.isEmpty)
    }

    @Test func oneShotTimerCountsAtTheDividedBusClock() throws {
        let m = try machine()
        let a = m.apics[0]
        write(m, APICRegister.divideConfiguration, 0x3)    // divide by 16 (figure 11-10)
        write(m, APICRegister.lvtTimer, 0x40)              // one-shot, vector 40h
        write(m, APICRegister.initialCount, 1000)
        #expect(m.clock.deadline(of: .apicTimer(0)) == 16_000)
        m.cpu.cycles = 1600
        #expect(read(m, APICRegister.currentCount) == 900)
        m.cpu.cycles = 16_000
        m.clock.fireDue()
        #expect(a.irr.contains(0x40) && read(m, APICRegister.currentCount) == 0)
        #expect(m.clock.deadline(of: .apicTimer(0)) == Clock.never)
        write(m, APICRegister.divideConfiguration, 0xB)    // divide by 1
        write(m, APICRegister.initialCount, 10)
        #expect(m.clock.deadline(of: .apicTimer(0)) == 16_010)
        write(m, APICRegister.initialCount, 0)             // a zero count stops the timer
        #expect(m.clock.deadline(of: .apicTimer(0)) == Clock.never)
    }

    @Test func periodicTimerReloads() throws {
        let m = try machine()
        let a = m.apics[0]
        write(m, APICRegister.divideConfiguration, 0x0)    // divide by 2
        write(m, APICRegister.lvtTimer, 0x2_0041)          // periodic, vector 41h
        write(m, APICRegister.initialCount, 500)
        for k in 1...3 {
            #expect(m.clock.deadline(of: .apicTimer(0)) == UInt64(k) * 1000)
            m.cpu.cycles = UInt64(k) * 1000
            m.clock.fireDue()
            #expect(a.irr.contains(0x41))
            a.acknowledge(0x41)
            write(m, APICRegister.eoi, 0)
        }
        m.cpu.cycles = 3250
        #expect(read(m, APICRegister.currentCount) == 375)
    }

    @Test func tscDeadlineMode() throws {
        let m = try machine()
        let a = m.apics[0]
        try m.cpu.writeMSR(LocalAPIC.tscDeadlineMSR, 5000)  // ignored outside TSC-deadline mode
        #expect(rdmsr(m, LocalAPIC.tscDeadlineMSR) == 0)
        write(m, APICRegister.lvtTimer, 0x4_0042)
        try m.cpu.writeMSR(LocalAPIC.tscDeadlineMSR, 5000)
        #expect(rdmsr(m, LocalAPIC.tscDeadlineMSR) == 5000 && m.clock.deadline(of: .apicTimer(0)) == 5000)
        write(m, APICRegister.initialCount, 10)            // ignored in TSC-deadline mode
        #expect(read(m, APICRegister.initialCount) == 0)
        m.cpu.cycles = 5000
        m.clock.fireDue()
        #expect(a.irr.contains(0x42) && rdmsr(m, LocalAPIC.tscDeadlineMSR) == 0)
        // A deadline in the past fires at once; the deadline is in TSC units (TSC = cycles + offset).
        try m.cpu.writeMSR(MSR.tsc, 1_000_000)
        try m.cpu.writeMSR(LocalAPIC.tscDeadlineMSR, 1_000_100)
        #expect(m.clock.deadline(of: .apicTimer(0)) == 5100)
        try m.cpu.writeMSR(LocalAPIC.tscDeadlineMSR, 10)
        #expect(m.clock.deadline(of: .apicTimer(0)) == 5000)
    }

    @Test func x2APICMSRRules() throws {
        let m = try machine()
        #expect(wrmsrFaults(m, 0x808, 0) && rdmsr(m, 0x802) == nil)               // xAPIC mode: #GP
        #expect(wrmsrFaults(m, MSR.apicBase, 0xFEE0_0000 | 1 << 10))               // EN = 0, EXTD = 1
        try m.cpu.writeMSR(MSR.apicBase, 0xFEE0_0000 | 1 << 11 | 1 << 10 | 1 << 8)
        #expect(rdmsr(m, 0x802) == 0 && rdmsr(m, 0x803) == UInt64(LocalAPIC.versionValue))
        #expect(rdmsr(m, 0x80D) == 1)                      // logical ID: cluster 0, bit 0 (11.12.10.2)
        #expect(rdmsr(m, 0x80B) == nil && rdmsr(m, 0x83F) == nil)   // EOI, SELF IPI: write-only
        #expect(rdmsr(m, 0x809) == nil && rdmsr(m, 0x80E) == nil && rdmsr(m, 0x831) == nil)  // APR, DFR, ICR2
        #expect(wrmsrFaults(m, 0x802, 5) && wrmsrFaults(m, 0x80D, 1) && wrmsrFaults(m, 0x80A, 0))
        #expect(wrmsrFaults(m, 0x80B, 1) && wrmsrFaults(m, 0x828, 1) && wrmsrFaults(m, 0x83F, 0x140))
        #expect(wrmsrFaults(m, 0x808, 1 << 32))
        try m.cpu.writeMSR(0x808, 0x20)
        #expect(rdmsr(m, 0x808) == 0x20 && m.cpu.cr8 == 2)
        try m.cpu.writeMSR(0x83F, 0x50)                    // SELF IPI
        #expect(m.apics[0].irr.contains(0x50))
        #expect(m.memory.read(0xFEE0_0030, size: 4) == 0xFFFF_FFFF)   // no xAPIC page in x2APIC mode
        // x2APIC -> xAPIC is invalid; x2APIC -> disabled -> xAPIC is the way back (11.12.5).
        #expect(wrmsrFaults(m, MSR.apicBase, 0xFEE0_0000 | 1 << 11 | 1 << 8))
        try m.cpu.writeMSR(MSR.apicBase, 0xFEE0_0000 | 1 << 8)
        #expect(wrmsrFaults(m, MSR.apicBase, 0xFEE0_0000 | 1 << 11 | 1 << 10 | 1 << 8))  // disabled -> x2APIC
        try m.cpu.writeMSR(MSR.apicBase, 0xFEE0_0000 | 1 << 11 | 1 << 8)
        // The disable reset the registers: SVR FFh, LVT masked, IRR empty.
        #expect(read(m, APICRegister.svr) == 0xFF && read(m, APICRegister.lvtLINT0) == 0x1_0000)
        #expect(m.apics[0].irr.isEmpty)
    }

    @Test func thePageMovesWithIA32APICBase() throws {
        let m = try machine()
        try m.cpu.writeMSR(MSR.apicBase, 0xFEB0_0900)
        #expect(m.memory.read(0xFEB0_0030, size: 4) == UInt64(LocalAPIC.versionValue))
        #expect(m.memory.read(0xFEE0_0030, size: 4) == 0xFFFF_FFFF)
        try m.cpu.writeMSR(MSR.apicBase, 0xFEB0_0100)                 // globally disabled
        #expect(m.memory.read(0xFEB0_0030, size: 4) == 0xFFFF_FFFF)
        #expect(m.apics[0].acceptsExtINT)                              // LINT0 is INTR itself (11.4.3)
    }

    @Test func interprocessorInterrupts() throws {
        let m = try machine(cpus: 3)
        #expect(m.apics[1].waitingForSIPI && m.apics[2].waitingForSIPI && !m.apics[0].waitingForSIPI)
        #expect(rdmsr(m, MSR.apicBase) == 0xFEE0_0900 && m.apics[1].baseMSR == 0xFEE0_0800)
        // INIT, then SIPI with vector 12h to APIC 1: CS 1200h, base 12000h, IP 0 (9.4.3).
        write(m, APICRegister.icrHigh, 1 << 24)
        write(m, APICRegister.icrLow, 0x4500)
        write(m, APICRegister.icrLow, 0x0612)
        m.apics[1].takeStartup()
        let cs = m.cpus[1].segment(.cs)
        #expect(!m.apics[1].waitingForSIPI && cs.selector == 0x1200 && cs.base == 0x1_2000 && m.cpus[1].rip == 0)
        #expect(m.cpus[1].codeMode == .real && m.apics[2].waitingForSIPI)
        // A fixed IPI to APIC 1; the APs' APICs are software-disabled after INIT, so enable it.
        m.apics[1].svr = 0x1FF
        write(m, APICRegister.icrLow, 0x0060)
        #expect(m.apics[1].irr.contains(0x60) && m.apics[0].irr.isEmpty)
        // Logical flat model: LDR bit 1 on APIC 1; destination 02h reaches it only.
        m.apics[1].ldr = 0x0200_0000
        write(m, APICRegister.icrHigh, 0x02 << 24)
        write(m, APICRegister.icrLow, 0x0861)
        #expect(m.apics[1].irr.contains(0x61))
        // Shorthand "all including self" (10b), and an illegal vector (send error, 11.5.3).
        m.apics[2].svr = 0x1FF
        m.apics[2].waitingForSIPI = false
        write(m, APICRegister.icrLow, 0x8_0062)
        #expect(m.apics[0].irr.contains(0x62) && m.apics[1].irr.contains(0x62) && m.apics[2].irr.contains(0x62))
        write(m, APICRegister.icrLow, 0x4_0005)
        write(m, APICRegister.esr, 0)
        #expect(read(m, APICRegister.esr) == APICError.sendIllegalVector)
    }

    @Test func initOfTheBSPRestartsItAtTheResetVector() throws {
        let m = try machine(cpus: 2)
        m.apics[1].svr = 0x1FF
        m.cpus[1].vmx.inVMXOperation = true                // blocked in VMX operation (24.8)
        write(m, APICRegister.icrLow, 0x8_4500)            // INIT to all including self
        #expect(m.apics[1].svr == 0x1FF && !m.apics[0].waitingForSIPI)
        let cs = m.cpu.segment(.cs)
        #expect(cs.selector == 0xF000 && cs.base == 0xFFFF_0000 && m.cpu.rip == 0xFFF0)   // table 9-1
        #expect(read(m, APICRegister.svr) == 0xFF && rdmsr(m, MSR.apicBase) == 0xFEE0_0900)
    }
}
