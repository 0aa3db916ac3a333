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

    @Test func proposalErrorsCountOnlyWhenTheCounterGrows() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy()
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .good)
        o.blockProductionErrors = 1
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .bad("1 block production error(s) since the last poll"))
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .good)
        o.blockProductionErrors = 0  // the node restarted and its counters began again
        #expect(verdict(.proposalMissed, rules.evaluate(o)) == .good)
    }

    @Test func balanceIsComparedEpochToEpoch() {
        var rules = NodeRules(node: "hoodi")
        var o = healthy(32 * 100)
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown)
        o.wallSlot = 32 * 101
        o.balanceGwei = 63_999_000_000
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .bad("total balance fell by 1000000 gwei in epoch 101"))
        // Same epoch again: no new evidence.
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .unknown)
        o.wallSlot = 32 * 102
        o.balanceGwei = 64_000_000_000
        #expect(verdict(.balanceDecreasing, rules.evaluate(o)) == .good)
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

    @Test func hostDiskAndClock() {
        let rules = HostRules()
        var o = HostObservation(atMillis: 0)
        o.diskTotalBytes = 2000 << 30
        o.diskFreeBytes = 150 << 30
        o.clockSynchronized = true
        var verdicts = Dictionary(uniqueKeysWithValues: rules.evaluate(o).map { ($0.0, $0.1) })
        #expect(verdicts[.diskLow] == .bad("150 GiB free of 2000 GiB (8%)"))
        #expect(verdicts[.diskCritical] == .good)
        #expect(verdicts[.clockDrift] == .good)
        o.diskFreeBytes = 10 << 30
        o.clockSynchronized = false
        verdicts = Dictionary(uniqueKeysWithValues: rules.evaluate(o).map { ($0.0, $0.1) })
        #expect(verdicts[.diskCritical] == .bad("10 GiB free of 2000 GiB (1%)"))
        #expect(verdicts[.clockDrift] == .bad("the kernel reports the clock as not synchronised"))
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
