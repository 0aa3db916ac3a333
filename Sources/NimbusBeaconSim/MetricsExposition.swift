/// Renders `NodeMetrics` in the Prometheus text exposition format (version 0.0.4), the way nim-metrics does:
/// HELP and TYPE lines per family, counters as `<name>_total` plus `<name>_created`, floats with a decimal point.
public struct MetricsExposition: Sendable {
    /// The version gauge's labels.
    public var version: NodeVersion
    /// Process start, for the counters' `_created` samples.
    public var createdAt: Double
    /// The process's start time as the kernel has it (`/proc/self/stat`), for `process_start_time_seconds`.
    public var processStartTime: Double?

    /// An exposition for one process.
    public init(version: NodeVersion, createdAt: Double, processStartTime: Double? = nil) {
        self.version = version
        self.createdAt = createdAt
        self.processStartTime = processStartTime
    }

    /// The content type Prometheus expects for this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The whole page.
    public func render(_ metrics: NodeMetrics) -> String {
        var out = ""
        gauge(
            &out, "version", "Nimbus version info (as metric labels)",
            [(["version": version.full, "commit": version.commit], 1)])
        gauge(&out, "beacon_slot", "Latest slot of the beacon chain state", [([:], Double(metrics.beaconSlot))])
        gauge(&out, "beacon_current_epoch", "Current epoch", [([:], Double(metrics.beaconCurrentEpoch))])
        gauge(
            &out, "beacon_head_slot", "Slot of the head block of the beacon chain",
            [([:], Double(metrics.beaconHeadSlot))])
        gauge(
            &out, "beacon_finalized_epoch", "Current finalized epoch",
            [([:], Double(metrics.beaconFinalizedEpoch))])
        gauge(
            &out, "beacon_current_justified_epoch", "Current justified epoch",
            [([:], Double(metrics.beaconCurrentJustifiedEpoch))])
        gauge(&out, "nbc_peers", "Number of active libp2p peers", [([:], Double(metrics.peers))])
        gauge(
            &out, "next_action_wait", "Seconds until the next attestation will be sent",
            [([:], metrics.nextActionWait)])
        gauge(
            &out, "next_proposal_wait", "Seconds until the next proposal will be sent, or Inf if not known",
            [([:], metrics.nextProposalWait)])
        gauge(
            &out, "sync_committee_active", "1 if there are current sync committee duties, 0 otherwise",
            [([:], metrics.syncCommitteeActive)])
        gauge(
            &out, "beacon_active_validators", "Number of validators attached",
            [([:], Double(metrics.attachedValidators))])
        counter(
            &out, "beacon_attestations_sent", "Number of beacon chain attestations sent by this peer",
            [([:], metrics.attestationsSent)])
        counter(
            &out, "beacon_blocks_proposed", "Number of beacon chain blocks sent by this peer",
            [([:], metrics.blocksProposed)])
        counter(
            &out, "beacon_block_production_errors", "Number of times we failed to produce a block",
            [([:], metrics.blockProductionErrors)])
        gauge(
            &out, "attached_validator_balance", "Validator balance at slot end of the first 64 validators, in Gwei",
            metrics.attachedBalances.sorted { $0.key < $1.key }.map { (["pubkey": $0.key], Double($0.value)) })
        gauge(
            &out, "attached_validator_balance_total", "Validator balance of all attached validators, in Gwei",
            [([:], Double(metrics.attachedBalanceTotal))])
        gauge(
            &out, "validator_monitor_balance_gwei", "The validator's balance in gwei.",
            metrics.monitorBalances.sorted { $0.key < $1.key }.map { (["validator": $0.key], Double($0.value)) })
        counter(
            &out, "validator_monitor_block_hit",
            "Number of times a block proposed by the validator was included an epoch later",
            metrics.blockHits.sorted { $0.key < $1.key }.map { (["validator": $0.key], $0.value) })
        counter(
            &out, "validator_monitor_block_miss",
            "Number of times the validator was expected to propose a block but no block was included",
            metrics.blockMisses.sorted { $0.key < $1.key }.map { (["validator": $0.key], $0.value) })
        counter(
            &out, "validator_monitor_prev_epoch_on_chain_attester_hit",
            "Incremented if the validator is flagged as a previous epoch attester during per epoch processing",
            metrics.attesterHits.sorted { $0.key < $1.key }.map { (["validator": $0.key], $0.value) })
        counter(
            &out, "validator_monitor_prev_epoch_on_chain_attester_miss",
            "Incremented if the validator is not flagged as a previous epoch attester during per epoch processing",
            metrics.attesterMisses.sorted { $0.key < $1.key }.map { (["validator": $0.key], $0.value) })
        counter(
            &out, "engine_api_responses", "Number of successful requests to the newPayload Engine API end-point",
            metrics.engineResponses.sorted { $0.key < $1.key }.map {
                (["url": $0.key.url, "request": $0.key.request, "status": $0.key.status], $0.value)
            })
        counter(
            &out, "engine_api_timeouts", "Number of timed-out requests to Engine API end-point",
            metrics.engineTimeouts.sorted { $0.key < $1.key }.map {
                (["url": $0.key.url, "request": $0.key.request], $0.value)
            })
        if let start = processStartTime {
            // nim-metrics' process collector: one family header, then samples under their own names.
            out += "# HELP process_info CPU and memory usage\n# TYPE process_info gauge\n"
            out += "process_start_time_seconds \(start)\n"
        }
        return out
    }

    private func gauge(_ out: inout String, _ name: String, _ help: String, _ samples: [([String: String], Double)]) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for (labels, value) in samples {
            out += "\(name)\(Self.labelText(labels)) \(Self.number(value))\n"
        }
    }

    private func counter(_ out: inout String, _ name: String, _ help: String, _ samples: [([String: String], UInt64)]) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
        for (labels, value) in samples {
            out += "\(name)_total\(Self.labelText(labels)) \(Self.number(Double(value)))\n"
            out += "\(name)_created\(Self.labelText(labels)) \(Self.number(createdAt.rounded(.down)))\n"
        }
    }

    /// `{a="x",b="y"}` with keys sorted, values escaped as the format requires (backslash, quote, newline).
    static func labelText(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// A sample value: "+Inf"/"-Inf"/"NaN", else a float with a decimal point ("3.0", "0.25").
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return "\(Int64(value)).0" }
        return "\(value)"
    }
}
