import Foundation
import NimbusAPI
import NimbusIPC
import Testing
@testable import NimbusNetworkCore

/// The control API's routing and composition, with the other roles stubbed.
@Suite struct ControlAPITests {
    struct Down: Error, CustomStringConvertible { var description = "the signer role is not reachable" }

    private func api(signerDown: Bool = false, acknowledged: StoredAlert? = nil) -> ControlAPI {
        ControlAPI(mode: "dev", backends: .init(
            roleStatus: { [RoleInfo(role: .installer, state: .running, pid: 3, user: "root", uid: 0, restarts: 0,
                                    lastExit: "", startedAtMillis: 1, observed: nil, reported: []),
                           RoleInfo(role: .network, state: .running, pid: 1, user: "nm", uid: 9, restarts: 0,
                                    lastExit: "", startedAtMillis: 1, observed: nil, reported: [])] },
            keyStoreStatus: {
                if signerDown { throw Down() }
                return KeyStoreStatus(keystoreCount: 2, schemaVersion: 1)
            },
            installState: { InstallState(phase: .idle, activeVersion: "", installedVersions: [], schemaVersion: 1) },
            nodes: { NodesReport(nodes: [NodeSnapshot(name: "hoodi", rest: "http://127.0.0.1:5052")]) },
            acknowledge: { id, _ in id == 7 ? acknowledged : nil },
            metrics: { "nimbus_nm_node_up{node=\"hoodi\"} 1\n" },
            controlNode: { name, action in
                guard name == "hoodi" else { return .notLaunched("no node named \(name)") }
                return .done(NodeProcessReport(NodeProcessState(
                    name: name, phase: action == .stop ? .stopping : .starting, pid: action == .stop ? 9 : 0,
                    restarts: 0, sinceMillis: 0, restartAtMillis: 0, lastExitCode: -1, lastExitSignal: 0,
                    lastExitAtMillis: 0, lastError: "")))
            }))
    }

