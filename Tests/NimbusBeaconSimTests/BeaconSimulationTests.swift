import Testing

@testable import NimbusBeaconSim

/// The pure core, driven with an injected clock: sync progression, duties, scenario effects, the ledger and
/// `next_action_wait`.
@Suite("Beacon simulation core")
struct BeaconSimulationTests {
    static let keyA = "0x" + String(repeating: "a1", count: 48)
    static let keyB = "0x" + String(repeating: "b2", count: 48)

    /// 1-second slots, 4 per epoch, 16 validators, genesis at 0, an execution client configured.
    static func configuration(
        initialSyncDistance: UInt64 = 0, syncRate: Double = 10, doppelganger: Bool = false,
        el: String? = "http://el:8551"
    ) -> SimulationConfiguration {
        SimulationConfiguration(
            clock: SlotClock(genesisTime: 0, secondsPerSlot: 1, slotsPerEpoch: 4), seed: "core-tests",
            validatorCount: 16, syncRate: syncRate, initialSyncDistance: initialSyncDistance,
            doppelgangerDetection: doppelganger, executionURL: el)
    }

    static func simulation(
        start: Double = 100, scenario: Scenario = Scenario(), configuration: SimulationConfiguration = configuration(),
        state: NodeState? = nil, ledger: DutyLedger = DutyLedger(), keys: [String] = [keyA, keyB]
    ) -> BeaconSimulation {
        var simulation = BeaconSimulation(
            configuration: configuration, scenario: scenario, processStart: start, state: state, ledger: ledger)
        for key in keys { simulation.attach(pubkey: key, source: .dataDirectory, at: start) }
        return simulation
    }

    // MARK: sync

    @Test func syncsFromBehindAtTheSyncRateThenFollowsTheWallClock() {
        var sim = Self.simulation(configuration: Self.configuration(initialSyncDistance: 40, syncRate: 10))
        sim.advance(to: 100.5)
        #expect(sim.status.isReady)
        #expect(sim.status.headSlot == 60 + 5)  // started 40 behind slot 100, 0.5 s at 10 slots/s
        #expect(sim.status.isSyncing)
        sim.advance(to: 103.2)
        #expect(sim.status.headSlot == 92)
        #expect(sim.status.isSyncing)
        sim.advance(to: 105.5)  // caught up with the wall clock (105) during slot 104's second
        #expect(sim.status.headSlot == 105)
        #expect(!sim.status.isSyncing)
        for slot: UInt64 in 106...110 {
            sim.advance(to: Double(slot))
            #expect(sim.status.headSlot == slot, "a synced node has the block as the slot starts")
            #expect(sim.status.syncDistance == 0)
        }
    }

    @Test func aRestartedNodeSyncsFromItsPersistedHead() {
        let state = NodeState(chain: Self.configuration().chainIdentity, headSlot: 50)
        var sim = Self.simulation(start: 100, state: state)
        sim.advance(to: 100)
        #expect(sim.status.headSlot == 50)
        #expect(sim.status.syncDistance == 50)
        #expect(sim.status.isSyncing)
        sim.advance(to: 106)
        #expect(!sim.status.isSyncing)
    }

    @Test func theResultDoesNotDependOnHowOftenTheClockIsRead() {
        var coarse = Self.simulation(configuration: Self.configuration(initialSyncDistance: 30, syncRate: 7))
        var fine = coarse
        var time = 100.0
        while time < 140 {
            time += 0.013
            fine.advance(to: time)
        }
        coarse.advance(to: time)
        #expect(fine.status == coarse.status)
        #expect(fine.ledger == coarse.ledger)
        #expect(fine.metrics == coarse.metrics)
    }

    @Test func losingAllPeersStallsTheHead() {
        var sim = Self.simulation()
        sim.advance(to: 110)
        #expect(!sim.status.isSyncing)
        var change = ScenarioUpdate()
        change.peers = 0
        sim.update(change, at: 110.5)
        sim.advance(to: 115.5)
        #expect(sim.status.headSlot == 110)
        #expect(sim.status.isSyncing)
        #expect(sim.metrics.peers == 0)
        #expect(sim.ledger.missed.contains { $0.detail == "no_peers" })
        change.peers = 50
        sim.update(change, at: 115.5)
        sim.advance(to: 118)
        #expect(!sim.status.isSyncing, "catches up at 10 slots/s")
    }

    @Test func syncLagHoldsTheHeadBehind() {
        var scenario = Scenario()
        scenario.syncLag = 6
        var sim = Self.simulation(scenario: scenario)
        sim.advance(to: 120.2)
        #expect(sim.status.headSlot == 114)
        #expect(sim.status.syncDistance == 6)
        #expect(sim.status.isSyncing)
    }

