import NimbusAPI
import NimbusIPC
import Testing

@Suite("StatusReport built from IPC answers")
struct StatusReportFromIPCTests {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String
    }

    static func info(
        _ role: Role, pid: Int32 = 0, lastExit: String = "", startedAtMillis: UInt64 = 0,
        observed: ObservedSandbox? = nil, reported: [SandboxStepReport] = []
    ) -> RoleInfo {
        RoleInfo(
            role: role, state: pid == 0 ? .restarting : .running, pid: pid, user: "u-\(role)", uid: 900,
            restarts: 4, lastExit: lastExit, startedAtMillis: startedAtMillis, observed: observed, reported: reported)
    }

    static let keyStore = KeyStoreStatus(keystoreCount: 7, schemaVersion: 1)
    static let installState = InstallState(
        phase: .downloading, activeVersion: "25.3.0", installedVersions: ["25.3.0", "25.2.1"], schemaVersion: 2)

    @Test func rolesAreOrderedNetworkSignerInstaller() {
        let report = StatusReport(
            mode: "system", roles: [Self.info(.installer), Self.info(.network), Self.info(.signer)],
            signer: .success(Self.keyStore), installer: .success(Self.installState))
        #expect(report.roles.map(\.role) == ["network", "signer", "installer"])
        #expect(report.version == NodeManagerVersion.current)
        #expect(report.mode == "system")
    }

    @Test func runningRoleIsReportedInFull() throws {
        let observed = ObservedSandbox(
            seccompMode: 2, noNewPrivs: true, capEff: 0x1ff, capBnd: 0x0000_01ff_ffff_ffff,
            netNamespace: "net:[4026532000]", ownNetNamespace: true)
        let steps = [SandboxStepReport(name: "landlock", inForce: false, detail: "kernel has no landlock")]
        let report = StatusReport(
            mode: "dev",
            roles: [Self.info(.network, pid: 4242, lastExit: "exited with status 76 (IPC protocol violation by a peer)",
                              startedAtMillis: 1_795_717_421_837, observed: observed, reported: steps)],
            signer: .success(Self.keyStore), installer: .success(Self.installState))
        let role = try #require(report.roles.first)
        #expect(
            role
                == RoleReport(
                    role: "network", state: "running", pid: 4242, user: "u-network", uid: 900, restarts: 4,
                    lastExit: "exited with status 76 (IPC protocol violation by a peer)",
                    startedAt: "2026-11-26T18:23:41.837Z",
                    sandbox: ObservedSandboxReport(
                        seccomp: 2, noNewPrivs: true, capEff: "00000000000001ff", capBnd: "000001ffffffffff",
                        netNamespace: "net:[4026532000]", ownNetNamespace: true),
                    steps: [SandboxStepEntry(step: "landlock", inForce: false, detail: "kernel has no landlock")]))
    }

    @Test func roleWithoutAProcessHasNullPidExitAndStart() throws {
        let report = StatusReport(
            mode: "system", roles: [Self.info(.signer)], signer: .success(Self.keyStore),
            installer: .success(Self.installState))
        let role = try #require(report.roles.first)
        #expect(role.pid == nil)
        #expect(role.lastExit == nil)
        #expect(role.startedAt == nil)
        #expect(role.sandbox == nil)
        #expect(role.state == "restarting")
    }

    @Test func capabilityMasksAreSixteenLowercaseHexDigits() throws {
        let masks: [(UInt64, String)] = [
            (0, "0000000000000000"), (0x1, "0000000000000001"), (0xA0_0000_0000, "000000a000000000"),
            (UInt64.max, "ffffffffffffffff"),
        ]
        for (mask, text) in masks {
            let observed = ObservedSandbox(
                seccompMode: 0, noNewPrivs: false, capEff: mask, capBnd: mask, netNamespace: "", ownNetNamespace: false)
            let report = StatusReport(
                mode: "dev", roles: [Self.info(.installer, pid: 1, observed: observed)],
                signer: .success(Self.keyStore), installer: .success(Self.installState))
            let sandbox = try #require(report.roles.first?.sandbox)
            #expect(sandbox.capEff == text)
            #expect(sandbox.capBnd == text)
        }
    }

    @Test func answersBecomeSignerAndInstallerReports() {
        let report = StatusReport(
            mode: "system", roles: [], signer: .success(Self.keyStore), installer: .success(Self.installState))
        #expect(report.signer == SignerReport(keystores: 7, schemaVersion: 1))
        #expect(report.signerError == nil)
        #expect(
            report.installer
                == InstallerReport(
                    phase: "downloading", activeVersion: "25.3.0", installedVersions: ["25.3.0", "25.2.1"],
                    schemaVersion: 2))
        #expect(report.installerError == nil)
    }

    @Test func emptyActiveVersionIsNull() {
        let idle = InstallState(phase: .idle, activeVersion: "", installedVersions: [], schemaVersion: 1)
        let report = StatusReport(mode: "dev", roles: [], signer: .success(Self.keyStore), installer: .success(idle))
        #expect(
            report.installer
                == InstallerReport(phase: "idle", activeVersion: nil, installedVersions: [], schemaVersion: 1))
    }

    @Test func failuresBecomeErrorWordsInsteadOfReports() {
        let report = StatusReport(
            mode: "system", roles: [],
            signer: .failure(Unreachable(description: "the signer role is not reachable (it may be restarting)")),
            installer: .failure(Unreachable(description: "the installer role did not answer installStateRequest")))
        #expect(report.signer == nil)
        #expect(report.signerError == "the signer role is not reachable (it may be restarting)")
        #expect(report.installer == nil)
        #expect(report.installerError == "the installer role did not answer installStateRequest")
    }
}
