import Testing
@testable import Emu

/// The I/O permission bit map of a 32-bit TSS in protected mode (SDM vol. 1, "I/O Permission
/// Bit Map"; vol. 3, the 32-bit TSS figure): with CPL > IOPL every port of the access needs a clear bit; the processor
/// reads two bytes of the map, so a map byte at or past the TSS limit denies the access.
///
/// TSS limit E8h, map base 68h: the map covers ports 0-3FFh and its last byte (E8h, port 400h on)
/// is the FFh terminator. Ports 80h and 3F8h-3FFh are allowed, every other port is denied.
private func bitmapMachine(iopl: UInt64 = 0) -> SystemMachine {
    let s = SystemMachine()
    s.setGDT(1, GDT.code32())
    s.setGDT(2, GDT.data32())
    s.setGDT(3, GDT.code32(dpl: 3))
    s.setGDT(4, GDT.data32(dpl: 3))
    s.loadTR(index: 6, limit: 0xE8)
    let tss = SystemMachine.tssBase
    s.write16(tss + 0x66, 0x68)
    for k: UInt64 in 0...0x80 { s.m.memory.write(tss + 0x68 + k, size: 1, value: 0xFF) }
    s.m.memory.write(tss + 0x68 + 0x10, size: 1, value: 0xFE)        // port 80h
    s.m.memory.write(tss + 0x68 + 0x7F, size: 1, value: 0x00)        // ports 3F8h-3FFh
    s.enterRing3(cs: 0x1B, ss: 0x23)
    s.cpu.controlFlags = s.cpu.controlFlags & ~0x3000 | iopl << 12
    return s
}

@Suite struct IOPermissionBitmapTests {
    private func fault(_ s: SystemMachine, _ bytes: [UInt8], dx: UInt64 = 0) -> Fault? {
        s.cpu.registers[2] = dx
        s.code(bytes)
        s.cpu.rip = 0x1000
        do throws(Fault) { try s.cpu.step() } catch { return error }
        return nil
    }

    @Test func eachPortOfTheAccessNeedsAClearBit() {
        let s = bitmapMachine()
        #expect(fault(s, [0xE4, 0x80]) == nil)                          // in al, 80h
        #expect(fault(s, [0xE4, 0x81]) == .generalProtection(0))
        #expect(fault(s, [0x66, 0xE5, 0x7F]) == .generalProtection(0))  // in ax, 7Fh: 7Fh denied
        #expect(fault(s, [0xED], dx: 0x3FC) == nil)                     // in eax, dx: 3FCh-3FFh
        #expect(fault(s, [0xEE], dx: 0x3F8) == nil)                     // out dx, al
        #expect(fault(s, [0x66, 0xED], dx: 0x3FF) == .generalProtection(0))  // 400h: terminator
        #expect(fault(s, [0xEC], dx: 0x400) == .generalProtection(0))   // second byte past the limit
        #expect(fault(s, [0xEC], dx: 0xFFFF) == .generalProtection(0))
    }

    @Test func iopl3AndCPL0SkipTheMap() {
        #expect(fault(bitmapMachine(iopl: 3), [0xE4, 0x81]) == nil)
        let s = bitmapMachine()
        s.cpu.segments[1] = SegmentCache(selector: 0x08, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC09B)
        s.cpu.segments[2] = SegmentCache(selector: 0x10, base: 0, limit: 0xFFFF_FFFF, attributes: 0xC093)
        s.cpu.cpl = 0
        s.cpu.updateCodeMode()
        #expect(fault(s, [0xE4, 0x81]) == nil)
    }

    @Test func mapBaseBeyondTheLimitDeniesEveryPort() {
        let s = bitmapMachine()
        s.write16(SystemMachine.tssBase + 0x66, 0xE9)
        #expect(fault(s, [0xE4, 0x80]) == .generalProtection(0))
        #expect(fault(s, [0xEC], dx: 0) == .generalProtection(0))
    }
}
