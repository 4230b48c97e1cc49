#if canImport(Glibc)
import Glibc
#endif

/// Writes diagnostics to standard error.
enum FileHandleOutput {
    static func error(_ message: String) {
        var m = message + "\n"
        m.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
