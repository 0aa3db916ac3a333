import Glibc
import Testing

/// Whether root-only tests run. CI runs as root; a developer without root opts out explicitly.
enum Privilege {
    /// Set to 1 to skip root-only tests (recorded as a named skip); otherwise they fail when not root.
    static let optOutVariable = "NIMBUS_TESTS_UNPRIVILEGED"

    static var isRoot: Bool { geteuid() == 0 }

    static var optedOut: Bool {
        guard let value = getenv(optOutVariable) else { return false }
        return String(cString: value) == "1"
    }

    /// Root-only tests run unless the developer opted out; they then fail if we are not root.
    static var rootTestsRun: Bool { isRoot || !optedOut }

    static let skipComment: Comment = "needs root; skipped because NIMBUS_TESTS_UNPRIVILEGED=1"
    static let failureComment: Comment =
        "this test needs root (CI runs as root); run as root, or set NIMBUS_TESTS_UNPRIVILEGED=1 to skip it"
}

