/// Why sandboxing could not go ahead, as one actionable line.
///
/// The `description` is meant to be logged as is, e.g.
/// `seccomp policy /etc/nimbus/network.policy line 12: unknown syscall 'sokcet'`.
public struct SandboxError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Which part of the sandbox failed; lets callers and tests tell errors apart without matching text.
    public enum Area: String, Sendable, Equatable {
        /// The text of a seccomp policy (syntax, unknown names, misplaced rules).
        case policy
        /// Building or loading the seccomp filter.
        case seccomp
        /// Creating or enforcing a Landlock ruleset.
        case landlock
        /// Bounding, ambient, permitted, effective or inheritable capabilities.
        case capabilities
        /// Looking up or switching to the profile's user.
        case identity
        /// Core dumps, dumpability, no_new_privs.
        case hardening
        /// Reading or parsing files under /proc.
        case procfs
        /// A profile that cannot be applied as written.
        case profile
    }

    /// Which part of the sandbox failed.
    public var area: Area
    /// The policy line the error is about, when there is one (1-based).
    public var line: Int?
    /// The complete one-line message.
    public var message: String

    /// Creates an error; `message` should already name the file, line and fix where those are known.
    public init(_ area: Area, _ message: String, line: Int? = nil) {
        self.area = area
        self.message = message
        self.line = line
    }

    /// The one-line message.
    public var description: String { message }
}
