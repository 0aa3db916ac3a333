import Foundation
import GRDB
import NimbusAPI
import Testing

/// The daemon started as root, checked from outside: /proc, the state directory, the CLI.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct SystemModeTests {
    /// CHOWN, DAC_OVERRIDE, FOWNER, KILL, SETGID, SETUID: the installer's bounded set (docs/sandbox.md).
    static let installerCapabilities: UInt64 = 1 << 0 | 1 << 1 | 1 << 3 | 1 << 5 | 1 << 6 | 1 << 7

    private func startSystemDaemon(_ name: String) async throws -> Daemon {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: name)
        try await daemon.start(["--data-dir", daemon.dataDir.path, "--policy-dir", Daemon.policyDir.path])
        return daemon
    }

    @Test func eachRoleRunsAsItsOwnUserInItsSandbox() async throws {
        let daemon = try await startSystemDaemon("sandbox")
        let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        let network = try await ProcFacts(pid: daemon.pid(of: "network"))
        let signer = try await ProcFacts(pid: daemon.pid(of: "signer"))
        let installer = try await ProcFacts(pid: daemon.pid(of: "installer"))

        #expect(network.uid == (try Privilege.account("nimbus-nm").uid))
        #expect(signer.uid == (try Privilege.account("nimbus-signer").uid))
        #expect(installer.uid == 0)
        for facts in [network, signer, installer] {
            #expect(facts.seccomp == 2)
            #expect(facts.noNewPrivs == 1)
        }
        #expect(network.capEff == 0 && network.capBnd == 0)
        #expect(signer.capEff == 0 && signer.capBnd == 0)
        #expect(installer.capEff == Self.installerCapabilities && installer.capBnd == Self.installerCapabilities)
        #expect(signer.netNamespace != host)
        #expect(network.netNamespace == host)

        // The CLI's report agrees with /proc.
        let report = try await daemon.status()
        #expect(report.mode == "system")
        let signerReport = try #require(report.roles.first { $0.role == "signer" })
        #expect(signerReport.user == "nimbus-signer")
        #expect(signerReport.sandbox?.ownNetNamespace == true)
        #expect(signerReport.sandbox?.capEff == "0000000000000000")
        #expect(report.signer == SignerReport(keystores: 0, schemaVersion: 5))
        #expect(report.installer?.phase == "idle")
        // In system mode on this kernel every step is in force, Landlock included.
        for role in report.roles {
            #expect(role.steps.map(\.step).contains("landlock"), "\(role.role) reports Landlock")
            #expect(role.steps.filter { !$0.inForce }.isEmpty, "\(role.role): \(role.steps.filter { !$0.inForce })")
        }

        // Each role's state directory is its own.
        for (role, owner) in [("network", network.uid), ("signer", signer.uid), ("installer", UInt32(0))] {
            var info = stat()
            #expect(stat(daemon.dataDir.appendingPathComponent(role).path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o700, "\(role) directory mode")
            #expect(info.st_uid == owner, "\(role) directory owner")
            #expect(FileManager.default.fileExists(atPath: daemon.dataDir.appendingPathComponent("\(role)/\(role).sqlite").path))
        }
        // The control socket is group-restricted.
        var socketInfo = stat()
        #expect(stat(daemon.socket.path, &socketInfo) == 0)
        #expect(socketInfo.st_mode & 0o777 == 0o660)
        #expect(socketInfo.st_gid == (try Privilege.account("nimbus-nm").gid))
        _ = try await daemon.stop()
    }

    /// The configuration file is honoured, the control socket admits only root and its group, and every command
    /// is recorded with the uid the kernel reports for the caller.
    @Test func controlSocketIsGroupRestrictedAndRecordsTheCallersUID() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "control")
        let config = daemon.root.appendingPathComponent("config.toml")
        try """
            data_dir = "\(daemon.dataDir.path)"
            policy_dir = "\(Daemon.policyDir.path)"
            control_group = "nimbus-nm"
            log_level = "debug"
            shutdown_timeout_seconds = 5
            """.write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--config", config.path])
        #expect(daemon.logText.contains("data_dir=\(daemon.dataDir.path)"))

        let nimbus = try Daemon.executable("nimbus")
        let group = try Privilege.account("nimbus-nm").gid
        let outsider = try await Daemon.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", "--", nimbus.path, "--socket", daemon.socket.path, "status"])
        #expect(outsider.status == 1)
        #expect(outsider.stderr == "nimbus: permission denied on \(daemon.socket.path): run as root or as a member of "
            + "the control group (nimbus-nm by default)\n")
        let member = try await Daemon.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--groups=\(group)", "--", nimbus.path, "--socket", daemon.socket.path,
             "status", "--json"])
        #expect(member.status == 0, "a member of the control group may use the socket: \(member.stderr)")
        // The role logs a command after answering it, so the line may trail the answer by a moment.
        try await daemon.waitUntil("the command is logged", timeout: 5) { daemon.logText.contains("peer_uid=65534") }
        #expect(daemon.logText.contains("msg=\"control command\" method=GET path=/v1/status peer_pid="))
        _ = try await daemon.stop()
        let audited = try await DatabaseQueue(path: daemon.dataDir.appendingPathComponent("network/network.sqlite").path)
            .read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM control_audit WHERE peer_uid = 65534") ?? 0 }
        #expect(audited == 1)
    }

    @Test(arguments: ["network", "signer", "installer"])
    func aKilledRoleIsBackWithinThreeSecondsWithItsState(role: String) async throws {
        let daemon = try await startSystemDaemon("kill-\(role)")
        try seedState(of: role, in: daemon)
        let before = try await daemon.status()
        let victim = try await daemon.pid(of: role)
        let others = before.roles.filter { $0.role != role }.map { ($0.role, $0.pid) }

        let killedAt = Date()
        #expect(kill(victim, SIGKILL) == 0)
        var back: RoleReport?
        try await daemon.waitUntil("\(role) is back", timeout: 3) {
            guard let report = try? await daemon.status(), let entry = report.roles.first(where: { $0.role == role }),
                entry.state == "running", entry.pid != victim, entry.sandbox?.seccomp == 2
            else { return false }
            back = entry
            return true
        }
        let elapsed = Date().timeIntervalSince(killedAt)
        #expect(elapsed < 3, "back after \(elapsed) s")
        let entry = try #require(back)
        #expect(entry.restarts == 1)
        #expect(entry.lastExit?.contains("SIGKILL") == true)

        let after = try await daemon.status()
        for (name, pid) in others {
            #expect(after.roles.first { $0.role == name }?.pid == pid, "\(name) kept running")
        }
        try expectSeededState(of: role, in: after, daemon: daemon)
        _ = try await daemon.stop()
    }

    /// Puts a row in the role's own database, as the role would have, so that the restart can be shown to keep it.
    private func seedState(of role: String, in daemon: Daemon) throws {
        let path = daemon.dataDir.appendingPathComponent("\(role)/\(role).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            switch role {
            case "signer":
                try db.execute(
                    sql: "INSERT INTO keystores (pubkey, path, keystore_json, created_at_millis) VALUES (?, ?, ?, ?)",
                    arguments: [Data(repeating: 0xAA, count: 48), "m/12381/3600/0/0/0", "{}", 1])
            case "installer":
                try db.execute(
                    sql: "INSERT INTO installs (version, commit_hash, path, installed_at_millis, active) VALUES (?, ?, ?, ?, 1)",
                    arguments: ["v24.9.0", "f54a03", "/opt/nimbus/v24.9.0", 1])
            default:
                break  // the network role's audit trail fills itself with every `nimbus status`
            }
        }
        try queue.close()
    }

    private func expectSeededState(of role: String, in report: StatusReport, daemon: Daemon) throws {
        switch role {
        case "signer":
            #expect(report.signer?.keystores == 1)
        case "installer":
            #expect(report.installer?.activeVersion == "v24.9.0")
        default:
            let path = daemon.dataDir.appendingPathComponent("network/network.sqlite").path
            let audited = try DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM control_audit WHERE path = '/v1/status'") ?? 0
            }
            // Every status call before the kill is still there, and the calls after it were added.
            #expect(audited >= 3)
        }
    }

    @Test func sigtermStopsEveryRoleGracefullyWithinTheBound() async throws {
        let daemon = try await startSystemDaemon("sigterm")
        let pids = try await daemon.status().roles.compactMap(\.pid)
        let (status, seconds) = try await daemon.stop()
        #expect(status == 0)
        #expect(seconds < 10)
        for pid in pids { #expect(kill(pid, 0) != 0, "role \(pid) is gone") }
        let log = daemon.logText
        #expect(log.contains("msg=\"all roles stopped\""))
        // No role died on the way out (a seccomp kill at exit would show as SIGSYS).
        #expect(!daemon.logText.contains("SIGSYS"))
        #expect(!daemon.logText.contains("level=critical"))
        for role in ["network", "signer", "installer"] {
            #expect(log.contains("level=notice role=\(role) msg=stopped"), "\(role) stopped cleanly")
            // The database was checkpointed and closed: no write-ahead log is left behind.
            let wal = daemon.dataDir.appendingPathComponent("\(role)/\(role).sqlite-wal").path
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            #expect(size == 0, "\(role) WAL is empty or gone")
        }
        #expect(!FileManager.default.fileExists(atPath: daemon.socket.path))
    }
}
