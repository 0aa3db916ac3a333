import Glibc

/// Runs a body in a forked, single-threaded copy of the calling process and fails the test if it reports a problem.
///
/// `Sandbox.dropPrivileges` refuses to run once threads exist (capabilities are per thread), and an exit-test
/// child already runs the test library's threads; fork() copies only the calling thread, which gives the body
/// the single-threaded process a role has at the top of its main. The other threads are idle while the test
/// body runs, so no lock the child needs is held at the moment of the fork.
enum SingleThreaded {
    /// `body` returns nil on success or a description of what went wrong, which is passed back through a pipe.
    static func run(file: String = #fileID, line: Int = #line, _ body: () -> String?) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { Probe.fail("pipe: \(String(cString: strerror(errno)))") }
        let child = fork()
        if child == 0 {
            close(ends[0])
            guard let problem = body() else { _exit(0) }
            var text = problem
            text.withUTF8 { bytes in _ = write(ends[1], bytes.baseAddress, bytes.count) }
            _exit(1)
        }
        close(ends[1])
        guard child > 0 else { Probe.fail("fork: \(String(cString: strerror(errno)))") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = read(ends[0], &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        close(ends[0])
        var status: Int32 = 0
        guard waitpid(child, &status, 0) == child else { Probe.fail("waitpid: \(String(cString: strerror(errno)))") }
        if status != 0 {
            let message = bytes.isEmpty ? "single-threaded child ended with status \(status)"
                : String(decoding: bytes, as: UTF8.self)
            Probe.fail(message, file: file, line: line)
        }
    }
}
