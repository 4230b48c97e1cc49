#if canImport(Glibc)
import Glibc
#endif
import Emu

/// `swemu-dev decode --bits 16|32|64 [--vendor intel|amd]`: reads lines whose first token is a
/// hex byte stream and prints, per line, the decoded length, `ud` (#UD) or `gp` (#GP, over 15
/// bytes). tools/decoder-oracle compares this with an independent decoder.
enum DecodeCommand {
    static func run(_ arguments: [String]) -> Int32 {
        var mode = CodeMode.long64
        var vendor = Vendor.intel
        var i = 0
        while i < arguments.count {
            switch (arguments[i], i + 1 < arguments.count ? arguments[i + 1] : "") {
            case ("--bits", "16"): mode = .protected16
            case ("--bits", "32"): mode = .protected32
            case ("--bits", "64"): mode = .long64
            case ("--vendor", "intel"): vendor = .intel
            case ("--vendor", "amd"): vendor = .amd
            default: return usage()
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
        return 0
    }

    static func usage() -> Int32 {
        FileHandleOutput.error("usage: swemu-dev decode --bits 16|32|64 [--vendor intel|amd] < streams")
        return 2
    }
}
