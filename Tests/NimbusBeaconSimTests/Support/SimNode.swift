import Foundation
import Testing

@testable import NimbusBeaconSim

/// A running simulator on free loopback ports with a test data directory, and every HTTP exchange made with it
/// (so that a test can hand them all to the OpenAPI oracle at the end).
final class SimNode: @unchecked Sendable {
    // @unchecked: each test owns its node and uses it from one task.
    let dataDir: URL
    let genesis: Double
    let restPort = FreePort.next()
    let metricsPort = FreePort.next()
    let controlPort = FreePort.next()
    let tokenFile: URL
    let token = "0x" + String(repeating: "7e", count: 32)
    private(set) var process: SimProcess
    private(set) var exchanges: [Oracle.Exchange] = []
    let arguments: [String]

    /// Chain timing used by every end-to-end test: 1-second slots, 4 slots per epoch, 16 validators.
    static let slotSeconds = 1.0
    static let slotsPerEpoch: UInt64 = 4

    /// How the keymanager API is served.
    enum Keymanager {
        case off
        /// On the REST server (same address and port, as Nimbus shares them).
        case sharedWithREST
        /// On its own port.
        case ownPort
    }

    /// The keymanager's port (the REST port when shared).
    let keymanagerPort: Int

    /// Starts a node. `genesis` defaults to 1000 s ago (slot ~1000 when it starts).
    init(
        _ extra: [String] = [], dataDir: URL? = nil, genesis: Double? = nil, keymanager: Keymanager = .off,
        label: String = "node"
    ) throws {
        self.dataDir = dataDir ?? Paths.temporaryDirectory("data")
        self.genesis = genesis ?? (Date().timeIntervalSince1970 - 1000).rounded(.down)
        tokenFile = self.dataDir.deletingLastPathComponent().appendingPathComponent(
            "token-\(UUID().uuidString.prefix(6))")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        let keymanagerArguments: [String]
        switch keymanager {
        case .off:
            keymanagerPort = restPort
            keymanagerArguments = []
        case .sharedWithREST:
            keymanagerPort = restPort
            keymanagerArguments = [
                "--keymanager", "--keymanager-port=\(restPort)", "--keymanager-token-file=\(tokenFile.path)",
            ]
        case .ownPort:
            keymanagerPort = FreePort.next()
            keymanagerArguments = [
                "--keymanager", "--keymanager-port=\(keymanagerPort)",
                "--keymanager-token-file=\(tokenFile.path)",
            ]
        }
        arguments =
            keymanagerArguments + [
                "--network=mainnet", "--data-dir=\(self.dataDir.path)", "--non-interactive",
                "--rest", "--rest-port=\(restPort)", "--metrics", "--metrics-port=\(metricsPort)",
                "--el=http://127.0.0.1:8551",
                "--sim-genesis-time=\(Int(self.genesis))", "--sim-seconds-per-slot=\(Self.slotSeconds)",
                "--sim-slots-per-epoch=\(Self.slotsPerEpoch)", "--sim-validator-count=16",
                "--sim-initial-sync-distance=0", "--sim-control-port=\(controlPort)",
            ] + extra
        process = try SimProcess(arguments, label: label)
    }

    /// Starts the same node again (same data directory, ports and chain), e.g. after a crash; options starting
    /// with one of `dropping` (say, the crash that ended the first run) are left out.
    func restart(_ extra: [String] = [], dropping: [String] = ["--sim-crash"]) throws {
        process.stop()
        let kept = arguments.filter { argument in !dropping.contains { argument.hasPrefix($0) } }
        process = try SimProcess(kept + extra, label: "restart")
    }

    var rest: TinyHTTPClient { TinyHTTPClient(port: restPort) }
    var metrics: TinyHTTPClient { TinyHTTPClient(port: metricsPort) }
    var control: TinyHTTPClient { TinyHTTPClient(port: controlPort) }

    /// Waits until the control endpoint answers (the process is up).
    func waitForControl(timeout: Double = 20) throws {
        let up = eventually(timeout: timeout) { (try? control.get("/sim/v1/status")) != nil }
        if !up { throw TinyHTTPClient.Failure(description: "control endpoint never came up:\n\(process.output)") }
    }

    /// Waits until REST serves (start-up over).
    func waitForREST(timeout: Double = 20) throws {
        let up = eventually(timeout: timeout) { (try? rest.get("/eth/v1/node/health")) != nil }
        if !up { throw TinyHTTPClient.Failure(description: "REST never came up:\n\(process.output)") }
    }

    /// A request to `client`, recorded for the oracle under `api`.
    @discardableResult
    func call(
        _ api: String = "beacon", _ method: String, _ path: String, port: Int? = nil, headers: [String: String] = [:],
        body: String? = nil, eip3076Fields: [String] = [], record: Bool = true
    ) throws -> TinyHTTPClient.Response {
        let client = TinyHTTPClient(port: port ?? (api == "keymanager" ? keymanagerPort : restPort))
        let response = try client.request(method, path, headers: headers, body: Array((body ?? "").utf8))
        if record {
            exchanges.append(
                Oracle.Exchange(
                    api: api, method: method, path: path, status: response.status, contentType: response.contentType,
                    body: response.text, eip3076Fields: eip3076Fields))
        }
        return response
    }

    /// A keymanager request with the right token.
    @discardableResult
    func keymanager(
        _ method: String, _ path: String, body: String? = nil, port: Int? = nil,
        eip3076Fields: [String] = []
    ) throws -> TinyHTTPClient.Response {
        try call(
            "keymanager", method, path, port: port, headers: ["Authorization": "Bearer \(token)"], body: body,
            eip3076Fields: eip3076Fields)
    }

    /// Records an exchange made otherwise (event streams).
    func record(_ exchange: Oracle.Exchange) { exchanges.append(exchange) }

    /// Changes the scenario through the control endpoint.
    func scenario(_ json: String) throws {
        let response = try control.request("POST", "/sim/v1/scenario", body: Array(json.utf8))
        guard response.status == 200 else {
            throw TinyHTTPClient.Failure(description: "scenario change refused: \(response.status) \(response.text)")
        }
    }

    /// The control endpoint's status document.
    func status() throws -> [String: Any] {
        let response = try control.get("/sim/v1/status")
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }

    /// `/eth/v1/node/syncing`'s data.
    func syncing() throws -> [String: Any] {
        let response = try call("beacon", "GET", "/eth/v1/node/syncing")
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["data"] as? [String: Any] ?? [:]
    }

    /// The ledger file as it is on disk.
    func ledger() throws -> DutyLedger {
        try JSONCoding.decode(
            DutyLedger.self, from: Array(Data(contentsOf: dataDir.appendingPathComponent("beacon-sim/ledger.json"))))
    }

    /// Hands every recorded exchange to the OpenAPI oracle.
    func validateExchanges(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Oracle.validate(exchanges, sourceLocation: sourceLocation)
    }

    deinit {
        process.stop()
        // The data directory stays: a test may still read it after its last use of the node (ARC may end the
        // node's life early), and it helps when a test fails. It is small and under the temporary directory.
        try? FileManager.default.removeItem(at: tokenFile)
    }
}