    @Test func anUnhealthyVersionNeverSyncs() {
        var scenario = Scenario()
        scenario.unhealthy = true
        var sim = Self.simulation(scenario: scenario)
        sim.advance(to: 130)
        #expect(sim.status.isReady)
        #expect(sim.status.headSlot == 100)
        #expect(sim.status.isSyncing)
        #expect(sim.ledger.totals["attestation"]?.performed ?? 0 == 0)
        #expect(sim.ledger.missed.allSatisfy { $0.reason == .unhealthy && $0.detail == "stuck" })
        #expect(sim.ledger.missedCount(reason: .unhealthy) > 0)
    }

    // MARK: duties and the ledger

    @Test func aHealthyNodePerformsEveryDuty() {
        var sim = Self.simulation()
        sim.advance(to: 140)
        let attestations = sim.ledger.totals["attestation"]!
        #expect(attestations.due == 20, "2 keys × 10 epochs")
        #expect(attestations.missed == 0)
        #expect(sim.metrics.attestationsSent == 20)
        let indices = Set(sim.validators.values.map(\.index))
        let proposals = (100...140).filter { indices.contains(sim.schedule.proposer(of: UInt64($0))) }.count
        #expect(sim.ledger.totals["proposal"]?.performed ?? 0 == UInt64(proposals))
        #expect(sim.metrics.blocksProposed == UInt64(proposals))
    }

    @Test func startUpTimeMissesDutiesAsStarting() {
        var scenario = Scenario()
        scenario.startupDelay = 8
        var sim = Self.simulation(scenario: scenario)
        sim.advance(to: 107.9)
        #expect(!sim.status.isReady)
        let starting = sim.ledger.missed.filter { $0.reason == .starting }
        #expect(starting.filter { $0.duty == .attestation }.count == 4, "two epochs of two keys")
        #expect(starting.allSatisfy { $0.slot < 108 })
        sim.advance(to: 108)
        #expect(sim.status.isReady)
        #expect(sim.takeEvents().contains(.ready))
    }

    @Test func anOfflineExecutionClientMakesTheNodeOptimisticAndIdle() {
        var scenario = Scenario()
        scenario.elOffline = true
        var sim = Self.simulation(scenario: scenario)
        sim.advance(to: 112)
        #expect(sim.status.elOffline)
        #expect(sim.status.isOptimistic)
        #expect(!sim.status.isSyncing)
        #expect(sim.ledger.missed.allSatisfy { $0.detail == "el_offline" })
        #expect(sim.metrics.engineTimeouts.values.reduce(0, +) == 12)
        #expect(sim.metrics.engineResponses.isEmpty)
        let noEL = Self.simulation(configuration: Self.configuration(el: nil))
        #expect(noEL.status.elOffline, "no --el means no working execution connection")
    }

    @Test func injectedMissesFollowTheRateDeterministically() {
        var scenario = Scenario()
        scenario.missedAttestationRate = 1
        var all = Self.simulation(scenario: scenario)
        all.advance(to: 120)
        #expect(all.ledger.missedCount(reason: .injected) == 10)
        scenario.missedAttestationRate = 0.5
        var half = Self.simulation(scenario: scenario)
        var again = half
        half.advance(to: 200)
        again.advance(to: 200)
        #expect(half.ledger == again.ledger)
        #expect((10...40).contains(half.ledger.missedCount(reason: .injected)))
    }

    /// A failed proposal counts as a production error at its slot and as a block miss at the next epoch's
    /// processing; a proposal that lands counts as a hit.
    @Test func injectedProposalFailuresShowInNimbusCounters() {
        var scenario = Scenario()
        scenario.missedProposalRate = 1
        var sim = Self.simulation(scenario: scenario)
        sim.advance(to: 140)
        let indices = Set(sim.validators.values.map(\.index))
        let ours = (100..<140).filter { indices.contains(sim.schedule.proposer(of: UInt64($0))) }
        #expect(!ours.isEmpty, "the fixture gives the two keys proposals")
        #expect(sim.ledger.missed.filter { $0.duty == .proposal }.allSatisfy { $0.reason == .injected })
        #expect(sim.metrics.blockProductionErrors == UInt64(ours.count))
        #expect(sim.metrics.blocksProposed == 0)
        // Slot 140 starts epoch 35, whose processing judged every proposal of epoch 34 and before.
        #expect(sim.metrics.blockMisses["total"] ?? 0 == UInt64(ours.count))
        #expect(sim.metrics.blockHits.isEmpty)
        var healthy = Self.simulation()
        healthy.advance(to: 140)
        #expect(healthy.metrics.blockHits["total"] ?? 0 == UInt64(ours.count))
        var early = Self.simulation(scenario: scenario)
        early.advance(to: 139.9)  // epoch 34 is not processed yet
        #expect(early.metrics.blockMisses["total"] ?? 0 == UInt64(ours.filter { $0 < 136 }.count))
        #expect(healthy.metrics.blockMisses.isEmpty && healthy.metrics.blockProductionErrors == 0)
    }

