import NimbusSandbox
import Testing

/// The one-line summary a role logs after sandboxing.
@Suite("SandboxReport")
struct SandboxReportTests {
    @Test("all steps in force")
    func allInForce() {
        let report = SandboxReport(roleName: "signer", steps: [
            SandboxStep(name: "core-dumps", inForce: true, detail: "RLIMIT_CORE=0"),
            SandboxStep(name: "seccomp", inForce: true, detail: "signer.policy"),
        ])
        #expect(report.allInForce)
        #expect(report.summary == "sandbox signer: 2 of 2 steps in force (core-dumps, seccomp)")
    }

    @Test("missing steps are named with their reason, on one line")
    func someMissing() {
        let report = SandboxReport(roleName: "network", steps: [
            SandboxStep(name: "core-dumps", inForce: true, detail: "RLIMIT_CORE=0"),
            SandboxStep(name: "identity", inForce: false, detail: "needs root"),
            SandboxStep(name: "landlock", inForce: false, detail: "not available: kernel built without Landlock"),
        ])
        #expect(!report.allInForce)
        #expect(report.stepsNotInForce.map(\.name) == ["identity", "landlock"])
        #expect(report.step(named: "identity")?.detail == "needs root")
        #expect(report.summary == "sandbox network: 1 of 3 steps in force; not in force: identity (needs root); "
            + "landlock (not available: kernel built without Landlock)")
    }
}
