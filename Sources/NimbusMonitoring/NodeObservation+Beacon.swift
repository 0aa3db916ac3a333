import Foundation

/// Filling a `NodeObservation` from a node's answers. The Beacon API encodes integers as decimal strings
/// (`"head_slot": "1234"`); anything that does not decode leaves the field unknown and says why.
extension NodeObservation {
    /// Why an answer could not be used.
    public struct AnswerError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    private struct Envelope<T: Decodable>: Decodable {
        var data: T
    }

    private struct Syncing: Decodable {
        var head_slot: String
        var sync_distance: String
        var is_syncing: Bool
        var is_optimistic: Bool?
        var el_offline: Bool?
    }

    private struct PeerCount: Decodable {
        var connected: String
    }

    private struct Version: Decodable {
        var version: String
    }

    /// `GET /eth/v1/node/syncing`.
    public mutating func applySyncing(_ body: [UInt8]) throws(AnswerError) {
        let syncing: Syncing = try Self.decode(body, "/eth/v1/node/syncing")
        guard let head = UInt64(syncing.head_slot), let distance = UInt64(syncing.sync_distance) else {
            throw AnswerError(description: "/eth/v1/node/syncing: head_slot and sync_distance must be decimal strings")
        }
        headSlot = head
        syncDistance = distance
        isSyncing = syncing.is_syncing
        isOptimistic = syncing.is_optimistic
        elOffline = syncing.el_offline
    }

    /// `GET /eth/v1/node/peer_count`.
    public mutating func applyPeerCount(_ body: [UInt8]) throws(AnswerError) {
        let count: PeerCount = try Self.decode(body, "/eth/v1/node/peer_count")
        guard let connected = Int(count.connected), connected >= 0 else {
            throw AnswerError(description: "/eth/v1/node/peer_count: connected must be a decimal string")
        }
        peers = connected
    }

    /// `GET /eth/v1/node/version`.
    public mutating func applyVersion(_ body: [UInt8]) throws(AnswerError) {
        let answer: Version = try Self.decode(body, "/eth/v1/node/version")
        version = String(answer.version.prefix(200))
    }

    /// `/metrics`: the gauges and counters the rules read, with Nimbus's names. nim-metrics writes a counter `x`
    /// as `x_total` (with `x_created`), so both spellings are read.
    public mutating func applyMetrics(_ metrics: PrometheusText) {
        func series(_ name: String) -> [PrometheusText.Sample] {
            let plain = metrics.all(name)
            return plain.isEmpty ? metrics.all(name + "_total") : plain
        }
        func sum(_ name: String) -> Double? {
            let samples = series(name)
            return samples.isEmpty ? nil : samples.reduce(0) { $0 + $1.value }
        }
        wallSlot = metrics.value("beacon_slot").flatMap { $0 >= 0 && $0.isFinite ? UInt64($0) : nil }
        let hits = series("validator_monitor_prev_epoch_on_chain_attester_hit")
        let misses = series("validator_monitor_prev_epoch_on_chain_attester_miss")
        if !hits.isEmpty || !misses.isEmpty {
            attesterHits = hits.reduce(0) { $0 + $1.value }
            attesterMisses = misses.reduce(0) { $0 + $1.value }
            // Per-validator series carry the validator's index or key; an aggregate carries "total".
            let labelled = Set((hits + misses).compactMap { $0.labels["validator"] }.filter { $0 != "total" })
            if !labelled.isEmpty { validatorCount = labelled.count }
        }
        blocksProposed = sum("beacon_blocks_proposed")
        blockProductionErrors = sum("beacon_block_production_errors")
        blockMisses = sum("validator_monitor_block_miss")
        applyBalances(metrics)
        processStartTime = metrics.value("process_start_time_seconds")
        if peers == nil, let count = metrics.value("nbc_peers"), count >= 0, count.isFinite { peers = Int(count) }
        if version == nil, let sample = metrics.all("version").first, let tag = sample.labels["version"] {
            version = "Nimbus/\(tag)"
        }
    }

    /// Nimbus sets `attached_validator_balance{pubkey}` (first 64 keys) and `attached_validator_balance_total` from
    /// its head state for every attached key; the validator monitor's `validator_monitor_balance_gwei` exists only
    /// when monitoring is on. A total of 0 is what an unset gauge reads right after a start, not a balance.
    private mutating func applyBalances(_ metrics: PrometheusText) {
        func labelled(_ name: String, _ label: String) -> [String: Double] {
            var values: [String: Double] = [:]
            for sample in metrics.all(name) {
                guard let key = sample.labels[label], key != "total", sample.value.isFinite else { continue }
                values[key] = sample.value
            }
            return values
        }
        if let total = metrics.value("attached_validator_balance_total"), total > 0, total.isFinite {
            balanceGwei = total
            validatorBalances = labelled("attached_validator_balance", "pubkey")
            balanceSource = "attached_validator_balance"
            return
        }
        let monitor = metrics.all("validator_monitor_balance_gwei")
        let total = monitor.reduce(0) { $0 + $1.value }
        guard !monitor.isEmpty, total > 0, total.isFinite else { return }
        balanceGwei = total
        validatorBalances = labelled("validator_monitor_balance_gwei", "validator")
        balanceSource = "validator_monitor_balance_gwei"
    }

    private static func decode<T: Decodable>(_ body: [UInt8], _ path: String) throws(AnswerError) -> T {
        do {
            return try JSONDecoder().decode(Envelope<T>.self, from: Data(body)).data
        } catch {
            throw AnswerError(description: "\(path): unexpected answer (\(Self.describe(error)))")
        }
    }

    /// A decoding error in a few words, without echoing the node's bytes.
    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing \(key.stringValue)"
        case .typeMismatch(_, let context)?: "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(_, let context)?: "null at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted?: "not JSON"
        default: "undecodable"
        }
    }
}
