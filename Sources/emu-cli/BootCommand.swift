import Emu

/// `swemu boot IMAGE [options]`.
enum BootCommand {
    /// Runs the command and returns the process exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let options: BootOptions
        switch BootOptions.parse(arguments) {
        case .help:
            StandardStreams.out(Help.boot)
            return 0
        case .failure(let message):
            StandardStreams.error("swemu: \(message)")
            return MachineExit.usageStatus
        case .options(let o):
            options = o
        }
        let machine: Machine
        let image: BootImage
        do {
            machine = try Machine(config: options.config)
            image = try machine.load(path: options.imagePath)
        } catch {
            StandardStreams.error("swemu: \(error)")
            return MachineExit.usageStatus
        }
        if options.config.verbose {
            let config = options.config
            StandardStreams.error("swemu: loaded \(options.imagePath): \(image.format), entry 0x\(String(image.entry, radix: 16)), "
                + "boot information at 0x\(String(image.infoAddress, radix: 16)); RAM \(config.memorySize >> 20) MiB, "
                + "cpu \(config.vendor == .intel ? "intel" : "amd")")
        }
        let exit = machine.run()
        if options.config.vgaText {
            let screen = VGATextScreen.text(machine.memory)
            if !screen.isEmpty { StandardStreams.out(screen) }
        }
        if let report = exit.report { StandardStreams.error("swemu: \(report)") }
        if options.config.verbose {
            StandardStreams.error("swemu: exit: \(exit.summary), status \(exit.status & 0xFF); "
                + "cycles \(machine.cpu.cycles), instructions \(machine.cpu.instructionsRetired)")
        }
        return exit.status
    }
}
