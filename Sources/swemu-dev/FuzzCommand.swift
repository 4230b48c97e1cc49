import Emu
import EmuCheck

/// `swemu-dev fuzz [COUNT] [SEED]`: executes COUNT random instruction streams (see
/// `RandomStreams`) and prints how they ended. Reaching the summary means nothing trapped.
enum FuzzCommand {
    static func run(_ arguments: [String]) -> Int32 {
        let count = arguments.first.flatMap { Int($0) } ?? 1_000_000
        let seed = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 1
        var streams = RandomStreams(seed: seed)
        var total = RandomStreams.Summary()
        for vendor in [Vendor.intel, Vendor.amd] {
            let s = streams.run(count: count / 2, vendor: vendor)
            total.streams += s.streams
            total.instructionsRetired += s.instructionsRetired
            for v in 0..<32 { total.faults[v] += s.faults[v] }
        }
        print("\(total.streams) streams, \(total.instructionsRetired) instructions retired")
        for v in 0..<32 where total.faults[v] > 0 {
            print("  \(Fault(vector: UInt8(v)).mnemonic): \(total.faults[v])")
        }
        return 0
    }
}
