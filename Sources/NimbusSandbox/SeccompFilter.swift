import CNimbusSandbox
import Glibc

/// Compiles a `SeccompPolicy` into a libseccomp filter and loads it (part of `Sandbox.restrict`).
///
/// In debug mode every `kill` becomes a trap: the SIGSYS handler installed by the C shim names the syscall on
/// stderr and makes it fail with ENOSYS, so one run of a role lists everything its policy still lacks.
final class SeccompFilter {
    private let filter: OpaquePointer
    let policy: SeccompPolicy
    let debug: Bool
    /// Rules actually added (one per syscall per rule line; syscalls absent on this architecture are skipped).
    private(set) var ruleCount = 0

    /// Builds the filter; nothing is loaded yet.
    init(policy: SeccompPolicy, debug: Bool) throws(SandboxError) {
        if debug { try Self.requireDebuggable(policy) }
        let (action, errnoValue) = Self.native(policy.defaultAction, debug: debug)
        guard let filter = nm_seccomp_filter_create(action, errnoValue) else {
            throw SandboxError(.seccomp, "seccomp policy \(policy.source): libseccomp could not create a filter")
        }
        self.filter = filter
        self.policy = policy
        self.debug = debug
        for rule in policy.rules {
            try add(rule)
        }
    }

    deinit { nm_seccomp_filter_destroy(filter) }

    /// Loads the filter for every thread of the process (TSYNC). `role` names the process in debug reports.
    func load(role: String) throws(SandboxError) {
        if debug {
            let installed = nm_seccomp_debug_install(role)
            if installed < 0 {
                throw SandboxError(
                    .seccomp, "seccomp policy \(policy.source): cannot install the debug SIGSYS handler: "
                        + describeErrno(-installed)
                )
            }
        }
        let result = nm_seccomp_filter_load(filter, 1)
        guard result < 0 else { return }
        let reason: String
        switch -result {
        case ESRCH: reason = "a thread could not be synchronized (it already has a different seccomp filter)"
        case EACCES, EPERM: reason = "the kernel refused: set no_new_privs first (or hold CAP_SYS_ADMIN)"
        default: reason = describeErrno(-result)
        }
        throw SandboxError(.seccomp, "seccomp policy \(policy.source): cannot load the filter: \(reason)")
    }

    /// libseccomp's readable rendering of the filter, for someone tuning a policy.
    func pseudoCode() throws(SandboxError) -> String {
        // A temporary file rather than a pipe: the export is written in one go and could outgrow a pipe buffer.
        guard let file = tmpfile() else {
            throw SandboxError(
                .seccomp, "cannot create a temporary file for the filter export: \(describeErrno(errno))"
            )
        }
        defer { fclose(file) }
        let fd = fileno(file)
        let result = nm_seccomp_filter_export(filter, fd)
        guard result == 0 else {
            throw SandboxError(.seccomp, "seccomp policy \(policy.source): export failed: \(describeErrno(-result))")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            offset += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func add(_ rule: SyscallRule) throws(SandboxError) {
        let (action, errnoValue) = Self.native(rule.action, debug: debug)
        let conditions = rule.conditions.map(Self.native)
        for syscall in rule.syscalls where syscall.existsOnThisArchitecture {
            let result = conditions.withUnsafeBufferPointer { buffer in
                nm_seccomp_filter_add(
                    filter, action, errnoValue, syscall.number, buffer.baseAddress, UInt32(buffer.count)
                )
            }
            guard result == 0 else {
                throw SandboxError(
                    .seccomp,
                    "seccomp policy \(policy.source) line \(rule.line): libseccomp rejected the rule for "
                        + "'\(syscall.name)': \(describeErrno(-result))",
                    line: rule.line
                )
            }
            ruleCount += 1
        }
    }

    /// The debug handler itself calls write(2) and returns through rt_sigreturn; if the policy forbade either,
    /// the first trap would trap again inside the handler and the kernel would kill the process anyway.
    private static func requireDebuggable(_ policy: SeccompPolicy) throws(SandboxError) {
        for name in ["write", "rt_sigreturn"] where policy.unconditionalAction(for: name) != .allow {
            throw SandboxError(
                .policy,
                "seccomp policy \(policy.source): debug mode needs '\(name)' allowed unconditionally "
                    + "(the SIGSYS handler uses it)"
            )
        }
    }

    private static func native(_ action: SeccompAction, debug: Bool) -> (UInt32, UInt32) {
        switch action {
        case .allow: (UInt32(NM_SECCOMP_ALLOW), 0)
        case .killProcess: (UInt32(debug ? NM_SECCOMP_TRAP : NM_SECCOMP_KILL_PROCESS), 0)
        case .errno(let value, _): (UInt32(NM_SECCOMP_ERRNO), UInt32(value))
        case .log: (UInt32(NM_SECCOMP_LOG), 0)
        }
    }

    private static func native(_ condition: ArgumentCondition) -> nm_seccomp_condition {
        switch condition.comparison {
        case .equal(let value):
            nm_seccomp_condition(
                argument: UInt32(condition.argument), comparison: UInt32(NM_SECCOMP_EQUAL), mask: 0, value: value
            )
        case .notEqual(let value):
            nm_seccomp_condition(
                argument: UInt32(condition.argument), comparison: UInt32(NM_SECCOMP_NOT_EQUAL), mask: 0, value: value
            )
        case .maskedEqual(let mask, let value):
            nm_seccomp_condition(
                argument: UInt32(condition.argument), comparison: UInt32(NM_SECCOMP_MASKED_EQUAL), mask: mask,
                value: value
            )
        }
    }
}
