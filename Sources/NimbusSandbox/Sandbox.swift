import Glibc
/// Confines a role process in two phases, at the top of its main.
///
/// ```swift
/// var report = try Sandbox.dropPrivileges(profile)   // first thing in main, still single-threaded
/// // ... open the database, bind sockets, start threads ...
/// try Sandbox.restrict(profile, report: &report)
/// logger.info("\(report.summary)")
/// ```
public enum Sandbox {
    /// Phase 1, while the role can still open files: RLIMIT_CORE=0; when root, drop the bounding set to
    /// `keptCapabilities` (needs CAP_SETPCAP, hence before the uid switch), clear ambient capabilities, switch
    /// groups, gid and uid to `user`, then set permitted/effective/inheritable to exactly `keptCapabilities`;
    /// finally PR_SET_DUMPABLE per profile (after the uid switch, which resets it).
    ///
    /// Not root: every step that works unprivileged is done and the rest are reported as not in force.
    /// Must run before any thread starts, because capabilities are per thread; it throws otherwise.
    /// The result is read back from /proc before returning.
    public static func dropPrivileges(_ profile: SandboxProfile) throws(SandboxError) -> SandboxReport {
        var drop = try PrivilegeDrop(profile: profile)
        return try drop.run()
    }

    /// Phase 2, after the role opened its database, bound its sockets and started its threads: no_new_privs,
    /// Landlock (when the profile asks for it and the kernel has it), then the seccomp policy, loaded with
    /// SCMP_FLTATR_CTL_TSYNC so threads that already exist are covered. Appends its steps to `report`.
    ///
    /// The policy is parsed and compiled first, so a broken policy throws before anything is restricted.
    public static func restrict(_ profile: SandboxProfile, report: inout SandboxReport) throws(SandboxError) {
        try Confinement(profile: profile).run(report: &report)
    }

    /// Phase 1b, still single-threaded, before the role opens its database or binds sockets: no_new_privs and
    /// Landlock. On kernels before Landlock ABI 8 a ruleset binds only the calling thread and the threads it starts
    /// afterwards, so this is the moment that covers the whole process. `restrict` then skips these two steps.
    public static func confineFilesystem(_ profile: SandboxProfile, report: inout SandboxReport) throws(SandboxError) {
        let threads = try ProcStatus.read(pid: getpid()).threads
        try Confinement(profile: profile).confineFilesystem(report: &report, threads: threads)
    }

    /// libseccomp's pseudo-code for a policy as it would be loaded (with `debug`, kills appear as traps).
    /// For humans tuning a policy; loads nothing.
    public static func filterPseudoCode(for policy: SeccompPolicy, debug: Bool = false) throws(SandboxError) -> String {
        try SeccompFilter(policy: policy, debug: debug).pseudoCode()
    }
}
