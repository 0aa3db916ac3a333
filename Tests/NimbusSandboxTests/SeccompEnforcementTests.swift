import CNimbusSandbox
import Glibc
import NimbusSandbox
import Testing

/// Each test loads a shipped policy in an exit-test child (a fresh copy of the test binary) and checks that the
/// child is killed by SIGSYS for a forbidden syscall, or survives its role's normal work.
@Suite("Seccomp policies in a child process")
struct SeccompEnforcementTests {
    @Test("signer: socket(AF_INET) is killed")
    func signerCannotOpenInetSocket() async {
        await #expect(processExitsWith: .signal(SIGSYS)) {
            try Child.restrict("signer")
            _ = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        }
    }

    @Test("signer: socket(AF_UNIX) is refused with EACCES (syslog fallback), connect is killed")
    func signerCannotConnect() async {
        await #expect(processExitsWith: .signal(SIGSYS)) {
            try Child.restrict("signer")
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd == -1, errno == EACCES else { Probe.fail("socket(AF_UNIX) gave \(fd), errno \(errno)") }
            _ = connect(0, nil, 0)
        }
    }

    @Test("network: execve is killed")
    func networkCannotExec() async {
        await #expect(processExitsWith: .signal(SIGSYS)) {
            try Child.restrict("network")
            _ = Probe.execTrue()
        }
    }

    @Test("network: mapping executable memory is killed")
    func networkCannotMapExecutable() async {
        await #expect(processExitsWith: .signal(SIGSYS)) {
            try Child.restrict("network")
            _ = mmap(nil, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        }
    }

    @Test("network: fork (clone without CLONE_THREAD) is killed")
    func networkCannotFork() async {
        await #expect(processExitsWith: .signal(SIGSYS)) {
            try Child.restrict("network")
            _ = Probe.syscall("clone", Int(SIGCHLD))
        }
    }

    @Test("ptrace(PTRACE_TRACEME) is killed", arguments: PolicyFiles.roles)
    func ptraceIsKilled(role: String) async {
        await #expect(processExitsWith: .signal(SIGSYS)) { [role] in
            try Child.restrict(role)
            _ = Probe.ptraceTraceMe()
        }
    }

    @Test("installer and supervisor: unshare(CLONE_NEWUSER) is killed", arguments: ["installer", "supervisor"])
    func newUserNamespaceIsKilled(role: String) async {
        await #expect(processExitsWith: .signal(SIGSYS)) { [role] in
            try Child.restrict(role)
            _ = Probe.syscall("unshare", 0x1000_0000)
        }
    }

    @Test("installer and supervisor: mount is killed", arguments: ["installer", "supervisor"])
    func mountIsKilled(role: String) async {
        await #expect(processExitsWith: .signal(SIGSYS)) { [role] in
            try Child.restrict(role)
            _ = Probe.syscall("mount", 0, 0, 0, 0, 0)
        }
    }

    #if arch(x86_64)
    @Test("installer: a syscall through the x32 ABI kills even under default allow")
    func foreignABIKills() async {
        await #expect(processExitsWith: .signal(SIGSYS)) {
            try Child.restrict("installer")
            // getpid with the x32 bit set: a deny-list must not be bypassable by switching ABI.
            _ = nm_raw_syscall(0x4000_0000 | 39, 0, 0, 0, 0, 0, 0)
        }
    }
    #endif

    @Test("network: allocation, threads, a file and loopback TCP survive")
    func networkWorkloadSurvives() async {
        await #expect(processExitsWith: .success) {
            try Child.restrict("network")
            Workload.common()
            Workload.exchangeOverLoopback()
        }
    }

    @Test("signer: allocation, threads, a file and a socket pair survive")
    func signerWorkloadSurvives() async {
        await #expect(processExitsWith: .success) {
            try Child.restrict("signer")
            Workload.common()
            Workload.exchangeOverSocketPair()
        }
    }

    @Test("installer: allocation, threads, a file and running a program survive")
    func installerWorkloadSurvives() async {
        await #expect(processExitsWith: .success) {
            try Child.restrict("installer")
            Workload.common()
            Workload.spawnTrue()
        }
    }

    @Test("supervisor: threads, files, running, signalling and reaping children, unshare(CLONE_NEWNET) as root")
    func supervisorWorkloadSurvives() async {
        await #expect(processExitsWith: .success) {
            let before = try NetNamespace.identityOfCurrentThread()
            try Child.restrict("supervisor")
            Workload.common()
            Workload.spawnTrue()
            Workload.superviseChild()
            guard geteuid() == 0 else { return }
            let result = Probe.syscall("unshare", 0x4000_0000)
            guard result == 0 else { Probe.fail("unshare(CLONE_NEWNET): \(result)") }
            let after = try NetNamespace.identityOfCurrentThread()
            guard after != before else { Probe.fail("still in network namespace \(before)") }
        }
    }
}

/// Set-up shared by the exit-test children.
enum Child {
    /// Applies only the seccomp part of a role's sandbox. Core dumps are switched off first so that the expected
    /// SIGSYS deaths do not leave core files behind.
    static func restrict(_ role: String, debug: Bool = false) throws(SandboxError) {
        _ = nm_disable_core_dumps()
        var report = SandboxReport(roleName: role)
        try Sandbox.restrict(PolicyFiles.profile(role, debug: debug), report: &report)
    }
}
