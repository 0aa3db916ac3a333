/// What seccomp does with a syscall: the policy default, or the action of one rule.
public enum SeccompAction: Sendable, Equatable, CustomStringConvertible {
    /// Let the syscall run.
    case allow
    /// Kill the whole process with SIGSYS (SCMP_ACT_KILL_PROCESS); spelled `kill` in a policy.
    case killProcess
    /// Skip the syscall and make it fail with this errno; spelled `errno NAME`.
    case errno(Int32, name: String)
    /// Let the syscall run and log it to the kernel audit log; for tuning.
    case log

    /// The spelling used in policy files, e.g. `errno EPERM`.
    public var description: String {
        switch self {
        case .allow: "allow"
        case .killProcess: "kill"
        case .errno(_, let name): "errno \(name)"
        case .log: "log"
        }
    }
}
