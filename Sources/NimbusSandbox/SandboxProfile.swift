/// How one role process confines itself: who it runs as, what it keeps, which policy binds it.
public struct SandboxProfile: Sendable {
    /// The role's name ("network", "signer", "installer", "supervisor"); used in messages and debug output.
    public var roleName: String
    /// The user to switch to when running as root; `nil` keeps the current identity.
    public var user: String?
    /// Capabilities to keep, spelled like `CAP_CHOWN`. Every other capability is dropped, bounding set included.
    public var keptCapabilities: [String]
    /// Whether the process stays dumpable. `false` blocks same-uid ptrace and /proc/<pid>/mem reads.
    public var dumpable: Bool
    /// Path of the seccomp policy file (see docs/sandbox.md for the format).
    public var policyPath: String
    /// Report forbidden syscalls on stderr and fail them with ENOSYS instead of killing the process.
    /// For tuning a policy against a real role; never in production.
    public var seccompDebug: Bool
    /// Filesystem confinement; `nil` means no Landlock.
    public var landlock: LandlockRules?
    /// The policy's text, when the caller read `policyPath` before Landlock took the file out of reach;
    /// `nil` means `restrict` reads the file itself.
    public var policyText: String?

    /// Creates a profile. Defaults give a non-dumpable process with no capabilities and no Landlock.
    public init(
        roleName: String,
        user: String? = nil,
        keptCapabilities: [String] = [],
        dumpable: Bool = false,
        policyPath: String,
        seccompDebug: Bool = false,
        landlock: LandlockRules? = nil
    ) {
        self.roleName = roleName
        self.user = user
        self.keptCapabilities = keptCapabilities
        self.dumpable = dumpable
        self.policyPath = policyPath
        self.seccompDebug = seccompDebug
        self.landlock = landlock
    }
}
