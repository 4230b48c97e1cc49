import Emu
import EmuCheck
import Testing

/// Random byte streams from random CPU state (modes, CPL, paging with garbage tables, x87/SSE
/// registers and controls) must end in an architectural result; reaching the end of the test
/// means no Swift trap was hit.
/// The full million-stream run is `swemu-dev fuzz 1000000` (see README).
@Suite struct RandomStreamTests {
    @Test func randomStreamsNeverTrap() {
        var streams = RandomStreams(seed: 0x5EED)
        let summary = streams.run(count: 20_000)
        #expect(summary.streams == 20_000)
        // Both outcomes occur: instructions retire and faults are raised as values.
        #expect(summary.instructionsRetired > 0)
        #expect(summary.faults[6] > 0)        // #UD
        #expect(summary.faults[13] > 0)       // #GP
        // Random x87/SSE state: the floating-point faults are reached too.
        #expect(summary.faults[7] > 0)        // #NM
        #expect(summary.faults[16] > 0)       // #MF
        #expect(summary.faults[19] > 0)       // #XM
    }
}
