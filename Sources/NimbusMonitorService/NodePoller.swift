import Foundation
import NimbusAPI
import NIOHTTP1
import NimbusConfig
import NimbusHTTPClient
import NimbusMonitoring

/// Polls one managed node's Beacon API and metrics, aligned to its slots once it has told us its genesis time and
/// slot duration. Holds the keymanager token in memory only; it is sent to the node and nowhere else.
public actor NodePoller {
    public let node: ManagedNode
    /// True for the node looked for without configuration: it is not alerted on until it has answered once.
    public let implicit: Bool
    private let client: HTTPClient
    private let rest: HTTPURL
    private let metrics: HTTPURL?
    private let keymanager: HTTPURL?
    private let token: String?
    private var genesisSeconds: UInt64?
    private var secondsPerSlot: UInt64?
    private var slotsPerEpoch: UInt64?
    public private(set) var snapshot: NodeSnapshot
    public private(set) var polls = 0
    public private(set) var failures = 0

    /// `token` is the content of the node's keymanager token file, read by the caller before the sandbox closed.
    public init(node: ManagedNode, implicit: Bool, client: HTTPClient, token: String?) {
        self.node = node
        self.implicit = implicit
        self.client = client
        rest = HTTPURL(node.rest) ?? HTTPURL("http://127.0.0.1:5052")!
        metrics = node.metrics.flatMap(HTTPURL.init)
        keymanager = node.keymanager.flatMap(HTTPURL.init)
        self.token = token
        snapshot = NodeSnapshot(name: node.name, rest: node.rest)
    }

    /// How long to wait before the next poll: a third into the next slot (when the node has just processed the
    /// slot's block and attestations are due), or `fallback` while the slot timing is unknown.
    public func delayUntilNextPoll(nowMillis: UInt64, fallbackMillis: UInt64 = 12_000) -> UInt64 {
        guard let genesis = genesisSeconds, let slot = secondsPerSlot, slot > 0 else { return fallbackMillis }
        let slotMillis = slot * 1000
        let genesisMillis = genesis * 1000
        guard nowMillis > genesisMillis else { return min(genesisMillis - nowMillis, fallbackMillis) }
        let intoSlot = (nowMillis - genesisMillis) % slotMillis
        let target = slotMillis / 3
        return intoSlot < target ? target - intoSlot : slotMillis - intoSlot + target
    }

    /// One poll: syncing, peers, version and metrics, concurrently; what failed stays unknown.
    public func poll(nowMillis: UInt64) async -> NodeObservation {
        polls += 1
        var observation = NodeObservation(node: node.name, atMillis: nowMillis)
        async let syncing = get(rest, "/eth/v1/node/syncing")
        async let peers = get(rest, "/eth/v1/node/peer_count")
        async let version = get(rest, "/eth/v1/node/version")
        async let exposition = scrapeMetrics()
        let syncingResult = await syncing
        switch syncingResult {
        case let .failure(failure):
            failures += 1
            observation.unreachable = failure.description
            _ = await (peers, version)
            _ = await exposition
            record(observation, nowMillis: nowMillis)
            return observation
        case let .success(body):
            do { try observation.applySyncing(body) } catch { observation.unreachable = error.description }
        }
        if case let .success(body) = await peers { try? observation.applyPeerCount(body) }
        if case let .success(body) = await version { try? observation.applyVersion(body) }
        if case let .success(body)? = await exposition {
            if let text = try? PrometheusText(parsing: String(decoding: body, as: UTF8.self)) {
                observation.applyMetrics(text)
            }
        }
        if genesisSeconds == nil { await learnTiming() }
        observation.slotsPerEpoch = slotsPerEpoch
        if observation.validatorCount == nil, let count = await keymanagerValidatorCount() {
            observation.validatorCount = count
        }
        record(observation, nowMillis: nowMillis)
        return observation
    }

    private func scrapeMetrics() async -> Result<[UInt8], HTTPClient.Failure>? {
        guard let metrics else { return nil }
        return await get(metrics, "/metrics", accept: "text/plain")
    }

    private func record(_ observation: NodeObservation, nowMillis: UInt64) {
        snapshot.lastPollMillis = nowMillis
        snapshot.reachable = observation.unreachable == nil
        snapshot.error = observation.unreachable
        if snapshot.reachable { snapshot.found = true }
        snapshot.headSlot = observation.headSlot
        snapshot.syncDistance = observation.syncDistance
        snapshot.isSyncing = observation.isSyncing
        snapshot.isOptimistic = observation.isOptimistic
        snapshot.elOffline = observation.elOffline
        snapshot.peers = observation.peers
        snapshot.version = observation.version
        snapshot.validators = observation.validatorCount
    }

    private struct Genesis: Decodable {
        struct Data: Decodable { var genesis_time: String }
        var data: Data
    }

    private struct Spec: Decodable {
        struct Data: Decodable {
            var SECONDS_PER_SLOT: String
            var SLOTS_PER_EPOCH: String?
        }
        var data: Data
    }

    private func learnTiming() async {
        if case let .success(body) = await get(rest, "/eth/v1/beacon/genesis"),
            let genesis = try? JSONDecoder().decode(Genesis.self, from: Data(body))
        {
            genesisSeconds = UInt64(genesis.data.genesis_time)
        }
        if case let .success(body) = await get(rest, "/eth/v1/config/spec"),
            let spec = try? JSONDecoder().decode(Spec.self, from: Data(body))
        {
            secondsPerSlot = UInt64(spec.data.SECONDS_PER_SLOT)
            slotsPerEpoch = spec.data.SLOTS_PER_EPOCH.flatMap { UInt64($0) }
        }
    }

    private struct Keystores: Decodable {
        struct Entry: Decodable { var validating_pubkey: String }
        var data: [Entry]
    }

    private func keymanagerValidatorCount() async -> Int? {
        guard let keymanager, let token else { return nil }
        guard case let .success(body) = await get(keymanager, "/eth/v1/keystores", bearer: token),
            let keystores = try? JSONDecoder().decode(Keystores.self, from: Data(body))
        else { return nil }
        return keystores.data.count
    }

    private func get(
        _ url: HTTPURL, _ path: String, accept: String = "application/json", bearer: String? = nil
    ) async -> Result<[UInt8], HTTPClient.Failure> {
        var headers = [("Accept", accept)]
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        do {
            let response = try await client.request(
                .GET, url.basePath + path, at: .tcp(host: url.host, port: url.port), headers: headers,
                timeout: .seconds(5), maximumBody: 8 << 20)
            guard response.status == 200 else {
                return .failure(HTTPClient.Failure(
                    reason: .other, description: "\(url.host):\(url.port)\(path) answered HTTP \(response.status)"))
            }
            return .success(response.body)
        } catch {
            return .failure(error)
        }
    }
}
