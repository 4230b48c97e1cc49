import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Emu
import EmuCheck

/// `swemu-dev vectors [--vendor intel|amd] [--form SUBSTRING] FILE...`: replays host vectors
/// (tools/vectorgen) and prints per form the vectors that disagree; exit status 1 if any.
enum VectorsCommand {
    static func run(_ arguments: [String]) -> Int32 {
        var vendor = Vendor.amd
        var filter = ""
        var files: [String] = []
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--vendor":
                vendor = i + 1 < arguments.count && arguments[i + 1] == "intel" ? .intel : .amd
                i += 1
            case "--form":
                filter = i + 1 < arguments.count ? arguments[i + 1] : ""
                i += 1
            default: files.append(arguments[i])
            }
            i += 1
        }
        guard !files.isEmpty else {
            FileHandleOutput.error("usage: swemu-dev vectors [--vendor intel|amd] [--form SUBSTRING] FILE...")
            return 2
        }
        let runner = HostVectorRunner(vendor: vendor)
        var totalForms = 0, totalVectors = 0, failedForms = 0, failedVectors = 0
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                FileHandleOutput.error("swemu-dev: cannot read \(file)")
                return 2
            }
            let forms: [HostVectorForm]
            do { forms = try HostVectorFile.parse(text) } catch {
                FileHandleOutput.error("swemu-dev: \(file): \(error)")
                return 2
            }
            for form in forms where filter.isEmpty || form.name.contains(filter) {
                totalForms += 1
                totalVectors += form.vectors.count
                let bad = runner.run(form)
                if !bad.isEmpty {
                    failedForms += 1
                    failedVectors += bad.count
                    print("FAIL \(form.name): \(bad.count)/\(form.vectors.count) vectors")
                    for m in bad.prefix(3) { print("  \(m)") }
                }
            }
        }
        print("\(totalForms) forms, \(totalVectors) vectors: \(failedForms) forms and \(failedVectors) vectors failed")
        return failedVectors == 0 ? 0 : 1
    }
}
