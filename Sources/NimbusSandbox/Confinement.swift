import CNimbusSandbox
import Glibc

/// Phase 2 of the sandbox (see `Sandbox.restrict`): no_new_privs, Landlock, then seccomp.
///
/// The policy is parsed and compiled before anything is restricted, so a typo in a policy file fails the role at
/// start-up with a line number instead of leaving it half-sandboxed.
struct Confinement {
    let profile: SandboxProfile

    func run(report: inout SandboxReport) throws(SandboxError) {
        let policy: SeccompPolicy
        if let text = profile.policyText {
            policy = try SeccompPolicy(parsing: text, source: profile.policyPath)
        } else {
            policy = try SeccompPolicy(contentsOf: profile.policyPath)
        }
        let filter = try SeccompFilter(policy: policy, debug: profile.seccompDebug)
        // After Landlock (applied earlier by `confineFilesystem`) /proc may be out of reach; the thread count only
        // words the report, and TSYNC covers every thread whatever the count.
        let threads = (try? ProcStatus.read(pid: getpid()).threads) ?? 0
        // Steps already taken by `confineFilesystem` are not repeated.
        try confineFilesystem(report: &report, threads: threads)
        try filter.load(role: profile.roleName)
        let name = profile.policyPath.split(separator: "/").last.map(String.init) ?? profile.policyPath
        let covered = threads > 0 ? "all \(threads) threads" : "all threads"
        let shape = "\(name): default \(policy.defaultAction), \(filter.ruleCount) rules, \(covered)"
        if profile.seccompDebug {
            report.record(
                "seccomp", inForce: false, "\(shape); DEBUG mode: forbidden syscalls are reported and fail with ENOSYS"
            )
        } else {
            report.record("seccomp", inForce: true, shape)
        }
    }

    /// no_new_privs, then Landlock, each once. Landlock confines only the calling thread (and threads it starts
    /// later) on kernels before ABI 8, so roles call this while still single-threaded.
    func confineFilesystem(report: inout SandboxReport, threads: Int) throws(SandboxError) {
        if report.step(named: "no-new-privs") == nil {
            let noNewPrivs = nm_set_no_new_privs()
            if noNewPrivs < 0 {
                throw SandboxError(
                    .hardening, "sandbox \(profile.roleName): cannot set no_new_privs: \(describeErrno(-noNewPrivs))"
                )
            }
            // no_new_privs is per thread too; loading the filter with TSYNC copies it to every thread.
            report.record("no-new-privs", inForce: true, threads == 1 ? "set" : "set, all \(threads) threads via TSYNC")
        }
        if let rules = profile.landlock, report.step(named: "landlock") == nil {
            report.steps.append(try LandlockEnforcer.enforce(rules, role: profile.roleName, threads: threads))
        }
    }
}
