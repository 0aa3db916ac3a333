import Foundation
import NimbusAPI
import NimbusBeaconSim
import Testing

/// The alerts that need more than a flag flipped: a proposal the node fails to produce, balances that fall epoch
/// after epoch, a node that keeps crashing, and a data directory's disk filling up. The simulator produces each
/// condition the way Nimbus would show it (Beacon API, metrics, exit and restart); the running daemon must raise
/// the alert once and, where the condition can end within a test, resolve it with a "back to normal" notice.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct MoreAlertsTests {
    typealias Simulator = MonitoringTests.Simulator

    private func alerts(_ daemon: Daemon) async throws -> AlertsReport {
        let result = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "alerts", "--json"])
        try #require(result.status == 0, "nimbus alerts failed: \(result.stderr)")
        return try JSONDecoder().decode(AlertsReport.self, from: Data(result.stdout.utf8))
    }

    private func nodes(_ daemon: Daemon) async throws -> NodesReport {
        let result = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "nodes", "--json"])
        try #require(result.status == 0, "nimbus nodes failed: \(result.stderr)")
        return try JSONDecoder().decode(NodesReport.self, from: Data(result.stdout.utf8))
    }

    private func waitForActive(
        _ kind: String, _ daemon: Daemon, subject: String = "sim", timeout: TimeInterval
    ) async throws -> StoredAlert {
        var found: StoredAlert?
        try await daemon.waitUntil("\(kind) fires about \(subject)", timeout: timeout) {
            found = try await alerts(daemon).alerts.first {
                $0.kind == kind && $0.subject == subject && $0.resolvedAtMillis == nil
            }
            return found != nil
        }
        return try #require(found)
    }

    private func waitForResolved(_ id: Int64, _ daemon: Daemon, timeout: TimeInterval) async throws {
        try await daemon.waitUntil("alert \(id) resolves", timeout: timeout) {
            try await alerts(daemon).alerts.first { $0.id == id }?.resolvedAtMillis != nil
        }
    }

    /// One alert of `kind` in all, with both notifications waiting for the CLI's device.
    private func expectOneNotifiedPair(_ alert: StoredAlert, _ daemon: Daemon) async throws {
        let report = try await alerts(daemon)
        #expect(report.alerts.filter { $0.kind == alert.kind }.count == 1, "no duplicate \(alert.kind) alerts")
        #expect(report.pending.contains(PendingNotification(event: "fired", alertID: alert.id)))
        #expect(report.pending.contains(PendingNotification(event: "resolved", alertID: alert.id)))
    }

    /// A daemon watching one simulator with `validators` keys attached the way Nimbus finds them. `nodeSettings`
    /// go into the node's `[[nodes]]` entry, `settings` (top-level tables) before it; `prepare` runs before the
    /// simulator starts.
    private func startBoth(
        _ name: String, validators: Int = 0, simulatorArguments: [String] = [], settings: String = "",
        nodeSettings: (Simulator) -> String = { _ in "" }, prepare: (Simulator) throws -> Void = { _ in }
    ) async throws -> (Daemon, Simulator) {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: name)
        let simulator = try Simulator(root: daemon.root)
        simulator.extraArguments = simulatorArguments
        try prepare(simulator)
        for index in 0..<validators {
            let secret = String(repeating: "00", count: 31) + String(format: "%02x", index + 1)
            let (json, pubkey) = try NimbusKeysUnlocker.makeTestKeystore(secretHex: secret, password: "pw\(index)")
            let folder = simulator.dataDir.appendingPathComponent("validators/\(pubkey)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try json.write(to: folder.appendingPathComponent("keystore.json"), atomically: true, encoding: .utf8)
            let secrets = simulator.dataDir.appendingPathComponent("secrets")
            try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
            try "pw\(index)".write(to: secrets.appendingPathComponent(pubkey), atomically: true, encoding: .utf8)
        }
        try simulator.start()
        let config = daemon.root.appendingPathComponent("config.toml")
        try """
            \(settings)
            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(simulator.rest)"
            metrics = "http://127.0.0.1:\(simulator.metrics)"
            \(nodeSettings(simulator))
            """.write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        try await daemon.waitUntil("the node is seen synced", timeout: 30) {
            let node = try await nodes(daemon).nodes.first
            return node?.reachable == true && node?.isSyncing == false
        }
        return (daemon, simulator)
    }

    /// With 2 of the chain's 4 validators, about every other slot is the node's to propose.
    @Test func aProposalTheNodeFailsToProduceIsReportedThenClears() async throws {
        let (daemon, simulator) = try await startBoth(
            "propose", validators: 2, simulatorArguments: ["--sim-validator-count=4"])
        try await simulator.scenario(#"{"missed_proposal_rate":1.0}"#)
        let alert = try await waitForActive("proposal_missed", daemon, timeout: 60)
        #expect(alert.severity == "critical")
        #expect(alert.diagnosis.hasPrefix("the node failed to produce"), "\(alert.diagnosis)")
        #expect(alert.action.contains("execution client"))
        try await simulator.scenario(#"{"missed_proposal_rate":0}"#)
        // Back to normal once two epochs (8 s here) pass without another miss.
        try await waitForResolved(alert.id, daemon, timeout: 60)
        try await expectOneNotifiedPair(alert, daemon)
        _ = try await daemon.stop()
    }

    /// Missed attestations cost balance on chain; three falling epochs in a row raise the alert.
    @Test func balancesFallingEpochAfterEpochAreReportedThenClear() async throws {
        let (daemon, simulator) = try await startBoth("balance", validators: 2)
        try await simulator.scenario(#"{"missed_attestation_rate":1.0}"#)
        let alert = try await waitForActive("balance_decreasing", daemon, timeout: 90)
        #expect(alert.severity == "warning")
        #expect(alert.diagnosis.hasPrefix("2 validators lost \(2 * DutyRewards.missedAttestation) gwei in epoch"),
                "\(alert.diagnosis)")
        try await simulator.scenario(#"{"missed_attestation_rate":0}"#)
        try await waitForResolved(alert.id, daemon, timeout: 60)
        try await expectOneNotifiedPair(alert, daemon)
        _ = try await daemon.stop()
    }

    /// The node's data directory on an 8 MiB tmpfs with its bounds set to 6 MiB (low) and 2 MiB (critical) free:
    /// filled step by step, then emptied. Mounting needs root, as the whole suite does.
    @Test func aFillingDataDiskWarnsThenTurnsCriticalThenClears() async throws {
        var mounted: URL?
        // The daemon's directory can only be removed once the tmpfs is gone, whichever way the test ends.
        defer {
            if let mounted {
                umount2(mounted.path, Int32(MNT_DETACH))
                try? FileManager.default.removeItem(at: mounted.deletingLastPathComponent())
            }
        }
        let (daemon, simulator) = try await startBoth(
            "disk",
            nodeSettings: { "data_dir = \"\($0.dataDir.path)\"\ndisk_low = \"6 MiB\"\ndisk_critical = \"2 MiB\"" }
        ) { simulator in
            try FileManager.default.createDirectory(at: simulator.dataDir, withIntermediateDirectories: true)
            let status = mount("tmpfs", simulator.dataDir.path, "tmpfs", 0, "size=8m,mode=0700")
            try #require(status == 0, "mount tmpfs on \(simulator.dataDir.path): errno \(errno)")
            mounted = simulator.dataDir
        }
        func fill(_ name: String, mebibytes: Int) throws {
            let file = simulator.dataDir.appendingPathComponent(name)
            try #require(FileManager.default.createFile(atPath: file.path, contents: Data(count: mebibytes << 20)))
        }
        try fill("db-growth-1", mebibytes: 3)  // about 5 MiB left: low
        let low = try await waitForActive("disk_low", daemon, timeout: 90)
        #expect(low.severity == "warning")
        #expect(low.diagnosis.contains(" free of 8 MiB (") && low.diagnosis.hasSuffix("on \(simulator.dataDir.path)"))
        #expect(low.diagnosis.hasPrefix("4 MiB free"), "8 MiB less 3 MiB and the node's own files: \(low.diagnosis)")
        try fill("db-growth-2", mebibytes: 4)  // about 1 MiB left: critical
        let critical = try await waitForActive("disk_critical", daemon, timeout: 90)
        #expect(critical.severity == "critical")
        #expect(critical.action.contains("Free disk space now"))
        try FileManager.default.removeItem(at: simulator.dataDir.appendingPathComponent("db-growth-1"))
        try FileManager.default.removeItem(at: simulator.dataDir.appendingPathComponent("db-growth-2"))
        try await waitForResolved(critical.id, daemon, timeout: 90)
        try await waitForResolved(low.id, daemon, timeout: 90)
        try await expectOneNotifiedPair(low, daemon)
        try await expectOneNotifiedPair(critical, daemon)
        _ = try await daemon.stop()
        simulator.stop()
        #expect(umount2(simulator.dataDir.path, 0) == 0, "the tmpfs is released: errno \(errno)")
    }

    /// Crashed and started again three times, as a service manager would: the node's process start time moves each
    /// time. With a one-minute window (the default is 30 minutes) the restarts leave it within the test, and the
    /// alert resolves with a notice.
    @Test func aNodeThatKeepsCrashingIsReportedThenClears() async throws {
        let (daemon, simulator) = try await startBoth("restart", settings: "[monitoring]\nrestart_window_seconds = 60\n")
        for round in 1...3 {
            try await simulator.scenario(#"{"crash_after":0.5,"crash_exit_code":3}"#)
            try await daemon.waitUntil("the simulator crashes (round \(round))", timeout: 20) {
                simulator.process?.isRunning == false
            }
            #expect(simulator.process?.terminationStatus == 3)
            let restartedAt = UInt64(Date().timeIntervalSince1970 * 1000)
            try simulator.start()
            try await daemon.waitUntil("the daemon polls the restarted node (round \(round))", timeout: 30) {
                guard let node = try await nodes(daemon).nodes.first else { return false }
                return node.reachable && (node.lastPollMillis ?? 0) > restartedAt
            }
        }
        // Found whether or not it has already resolved: on a slow machine the three rounds may take most of a minute.
        var found: StoredAlert?
        try await daemon.waitUntil("node_restarting fires", timeout: 30) {
            found = try await alerts(daemon).alerts.first { $0.kind == "node_restarting" && $0.subject == "sim" }
            return found != nil
        }
        let alert = try #require(found)
        #expect(alert.diagnosis == "3 restarts in the last minute")
        #expect(alert.severity == "warning")
        #expect(alert.action.contains("log"))
        // Back to normal once the first restart is more than a minute old.
        try await waitForResolved(alert.id, daemon, timeout: 180)
        try await expectOneNotifiedPair(alert, daemon)
        _ = try await daemon.stop()
    }
}
