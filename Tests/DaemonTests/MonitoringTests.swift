import Foundation
import NimbusAPI
import NimbusBeaconSim
import NimbusHTTPClient
import Testing

/// Alerts end to end: a simulated Nimbus node (`nimbus-beacon-sim`, 1-second slots) misbehaves on request through
/// its control endpoint; the running daemon must raise the matching alert, once, and resolve it with a "back to
/// normal" notice when the scenario ends. Observed only through `nimbus alerts --json` and `nimbus nodes --json`.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct MonitoringTests {
    /// A running simulator with its ports.
    final class Simulator: @unchecked Sendable {
        let rest: Int
        let metrics: Int
        let control: Int
        let dataDir: URL
        /// Fixed per simulator: a restarted simulator must present the same chain, or it refuses its data directory.
        let genesis = Int(Date().timeIntervalSince1970) - 400
        /// More nimbus-beacon-sim options, after the ones every test uses.
        var extraArguments: [String] = []
        private(set) var process: Process?

        init(root: URL) throws {
            rest = Self.freePort()
            metrics = Self.freePort()
            control = Self.freePort()
            dataDir = root.appendingPathComponent("sim")
        }

        func start() throws {
            let process = Process()
            process.executableURL = try Daemon.executable("nimbus-beacon-sim")
            process.arguments = [
                "--network=hoodi", "--data-dir=\(dataDir.path)", "--rest", "--rest-port=\(rest)", "--metrics",
                "--metrics-port=\(metrics)", "--sim-control-port=\(control)", "--sim-seconds-per-slot=1",
                "--sim-slots-per-epoch=4", "--sim-genesis-time=\(genesis)",
                "--sim-initial-sync-distance=0", "--el=http://127.0.0.1:8551", "--doppelganger-detection=false",
            ] + extraArguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.process = process
        }

        func stop() {
            guard let process, process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { stop() }

        /// POSTs a scenario change to the simulator's control endpoint.
        func scenario(_ json: String) async throws {
            try await Self.scenario(json, controlPort: control)
        }

        /// POSTs a scenario change to a simulator's control endpoint on 127.0.0.1.
        static func scenario(_ json: String, controlPort control: Int) async throws {
            let client = HTTPClient()
            defer { client.shutdown() }
            let response = try await client.request(
                .POST, "/sim/v1/scenario", at: .tcp(host: "127.0.0.1", port: control),
                headers: [("Content-Type", "application/json")], body: Array(json.utf8))
            try #require(response.status == 200, "scenario \(json) refused: \(String(decoding: response.body, as: UTF8.self))")
        }

        static func freePort() -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

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

    /// Waits until an alert of `kind` about "sim" is active, then returns it.
    private func waitForActive(_ kind: String, _ daemon: Daemon, timeout: TimeInterval = 30) async throws -> StoredAlert {
        var found: StoredAlert?
        try await daemon.waitUntil("\(kind) fires", timeout: timeout) {
            found = try await alerts(daemon).alerts.first { $0.kind == kind && $0.subject == "sim" && $0.resolvedAtMillis == nil }
            return found != nil
        }
        return try #require(found)
    }

    private func waitForResolved(_ id: Int64, _ daemon: Daemon, timeout: TimeInterval = 30) async throws {
        try await daemon.waitUntil("alert \(id) resolves", timeout: timeout) {
            try await alerts(daemon).alerts.first { $0.id == id }?.resolvedAtMillis != nil
        }
    }

    private func startBoth(_ name: String, validators: Int = 0) async throws -> (Daemon, Simulator) {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: name)
        let simulator = try Simulator(root: daemon.root)
        // Validators attached the way Nimbus finds them: validators/<0xpubkey>/keystore.json plus secrets/<0xpubkey>.
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
            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(simulator.rest)"
            metrics = "http://127.0.0.1:\(simulator.metrics)"
            """.write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        try await daemon.waitUntil("the node is seen synced", timeout: 30) {
            let node = try await nodes(daemon).nodes.first
            return node?.reachable == true && node?.isSyncing == false
        }
        return (daemon, simulator)
    }

    @Test func executionClientOfflineFiresOnceThenResolvesWithANotice() async throws {
        let (daemon, simulator) = try await startBoth("el")
        try await simulator.scenario(#"{"el_offline":true}"#)
        let alert = try await waitForActive("el_offline", daemon)
        #expect(alert.severity == "critical")
        #expect(alert.diagnosis == "the node reports its execution client offline (el_offline)")
        #expect(alert.action.contains("execution client"))
        let optimistic = try await waitForActive("optimistic", daemon)
        // Several more polls while the condition lasts: still one alert of each kind (no duplicates).
        try await Task.sleep(for: .seconds(3))
        var report = try await alerts(daemon)
        #expect(report.alerts.filter { $0.kind == "el_offline" }.count == 1)
        #expect(report.pending.contains(PendingNotification(event: "fired", alertID: alert.id)))

        try await simulator.scenario(#"{"el_offline":false}"#)
        try await waitForResolved(alert.id, daemon)
        try await waitForResolved(optimistic.id, daemon)
        report = try await alerts(daemon)
        #expect(report.pending.contains(PendingNotification(event: "resolved", alertID: alert.id)))
        #expect(report.alerts.filter { $0.kind == "el_offline" }.count == 1)

        // Acknowledging clears this machine's outbox for that alert.
        let ack = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "alerts", "ack", "\(alert.id)"])
        #expect(ack.status == 0)
        #expect(!(try await alerts(daemon)).pending.contains { $0.alertID == alert.id })
        _ = try await daemon.stop()
    }

    @Test func fewPeersAndFallingBehindAreReported() async throws {
        let (daemon, simulator) = try await startBoth("peers")
        try await simulator.scenario(#"{"peers":3}"#)
        let peers = try await waitForActive("peers_low", daemon)
        #expect(peers.diagnosis == "3 peers connected (fewer than 10)")
        try await simulator.scenario(#"{"peers":80,"sync_lag":20}"#)
        try await waitForResolved(peers.id, daemon)
        let behind = try await waitForActive("not_synced", daemon, timeout: 45)
        #expect(behind.diagnosis.contains("slots behind the head"))
        try await simulator.scenario(#"{"sync_lag":0}"#)
        try await waitForResolved(behind.id, daemon, timeout: 60)
        _ = try await daemon.stop()
    }

    @Test func attestationsMissedEpochAfterEpochFireAndClear() async throws {
        let (daemon, simulator) = try await startBoth("attest", validators: 2)
        try await simulator.scenario(#"{"missed_attestation_rate":1.0}"#)
        let alert = try await waitForActive("attestations_missed", daemon, timeout: 60)
        #expect(alert.diagnosis.hasSuffix("attestations missed in the previous epoch"))
        #expect(alert.severity == "warning")
        try await simulator.scenario(#"{"missed_attestation_rate":0}"#)
        try await waitForResolved(alert.id, daemon, timeout: 60)
        #expect((try await alerts(daemon)).alerts.filter { $0.kind == "attestations_missed" }.count == 1)
        _ = try await daemon.stop()
    }

    @Test func anUnreachableNodeIsReportedAndComesBack() async throws {
        let (daemon, simulator) = try await startBoth("down")
        simulator.stop()
        let alert = try await waitForActive("node_unreachable", daemon)
        #expect(alert.diagnosis.contains("refused the connection"))
        #expect((try await nodes(daemon)).nodes.first?.reachable == false)
        try simulator.start()
        try await waitForResolved(alert.id, daemon)
        _ = try await daemon.stop()
    }
}
