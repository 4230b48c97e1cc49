#if canImport(Glibc)
import Glibc
#endif

/// Developer tools that expose internals of the Emu library to the scripts in tools/.
let arguments = Array(CommandLine.arguments.dropFirst())
let rest = Array(arguments.dropFirst())
switch arguments.first {
case "decode": exit(DecodeCommand.run(rest))
case "vectors": exit(VectorsCommand.run(rest))
case "bench": exit(BenchCommand.run(rest))
case "fuzz": exit(FuzzCommand.run(rest))
case "fuzz-machine": exit(MachineFuzzCommand.run(rest))
default:
    FileHandleOutput.error("usage: swemu-dev decode|vectors|bench|fuzz|fuzz-machine ...")
    exit(2)
}