    /// Pairing by QR: only on the host's own socket, POST only, and a body that is not the documented JSON gets 400
    /// with what was expected, before any backend runs.
    @Test func pairingRoutesRefuseOtherCallersMethodsAndBodies() async throws {
        let api = api()
        let good = Array(#"{"qr":"x","qr_message_nametag":"00"}"#.utf8)
        let remote = await api.handle(method: "POST", path: "/v1/pairing/waku", device: "device-3", body: good)
        #expect(remote.status == 403)
        #expect(try json(remote)["error"] as? String == "pairing is only possible on the host itself")
        #expect(await api.handle(method: "GET", path: "/v1/pairing/waku").status == 405)
        let badStart = await api.handle(method: "POST", path: "/v1/pairing/waku", body: Array("{".utf8))
        #expect(badStart.status == 400)
        #expect(try json(badStart)["error"] as? String == #"the body must be {"qr": ..., "qr_message_nametag": ...}"#)
        let badConfirm = await api.handle(method: "POST", path: "/v1/pairing/waku/abc/confirm", body: Array("[]".utf8))
        #expect(badConfirm.status == 400)
        #expect(try json(badConfirm)["error"] as? String == #"the body must be {"same": true|false}"#)
        #expect(await api.handle(method: "POST", path: "/v1/pairing/waku/abc/other", body: good).status == 404)
        // With well-formed bodies the backend answers; the default one says pairing is unavailable.
        #expect(await api.handle(method: "POST", path: "/v1/pairing/waku", body: good).status == 503)
    }

    @Test func keysAreListedWithPublicFactsOnly() async throws {
        let api = ControlAPI(mode: "dev", backends: .init(
            roleStatus: { [] }, keyStoreStatus: { KeyStoreStatus(keystoreCount: 1, schemaVersion: 4) },
            installState: { InstallState(phase: .idle, activeVersion: "", installedVersions: [], schemaVersion: 2) },
            keys: {
                KeysReport(keys: [KeysReport.Key(KeyListEntry(
                    pubkey: [UInt8](repeating: 0xAB, count: 48), path: "m/12381/3600/0/0/0", source: .generated,
                    createdAtMillis: 0))])
            }))
        let response = await api.handle(method: "GET", path: "/v1/keys")
        #expect(response.status == 200)
        let report = try JSONDecoder().decode(KeysReport.self, from: Data(response.body))
        #expect(report.keys.count == 1)
        #expect(report.keys.first?.pubkey == "0x" + String(repeating: "ab", count: 48))
        #expect(report.keys.first?.path == "m/12381/3600/0/0/0")
        #expect(report.keys.first?.source == "generated")
        #expect(report.keys.first?.createdAt == "1970-01-01T00:00:00.000Z")
        let object = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let first = try #require((object["keys"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["pubkey", "path", "source", "created_at"], "no key material, no other field")
        #expect(await api.handle(method: "DELETE", path: "/v1/keys").status == 405)
    }

    @Test func nodesAreStartedStoppedAndRestartedByPOSTOnly() async throws {
        let api = api()
        for (verb, state) in [("start", "starting"), ("stop", "stopping"), ("restart", "starting")] {
            let response = await api.handle(method: "POST", path: "/v1/nodes/hoodi/\(verb)")
            #expect(response.status == 200)
            let report = try JSONDecoder().decode(NodeProcessReport.self, from: Data(response.body))
            #expect(report.state == state)
        }
        #expect(await api.handle(method: "GET", path: "/v1/nodes/hoodi/start").status == 405)
        let unknown = await api.handle(method: "POST", path: "/v1/nodes/mainnet/start")
        #expect(unknown.status == 404)
        #expect(try json(unknown)["error"] as? String == "no node named mainnet")
        #expect(await api.handle(method: "POST", path: "/v1/nodes/hoodi/reboot").status == 404)
        #expect(await api.handle(method: "POST", path: "/v1/nodes//start").status == 404)
        #expect(await api.handle(method: "POST", path: "/v1/nodes/a/b/start").status == 404)
    }

    private func json(_ response: ControlAPI.Response) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func statusComposesEveryRoleAndOrdersThem() async throws {
        let response = await api().handle(method: "GET", path: "/v1/status")
        #expect(response.status == 200)
        let report = try JSONDecoder().decode(StatusReport.self, from: Data(response.body))
        #expect(report.roles.map(\.role) == ["network", "installer"])
        #expect(report.signer == SignerReport(keystores: 2, schemaVersion: 1))
        #expect(report.signerError == nil)
    }

    @Test func aRoleThatDoesNotAnswerBecomesAnErrorStringNotAFailedCommand() async throws {
        let response = await api(signerDown: true).handle(method: "GET", path: "/v1/status")
        #expect(response.status == 200)
        let report = try JSONDecoder().decode(StatusReport.self, from: Data(response.body))
        #expect(report.signer == nil)
        #expect(report.signerError == "the signer role is not reachable")
    }

    @Test func routesAndMethods() async throws {
        let api = api()
        #expect(await api.handle(method: "POST", path: "/v1/status").status == 405)
        #expect(await api.handle(method: "GET", path: "/v2/status").status == 404)
        #expect(try json(await api.handle(method: "GET", path: "/nope"))["error"] as? String == "no such endpoint: /nope")
        #expect(await api.handle(method: "GET", path: "/v1/health?x=1").body == Array(#"{"ok":true}"#.utf8))
        let nodes = await api.handle(method: "GET", path: "/v1/nodes")
        #expect(try JSONDecoder().decode(NodesReport.self, from: Data(nodes.body)).nodes.map(\.name) == ["hoodi"])
        let metrics = await api.handle(method: "GET", path: "/v1/metrics")
        #expect(metrics.contentType == "text/plain; version=0.0.4")
        #expect(String(decoding: metrics.body, as: UTF8.self) == "nimbus_nm_node_up{node=\"hoodi\"} 1\n")
    }

    @Test func acknowledgingAlerts() async throws {
        let alert = StoredAlert(id: 7, kind: "peers_low", subject: "hoodi", severity: "warning", title: "Few peers",
                                diagnosis: "3 peers", action: "...", firedAtMillis: 1, resolvedAtMillis: nil,
                                acknowledgedAtMillis: 2, notified: true)
        let api = api(acknowledged: alert)
        let ok = await api.handle(method: "POST", path: "/v1/alerts/7/ack")
        #expect(ok.status == 200)
        #expect(try JSONDecoder().decode(StoredAlert.self, from: Data(ok.body)) == alert)
        #expect(await api.handle(method: "POST", path: "/v1/alerts/8/ack").status == 404)
        #expect(await api.handle(method: "POST", path: "/v1/alerts/x/ack").status == 400)
        #expect(await api.handle(method: "POST", path: "/v1/alerts/-1/ack").status == 400)
        #expect(await api.handle(method: "GET", path: "/v1/alerts/7/ack").status == 405)
    }

    @Test func alertsAndAcknowledgementsAreForTheAskingDevice() async throws {
        let asked = AskedDevices()
        let api = ControlAPI(mode: "dev", backends: .init(
            roleStatus: { [] }, keyStoreStatus: { KeyStoreStatus(keystoreCount: 0, schemaVersion: 1) },
            installState: { InstallState(phase: .idle, activeVersion: "", installedVersions: [], schemaVersion: 1) },
            alerts: { device in
                await asked.add(device)
                return AlertsReport(alerts: [], pending: [])
            },
            acknowledge: { _, device in
                await asked.add("ack:" + device)
                return nil
            },
            devices: { [DeviceSummary(id: "device-1", name: "laptop", pairedAt: "2026-11-26T00:00:00Z", revokedAt: nil, pendingNotifications: 2)] }))
        _ = await api.handle(method: "GET", path: "/v1/alerts")
        _ = await api.handle(method: "GET", path: "/v1/alerts", device: "device-1")
        _ = await api.handle(method: "POST", path: "/v1/alerts/3/ack", device: "device-1")
        #expect(await asked.all == ["local", "device-1", "ack:device-1"])
        let devices = await api.handle(method: "GET", path: "/v1/devices")
        #expect(devices.status == 200)
        #expect(String(decoding: devices.body, as: UTF8.self).contains(#""revoked_at":null"#))
        #expect(await api.handle(method: "POST", path: "/v1/devices").status == 405)
    }
}

actor AskedDevices {
    var all: [String] = []
    func add(_ device: String) { all.append(device) }
}
