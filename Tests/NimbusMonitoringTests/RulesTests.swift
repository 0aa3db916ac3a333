import Testing
@testable import NimbusMonitoring

@Suite struct RulesTests {
    private func healthy(_ slot: UInt64 = 3200, at: UInt64 = 0) -> NodeObservation {
        var o = NodeObservation(node: "hoodi", atMillis: at)
        o.headSlot = slot
        o.syncDistance = 0
        o.isSyncing = false
        o.isOptimistic = false
        o.elOffline = false
        o.peers = 50
        o.version = "Nimbus/v24.9.0-f54a03-stateofus"
        o.wallSlot = slot
        o.attesterHits = 2
        o.attesterMisses = 0
        o.blockProductionErrors = 0
        o.balanceGwei = 64_000_000_000
        o.processStartTime = 1000
        return o
    }

    private func verdict(_ kind: AlertKind, _ verdicts: [(AlertKind, Verdict, epoch: UInt64?)]) -> Verdict? {
        verdicts.first { $0.0 == kind }?.1
    }

    @Test func aHealthyNodeIsGoodOnEveryRule() {
        var rules = NodeRules(node: "hoodi", latestRelease: "v24.9.0")
        let verdicts = rules.evaluate(healthy())
        // The per-epoch rules need a previous epoch to compare with.
        for (kind, verdict, _) in verdicts where kind != .balanceDecreasing && kind != .attestationsMissed {
            #expect(verdict == .good, "\(kind)")
        }
    }

    @Test func unreachableNodeSaysNothingAboutTheRest() {
        var rules = NodeRules(node: "hoodi")
        var o = NodeObservation(node: "hoodi", atMillis: 0)
        o.unreachable = "connection refused at 127.0.0.1:5052"
        let verdicts = rules.evaluate(o)
        #expect(verdict(.nodeUnreachable, verdicts) == .bad("connection refused at 127.0.0.1:5052"))
        #expect(verdict(.peersLow, verdicts) == nil)
        #expect(verdict(.notSynced, verdicts) == nil)
    }

    @Test func eachNodeConditionIsDetected() {
        var rules = NodeRules(node: "hoodi", latestRelease: "v25.1.0")
        var o = healthy()
        o.syncDistance = 40
        o.isSyncing = true
        o.elOffline = true
        o.isOptimistic = true
        o.peers = 3
        let verdicts = rules.evaluate(o)
        #expect(verdict(.notSynced, verdicts) == .bad("40 slots behind the head, syncing"))
        #expect(verdict(.elOffline, verdicts) == .bad("the node reports its execution client offline (el_offline)"))
        #expect(verdict(.optimistic, verdicts) == .bad("the node is optimistic: its execution client is not synced"))
        #expect(verdict(.peersLow, verdicts) == .bad("3 peers connected (fewer than 10)"))
        #expect(verdict(.versionBehind, verdicts) == .bad("running v24.9.0, latest release v25.1.0"))
    }

