#if canImport(Glibc)
import Glibc
#endif

/// Reads a kernel image from the host file system.
public enum ImageFile {
    /// The whole file; errors carry the host's reason ("No such file or directory").
    public static func read(path: String) throws(BootError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: hostError()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(path: path, reason: hostError()) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .cannotRead(path: path, reason: "not a regular file") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { b -> Int in
                guard let p = b.baseAddress else { return 0 }
                return Glibc.read(fd, p + done, b.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .cannotRead(path: path, reason: n == 0 ? "file shrank while reading" : hostError()) }
            done += n
        }
        return bytes
    }

    static func hostError() -> String { String(cString: strerror(errno)) }
}
