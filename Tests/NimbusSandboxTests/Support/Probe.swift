import CNimbusSandbox
import Glibc
import NimbusSandbox
import Testing

/// Raw syscalls for tests, made through the C shim so no libc wrapper (or a missing Swift import) gets in the way.
enum Probe {
    /// Calls syscall `name` with up to six arguments; returns the kernel's result or -errno.
    @discardableResult
    static func syscall(_ name: String, _ arguments: Int...) -> Int {
        guard let number = SyscallTable.number(of: name), number >= 0 else {
            fatalError("no syscall \(name) on this architecture")
        }
        var padded = arguments.map { $0 }
        while padded.count < 6 { padded.append(0) }
        return nm_raw_syscall(Int(number), padded[0], padded[1], padded[2], padded[3], padded[4], padded[5])
    }

    /// ptrace(PTRACE_TRACEME): harmless when allowed, so a test only learns something if the filter kills it.
    static func ptraceTraceMe() -> Int { syscall("ptrace", 0) }

    /// execve("/bin/true"): if the filter let it through, the process would become /bin/true and exit 0.
    static func execTrue() -> Int {
        "/bin/true".withCString { path in
            var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
            defer { free(argv[0]) }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                syscall("execve", Int(bitPattern: path), Int(bitPattern: argvBuffer.baseAddress), 0)
            }
        }
    }

    /// Writes a line to stderr with write(2) (no stdio buffering, nothing to flush before an exit).
    static func say(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    /// Ends a child process after printing why, so the parent's exit test shows the reason.
    static func fail(_ text: String, file: String = #fileID, line: Int = #line) -> Never {
        say("FAIL: " + text)
        Issue.record(Comment(rawValue: "\(text) (\(file):\(line))"))
        exit(1)
    }
}