    /// Balances follow the duties, as on chain: up for every attestation and proposal, down for every missed
    /// attestation; a state shows them from the epoch transition after the duty.
    @Test func balancesEarnAndLoseWithTheDuties() throws {
        var scenario = Scenario()
        scenario.missedAttestationRate = 1
        var sim = Self.simulation(scenario: scenario)
        let index = sim.validators[Self.keyA]!.index
        let ours = Set(sim.validators.values.map(\.index))
        sim.advance(to: 100.1)
        let start = try #require(sim.nodeKeyBalance(index: index, slot: 100))
        sim.advance(to: 120.1)  // epochs 25...29 attested by nobody; the state at slot 120 (epoch 30) shows them all
        let proposals = (100..<120).filter { sim.schedule.proposer(of: UInt64($0)) == index }.count
        let expected = start - 5 * DutyRewards.missedAttestation + UInt64(proposals) * DutyRewards.proposal
        #expect(sim.nodeKeyBalance(index: index, slot: 120) == expected)
        #expect(sim.nodeKeyBalance(index: index, slot: 119) != expected, "epoch 29's state precedes its duties")
        let keyB = sim.validators[Self.keyB]!.index
        #expect(sim.metrics.monitorBalances["total"]
            == sim.nodeKeyBalance(index: index, slot: 120)! + sim.nodeKeyBalance(index: keyB, slot: 120)!)
        let stranger = try #require((0..<16).first { !ours.contains($0) })
        #expect(sim.nodeKeyBalance(index: stranger, slot: 120) == nil, "the rest of the set is not simulated")

        var update = ScenarioUpdate()
        update.missedAttestationRate = 0
        sim.update(update, at: 120.1)
        sim.advance(to: 127.9)
        #expect(sim.nodeKeyBalance(index: index, slot: 124)! > expected, "attesting earns again")
        // The head (slot 126 at the last slot end) is in epoch 31: its state lacks epoch 31's own rewards.
        let first: UInt64 = 124
        let epoch31Proposals = (first..<first + 4).filter { ours.contains(sim.schedule.proposer(of: $0)) }.count
        let epoch31 = 2 * DutyRewards.attestation + UInt64(epoch31Proposals) * DutyRewards.proposal
        #expect(sim.metrics.attachedBalanceTotal == sim.balances.values.reduce(0, +) - epoch31)
        #expect(Set(sim.metrics.attachedBalances.keys) == ["a1a1a1a1", "b2b2b2b2"])

