#if canImport(Glibc)
import Glibc
#endif

/// Where the bytes a guest receives on COM1 come from: the host seam for input (tests and
/// `--serial none` have none).
public protocol SerialSource: AnyObject {
    /// The bytes available now, without waiting.
    func poll() -> [UInt8]
}

/// A host file descriptor (stdin for `--serial stdio`). A regular file is read whole at once,
/// so a run fed from a file is as reproducible as one without input; a terminal or pipe is
/// polled without blocking whenever the run loop flushes output (every 2^20 cycles), so what
/// arrives when depends on the host.
public final class FileDescriptorSerialSource: SerialSource {
    let fd: Int32
    private var pending: [UInt8] = []
    private var isRegularFile = false
    private var finished = false

    public init(fd: Int32) {
        self.fd = fd
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG {
            isRegularFile = true
            pending = readAvailable()
        }
    }

    public func poll() -> [UInt8] {
        if isRegularFile {
            defer { pending = [] }
            return pending
        }
        guard !finished else { return [] }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&p, 1, 0) > 0 else { return [] }
        if p.revents & Int16(POLLIN) == 0 { finished = p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0; return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { b in read(fd, b.baseAddress, b.count) }
        if n <= 0 { finished = n == 0; return [] }
        return Array(buffer[0..<n])
    }

    /// Everything up to end of file (regular files only: this would block on a terminal).
    private func readAvailable() -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { b in read(fd, b.baseAddress, b.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return all }
            all += buffer[0..<n]
        }
    }
}
