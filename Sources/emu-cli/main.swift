#if canImport(Glibc)
import Glibc
#endif
import Emu

/// `swemu`: boots a kernel on the emulated PC. Thin by design (DESIGN.md): flags become a
/// MachineConfig, the Machine.Exit becomes the process status.
signal(SIGPIPE, SIG_IGN)
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "boot":
    exit(BootCommand.run(Array(arguments.dropFirst())))
case "--help", "-h", "help":
    StandardStreams.out(Help.main)
    exit(0)
case nil:
    StandardStreams.error(Help.main)
    exit(MachineExit.usageStatus)
case let command?:
    StandardStreams.error("swemu: unknown command '\(command)' (try 'swemu --help')")
    exit(MachineExit.usageStatus)
}
