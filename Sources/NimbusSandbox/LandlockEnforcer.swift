import CNimbusSandbox
import Glibc

/// Builds and enforces the Landlock ruleset for `LandlockRules` (part of `Sandbox.restrict`).
enum LandlockEnforcer {
    /// The first ABI whose landlock_restrict_self can restrict every thread (LANDLOCK_RESTRICT_SELF_TSYNC).
    static let threadSyncABI = 8

    /// Enforces `rules` and returns the report step. A kernel without Landlock is a step not in force, not an
    /// error; a missing path or a failing syscall is an error.
    static func enforce(_ rules: LandlockRules, role: String, threads: Int) throws(SandboxError) -> SandboxStep {
        let abi = nm_landlock_abi()
        if abi == -ENOSYS {
            return SandboxStep(name: "landlock", inForce: false, detail: "not available: kernel built without Landlock")
        }
        if abi == -EOPNOTSUPP {
            return SandboxStep(
                name: "landlock", inForce: false, detail: "not available: Landlock disabled at boot (add it to lsm=)"
            )
        }
        try check(abi, role, "cannot query the Landlock ABI")
        let handled = LandlockAccess.handled(byABI: Int(abi))
        let ruleset = nm_landlock_ruleset_create(handled.rawValue)
        try check(ruleset, role, "cannot create a Landlock ruleset")
        defer { close(ruleset) }

        for path in rules.readOnly {
            try allow(path, LandlockAccess.readOnlyRights.intersection(handled), in: ruleset, kind: "readOnly", role)
        }
        for path in rules.readWrite {
            try allow(path, handled, in: ruleset, kind: "readWrite", role)
        }
        let processWide = Int(abi) >= threadSyncABI
        try check(
            nm_landlock_enforce(ruleset, processWide ? UInt32(NM_LANDLOCK_RESTRICT_SELF_TSYNC) : 0),
            role, "cannot enforce the Landlock ruleset"
        )

        let paths = "\(rules.readOnly.count) read-only and \(rules.readWrite.count) read-write paths"
        if processWide || threads == 1 {
            return SandboxStep(name: "landlock", inForce: true, detail: "ABI \(abi), \(paths), whole process")
        }
        // Without TSYNC the kernel restricts only the calling thread and the threads it starts from now on.
        return SandboxStep(
            name: "landlock", inForce: false,
            detail: "ABI \(abi), \(paths), calling thread only: \(threads - 1) existing threads are not restricted "
                + "(process-wide needs Landlock ABI \(threadSyncABI), or restrict before starting threads)"
        )
    }

    private static func allow(
        _ path: String, _ rights: LandlockAccess, in ruleset: Int32, kind: String, _ role: String
    ) throws(SandboxError) {
        var granted: UInt64 = 0
        let result = nm_landlock_allow_path(
            ruleset, path, rights.rawValue, rights.intersection(.fileRights).rawValue, &granted
        )
        if result == -ENOENT {
            throw SandboxError(
                .landlock,
                "sandbox \(role): Landlock \(kind) path '\(path)' does not exist; create it before Sandbox.restrict "
                    + "or remove it from the profile"
            )
        }
        try check(result, role, "cannot add Landlock \(kind) rule for '\(path)'")
    }

    private static func check(_ result: Int32, _ role: String, _ what: String) throws(SandboxError) {
        guard result < 0 else { return }
        throw SandboxError(.landlock, "sandbox \(role): \(what): \(describeErrno(-result))")
    }
}
