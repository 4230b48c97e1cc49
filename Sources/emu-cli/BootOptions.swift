import Emu

/// The flags of `swemu boot`, parsed by hand (no third-party packages). Options may come before
/// or after IMAGE, as `--name value` or `--name=value`; `--` ends the options.
struct BootOptions {
    var imagePath: String
    var config: MachineConfig

    enum Parsed {
        case options(BootOptions)
        case help
        /// One line for stderr.
        case failure(String)
    }

    static func parse(_ arguments: [String]) -> Parsed {
        var config = MachineConfig()
        var image: String?
        var i = 0
        var onlyPositional = false

        func positional(_ a: String) -> String? {
            if image != nil { return "unexpected argument '\(a)' (one IMAGE only)" }
            image = a
            return nil
        }

        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositional || !arg.hasPrefix("-") || arg == "-" {
                if let e = positional(arg) { return .failure(e) }
                continue
            }
            if arg == "--" { onlyPositional = true; continue }
            var name = arg
            var inlineValue: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            } else if arg.hasPrefix("-m"), arg.count > 2, !arg.hasPrefix("--") {
                name = "-m"
                inlineValue = String(arg.dropFirst(2))
            }
            let takesValue = ["--cpu", "-m", "--cmdline", "--serial", "--max-cycles", "--rtc", "--smp", "--module"].contains(name)
            var value = ""
            if takesValue {
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i < arguments.count else { return .failure("option \(name) needs a value") }
                    value = arguments[i]
                    i += 1
                }
            } else if inlineValue != nil {
                return .failure("option \(name) takes no value")
            }
            switch name {
            case "-h", "--help":
                return .help
            case "--verbose", "-v":
                config.verbose = true
            case "--cpu":
                switch value {
                case "intel": config.vendor = .intel
                case "amd": config.vendor = .amd
                default: return .failure("unknown CPU model '\(value)' for --cpu (intel or amd)")
                }
            case "-m":
                switch MachineConfig.parseMemorySize(value) {
                case .success(let n): config.memorySize = n
                case .failure(let e): return .failure(e.description)
                }
            case "--cmdline":
                config.commandLine = value
            case "--serial":
                switch value {
                case "stdio": config.serial = .stdio
                case "none": config.serial = .none
                default:
                    guard value.hasPrefix("file:"), value.count > 5 else {
                        return .failure("bad --serial '\(value)' (stdio, none or file:PATH)")
                    }
                    config.serial = .file(String(value.dropFirst(5)))
                }
            case "--max-cycles":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(value) else {
                    return .failure("bad --max-cycles '\(value)' (a decimal number of cycles)")
                }
                config.maxCycles = n
            case "--module":
                let m = ModuleFile(argument: value)
                guard !m.path.isEmpty else { return .failure("bad --module '\(value)' (FILE or FILE,ARGS)") }
                config.modules.append(m)
            case "--vga":
                config.vgaText = true
            case "--smp":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(value),
                      n >= 1, n <= MachineConfig.maximumCPUCount else {
                    return .failure("bad --smp '\(value)' (1 to \(MachineConfig.maximumCPUCount) processors)")
                }
                config.cpuCount = n
            case "--rtc":
                guard let t = CMOSRTC.parseTime(value) else {
                    return .failure("bad --rtc '\(value)' (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC, from 1970)")
                }
                config.rtcTime = t
            default:
                return .failure("unknown option '\(arg)' (see 'swemu boot --help')")
            }
        }
        guard let image else { return .failure("missing IMAGE (usage: swemu boot IMAGE [options])") }
        return .options(BootOptions(imagePath: image, config: config))
    }
}
