import Glibc
import NimbusSandbox
import Testing

/// The policy files in policy/ parse, compile, and say what the design says they say.
@Suite("Shipped policies")
struct ShippedPolicyTests {
    static func load(_ role: String) throws -> SeccompPolicy {
        try SeccompPolicy(contentsOf: PolicyFiles.path(role))
    }

    @Test("parses and compiles with libseccomp", arguments: PolicyFiles.roles)
    func compiles(role: String) throws {
        let policy = try Self.load(role)
        #expect(!policy.groups.isEmpty)
        #expect(policy.groups.allSatisfy { !$0.reason.isEmpty })
        let code = try Sandbox.filterPseudoCode(for: policy)
        #expect(code.contains("filter for arch x86_64") || code.contains("filter for arch aarch64"))
        let debugCode = try Sandbox.filterPseudoCode(for: policy, debug: true)
        #expect(debugCode.contains("action TRAP;"))
        // Syscalls through another ABI (int 0x80, x32) kill the process rather than a single thread.
        #expect(code.hasSuffix("# invalid architecture action\naction KILL_PROCESS;\n#\n# pseudo filter code end\n#\n"))
    }

    @Test("network and signer are allow-lists that kill, and may run in debug mode", arguments: ["network", "signer"])
    func allowLists(role: String) throws {
        let policy = try Self.load(role)
        #expect(policy.defaultAction == .killProcess)
        for name in ["execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev", "fork", "vfork"] {
            #expect(policy.unconditionalAction(for: name) == .killProcess, "\(role) must not allow \(name)")
        }
        for name in [
            "write", "rt_sigreturn", "rt_sigsuspend", "futex", "openat", "fsync", "epoll_wait", "sendmsg", "recvmsg",
        ] {
            #expect(policy.unconditionalAction(for: name) == .allow, "\(role) needs \(name)")
        }
        #expect(policy.unconditionalAction(for: "clone3") == .errno(ENOSYS, name: "ENOSYS"))
        // Memory may never become executable.
        let mmapRules = policy.rules.filter { $0.syscalls.contains { $0.name == "mmap" || $0.name == "mprotect" } }
        let noExec = [ArgumentCondition(argument: 2, .maskedEqual(mask: 4, value: 0))]
        #expect(mmapRules.count == 2 && mmapRules.allSatisfy { $0.conditions == noExec })
    }

    @Test("signer cannot make sockets or connections")
    func signerHasNoSockets() throws {
        let policy = try Self.load("signer")
        for name in ["connect", "bind", "listen", "accept", "accept4"] {
            #expect(policy.unconditionalAction(for: name) == .killProcess, "signer must not allow \(name)")
        }
        // socket itself is never allowed: refused for AF_UNIX (syslog's fallback), killed for everything else.
        let socketRules = policy.rules.filter { $0.syscalls.contains { $0.name == "socket" } }
        #expect(socketRules.allSatisfy { $0.action != .allow && !$0.conditions.isEmpty })
    }

    @Test("network may open AF_UNIX, AF_INET and AF_INET6 sockets only")
    func networkSocketFamilies() throws {
        let policy = try Self.load("network")
        let socketRules = policy.rules.filter { $0.syscalls.map(\.name) == ["socket"] }
        let allowed = socketRules.filter { $0.action == .allow }.map(\.conditions)
        #expect(Set(allowed) == [
            [ArgumentCondition(argument: 0, .equal(1))], [ArgumentCondition(argument: 0, .equal(2))],
            [ArgumentCondition(argument: 0, .equal(10))],
        ])
        // Routing netlink (getaddrinfo's probe) is refused with an error, not allowed; anything else kills.
        let refused = socketRules.filter { $0.action != .allow }
        #expect(refused.map(\.conditions) == [[ArgumentCondition(argument: 0, .equal(16))]])
        #expect(refused.allSatisfy { if case .errno = $0.action { true } else { false } })
    }

    @Test("installer and supervisor are deny-lists", arguments: ["installer", "supervisor"])
    func denyLists(role: String) throws {
        let policy = try Self.load(role)
        #expect(policy.defaultAction == .allow)
        let killed = [
            "mount", "umount2", "pivot_root", "init_module", "finit_module", "delete_module", "kexec_load",
            "kexec_file_load", "reboot", "swapon", "swapoff", "ptrace", "process_vm_readv", "process_vm_writev",
            "iopl", "ioperm", "bpf", "perf_event_open", "acct", "settimeofday", "clock_settime",
            "open_by_handle_at", "userfaultfd", "keyctl", "add_key", "request_key",
        ]
        for name in killed {
            #expect(policy.unconditionalAction(for: name) == .killProcess, "\(role) must kill \(name)")
        }
        // Reading the clock state is the network role's business, so only the installer kills adjtimex; setting the
        // clock needs CAP_SYS_TIME, which no process keeps.
        #expect(policy.unconditionalAction(for: "adjtimex") == (role == "installer" ? .killProcess : .allow))
        // Conditional: unshare is fine (CLONE_NEWNET), except with CLONE_NEWUSER.
        #expect(policy.unconditionalAction(for: "unshare") == nil)
        for name in ["execve", "clone", "setresuid", "kill", "wait4", "seccomp", "prctl", "landlock_restrict_self"] {
            #expect(policy.unconditionalAction(for: name) != .killProcess, "\(role) needs \(name)")
        }
    }
}
