/// Evaluates the per-node rules over successive observations of one node. Keeps only the little history the
/// rules need (previous counters, per-epoch balances, restart times). Pure.
public struct NodeRules: Sendable {
    public let node: String
    public var thresholds: AlertThresholds
    /// The newest Nimbus release known (the network role's release tracker, `[releases]`), e.g. "v24.9.0"; nil
    /// until the release source has answered, and then `version_behind` has no verdict.
    public var latestRelease: String?

    private var previousErrors: Double?
    private var previousBlockMisses: Double?
    /// The epoch of the last missed proposal seen, and what was seen.
    private var lastProposalMiss: (epoch: UInt64?, detail: String)?
    private var previousAttestations: (epoch: UInt64, hits: Double, misses: Double)?
    private var previousStartTime: Double?
    private var restartTimes: [UInt64] = []
    private var lastBalance: (epoch: UInt64, gwei: Double, perValidator: [String: Double], source: String?,
                              validators: Int?)?

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
            (.proposalMissed, proposals(observation, epoch: epoch), nil),
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
        guard let reason = o.unreachable else { return .good }
        // A node stopped on purpose is silent by design; the doppelganger alert speaks for a held node.
        return o.stoppedOnPurpose ? .unknown : .bad(reason)
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

    /// A proposal is missed when the node fails to produce the block (`beacon_block_production_errors`) or, an
    /// epoch later, when the validator monitor finds no block in the slot (`validator_monitor_block_miss`), whatever
    /// the cause. Both are counters: what counts is what they added. A missed proposal is an event, so the alert
    /// stays until `proposalQuietEpochs` epochs have passed without another.
    private mutating func proposals(_ o: NodeObservation, epoch: UInt64?) -> Verdict {
        guard o.blockProductionErrors != nil || o.blockMisses != nil else { return .unknown }
        func added(_ now: Double?, _ before: Double?) -> Int {
            guard let now, let before, now > before else { return 0 }  // down: the node restarted
            return Int(now - before)
        }
        let errors = added(o.blockProductionErrors, previousErrors)
        let misses = added(o.blockMisses, previousBlockMisses)
        previousErrors = o.blockProductionErrors
        previousBlockMisses = o.blockMisses
        if errors + misses > 0 {
            let detail = errors > 0
                ? "the node failed to produce \(errors) block(s) (beacon_block_production_errors)"
                : "\(misses) proposal(s) of the previous epoch have no block on chain (validator monitor)"
            lastProposalMiss = (epoch, detail)
        }
        guard let miss = lastProposalMiss else { return .good }
        if let epoch, let missed = miss.epoch, epoch >= missed + thresholds.proposalQuietEpochs {
            lastProposalMiss = nil
            return .good
        }
        return .bad(miss.detail)
    }

    /// Balances are compared epoch to epoch, per validator when the metrics name them (a key added or removed
    /// then changes nothing), otherwise as a total over an unchanged set of validators.
    private mutating func balance(_ o: NodeObservation, epoch: UInt64?) -> Verdict {
        guard let gwei = o.balanceGwei, let epoch else { return .unknown }
        if let last = lastBalance, last.epoch == epoch { return .unknown }
        let previous = lastBalance
        lastBalance = (epoch, gwei, o.validatorBalances, o.balanceSource, o.validatorCount)
        guard let previous, previous.epoch + 1 == epoch, previous.source == o.balanceSource else { return .unknown }
        let common = Set(previous.perValidator.keys).intersection(o.validatorBalances.keys)
        if !common.isEmpty {
            let fallen = common.filter { o.validatorBalances[$0]! < previous.perValidator[$0]! }.sorted()
            guard !fallen.isEmpty else { return .good }
            let loss = fallen.reduce(0.0) { $0 + previous.perValidator[$1]! - o.validatorBalances[$1]! }
            return .bad(fallen.count == 1
                ? "validator \(fallen[0]) lost \(Int(loss)) gwei in epoch \(epoch)"
                : "\(fallen.count) validators lost \(Int(loss)) gwei in epoch \(epoch)")
        }
        guard previous.perValidator.isEmpty, o.validatorBalances.isEmpty, previous.validators == o.validatorCount else {
            return .unknown
        }
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
            ? .bad("\(restartTimes.count) restarts in the last \(Self.duration(thresholds.restartWindowMillis))") : .good
    }

    /// "30 minutes", "minute", "45 seconds": the window in words (configurable, so not always whole minutes).
    static func duration(_ millis: UInt64) -> String {
        let seconds = millis / 1000
        if seconds % 60 == 0 && seconds > 0 { return seconds == 60 ? "minute" : "\(seconds / 60) minutes" }
        return seconds == 1 ? "second" : "\(seconds) seconds"
    }
}
