import CNimbusSandbox
import Glibc

/// What a role does after `Sandbox.restrict`, reduced to the syscalls that matter: memory, threads, files and
/// its kind of socket. Runs inside an exit-test child; any failure ends the child with a message on stderr.
enum Workload {
    /// Allocation, threads, a temporary file: what every role does.
    static func common() {
        allocate()
        runThreads()
        useTemporaryFile()
    }

    /// Large and small allocations (mmap and brk), touched so the pages really exist.
    static func allocate() {
        var big = [UInt8](repeating: 1, count: 8 << 20)
        big[big.count - 1] = 2
        var small: [[Int]] = []
        for index in 0..<1000 { small.append([index, index * 2]) }
        guard big.reduce(0, { $0 &+ Int($1) }) > 0, small.count == 1000 else { Probe.fail("allocation") }
    }

    /// Four threads that each spin a little and are joined.
    static func runThreads() {
        var threads: [pthread_t] = []
        for _ in 0..<4 {
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { _ in
                var sum = 0
                for value in 0..<100_000 { sum &+= value }
                sched_yield()
                return UnsafeMutableRawPointer(bitPattern: sum == 0 ? 0 : 1)
            }, nil)
            guard created == 0 else { Probe.fail("pthread_create: \(String(cString: strerror(created)))") }
            threads.append(thread)
        }
        for thread in threads {
            guard pthread_join(thread, nil) == 0 else { Probe.fail("pthread_join") }
        }
    }

    /// Create, write, fsync, read back and remove a file under /tmp (or `directory`).
    static func useTemporaryFile(in directory: String = "/tmp") {
        var template = Array("\(directory)/nimbus-sandbox-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { Probe.fail("mkstemp in \(directory): \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let message = Array("key material\n".utf8)
        guard write(fd, message, message.count) == message.count else { Probe.fail("write") }
        guard fsync(fd) == 0 else { Probe.fail("fsync: \(String(cString: strerror(errno)))") }
        guard lseek(fd, 0, SEEK_SET) == 0 else { Probe.fail("lseek") }
        var back = [UInt8](repeating: 0, count: message.count)
        guard read(fd, &back, back.count) == message.count, back == message else { Probe.fail("read back") }
        close(fd)
    }

    /// The signer's IPC: a request and a reply over an AF_UNIX socket pair.
    static func exchangeOverSocketPair() {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else {
            Probe.fail("socketpair: \(String(cString: strerror(errno)))")
        }
        roundTrip(from: ends[0], to: ends[1])
        shutdown(ends[0], Int32(SHUT_RDWR))
        close(ends[0])
        close(ends[1])
    }

    /// The network role: listen on 127.0.0.1, connect to it, accept, exchange bytes.
    static func exchangeOverLoopback() {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { Probe.fail("socket(AF_INET): \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { Probe.fail("bind/listen: \(String(cString: strerror(errno)))") }
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) == 0 }
        }
        guard client >= 0, connected else { Probe.fail("connect: \(String(cString: strerror(errno)))") }
        let server = accept(listener, nil, nil)
        guard server >= 0 else { Probe.fail("accept: \(String(cString: strerror(errno)))") }
        roundTrip(from: client, to: server)
        close(server)
        close(client)
        close(listener)
    }

    /// Runs /bin/true through posix_spawn and waits for it (installer and supervisor start programs).
    static func spawnTrue() {
        var child: pid_t = 0
        let spawned = "/bin/true".withCString { path in
            var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
            defer { free(argv[0]) }
            return posix_spawn(&child, path, nil, nil, &argv, environ)
        }
        guard spawned == 0 else { Probe.fail("posix_spawn: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        guard waitpid(child, &status, 0) == child, status == 0 else { Probe.fail("/bin/true status \(status)") }
    }

    /// The supervisor's job: start a child, switch its identity (as root), signal it and reap it with wait4.
    static func superviseChild() {
        let child = fork()
        if child == 0 {
            if geteuid() == 0 && nm_switch_identity(65534, 65534) != 0 { _exit(3) }
            while true { pause() }
        }
        guard child > 0 else { Probe.fail("fork: \(String(cString: strerror(errno)))") }
        // SIGKILL: the child inherited this thread's signal mask, and test-library threads block SIGTERM.
        guard kill(child, SIGKILL) == 0 else { Probe.fail("kill: \(String(cString: strerror(errno)))") }
        var status: Int32 = 0
        guard wait4(child, &status, 0, nil) == child else { Probe.fail("wait4: \(String(cString: strerror(errno)))") }
        guard status & 0x7f == SIGKILL else { Probe.fail("child ended with status \(status), not by SIGKILL") }
    }

    private static func roundTrip(from sender: Int32, to receiver: Int32) {
        let request = Array("sign this".utf8)
        guard send(sender, request, request.count, 0) == request.count else {
            Probe.fail("send: \(String(cString: strerror(errno)))")
        }
        var received = [UInt8](repeating: 0, count: request.count)
        guard recv(receiver, &received, received.count, Int32(MSG_WAITALL)) == request.count, received == request
        else {
            Probe.fail("recv: \(String(cString: strerror(errno)))")
        }
    }
}
