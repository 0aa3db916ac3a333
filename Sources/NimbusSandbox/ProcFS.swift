import Glibc

/// Small readers for /proc and policy files, on plain file descriptors (no Foundation in the sandbox module).
enum ProcFS {
    /// The whole file as UTF-8 text.
    static func readText(_ path: String) throws(SandboxError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SandboxError(.procfs, "cannot open \(path): \(describeErrno(errno))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw SandboxError(.procfs, "cannot read \(path): \(describeErrno(errno))")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The target of a symbolic link, e.g. `net:[4026531840]` for /proc/<pid>/ns/net.
    static func readLink(_ path: String) throws(SandboxError) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count)
        guard count >= 0 else { throw SandboxError(.procfs, "cannot read link \(path): \(describeErrno(errno))") }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// `strerror` text plus the symbolic code, e.g. `Operation not permitted (errno 1)`.
func describeErrno(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
