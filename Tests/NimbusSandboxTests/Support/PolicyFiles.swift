import NimbusSandbox

/// Locates the repository's policy/ directory from this source file, so tests load the files that ship.
enum PolicyFiles {
    /// `<repo>/policy`, derived from `<repo>/Tests/NimbusSandboxTests/Support/PolicyFiles.swift`.
    static let directory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/policy"
    }()

    /// The roles that ship a policy.
    static let roles = ["network", "signer", "installer", "supervisor"]

    /// The path of a role's policy file.
    static func path(_ role: String) -> String { "\(directory)/\(role).policy" }

    /// A profile that applies only the role's seccomp policy (no user switch, no Landlock).
    static func profile(_ role: String, debug: Bool = false, landlock: LandlockRules? = nil) -> SandboxProfile {
        SandboxProfile(roleName: role, policyPath: path(role), seccompDebug: debug, landlock: landlock)
    }
}
