#if canImport(Glibc)
import Glibc
#endif

/// Where the bytes a guest transmits on a serial port go: the host seam that lets devices be
/// tested without a terminal (swift-system's advice in STYLE.md).
public protocol SerialSink: AnyObject {
    func put(_ byte: UInt8)
    /// Pushes buffered bytes out (called at newlines by the sinks themselves and at exit).
    func flush()
}

/// Discards everything (`--serial none`).
public final class NullSerialSink: SerialSink {
    public init() {}
    public func put(_ byte: UInt8) {}
    public func flush() {}
}

/// Collects the output in memory (tests).
public final class BufferSerialSink: SerialSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func put(_ byte: UInt8) { bytes.append(byte) }
    public func flush() {}
    /// The output as text (invalid UTF-8 repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Writes to a host file descriptor (stdout, or a file for `--serial file:PATH`). Bytes are
/// buffered and written at each newline, when the buffer fills, and on `flush`, so a guest's
/// output appears line by line and nothing is lost at exit.
public final class FileDescriptorSerialSink: SerialSink {
    let fd: Int32
    let closeOnDeinit: Bool
    private var buffer: [UInt8] = []

    public init(fd: Int32, closeOnDeinit: Bool = false) {
        self.fd = fd
        self.closeOnDeinit = closeOnDeinit
        buffer.reserveCapacity(4096)
    }

    /// Opens (creating or truncating) a file for writing.
    public convenience init(path: String) throws(MachineError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpenSerialFile(path: path, reason: String(cString: strerror(errno))) }
        self.init(fd: fd, closeOnDeinit: true)
    }

    deinit {
        flush()
        if closeOnDeinit { close(fd) }
    }

    public func put(_ byte: UInt8) {
        buffer.append(byte)
        if byte == 0x0A || buffer.count >= 4096 { flush() }
    }

    public func flush() {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { b -> Int in
                guard let p = b.baseAddress else { return 0 }
                return Glibc.write(fd, p + done, b.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }   // a closed pipe: drop the output, the guest runs on
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
