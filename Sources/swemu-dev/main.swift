import Emu
#if canImport(Glibc)
import Glibc
#endif

/// Developer tools that expose internals of the Emu library to scripts (tools/).
/// `swemu-dev decode --bits 16|32|64 [--vendor intel|amd]`: reads lines whose first token is a hex
/// byte stream and prints, per line, the decoded length, `ud` (#UD) or `gp` (#GP, over 15 bytes).
func usage() -> Never {
    FileHandleOutput.error("usage: swemu-dev decode --bits 16|32|64 [--vendor intel|amd] < streams")
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "decode" else { usage() }
var mode = CodeMode.long64
var vendor = Vendor.intel
var i = 1
while i < arguments.count {
    switch (arguments[i], i + 1 < arguments.count ? arguments[i + 1] : "") {
    case ("--bits", "16"): mode = .protected16
    case ("--bits", "32"): mode = .protected32
    case ("--bits", "64"): mode = .long64
    case ("--vendor", "intel"): vendor = .intel
    case ("--vendor", "amd"): vendor = .amd
    default: usage()
    }
    i += 2
}
var out = ""
while let line = readLine() {
    let token = line.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
    var bytes: [UInt8] = []
    var it = token.makeIterator()
    while let h = it.next(), let l = it.next() {
        bytes.append(UInt8(String([h, l]), radix: 16) ?? 0)
    }
    let result: String = bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return "ud" }
        do throws(DecodeError) {
            let insn = try Decoder.decode(base, count: buffer.count, mode: mode, vendor: vendor)
            return String(insn.length)
        } catch {
            switch error {
            case .invalidOpcode: return "ud"
            case .tooLong: return "gp"
            case .truncated: return "truncated"
            }
        }
    }
    out += result
    out += "\n"
    if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
}
print(out, terminator: "")
