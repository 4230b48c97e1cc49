@testable import Emu
import Testing

/// The 8259A pair against the datasheet: initialization, priorities, EOI forms, rotation,
/// auto-EOI, cascade, level mode (ELCR), spurious requests, poll and special mask modes.
@Suite struct PIC8259Tests {
    func pair() -> (PICPair, Attention) {
        let a = Attention()
        let p = PICPair(attention: a)
        // ICW1-4: edge, cascade, ICW4; vectors 0x20/0x28; slave on IR2; 8086 mode.
        for (port, v) in [(0x20, 0x11), (0xA0, 0x11), (0x21, 0x20), (0xA1, 0x28), (0x21, 0x04), (0xA1, 0x02),
                          (0x21, 0x01), (0xA1, 0x01)] as [(UInt16, UInt8)] {
            p.portWrite(port, size: 1, value: UInt32(v))
        }
        return (p, a)
    }

    func out(_ p: PICPair, _ port: UInt16, _ v: UInt8) { p.portWrite(port, size: 1, value: UInt32(v)) }
    func inb(_ p: PICPair, _ port: UInt16) -> UInt8 { UInt8(p.portRead(port, size: 1)) }

    @Test func initializationClearsTheMaskAndSetsTheVectorBase() {
        let (p, a) = pair()
        #expect(inb(p, 0x21) == 0 && inb(p, 0xA1) == 0)
        #expect(!p.interruptRequested && a.pending == 0)
        p.setIRQ(3, true)
        #expect(p.interruptRequested && a.pending & Attention.interrupt != 0)
        #expect(p.acknowledge() == 0x23)
        #expect(p.master.isr == 0x08 && p.master.irr == 0)
    }

    @Test func higherPriorityFirstAndInServiceBlocksLower() {
        let (p, _) = pair()
        p.setIRQ(5, true)
        p.setIRQ(1, true)
        #expect(p.acknowledge() == 0x21)
        #expect(!p.interruptRequested)          // IR5 is lower than IR1 in service
        p.setIRQ(0, true)
        #expect(p.acknowledge() == 0x20)        // IR0 nests inside IR1
        out(p, 0x20, 0x20)                      // non-specific EOI clears the highest (IR0)
        #expect(p.master.isr == 0x02)
        out(p, 0x20, 0x61)                      // specific EOI for IR1
        #expect(p.master.isr == 0)
        #expect(p.acknowledge() == 0x25)
    }

    @Test func maskedRequestsStayInIRR() {
        let (p, _) = pair()
        out(p, 0x21, 0x01)
        p.setIRQ(0, true)
        #expect(!p.interruptRequested)
        out(p, 0x20, 0x0A)
        #expect(inb(p, 0x20) == 0x01)           // IRR
        out(p, 0x21, 0x00)
        #expect(p.interruptRequested)
    }

    @Test func edgeRequestsNeedANewRisingEdge() {
        let (p, _) = pair()
        p.setIRQ(4, true)
        #expect(p.acknowledge() == 0x24)
        out(p, 0x20, 0x20)
        p.setIRQ(4, true)                       // still high: no new edge
        #expect(!p.interruptRequested)
        p.setIRQ(4, false)
        p.setIRQ(4, true)
        #expect(p.interruptRequested)
    }

    @Test func levelModeThroughELCRFollowsTheLine() {
        let (p, _) = pair()
        p.portWrite(0x4D1, size: 1, value: 0xFF)
        #expect(p.portRead(0x4D1, size: 1) == 0xDE)   // IRQ8 and IRQ13 are always edge
        p.portWrite(0x4D0, size: 1, value: 0xFF)
        #expect(p.portRead(0x4D0, size: 1) == 0xF8)   // IRQ0-2 are always edge
        p.setIRQ(11, true)
        #expect(p.acknowledge() == 0x2B)
        out(p, 0xA0, 0x20); out(p, 0x20, 0x20)
        #expect(p.interruptRequested)           // still high: requests again
        p.setIRQ(11, false)
        #expect(p.slave.irr == 0)               // a level request follows the line...
        // ...but the master latched the slave's INT edge on IR2: the INTA finds no slave
        // request and the slave answers with its spurious vector (IR7), ISR untouched.
        #expect(p.acknowledge() == 0x2F)
        #expect(p.slave.isr == 0 && p.master.isr == 0x04)
    }

    @Test func cascadeThroughIR2() {
        let (p, _) = pair()
        p.setIRQ(9, true)
        #expect(p.interruptRequested)
        #expect(p.acknowledge() == 0x29)
        #expect(p.master.isr == 0x04 && p.slave.isr == 0x02)
        out(p, 0xA0, 0x20)
        out(p, 0x20, 0x20)
        #expect(p.master.isr == 0 && p.slave.isr == 0)
    }

    @Test func spuriousRequestsGiveIR7WithoutSettingISR() {
        let (p, _) = pair()
        p.portWrite(0x4D0, size: 1, value: 0x08)  // IR3 level-triggered
        p.setIRQ(3, true)
        #expect(p.interruptRequested)
        p.setIRQ(3, false)                        // the request goes away before INTA
        #expect(p.acknowledge() == 0x27)
        #expect(p.master.isr == 0)
    }

    @Test func autoEOILeavesISRClear() {
        let (p, _) = pair()
        for (port, v) in [(0x20, 0x11), (0x21, 0x20), (0x21, 0x04), (0x21, 0x03)] as [(UInt16, UInt8)] { out(p, port, v) }
        p.setIRQ(6, true)
        #expect(p.acknowledge() == 0x26)
        #expect(p.master.isr == 0)
    }

    @Test func rotationMakesTheServedLevelLowest() {
        let (p, _) = pair()
        p.setIRQ(1, true)
        #expect(p.acknowledge() == 0x21)
        out(p, 0x20, 0xA0)                      // rotate on non-specific EOI
        #expect(p.master.lowestPriority == 1)
        p.setIRQ(0, true); p.setIRQ(3, true)
        #expect(p.acknowledge() == 0x23)        // IR2 is now highest, then IR3 ... IR0 last but one
        out(p, 0x20, 0xC6)                      // set priority: IR6 lowest
        #expect(p.master.lowestPriority == 6)
    }

    @Test func pollModeReadsTheLevelAndAcknowledges() {
        let (p, _) = pair()
        p.setIRQ(5, true)
        out(p, 0x20, 0x0C)                      // OCW3 poll
        #expect(inb(p, 0x20) == 0x85)
        #expect(p.master.isr == 0x20)
        out(p, 0x20, 0x0C)
        #expect(inb(p, 0x20) == 0x00)           // nothing more pending
    }

    @Test func specialMaskModeLetsLowerLevelsIn() {
        let (p, _) = pair()
        p.setIRQ(1, true)
        #expect(p.acknowledge() == 0x21)
        out(p, 0x21, 0x02)                      // mask IR1 (in service)
        out(p, 0x20, 0x68)                      // OCW3: set special mask
        p.setIRQ(4, true)
        #expect(p.acknowledge() == 0x24)
    }
}
