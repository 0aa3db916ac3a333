import Foundation
import GRDB
import NimbusAPI
import NimbusHTTPClient
import Testing

/// Pairing end to end: `nimbus remote invite` (a Waku light client, as the GUI would be) and `nimbus pair` on the
/// host (CLI to signer on the keys socket; the signer runs the PAKE; the network role carries the frames through its
/// Waku service node on loopback). Checked from outside: the CLIs' output, the remote's files, both roles' databases
/// and the daemon's log.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct PairingTests {
    /// A running `nimbus remote invite`, with the code it printed (once its subscription is in place).
    final class Invite: @unchecked Sendable {
        let cli: CLIProcess
        let code: String

        init(socket: URL, configDir: URL) throws {
            cli = try CLIProcess(["remote", "invite", "--dev", "--socket", socket.path, "--config-dir", configDir.path,
                                  "--name", "test remote", "--timeout", "60"])
            code = try cli.line("code: ")
        }

        func finish() async -> (status: Int32, stdout: String, stderr: String) { await cli.finish() }
    }

    static func nimbus(_ arguments: [String]) async throws -> Daemon.Result {
        try await Daemon.run(try Daemon.executable("nimbus"), arguments)
    }

    @Test func aRemotePairsWithTheRightCodeAndAWrongCodeKillsTheCode() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "pair")
        try await daemon.start(["--dev", "--data-dir", daemon.dataDir.path, "--policy-dir", Daemon.policyDir.path,
                                "--waku-listen", "127.0.0.1:0"])
        let socket = ["--socket", daemon.socket.path]
        let remoteDir = daemon.root.appendingPathComponent("remote")

        // The right code pairs both sides.
        let invite = try Invite(socket: daemon.socket, configDir: remoteDir)
        let paired = try await Self.nimbus(["pair", invite.code, "--name", "test host", "--json"] + socket)
        #expect(paired.status == 0, "\(paired.stderr)\n\(daemon.logText.suffix(3000))")
        let remote = await invite.finish()
        #expect(remote.status == 0, "\(remote.stderr)")
        #expect(remote.stdout.contains("paired with \"test host\""))
        let device = try JSONDecoder().decode(Device.self, from: Data(paired.stdout.utf8))
        #expect(device.name == "test remote")

        // Each side pinned the other's real key: the remote's identity key, the network role's session key.
        let remoteKey = try Data(contentsOf: remoteDir.appendingPathComponent("identity.key"))
        #expect(remoteKey.count == 32)
        let hosts = try JSONDecoder().decode([Host].self, from: Data(contentsOf: remoteDir.appendingPathComponent("hosts.json")))
        #expect(hosts.map(\.name) == ["test host"])
        let sessionKey = try Data(contentsOf: daemon.dataDir.appendingPathComponent("network/session-identity.key"))
        #expect(sessionKey.count == 32)
        #expect(hosts.first?.staticKey.count == 64)
        #expect(device.staticKey.count == 64)
        // And the signer's own channel key, a different key from the session key (docs/pairing_protocol.md).
        #expect(hosts.first?.signerKey?.count == 64)
        #expect(hosts.first?.signerKey != hosts.first?.staticKey)

        // The network role mirrors the device (its alerts get an outbox).
        try await daemon.waitUntil("the network role records the device", timeout: 10) {
            let names = try? await DatabaseQueue(path: daemon.dataDir.appendingPathComponent("network/network.sqlite").path)
                .read { db in try String.fetchAll(db, sql: "SELECT id FROM devices WHERE static_key IS NOT NULL") }
            return names == ["device-\(device.id)"]
        }

        // A wrong code: the host is told, and the code is dead for the right one too.
        let second = try Invite(socket: daemon.socket, configDir: remoteDir)
        var wrongDigits = Array(second.code)
        wrongDigits[wrongDigits.count - 1] = wrongDigits.last == "0" ? "1" : "0"
        let wrong = try await Self.nimbus(["pair", String(wrongDigits)] + socket)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("did not match"), "\(wrong.stderr)")
        let late = try await Self.nimbus(["pair", second.code] + socket)
        #expect(late.status == 1)
        #expect(late.stderr.contains("already used") || late.stderr.contains("no answer in time"), "\(late.stderr)")
        let secondRemote = await second.finish()
        #expect(secondRemote.status == 1)
        #expect(secondRemote.stderr.contains("pairing failed"))

        // Devices list and revocation, effective in both roles.
        let listed = try await Self.nimbus(["devices", "--json"] + socket)
        #expect(try JSONDecoder().decode([Device].self, from: Data(listed.stdout.utf8)).map(\.id) == [device.id])
        let revoked = try await Self.nimbus(["devices", "revoke", "\(device.id)"] + socket)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let after = try JSONDecoder().decode([Device].self, from: Data(try await Self.nimbus(["devices", "--json"] + socket).stdout.utf8))
        #expect(after.first?.revokedAt != nil)
        try await daemon.waitUntil("the network role drops the device", timeout: 10) {
            let revokedAt = try? await DatabaseQueue(path: daemon.dataDir.appendingPathComponent("network/network.sqlite").path)
                .read { db in try Int64.fetchOne(db, sql: "SELECT revoked_at_millis FROM devices WHERE id = ?", arguments: ["device-\(device.id)"]) }
            return revokedAt != nil
        }

        // No code reaches the log.
        _ = try await daemon.stop()
        for code in [invite.code, second.code] {
            let secret = code.split(separator: "-").dropFirst().joined()
            #expect(!daemon.logText.contains(secret), "a pairing secret in the daemon log")
        }
    }

    @Test func aPairedRemoteCallsTheNodeAndTheManagerOverWakuWithoutEverHoldingTheToken() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "remote-call")
        let simulator = try MonitoringTests.Simulator(root: daemon.root)
        let token = "kmtoken-" + UUID().uuidString
        let tokenFile = daemon.root.appendingPathComponent("keymanager-token")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        let keymanagerPort = MonitoringTests.Simulator.freePort()
        simulator.extraArguments = ["--keymanager", "--keymanager-port=\(keymanagerPort)", "--keymanager-token-file=\(tokenFile.path)"]
        try simulator.start()
        let config = daemon.root.appendingPathComponent("config.toml")
        try """
            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(simulator.rest)"
            metrics = "http://127.0.0.1:\(simulator.metrics)"
            keymanager = "http://127.0.0.1:\(keymanagerPort)"
            keymanager_token_file = "\(tokenFile.path)"
            """.write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        let socket = ["--socket", daemon.socket.path]
        let remoteDir = daemon.root.appendingPathComponent("remote")
        let invite = try Invite(socket: daemon.socket, configDir: remoteDir)
        let paired = try await Self.nimbus(["pair", invite.code, "--name", "test host", "--json"] + socket)
        try #require(paired.status == 0, "\(paired.stderr)")
        #expect(await invite.finish().status == 0)
        let device = try JSONDecoder().decode(Device.self, from: Data(paired.stdout.utf8))
        let remote = ["--dev", "--config-dir", remoteDir.path] + socket

        // The node's answer through Waku is the node's answer.
        let client = HTTPClient()
        defer { client.shutdown() }
        let direct = try await client.request(.GET, "/eth/v1/node/version", at: .tcp(host: "127.0.0.1", port: simulator.rest))
        let version = try await Self.nimbus(["remote", "call", "GET", "/eth/v1/node/version"] + remote)
        #expect(version.status == 0, "\(version.stderr)\n\(daemon.logText.suffix(2000))")
        #expect(version.stdout.trimmingCharacters(in: .newlines) == String(decoding: direct.body, as: UTF8.self))
        let syncing = try await Self.nimbus(["remote", "call", "GET", "/eth/v1/node/syncing"] + remote)
        #expect(syncing.status == 0, "\(syncing.stderr)")
        let syncData = try JSONSerialization.jsonObject(with: Data(syncing.stdout.utf8)) as? [String: Any]
        let fields = (syncData?["data"] as? [String: Any]).map { Set($0.keys) }
        #expect(fields?.isSuperset(of: ["head_slot", "sync_distance", "is_syncing", "is_optimistic", "el_offline"]) == true)

        // The keymanager answers with the token the host added; the remote never had it.
        let keystores = try await Self.nimbus(["remote", "call", "--node", "sim", "GET", "/eth/v1/keystores"] + remote)
        #expect(keystores.status == 0, "\(keystores.stderr)")
        #expect(keystores.stdout.contains("\"data\""))
        if let walker = FileManager.default.enumerator(at: remoteDir, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where !url.hasDirectoryPath {
                #expect((try Data(contentsOf: url)).range(of: Data(token.utf8)) == nil, "the token in \(url.path)")
            }
        }
        // The manager API too.
        let status = try await Self.nimbus(["remote", "call", "GET", "/v1/status"] + remote)
        #expect(status.status == 0 && status.stdout.contains("\"roles\""), "\(status.stderr)")

        // The node's event stream flows through the session as it happens (1-second slots: a head event each).
        let events = try await Self.nimbus(["remote", "events", "--topics", "head", "--count", "2"] + remote)
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.components(separatedBy: "event: head").count - 1 >= 2, "\(events.stdout)")

        // Outside the allow-list: refused by the host, with a reason.
        let refused = try await Self.nimbus(["remote", "call", "POST", "/eth/v1/beacon/pool/attestations", "--data", "[]"] + remote)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("allow-list") && refused.stderr.contains("HTTP 403"))

        // An alert raised while the remote is away waits in its own outbox until it acknowledges it there.
        try await simulator.scenario(#"{"el_offline":true}"#)
        var alertID: Int64?
        try await daemon.waitUntil("el_offline fires", timeout: 60) {
            let listed = try await Self.nimbus(["remote", "alerts", "--json"] + remote)
            guard listed.status == 0, let report = try? JSONDecoder().decode(AlertsReport.self, from: Data(listed.stdout.utf8)) else {
                return false
            }
            alertID = report.pending.first { pending in report.alerts.contains { $0.id == pending.alertID && $0.kind == "el_offline" } }?.alertID
            return alertID != nil
        }
        let id = try #require(alertID)
        let acked = try await Self.nimbus(["remote", "alerts", "ack", "\(id)"] + remote)
        #expect(acked.status == 0, "\(acked.stderr)")
        let afterAck = try JSONDecoder().decode(AlertsReport.self, from: Data(try await Self.nimbus(["remote", "alerts", "--json"] + remote).stdout.utf8))
        #expect(!afterAck.pending.contains { $0.alertID == id })
        // The CLI on the host has its own outbox: still pending there.
        let local = try JSONDecoder().decode(AlertsReport.self, from: Data(try await Self.nimbus(["alerts", "--json"] + socket).stdout.utf8))
        #expect(local.pending.contains { $0.alertID == id })
        // What the daemon serves is what docs/api/manager.yaml says, with real alerts, devices and peers in it.
        try await ManagerSpec.validate(
            socket: daemon.socket,
            paths: ["/v1/health", "/v1/status", "/v1/nodes", "/v1/alerts", "/v1/devices", "/v1/waku/status"],
            posts: ["/v1/alerts/\(id)/ack", "/v1/alerts/999999/ack", "/v1/alerts/x/ack"])
        let devicesListed = try await Self.nimbus(["remote", "devices", "--json"] + remote)
        #expect(devicesListed.status == 0 && devicesListed.stdout.contains("\"device-\(device.id)\""), "\(devicesListed.stderr)")

        // Revoked: the host stops answering the device at once.
        #expect(try await Self.nimbus(["devices", "revoke", "\(device.id)"] + socket).status == 0)
        try await daemon.waitUntil("the host closes the device's sessions", timeout: 10) {
            daemon.logText.contains("device sessions closed")
        }
        let afterRevoke = try await Self.nimbus(["remote", "call", "--timeout", "5", "GET", "/eth/v1/node/version"] + remote)
        #expect(afterRevoke.status == 1)
        #expect(afterRevoke.stderr.contains("did not answer the session handshake"))
        _ = try await daemon.stop()
        #expect(!daemon.logText.contains(token))
    }

    struct Device: Decodable {
        var id: Int64
        var name: String
        var staticKey: String
        var revokedAt: String?
    }

    struct Host: Decodable {
        var name: String
        var staticKey: String
        var signerKey: String?
    }
}
