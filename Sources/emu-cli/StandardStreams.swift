#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered text output to the host's stdout and stderr (one write per message).
enum StandardStreams {
    static func out(_ text: String) { put(text, fd: 1) }
    static func error(_ text: String) { put(text, fd: 2) }

    private static func put(_ text: String, fd: Int32) {
        var m = text.hasSuffix("\n") ? text : text + "\n"
        m.withUTF8 { b in
            var done = 0
            while done < b.count, let p = b.baseAddress {
                let n = write(fd, p + done, b.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                done += n
            }
        }
    }
}