        // Balances survive a restart through the node state; the downtime costs the missed attestations.
        let restarted = Self.simulation(start: 136.5, state: sim.nodeState, ledger: sim.ledger)
        let down = restarted.ledger.missed.filter {
            $0.reason == .down && $0.duty == .attestation && $0.pubkey == Self.keyA
        }.count
        #expect(down > 0)
        #expect(restarted.balances[Self.keyA] == sim.balances[Self.keyA]! - UInt64(down) * DutyRewards.missedAttestation)
    }

    @Test func aCrashEndsTheRunAtItsTime() {
        var scenario = Scenario()
        scenario.crashAt = 105.5
        scenario.crashExitCode = 3
        var sim = Self.simulation(scenario: scenario)
        sim.advance(to: 200)
        #expect(sim.exitStatus == 3)
        #expect(sim.now == 105.5)
        #expect(sim.ledger.accountedThrough! < 105.5)
        #expect(sim.takeEvents().last == .exit(status: 3, reason: "simulated crash"))
    }

    @Test func dutiesWhileNoProcessRanAreBookedAsDown() throws {
        var first = Self.simulation(start: 100)
        first.advance(to: 110.2)
        let state = first.nodeState
        let ledger = first.ledger
        // Down from 110.2 to 130.7: every duty instant in between is missed as "down".
        let second = Self.simulation(start: 130.7, state: state, ledger: ledger)
        let down = second.ledger.missed.filter { $0.reason == .down }
        let clock = Self.configuration().clock
        var expected = 0
        for key in state.validators {
            for epoch: UInt64 in 27...32 {
                let slot = second.schedule.attestationSlot(validator: key.index, epoch: epoch)
                let time = clock.attestationTime(of: slot)
                if time > ledger.accountedThrough!, time < 130.7 { expected += 1 }
            }
        }
        for slot: UInt64 in 111...130
        where state.validators.contains(where: { $0.index == second.schedule.proposer(of: slot) }) {
            expected += 1
        }
        #expect(down.count == expected)
        #expect(second.ledger.runs.count == 2)
        #expect(down.allSatisfy { $0.slot >= 110 && $0.slot <= 130 })
    }

    // MARK: doppelganger

    @Test func doppelgangerDetectionListensForThePartialAndOneFullEpoch() {
        // Start at slot 101 (mid-epoch 25): listening covers the rest of 25 and all of 26; duties from 27.
        var sim = Self.simulation(start: 101, configuration: Self.configuration(doppelganger: true))
        sim.advance(to: 116)
        let missed = sim.ledger.missed.filter { $0.reason == .doppelganger }
        #expect(!missed.isEmpty)
        #expect(missed.allSatisfy { $0.epoch <= 26 })
        #expect(sim.ledger.totals["attestation"]!.performed >= 4, "epochs 27 and 28")
        #expect(sim.exitStatus == nil)
    }

    @Test func aDoppelgangerIsDetectedWithStatus129() {
        var scenario = Scenario()
        scenario.doppelganger = true
        var sim = Self.simulation(start: 101, scenario: scenario, configuration: Self.configuration(doppelganger: true))
        sim.advance(to: 200)
        #expect(sim.exitStatus == 129)
        #expect(sim.now < 108, "detected during the first full epoch observed (26)")
        var undetected = Self.simulation(start: 101, scenario: scenario)  // detection off
        undetected.advance(to: 200)
        #expect(undetected.exitStatus == nil)
    }

    // MARK: next_action_wait

    @Test func nextActionWaitIsSetAtSlotEndToTheNextKnownDuty() {
        var sim = Self.simulation(keys: [Self.keyA])
        sim.advance(to: 100)
        let index = sim.validators[Self.keyA]!.index
        let clock = Self.configuration().clock
        for slot: UInt64 in 101...120 {
            sim.advance(to: Double(slot))
            let epoch = clock.epoch(of: slot)
            let attestation = [epoch, epoch + 1].map { sim.schedule.attestationSlot(validator: index, epoch: $0) }
                .filter { $0 >= slot }.min()!
            let proposal = (slot..<clock.firstSlot(of: epoch + 1)).first { sim.schedule.proposer(of: $0) == index }
            let next = min(attestation, proposal ?? .max)
            #expect(sim.metrics.nextActionWait == Double(next - slot), "at the end of slot \(slot - 1)")
            #expect(sim.metrics.nextProposalWait == (proposal.map { Double($0 - slot) } ?? .infinity))
        }
    }

    @Test func nextActionWaitGoesStaleWhenNoDutyIsKnown() {
        var sim = Self.simulation(keys: [Self.keyA])
        sim.advance(to: 110)
        let before = sim.metrics.nextActionWait
        var change = ScenarioUpdate()
        change.peers = 0  // the node falls behind: duties are no longer known
        sim.update(change, at: 110.1)
        sim.advance(to: 125)
        #expect(sim.status.isSyncing)
        let frozen = sim.metrics.nextActionWait
        sim.advance(to: 131)
        #expect(sim.metrics.nextActionWait == frozen, "not updated while unknown")
        #expect(frozen == before || frozen >= 0)
        let empty = { () -> BeaconSimulation in
            var sim = Self.simulation(keys: [])
            sim.advance(to: 150)
            return sim
        }()
        #expect(empty.metrics.nextActionWait == 0, "never set without validators (the gauge's initial value)")
        #expect(empty.metrics.nextProposalWait == .infinity)
    }

    // MARK: slashing protection

    @Test func importedHistoryMakesTheNodeRefuseWhatWasSignedElsewhere() throws {
        var sim = Self.simulation(keys: [Self.keyA])
        let root = Self.configuration().network.genesisValidatorsRoot
        try sim.importSlashingProtection(
            SlashingInterchange(
                genesisValidatorsRoot: root,
                data: [
                    .init(
                        pubkey: Self.keyA, signedBlocks: [.init(slot: "1000")],
                        signedAttestations: [
                            .init(sourceEpoch: "29", targetEpoch: "30")
                        ])
                ]))
        sim.advance(to: 140)
        let refused = sim.ledger.missed.filter { $0.reason == .slashingProtection }
        let attestations = refused.filter { $0.duty == .attestation }
        #expect(attestations.map(\.epoch).allSatisfy { $0 <= 30 })
        #expect(attestations.contains { $0.epoch == 30 })
        #expect(sim.ledger.totals["proposal"]?.performed ?? 0 == 0, "every slot is below the imported block at 1000")
        #expect(sim.ledger.totals["attestation"]!.performed == 4, "epochs 31 to 34")
        #expect(throws: SlashingProtection.ImportError.otherChain) {
            try sim.importSlashingProtection(
                SlashingInterchange(genesisValidatorsRoot: "0x" + String(repeating: "0", count: 64), data: []))
        }
    }
}
