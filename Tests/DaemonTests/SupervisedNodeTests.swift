import Foundation
import NimbusAPI
import NimbusBeaconSim
import NimbusHTTPClient
import Testing

/// A node the node manager runs itself (`[nodes.launch]`): the installer starts the simulator as an ordinary
/// account, restarts it when it crashes, keeps it down after a doppelganger exit (status 129) across a restart of
/// the node manager, and starts it again when asked; the doppelganger alert fires and clears end to end, with no
/// "unreachable" alert for a node that is down on purpose.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct SupervisedNodeTests {
    typealias Simulator = MonitoringTests.Simulator

    /// Ports and paths of one launched simulator.
    struct Launched {
        let rest = Simulator.freePort()
        let metrics = Simulator.freePort()
        let control = Simulator.freePort()
        let dataDir: URL
        /// Fixed per test: a restarted simulator must present the same chain.
        let genesis = Int(Date().timeIntervalSince1970) - 400

        init(root: URL) {
            dataDir = root.appendingPathComponent("node")
        }

        func config(user: String) -> String {
            // 8 slots of 1 s per epoch: doppelganger detection listens for 8 to 16 s after start.
            """
            [monitoring]
            restart_window_seconds = 60

            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(rest)"
            metrics = "http://127.0.0.1:\(metrics)"
            data_dir = "\(dataDir.path)"

            [nodes.launch]
            binary = "\(try! Daemon.executable("nimbus-beacon-sim").path)"
            network = "hoodi"
            user = "\(user)"
            el = ["http://127.0.0.1:8551"]
            extra_args = ["--sim-control-port=\(control)", "--sim-seconds-per-slot=1", "--sim-slots-per-epoch=8",
                          "--sim-genesis-time=\(genesis)", "--sim-initial-sync-distance=0"]
            """
        }

        func scenario(_ json: String) async throws {
            try await Simulator.scenario(json, controlPort: control)
        }
    }

    private func start(_ daemon: Daemon, _ node: Launched) async throws {
        let config = daemon.root.appendingPathComponent("config.toml")
        try node.config(user: "nobody").write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
    }

    private func process(_ daemon: Daemon) async throws -> NodeProcessReport? {
        try await daemon.nodes().nodes.first { $0.name == "sim" }?.process
    }

    @Test func theNodeRunsAsAnOrdinaryAccountRestartsAfterACrashAndStaysDownAfterADoppelganger() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "launch")
        let node = Launched(root: daemon.root)
        // One validator, so that doppelganger detection has a key to listen for.
        let (json, pubkey) = try NimbusKeysUnlocker.makeTestKeystore(
            secretHex: String(repeating: "00", count: 31) + "07", password: "pw")
        let keyDir = node.dataDir.appendingPathComponent("validators/\(pubkey)")
        try FileManager.default.createDirectory(at: keyDir, withIntermediateDirectories: true)
        try json.write(to: keyDir.appendingPathComponent("keystore.json"), atomically: true, encoding: .utf8)
        let secrets = node.dataDir.appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        try "pw".write(to: secrets.appendingPathComponent(pubkey), atomically: true, encoding: .utf8)
        let nobody = try Privilege.account("nobody")
        for path in [node.dataDir, keyDir.deletingLastPathComponent(), keyDir, secrets,
                     keyDir.appendingPathComponent("keystore.json"), secrets.appendingPathComponent(pubkey)] {
            chown(path.path, nobody.uid, nobody.gid)
        }
        chmod(node.dataDir.path, 0o700)

        try await start(daemon, node)

        // Started by the installer, as nobody, with no capabilities and the installer's filter inherited.
        var first: NodeProcessReport?
        try await daemon.waitUntil("the node runs and answers", timeout: 30) {
            first = try await process(daemon)
            let snapshot = try await daemon.nodes().nodes.first
            return first?.state == "running" && snapshot?.reachable == true
        }
        let pid = try #require(first?.pid)
        let facts = try ProcFacts(pid: Int32(pid))
        #expect(facts.uid == nobody.uid)
        #expect(facts.capEff == 0)
        #expect(facts.noNewPrivs == 1)
        #expect(facts.seccomp == 2)
        let installer = try await daemon.pid(of: "installer")
        let parent = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            .split(separator: ")").last?.split(separator: " ").dropFirst(1).first
        #expect(parent.map(String.init) == "\(installer)", "the installer is the node's parent")
        let commandLine = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8).split(separator: "\0")
        #expect(commandLine.contains("--rest-port=\(node.rest)"), "flags generated from [[nodes]]: \(commandLine)")
        #expect(commandLine.contains("--data-dir=\(node.dataDir.path)"))
        #expect(commandLine.contains("--doppelganger-detection=true"))

        // A crash: started again by itself after a second, the exit recorded.
        try await node.scenario(#"{"crash_after":0.2,"crash_exit_code":3}"#)
        var restarted: NodeProcessReport?
        try await daemon.waitUntil("the crashed node runs again", timeout: 20) {
            restarted = try await process(daemon)
            return restarted?.state == "running" && restarted?.restarts == 1
        }
        #expect(restarted?.lastExitCode == 3)
        #expect(restarted?.pid != first?.pid)
        #expect(daemon.logText.contains("sim exited with status 3; starting it again in 1 s"))

        // A doppelganger appears while the restarted node listens: it exits with 129 and stays down.
        try await node.scenario(#"{"doppelganger":true}"#)
        try await daemon.waitUntil("the node is held", timeout: 20) { try await process(daemon)?.state == "held" }
        let held = try #require(try await process(daemon))
        #expect(held.lastExitCode == 129)
        #expect(held.pid == nil)
        let alert = try await daemon.waitForActiveAlert("doppelganger_exit", subject: "sim", timeout: 30)
        #expect(alert.severity == "critical")
        #expect(alert.diagnosis.contains("status 129"), "\(alert.diagnosis)")
        // Still down several polls later, and the silence is not reported as an outage.
        try await Task.sleep(for: .seconds(4))
        #expect(try await process(daemon)?.state == "held")
        #expect(try await daemon.alerts().alerts.contains { $0.kind == "node_unreachable" } == false)

        // The hold survives a restart of the node manager.
        _ = try await daemon.stop()
        try await start(daemon, node)
        try await daemon.waitUntil("the restarted node manager reports the hold", timeout: 20) {
            try await process(daemon)?.state == "held"
        }
        #expect(daemon.logText.contains("node stays down until started (nimbus nodes start sim)"))

        // Someone checked that the other instance is gone: started again, the alert clears.
        let started = try await daemon.cli(["nodes", "start", "sim"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(started.stdout.hasPrefix("sim: "), "\(started.stdout)")
        try await daemon.waitForResolvedAlert(alert.id, timeout: 40)
        let report = try await daemon.alerts()
        #expect(report.alerts.filter { $0.kind == "doppelganger_exit" }.count == 1, "no duplicate alert")
        #expect(report.pending.contains(PendingNotification(event: "fired", alertID: alert.id)))
        #expect(report.pending.contains(PendingNotification(event: "resolved", alertID: alert.id)))
        #expect(report.alerts.contains { $0.kind == "node_unreachable" } == false)
        _ = try await daemon.stop()
    }

    @Test func stopAndRestartOnRequestAndClearErrorsForNodesItDoesNotRun() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "launch-ctl")
        let node = Launched(root: daemon.root)
        try await start(daemon, node)
        try await daemon.waitUntil("the node runs", timeout: 30) { try await process(daemon)?.state == "running" }
        // The installer made the missing data directory for the node's account.
        var info = stat()
        let nobody = try Privilege.account("nobody")
        #expect(stat(node.dataDir.path, &info) == 0 && info.st_uid == nobody.uid)
        #expect(info.st_mode & 0o777 == 0o700)

        let stopped = try await daemon.cli(["nodes", "stop", "sim"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        try await daemon.waitUntil("the node stops", timeout: 20) { try await process(daemon)?.state == "stopped" }
        #expect(try await process(daemon)?.lastExitCode == 0, "a clean exit on SIGTERM")
        try await Task.sleep(for: .seconds(3))
        #expect(try await daemon.alerts().alerts.contains { $0.kind == "node_unreachable" } == false)

        let restarted = try await daemon.cli(["nodes", "restart", "sim"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        try await daemon.waitUntil("the node runs again", timeout: 20) { try await process(daemon)?.state == "running" }
        #expect(try await process(daemon)?.restarts == 1)

        // What the daemon serves is what docs/api/manager.yaml says, processes included.
        try await ManagerSpec.validate(
            socket: daemon.socket, paths: ["/v1/nodes"], posts: ["/v1/nodes/sim/restart", "/v1/nodes/mainnet/start"])
        try await daemon.waitUntil("the node runs after the restart", timeout: 20) {
            try await process(daemon)?.state == "running"
        }

        let unknown = try await daemon.cli(["nodes", "start", "mainnet"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no node named mainnet"), "\(unknown.stderr)")
        _ = try await daemon.stop()
        // The node went down with the node manager, cleanly.
        #expect(daemon.logText.contains("sim stopped (exited with status 0)"))
    }
}
