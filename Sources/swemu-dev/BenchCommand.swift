import Emu
import EmuCheck
import Foundation

/// `swemu-dev bench [ITERATIONS]`: guest MIPS of the integer loop in `LoopBenchmark`
/// (host time is read here, in the tool, never by the emulator).
enum BenchCommand {
    static func run(_ arguments: [String]) -> Int32 {
        let iterations = arguments.first.flatMap { UInt32($0) } ?? 20_000_000
        let start = DispatchTime.now().uptimeNanoseconds
        let result = LoopBenchmark.run(iterations: iterations)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mips = Double(result.retired) / seconds / 1e6
        print("integer loop: \(result.retired) instructions in \(String(format: "%.3f", seconds)) s = \(String(format: "%.1f", mips)) MIPS (checksum \(String(result.rsi, radix: 16)))")
        return 0
    }
}