    /// The validator-monitor metrics are counters: each epoch is judged by what it added.
    @Test func attestationsAreJudgedByWhatEachEpochAdds() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy(32 * 10)  // hits 2, misses 0 so far
        #expect(verdict(.attestationsMissed, rules.evaluate(o)) == .unknown)  // nothing to compare with yet
        o.wallSlot = 32 * 11
        o.attesterHits = 3
        o.attesterMisses = 1
        #expect(verdict(.attestationsMissed, rules.evaluate(o)) == .bad("1 of 2 attestations missed in the previous epoch"))
        #expect(verdict(.attestationsMissed, rules.evaluate(o)) == .unknown)  // same epoch again
        o.wallSlot = 32 * 12
        o.attesterHits = 5
        #expect(verdict(.attestationsMissed, rules.evaluate(o)) == .good)  // the old miss does not count twice
        o.wallSlot = 32 * 13
        o.attesterHits = 0
        o.attesterMisses = 0
        #expect(verdict(.attestationsMissed, rules.evaluate(o)) == .unknown)  // counters reset by a restart
    }

    /// A production error fires at once; the alert holds while misses keep coming and for two quiet epochs after.
    @Test func aMissedProposalHoldsForTwoQuietEpochs() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy(32 * 10)
        o.blockMisses = 0
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .good)
        o.blockProductionErrors = 1
        let failed = Verdict.bad("the node failed to produce 1 block(s) (beacon_block_production_errors)")
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == failed)
        o.wallSlot = 32 * 11  // the validator monitor confirms it an epoch later: still the same alert
        o.blockMisses = 1
        #expect(verdict(.proposalMissed, rules.evaluate(o))
            == .bad("1 proposal(s) of the previous epoch have no block on chain (validator monitor)"))
        o.wallSlot = 32 * 12 + 5
        #expect(verdict(.proposalMissed, rules.evaluate(o)) != .good, "one quiet epoch is not enough")
        o.wallSlot = 32 * 13
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .good)
        o.blockProductionErrors = 0  // the node restarted and its counters began again: not a miss
        o.blockMisses = 0
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .good)
        var fresh = NodeRules(node: "hoodi")
        var silent = healthy()
        silent.blockProductionErrors = nil
        #expect(verdict(.proposalMissed, fresh.evaluate(silent)) == .unknown, "no proposal metrics: no evidence")
    }

    @Test func balanceIsComparedEpochToEpochPerValidator() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy(32 * 100)
        o.balanceSource = "attached_validator_balance"
        o.validatorBalances = ["a1a1a1a1": 32_000_000_000, "b2b2b2b2": 32_000_000_000]
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown)
        o.wallSlot = 32 * 101
        o.validatorBalances = ["a1a1a1a1": 31_999_992_800, "b2b2b2b2": 32_000_009_600]
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .bad("validator a1a1a1a1 lost 7200 gwei in epoch 101"))
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown, "same epoch again: no new evidence")
        o.wallSlot = 32 * 102
        o.validatorBalances = ["a1a1a1a1": 31_999_985_600, "b2b2b2b2": 32_000_002_400]
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .bad("2 validators lost 14400 gwei in epoch 102"))
        // A key removed from the node is not a loss.
        o.wallSlot = 32 * 103
        o.validatorBalances = ["b2b2b2b2": 32_000_012_000]
        o.balanceGwei = 32_000_012_000
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .good)
        // An epoch without a sample breaks the chain of comparisons.
        o.wallSlot = 32 * 105
        o.validatorBalances = ["b2b2b2b2": 1]
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown)
    }

    @Test func aTotalBalanceIsComparedOnlyOverTheSameValidators() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy(32 * 100)
        o.balanceSource = "validator_monitor_balance_gwei"
        o.validatorCount = 2
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown)
        o.wallSlot = 32 * 101
        o.balanceGwei = 63_999_000_000
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .bad("total balance fell by 1000000 gwei in epoch 101"))
        o.wallSlot = 32 * 102
        o.balanceGwei = 32_000_000_000
        o.validatorCount = 1
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown, "a key was removed")
        o.wallSlot = 32 * 103
        o.balanceGwei = 32_000_009_600
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .good)
        o.wallSlot = 32 * 104
        o.balanceSource = "attached_validator_balance"
        o.balanceGwei = 1
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown, "another metric is not comparable")
    }

    @Test func balancesAndProposalMissesAreReadWithNimbusNames() throws {
        var o = NodeObservation(node: "hoodi", atMillis: 0)
        o.applyMetrics(try PrometheusText(parsing: """
            # HELP attached_validator_balance Validator balance at slot end of the first 64 validators, in Gwei
            # TYPE attached_validator_balance gauge
            attached_validator_balance{pubkey="a1a1a1a1"} 32000009600.0
            attached_validator_balance{pubkey="b2b2b2b2"} 31999992800.0
            # HELP attached_validator_balance_total Validator balance of all attached validators, in Gwei
            # TYPE attached_validator_balance_total gauge
            attached_validator_balance_total 64000002400.0
            # HELP validator_monitor_balance_gwei The validator's balance in gwei.
            # TYPE validator_monitor_balance_gwei gauge
            validator_monitor_balance_gwei{validator="total"} 64000002400.0
            # HELP validator_monitor_block_miss Number of times the validator was expected to propose a block but no block was included
            # TYPE validator_monitor_block_miss counter
            validator_monitor_block_miss_total{validator="total"} 2.0
            validator_monitor_block_miss_created{validator="total"} 1700000000.0
            # HELP process_info CPU and memory usage
            # TYPE process_info gauge
            process_start_time_seconds 1700000000.25
            """))
        #expect(o.balanceGwei == 64_000_002_400)
        #expect(o.validatorBalances == ["a1a1a1a1": 32_000_009_600, "b2b2b2b2": 31_999_992_800])
        #expect(o.balanceSource == "attached_validator_balance")
        #expect(o.blockMisses == 2)
        #expect(o.processStartTime == 1_700_000_000.25)
        // Right after a start the unset gauge reads 0: the validator monitor's figure is used instead.
        var started = NodeObservation(node: "hoodi", atMillis: 0)
        started.applyMetrics(try PrometheusText(parsing: """
            attached_validator_balance_total 0.0
            validator_monitor_balance_gwei{validator="total"} 64000002400.0
            """))
        #expect(started.balanceGwei == 64_000_002_400 && started.validatorBalances.isEmpty)
        #expect(started.balanceSource == "validator_monitor_balance_gwei")
    }

    @Test func restartsWithinTheWindowAreCounted() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy()
        for (index, start) in [1000.0, 2000, 3000, 4000].enumerated() {
            o.processStartTime = start
            o.atMillis = UInt64(index) * 60_000
            let v = verdict(.nodeRestarting, rules.evaluate(o))
            #expect(v == (index == 3 ? .bad("3 restarts in the last 30 minutes") : .good), "sample \(index)")
        }
        o.atMillis = 60 * 60_000
        #expect(verdict(.nodeRestarting, rules.evaluate(o)) == .good)
    }

    @Test func doppelgangerExitIsCritical() {
        var rules = NodeRules(node: "hoodi")
        var o = NodeObservation(node: "hoodi", atMillis: 0)
        o.unreachable = "connection refused"
        o.lastExitStatus = 129
        #expect(verdict(.doppelgangerExit, rules.evaluate(o)) == .bad("nimbus_beacon_node exited with status 129 (doppelganger detected)"))
        #expect(AlertKind.doppelgangerExit.severity == .critical)
    }

    /// A node the node manager keeps down on purpose (held, or stopped on request) is silent by design: no
    /// unreachable verdict either way, and the doppelganger rule clears once the node answers again.
    @Test func aNodeDownOnPurposeIsNotAnOutage() {
        var rules = NodeRules(node: "hoodi")
        var o = NodeObservation(node: "hoodi", atMillis: 0)
        o.unreachable = "connection refused"
        o.stoppedOnPurpose = true
        #expect(verdict(.nodeUnreachable, rules.evaluate(o)) == .unknown)
        o.lastExitStatus = 129
        #expect(verdict(.nodeUnreachable, rules.evaluate(o)) == .unknown)
        #expect(verdict(.doppelgangerExit, rules.evaluate(o)) == .bad("nimbus_beacon_node exited with status 129 (doppelganger detected)"))
        var back = NodeObservation(node: "hoodi", atMillis: 1000)
        back.syncDistance = 0
        #expect(verdict(.doppelgangerExit, rules.evaluate(back)) == .good)
        var crashed = NodeObservation(node: "hoodi", atMillis: 2000)
        crashed.unreachable = "connection refused"
        #expect(verdict(.nodeUnreachable, rules.evaluate(crashed)) == .bad("connection refused"))
    }

    @Test func hostDiskAndClock() {
        let rules = HostRules()
        let thresholds = AlertThresholds()
        var o = HostObservation(atMillis: 0)
        o.disks = [
            DiskUsage(subject: "hoodi", path: "/var/lib/nimbus", freeBytes: 150 << 30, totalBytes: 2000 << 30,
                      low: thresholds.diskLow, critical: thresholds.diskCritical),
            // The node manager's own small partition: 5 GiB free of 20 is no "low disk" by shares.
            DiskUsage(subject: "host", path: "/var/lib/nimbus-node-manager", freeBytes: 5 << 30, totalBytes: 20 << 30,
                      low: thresholds.stateDiskLow, critical: thresholds.stateDiskCritical),
        ]
        o.clockSynchronized = true
        func verdicts() -> [String: Verdict] {
            Dictionary(uniqueKeysWithValues: rules.evaluate(o).map { ("\($0.0.rawValue)/\($0.subject)", $0.2) })
        }
        #expect(verdicts()["disk_low/hoodi"] == .bad("150 GiB free of 2000 GiB (8%) on /var/lib/nimbus"))
        #expect(verdicts()["disk_critical/hoodi"] == .good)
        #expect(verdicts()["disk_low/host"] == .good && verdicts()["disk_critical/host"] == .good)
        #expect(verdicts()["clock_drift/host"] == .good)
        o.disks[0].freeBytes = 10 << 30
        o.disks[1].freeBytes = 512 << 20
        o.clockSynchronized = false
        #expect(verdicts()["disk_critical/hoodi"] == .bad("10 GiB free of 2000 GiB (1%) on /var/lib/nimbus"))
        #expect(verdicts()["disk_low/hoodi"] == .unknown, "the warning waits while the disk is critical")
        #expect(verdicts()["disk_critical/host"] == .bad("512 MiB free of 20 GiB (3%) on /var/lib/nimbus-node-manager"))
        #expect(verdicts()["clock_drift/host"] == .bad("the kernel reports the clock as not synchronised"))
        // A configured bound replaces both defaults.
        o.disks = [DiskUsage(subject: "small", path: "/mnt", freeBytes: 5 << 20, totalBytes: 8 << 20,
                             low: DiskBounds(bytes: 6 << 20), critical: DiskBounds(bytes: 2 << 20))]
        #expect(verdicts()["disk_low/small"] == .bad("5 MiB free of 8 MiB (63%) on /mnt"))
        #expect(verdicts()["disk_critical/small"] == .good)
        #expect(HostRules.size(12 << 40) == "12 TiB" && HostRules.size(1023) == "1023 B")
    }

    @Test func versionsParseFromNimbusForms() {
        #expect(NimbusVersion(restVersion: "Nimbus/v24.9.0-f54a03-stateofus") == NimbusVersion(major: 24, minor: 9, patch: 0))
        #expect(NimbusVersion(tag: "v24.10.1")! > NimbusVersion(tag: "v24.9.3")!)
        #expect(NimbusVersion(tag: "24.9") == nil)
        #expect(NimbusVersion(restVersion: "Lighthouse/v5") == nil)
    }

    @Test func beaconAnswersFillTheObservation() throws {
        var o = NodeObservation(node: "hoodi", atMillis: 0)
        try o.applySyncing(Array(#"{"data":{"head_slot":"100","sync_distance":"3","is_syncing":true,"is_optimistic":false,"el_offline":true}}"#.utf8))
        try o.applyPeerCount(Array(#"{"data":{"disconnected":"1","connecting":"0","connected":"42","disconnecting":"0"}}"#.utf8))
        try o.applyVersion(Array(#"{"data":{"version":"Nimbus/v24.9.0-f54a03-stateofus"}}"#.utf8))
        #expect(o.headSlot == 100 && o.syncDistance == 3 && o.isSyncing == true && o.elOffline == true && o.peers == 42)
        #expect(o.version == "Nimbus/v24.9.0-f54a03-stateofus")
        #expect(throws: NodeObservation.AnswerError(description: "/eth/v1/node/syncing: unexpected answer (missing head_slot)")) {
            try o.applySyncing(Array(#"{"data":{"sync_distance":"3","is_syncing":true}}"#.utf8))
        }
        #expect(throws: NodeObservation.AnswerError(description: "/eth/v1/node/syncing: head_slot and sync_distance must be decimal strings")) {
            try o.applySyncing(Array(#"{"data":{"head_slot":"x","sync_distance":"3","is_syncing":true}}"#.utf8))
        }
        #expect(throws: NodeObservation.AnswerError(description: "/eth/v1/node/peer_count: unexpected answer (not JSON)")) {
            try o.applyPeerCount(Array("<html>".utf8))
        }
        o.applyMetrics(try PrometheusText(parsing: PrometheusTextTests.nimbusLike))
        #expect(o.wallSlot == 9_876_543 && o.attesterHits == 1 && o.attesterMisses == 0 && o.validatorCount == 1)
    }
}
