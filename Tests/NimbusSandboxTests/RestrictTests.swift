import Glibc
import NimbusSandbox
import Testing

/// Phase 2 as a whole: the report it produces and how it fails.
@Suite("Sandbox.restrict")
struct RestrictTests {
    @Test("a broken policy fails before anything is restricted")
    func brokenPolicyFailsFirst() async {
        await #expect(processExitsWith: .success) {
            let path = "/tmp/nimbus-broken-\(getpid()).policy"
            let text = Array("default kill\ngroup net: sockets\nallow read sokcet\n".utf8)
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0, write(fd, text, text.count) == text.count else { Probe.fail("cannot write \(path)") }
            close(fd)
            defer { unlink(path) }
            var report = SandboxReport(roleName: "network")
            let profile = SandboxProfile(roleName: "network", policyPath: path)
            do throws(SandboxError) {
                try Sandbox.restrict(profile, report: &report)
                Probe.fail("restrict accepted a broken policy")
            } catch {
                guard error.description == "seccomp policy \(path) line 3: unknown syscall 'sokcet'" else {
                    Probe.fail("unexpected error: \(error)")
                }
            }
            let status = try ProcStatus.readCurrentThread()
            guard !status.noNewPrivs, status.seccompMode == 0, report.steps.isEmpty else {
                Probe.fail("a failed restrict left the process partly restricted")
            }
        }
    }

    @Test("a missing policy file names the path")
    func missingPolicy() {
        #expect {
            _ = try SeccompPolicy(contentsOf: "/nonexistent/network.policy")
        } throws: { error in
            (error as? SandboxError)?.description.hasPrefix("seccomp policy /nonexistent/network.policy: cannot read")
                == true
        }
    }

    @Test("debug mode needs write and rt_sigreturn, which its handler uses")
    func debugNeedsWrite() throws {
        let policy = try SeccompPolicy(parsing: "default kill\ngroup io: reading only\nallow read rt_sigreturn")
        #expect {
            _ = try Sandbox.filterPseudoCode(for: policy, debug: true)
        } throws: { error in
            (error as? SandboxError)?.description.contains("debug mode needs 'write' allowed unconditionally") == true
        }
    }

    @Test("the report: no_new_privs and seccomp in force, all threads covered")
    func reportSteps() async {
        await #expect(processExitsWith: .success) {
            var report = SandboxReport(roleName: "signer")
            try Sandbox.restrict(PolicyFiles.profile("signer"), report: &report)
            guard report.steps.map(\.name) == ["no-new-privs", "seccomp"], report.allInForce,
                let seccomp = report.step(named: "seccomp"), seccomp.detail.hasPrefix("signer.policy: default kill")
            else { Probe.fail("unexpected report: \(report.summary)") }
            // TSYNC: every thread, not only this one, now runs under the filter with no_new_privs.
            let status = try ProcStatus.read(pid: getpid())
            guard status.seccompMode == 2, status.noNewPrivs else {
                Probe.fail("leader not covered: Seccomp \(status.seccompMode) NoNewPrivs \(status.noNewPrivs)")
            }
        }
    }

    @Test("debug mode is reported as not in force")
    func debugReport() async {
        await #expect(processExitsWith: .success) {
            var report = SandboxReport(roleName: "network")
            try Sandbox.restrict(PolicyFiles.profile("network", debug: true), report: &report)
            guard let step = report.step(named: "seccomp"), !step.inForce, step.detail.contains("DEBUG") else {
                Probe.fail("unexpected report: \(report.summary)")
            }
        }
    }
}
