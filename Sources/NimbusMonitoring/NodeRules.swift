/// Evaluates the per-node rules over successive observations of one node. Keeps only the little history the
/// rules need (previous counters, per-epoch balances, restart times). Pure.
public struct NodeRules: Sendable {
    public let node: String
    public var thresholds: AlertThresholds
    /// The newest Nimbus release known (from the installer's release tracking), e.g. "v24.9.0".
    public var latestRelease: String?

    private var previousErrors: Double?
    private var previousAttestations: (epoch: UInt64, hits: Double, misses: Double)?
    private var previousStartTime: Double?
    private var restartTimes: [UInt64] = []
    private var balances: [(epoch: UInt64, gwei: Double)] = []

    public init(node: String, thresholds: AlertThresholds = AlertThresholds(), latestRelease: String? = nil) {
        self.node = node
        self.thresholds = thresholds
        self.latestRelease = latestRelease
    }

    /// One verdict per node rule, with the epoch for per-epoch rules.
    public mutating func evaluate(_ observation: NodeObservation) -> [(AlertKind, Verdict, epoch: UInt64?)] {
        if let slots = observation.slotsPerEpoch, slots > 0 { thresholds.slotsPerEpoch = slots }
        let epoch = observation.wallSlot.map { $0 / thresholds.slotsPerEpoch }
        var verdicts: [(AlertKind, Verdict, epoch: UInt64?)] = [
            (.nodeUnreachable, unreachable(observation), nil),
            (.doppelgangerExit, doppelganger(observation), nil),
        ]
        guard observation.unreachable == nil else {
            // A node that does not answer says nothing about its sync, peers or validators.
            return verdicts + [(.nodeRestarting, restarting(observation), nil)]
        }
        verdicts += [
            (.notSynced, notSynced(observation), nil),
            (.elOffline, flag(observation.elOffline, "the node reports its execution client offline (el_offline)"), nil),
            (.optimistic, flag(observation.isOptimistic, "the node is optimistic: its execution client is not synced"), nil),
            (.peersLow, peersLow(observation), nil),
            (.attestationsMissed, attestations(observation), epoch),
            (.proposalMissed, proposals(observation), nil),
            (.balanceDecreasing, balance(observation, epoch: epoch), epoch),
            (.versionBehind, versionBehind(observation), nil),
            (.nodeRestarting, restarting(observation), nil),
        ]
        return verdicts
    }

    private func flag(_ value: Bool?, _ detail: String) -> Verdict {
        guard let value else { return .unknown }
        return value ? .bad(detail) : .good
    }

    private func unreachable(_ o: NodeObservation) -> Verdict {
        o.unreachable.map { .bad($0) } ?? .good
    }

    private func doppelganger(_ o: NodeObservation) -> Verdict {
        guard let status = o.lastExitStatus else { return o.unreachable == nil ? .good : .unknown }
        return status == 129 ? .bad("nimbus_beacon_node exited with status 129 (doppelganger detected)") : .good
    }

    private func notSynced(_ o: NodeObservation) -> Verdict {
        guard let distance = o.syncDistance else { return .unknown }
        if distance > thresholds.maximumSyncDistance || o.isSyncing == true && distance > 1 {
            return .bad("\(distance) slots behind the head\(o.isSyncing == true ? ", syncing" : "")")
        }
        return .good
    }

    private func peersLow(_ o: NodeObservation) -> Verdict {
        guard let peers = o.peers else { return .unknown }
        return peers < thresholds.minimumPeers ? .bad("\(peers) peers connected (fewer than \(thresholds.minimumPeers))") : .good
    }

    /// Nimbus's validator monitor counts, per epoch processed, the attached validators whose previous-epoch
    /// attestation made it on chain (hit) or did not (miss). The metrics are counters, so an epoch's outcome is the
    /// difference from the last epoch seen; any new miss makes that epoch bad.
    private mutating func attestations(_ o: NodeObservation) -> Verdict {
        guard let misses = o.attesterMisses, let hits = o.attesterHits, let slot = o.wallSlot else { return .unknown }
        let epoch = slot / thresholds.slotsPerEpoch
        defer { previousAttestations = (epoch, hits, misses) }
        guard let previous = previousAttestations, epoch > previous.epoch else { return .unknown }
        let newHits = hits - previous.hits
        let newMisses = misses - previous.misses
        // Counters that went down mean the node restarted: no evidence this time.
        guard newHits >= 0, newMisses >= 0, newHits + newMisses > 0 else { return .unknown }
        return newMisses > 0
            ? .bad("\(Int(newMisses)) of \(Int(newHits + newMisses)) attestations missed in the previous epoch") : .good
    }

    private mutating func proposals(_ o: NodeObservation) -> Verdict {
        guard let errors = o.blockProductionErrors else { return .unknown }
        defer { previousErrors = errors }
        guard let previous = previousErrors else { return .good }
        // A counter that went down means the node restarted; that is not a missed proposal.
        return errors > previous ? .bad("\(Int(errors - previous)) block production error(s) since the last poll") : .good
    }

    private mutating func balance(_ o: NodeObservation, epoch: UInt64?) -> Verdict {
        guard let gwei = o.balanceGwei, let epoch else { return .unknown }
        if let last = balances.last, last.epoch == epoch { return .unknown }
        let previous = balances.last
        balances.append((epoch, gwei))
        if balances.count > 4 { balances.removeFirst() }
        guard let previous, previous.epoch + 1 == epoch else { return .unknown }
        return gwei < previous.gwei
            ? .bad("total balance fell by \(Int(previous.gwei - gwei)) gwei in epoch \(epoch)") : .good
    }

    private func versionBehind(_ o: NodeObservation) -> Verdict {
        guard let latest = latestRelease, let running = o.version.flatMap(NimbusVersion.init(restVersion:)),
            let newest = NimbusVersion(tag: latest)
        else { return .unknown }
        return running < newest ? .bad("running \(running), latest release \(newest)") : .good
    }

    private mutating func restarting(_ o: NodeObservation) -> Verdict {
        if let start = o.processStartTime {
            if let previous = previousStartTime, start > previous { restartTimes.append(o.atMillis) }
            previousStartTime = start
        }
        restartTimes.removeAll { $0 + thresholds.restartWindowMillis < o.atMillis }
        return restartTimes.count >= thresholds.restartsInWindow
            ? .bad("\(restartTimes.count) restarts in the last \(thresholds.restartWindowMillis / 60_000) minutes") : .good
    }
}
