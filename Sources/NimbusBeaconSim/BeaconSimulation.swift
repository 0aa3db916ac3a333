/// The simulated beacon node: a deterministic state machine over beacon time.
///
/// It reads no clock. The runtime calls `advance(to:)` with the current time (as often as it likes: the result
/// does not depend on how often), applies scenario changes and key changes at given times, and reads the state.
/// Given the same configuration, persisted state, scenario and call times of changes, two simulations agree
/// exactly.
///
/// Time is cut into points: each slot's start (the previous slot ends, the head moves, epoch processing, the
/// proposal) and its attestation instant (a third into the slot). Every duty of every node validator is judged at
/// its point, booked in the `DutyLedger` as performed or missed with a reason, and reflected in the metrics.
public struct BeaconSimulation: Sendable {
    private enum PointKind: Sendable { case slotStart, attestation }

    /// Fixed configuration.
    public let configuration: SimulationConfiguration
    /// When this process started.
    public let processStart: Double
    /// The scenario in force.
    public private(set) var scenario: Scenario
    /// The duty ledger (persisted by the runtime).
    public private(set) var ledger: DutyLedger
    /// Metric values.
    public private(set) var metrics: NodeMetrics
    /// Slashing protection (persisted by the runtime).
    public private(set) var slashingProtection: SlashingProtection
    /// The chain's validator set with the node's keys in it.
    public private(set) var registry: ValidatorRegistry
    /// The node's validators by canonical pubkey.
    public private(set) var validators: [String: AttachedValidator] = [:]
    /// Duty rule.
    public let schedule: DutySchedule
    /// Set once the process must end.
    public private(set) var exitStatus: Int32?
    /// Chain balances (gwei) of the node's keys by public key, with every duty's reward or penalty applied.
    public private(set) var balances: [String: UInt64]
    /// `balances` as of the start of recent epochs, oldest first: what a state in that epoch holds, since the chain
    /// applies rewards and penalties at epoch transitions.
    private var epochBalances: [(epoch: UInt64, balances: [String: UInt64])] = []
    /// Slots this process proposed a block in, until the validator monitor has judged their epoch.
    private var proposed: Set<UInt64> = []

    private let hash: SimHash
    private var clock: SlotClock { configuration.clock }
    private var time: Double
    private var nextPoint: (slot: UInt64, kind: PointKind)
    private var isStarted = false
    private var headPosition: Double = 0
    private var persistedHead: UInt64?
    /// Head slot (meaningful once started; before, the persisted head).
    public private(set) var headSlot: UInt64 = 0
    private var finalizedEpoch: UInt64 = 0
    private var gossipStartSlot: UInt64?
    private var attested: Set<AttestationKey> = []
    private var events: [SimulationEvent] = []

    private struct AttestationKey: Hashable, Sendable {
        var validator: UInt64
        var epoch: UInt64
    }

    /// A simulation for a process that starts at `processStart`.
    ///
    /// - Parameters:
    ///   - state: the data directory's node state, nil for a fresh directory.
    ///   - ledger: the data directory's ledger; duties between its `accountedThrough` and `processStart` are
    ///     booked as `down` here, for the keys `state` lists.
    public init(
        configuration: SimulationConfiguration, scenario: Scenario, processStart: Double, state: NodeState?,
        ledger: DutyLedger, slashingProtection: SlashingProtection? = nil
    ) {
        self.configuration = configuration
        self.scenario = scenario
        self.processStart = processStart
        self.hash = SimHash(seed: configuration.seed)
        self.schedule = DutySchedule(
            clock: configuration.clock, validatorCount: configuration.validatorCount, hash: hash)
        self.registry = ValidatorRegistry(
            size: configuration.validatorCount, hash: hash, assigned: state?.validatorIndices ?? [:])
        self.ledger = ledger
        self.metrics = NodeMetrics()
        self.slashingProtection =
            slashingProtection
            ?? SlashingProtection(genesisValidatorsRoot: configuration.network.genesisValidatorsRoot)
        self.time = processStart
        self.persistedHead = state.map { $0.checkpointSlot.map { max($0, state!.headSlot) } ?? $0.headSlot }
        self.headSlot = persistedHead ?? 0
        self.balances = state?.balances ?? [:]
        let clock = configuration.clock
        if let slot = clock.slot(at: processStart) {
            if clock.startTime(of: slot) >= processStart {
                nextPoint = (slot, .slotStart)
            } else if clock.attestationTime(of: slot) >= processStart {
                nextPoint = (slot, .attestation)
            } else {
                nextPoint = (slot + 1, .slotStart)
            }
        } else {
            nextPoint = (0, .slotStart)
        }
        bookDowntime(keys: state?.validators ?? [])
        snapshotBalances(epoch: clock.epoch(of: clock.wallSlot(at: processStart)))
        self.ledger.runs.append(
            DutyLedger.Run(version: configuration.version.full, startedAt: processStart, accountedThrough: nil))
    }

    // MARK: Reading

    /// When start-up ends (REST and metrics served from then on).
    public var readyTime: Double { processStart + scenario.startupDelay }

    /// The node as seen at the last `advance`.
    public var status: NodeStatus {
        let wall = clock.wallSlot(at: time)
        let distance = wall > headSlot ? wall - headSlot : 0
        let elOffline = scenario.elOffline || configuration.executionURL == nil
        let justified = headEpoch >= 1 ? headEpoch - 1 : 0
        return NodeStatus(
            isReady: isStarted, wallSlot: wall, headSlot: headSlot, syncDistance: distance,
            isSyncing: !isStarted || distance > 1, isOptimistic: isStarted && elOffline, elOffline: elOffline,
            peers: isStarted ? scenario.peers : 0, finalizedEpoch: finalizedEpoch, justifiedEpoch: justified,
            previousJustifiedEpoch: justified >= 1 ? justified - 1 : 0)
    }

    /// The current time as far as the simulation has advanced.
    public var now: Double { time }

    private var headEpoch: UInt64 { clock.epoch(of: headSlot) }

    /// What the data directory should hold now.
    public var nodeState: NodeState {
        NodeState(
            chain: configuration.chainIdentity, headSlot: isStarted ? headSlot : (persistedHead ?? headSlot),
            validatorIndices: registry.indexByPubkey,
            validators: validators.values.sorted { $0.index < $1.index }.map {
                NodeState.Key(pubkey: $0.pubkey, index: $0.index)
            }, balances: balances.isEmpty ? nil : balances)
    }

    /// The balance (gwei) a state at `slot` holds for validator `index` when it is one of the node's keys; nil
    /// for the rest of the set. States older than the epochs this process kept answer with the oldest it kept.
    public func nodeKeyBalance(index: UInt64, slot: UInt64) -> UInt64? {
        guard let pubkey = registry.pubkey(of: index), registry.indexByPubkey[pubkey] == index else { return nil }
        return stateBalance(pubkey: pubkey, index: index, epoch: clock.epoch(of: slot))
    }

    private func stateBalance(pubkey: String, index: UInt64, epoch: UInt64) -> UInt64 {
        let snapshot = epochBalances.last { $0.epoch <= epoch } ?? epochBalances.first
        return snapshot?.balances[pubkey] ?? genesisBalance(index: index)
    }

    /// A key's balance before the simulation touched it: 32 ETH and a little, different per validator.
    private func genesisBalance(index: UInt64) -> UInt64 {
        32_000_000_000 + hash.number(below: 50_000_000, "balance", "\(index)")
    }

    /// Events since the last call, oldest first.
    public mutating func takeEvents() -> [SimulationEvent] {
        defer { events.removeAll() }
        return events
    }

    /// The block root at `slot` (every slot has a block in the simulation).
    public func blockRoot(slot: UInt64) -> String { hash.root("block", "\(slot)") }

    /// The state root after `slot`.
    public func stateRoot(slot: UInt64) -> String { hash.root("state", "\(slot)") }

    /// The root a duty computed for `epoch` depends on: the block at the last slot before `epoch` (genesis block
    /// on underflow).
    public func dependentRoot(beforeEpoch epoch: UInt64) -> String {
        let first = clock.firstSlot(of: epoch)
        return blockRoot(slot: first == 0 ? 0 : first - 1)
    }

    // MARK: Changing

    /// Applies a scenario change at `time` (after advancing to it).
    public mutating func update(_ change: ScenarioUpdate, at time: Double) {
        advance(to: time)
        scenario = change.applied(to: scenario, now: time)
        if isStarted { metrics.peers = scenario.peers }
    }

    /// Attaches a key at `time`; returns the validator, or nil if it was attached already.
    @discardableResult
    public mutating func attach(pubkey: String, source: AttachedValidator.Source, at time: Double) -> AttachedValidator?
    {
        // Keys attached at the process start take part in whatever falls on that very instant.
        if time > processStart { advance(to: time) }
        guard validators[pubkey] == nil else { return nil }
        let validator = AttachedValidator(
            pubkey: pubkey, index: registry.index(for: pubkey), attachedAt: max(time, processStart), source: source)
        validators[pubkey] = validator
        metrics.attachedValidators = validators.count
        return validator
    }

    /// Detaches a key at `time`; returns it if it was attached.
    @discardableResult
    public mutating func detach(pubkey: String, at time: Double) -> AttachedValidator? {
        advance(to: time)
        let removed = validators.removeValue(forKey: pubkey)
        metrics.attachedValidators = validators.count
        return removed
    }

    /// Merges an EIP-3076 document into slashing protection.
    public mutating func importSlashingProtection(
        _ document: SlashingInterchange
    ) throws(SlashingProtection.ImportError) {
        try slashingProtection.importInterchange(document)
    }

    /// Runs the simulation up to `target` (no-op for an earlier time, or after an exit).
    public mutating func advance(to target: Double) {
        while exitStatus == nil {
            let pointTime = time(of: nextPoint)
            if let crashAt = scenario.crashAt.map({ max($0, time) }), crashAt <= target, crashAt <= pointTime {
                moveHead(to: crashAt)
                time = crashAt
                exit(status: scenario.crashExitCode, reason: "simulated crash")
                return
            }
            guard pointTime <= target else { break }
            moveHead(to: pointTime)
            time = pointTime
            switch nextPoint.kind {
            case .slotStart:
                slotStarted(nextPoint.slot)
                nextPoint = (nextPoint.slot, .attestation)
            case .attestation:
                attestationsDue(nextPoint.slot)
                nextPoint = (nextPoint.slot + 1, .slotStart)
            }
            ledger.accountedThrough = pointTime
            ledger.runs[ledger.runs.count - 1].accountedThrough = pointTime
        }
        if exitStatus == nil, target > time {
            moveHead(to: target)
            time = target
        }
    }

    private func time(of point: (slot: UInt64, kind: PointKind)) -> Double {
        point.kind == .slotStart ? clock.startTime(of: point.slot) : clock.attestationTime(of: point.slot)
    }

    private mutating func exit(status: Int32, reason: String) {
        exitStatus = status
        ledger.runs[ledger.runs.count - 1].exitStatus = status
        events.append(.exit(status: status, reason: reason))
    }

    /// Records that the runtime ends the process (signal, shutdown) with `status`.
    public mutating func recordExit(status: Int32) {
        guard exitStatus == nil else { return }
        exitStatus = status
        ledger.runs[ledger.runs.count - 1].exitStatus = status
    }

    // MARK: Head and sync

    /// Moves the head from `time` to `target` (no point lies strictly between them).
    private mutating func moveHead(to target: Double) {
        var from = time
        if !isStarted {
            guard target >= readyTime else { return }
            start(at: max(readyTime, time))
            from = max(readyTime, time)
        }
        let wall = clock.wallSlot(at: from)
        let goal = Double(wall > scenario.syncLag ? wall - scenario.syncLag : 0)
        if scenario.peers > 0, !scenario.unhealthy, headPosition < goal {
            headPosition = min(goal, headPosition + configuration.syncRate * (target - from))
        }
        setHead(UInt64(headPosition))
    }

    private mutating func start(at moment: Double) {
        isStarted = true
        let wall = clock.wallSlot(at: moment)
        metrics.beaconSlot = wall
        metrics.beaconCurrentEpoch = clock.epoch(of: wall)
        metrics.peers = scenario.peers
        let initial =
            persistedHead ?? (wall > configuration.initialSyncDistance ? wall - configuration.initialSyncDistance : 0)
        let goal = wall > scenario.syncLag ? wall - scenario.syncLag : 0
        headPosition = Double(min(initial, goal))
        events.append(.ready)
        setHead(UInt64(headPosition), imported: false, force: true)
        noteSynced(wallSlot: wall)
    }

    /// Moves the head to `slot`. `imported` says whether the blocks in between went through the execution client
    /// (not so for the database load at start-up).
    private mutating func setHead(_ slot: UInt64, imported: Bool = true, force: Bool = false) {
        guard isStarted, slot != headSlot || force else { return }
        let advanced = imported && slot > headSlot ? slot - headSlot : 0
        headSlot = slot
        metrics.beaconHeadSlot = slot
        let elOffline = scenario.elOffline || configuration.executionURL == nil
        if let url = configuration.executionURL, advanced > 0 {
            if scenario.elOffline {
                metrics.engineTimeouts[.init(url: url, request: "newPayload"), default: 0] += advanced
            } else {
                metrics.engineResponses[.init(url: url, request: "newPayload", status: "200"), default: 0] += advanced
                metrics.engineResponses[.init(url: url, request: "forkchoiceUpdated", status: "200"), default: 0] +=
                    advanced
            }
        }
        let epoch = clock.epoch(of: slot)
        events.append(
            .head(
                .init(
                    slot: slot, block: blockRoot(slot: slot), state: stateRoot(slot: slot),
                    epochTransition: slot % clock.slotsPerEpoch == 0,
                    previousDutyDependentRoot: dependentRoot(beforeEpoch: epoch >= 1 ? epoch - 1 : 0),
                    currentDutyDependentRoot: dependentRoot(beforeEpoch: epoch), executionOptimistic: elOffline)))
        let finalized = epoch >= 2 ? epoch - 2 : 0
        metrics.beaconCurrentJustifiedEpoch = epoch >= 1 ? epoch - 1 : 0
        if finalized > finalizedEpoch {
            finalizedEpoch = finalized
            metrics.beaconFinalizedEpoch = finalized
            let first = clock.firstSlot(of: finalized)
            events.append(
                .finalizedCheckpoint(
                    .init(
                        block: blockRoot(slot: first), state: stateRoot(slot: first), epoch: finalized,
                        executionOptimistic: elOffline)))
        }
    }

    private mutating func noteSynced(wallSlot: UInt64) {
        if gossipStartSlot == nil, isStarted, wallSlot <= headSlot + 1 { gossipStartSlot = wallSlot }
    }

    // MARK: Points

    private mutating func slotStarted(_ slot: UInt64) {
        if slot % clock.slotsPerEpoch == 0 { snapshotBalances(epoch: clock.epoch(of: slot)) }
        if slot > 0, isStarted { slotEnded(slot - 1) }
        if isStarted {
            // Like Nimbus's gauges, these stay 0 while the database loads: slots are processed only once it runs.
            metrics.beaconSlot = slot
            metrics.beaconCurrentEpoch = clock.epoch(of: slot)
        }
        metrics.peers = isStarted ? scenario.peers : 0
        if isStarted {
            // A node that follows the chain gets the new block as the slot begins; one that is behind catches up
            // at the sync rate (moveHead).
            let goal = slot > scenario.syncLag ? slot - scenario.syncLag : 0
            if scenario.peers > 0, !scenario.unhealthy, Double(goal) - headPosition <= 1, headPosition < Double(goal) {
                headPosition = Double(goal)
                setHead(goal)
            }
            noteSynced(wallSlot: slot)
            if slot % clock.slotsPerEpoch == 0, slot > 0, !status.isSyncing {
                processEpoch(ending: clock.epoch(of: slot) - 1)
            }
        }
        let proposer = schedule.proposer(of: slot)
        if let validator = validators.values.first(where: { $0.index == proposer }), validator.attachedAt <= time {
            judge(.proposal, slot: slot, validator: validator)
        }
    }

    private mutating func attestationsDue(_ slot: UInt64) {
        let epoch = clock.epoch(of: slot)
        let due = validators.values
            .filter { $0.attachedAt <= time && schedule.attestationSlot(validator: $0.index, epoch: epoch) == slot }
            .sorted { $0.index < $1.index }
        for validator in due {
            judge(.attestation, slot: slot, validator: validator)
        }
        if configuration.doppelgangerDetection, scenario.doppelganger, let gossip = gossipStartSlot,
            epoch >= clock.firstFullEpoch(from: gossip),
            due.contains(where: { !isDoppelgangerReady($0, slot: slot) })
        {
            exit(status: 129, reason: "doppelganger detected: another instance attested with a node key")
        }
    }

    private mutating func slotEnded(_ slot: UInt64) {
        let upcoming = slot + 1
        var known: Double?
        if !status.isSyncing, !validators.isEmpty {
            let epoch = clock.epoch(of: upcoming)
            let attestation = validators.values.flatMap { validator in
                [epoch, epoch + 1].map { schedule.attestationSlot(validator: validator.index, epoch: $0) }
            }.filter { $0 >= upcoming }.min()
            let indices = Set(validators.values.map(\.index))
            let proposal = (upcoming..<clock.firstSlot(of: epoch + 1)).first {
                indices.contains(schedule.proposer(of: $0))
            }
            let nextAction = [attestation, proposal].compactMap { $0 }.min()
            let end = clock.startTime(of: upcoming)
            if let nextAction {
                known = clock.startTime(of: nextAction) - end
                metrics.nextActionWait = known!
            }
            metrics.nextProposalWait = proposal.map { clock.startTime(of: $0) - end } ?? .infinity
            metrics.syncCommitteeActive =
                validators.values.contains {
                    schedule.isInSyncCommittee(validator: $0.index, epoch: epoch)
                } ? 1 : 0
        }
        // Nimbus reads these from its head state at every slot, synced or not.
        let headEpoch = clock.epoch(of: headSlot)
        let attached = validators.values.sorted { $0.index < $1.index }
        let headBalances = attached.map { stateBalance(pubkey: $0.pubkey, index: $0.index, epoch: headEpoch) }
        metrics.attachedBalances = Dictionary(
            zip(attached, headBalances).prefix(64).map { (Self.shortLog($0.0.pubkey), $0.1) },
            uniquingKeysWith: { _, later in later })
        metrics.attachedBalanceTotal = headBalances.reduce(0, +)
        events.append(.slotEnd(slot: slot, headSlot: headSlot, nextActionWait: known))
    }

    /// Validator-monitor epoch processing: did each validator attest in `epoch`, and did its proposals of `epoch`
    /// make it on chain? Only duties this process saw. Balances are those of the state after the transition.
    private mutating func processEpoch(ending epoch: UInt64) {
        let label: (AttachedValidator) -> String = { [details = configuration.validatorMonitorDetails] in
            details ? "\($0.index)" : "total"
        }
        for validator in validators.values {
            let slot = schedule.attestationSlot(validator: validator.index, epoch: epoch)
            guard clock.attestationTime(of: slot) >= processStart,
                validator.attachedAt <= clock.attestationTime(of: slot)
            else { continue }
            if attested.contains(AttestationKey(validator: validator.index, epoch: epoch)) {
                metrics.attesterHits[label(validator), default: 0] += 1
            } else {
                metrics.attesterMisses[label(validator), default: 0] += 1
            }
        }
        for slot in clock.firstSlot(of: epoch)..<clock.firstSlot(of: epoch + 1) where slot > 0 {
            let start = clock.startTime(of: slot)
            guard start >= processStart,
                let validator = validators.values.first(where: { $0.index == schedule.proposer(of: slot) }),
                validator.attachedAt <= start
            else { continue }
            if proposed.contains(slot) {
                metrics.blockHits[label(validator), default: 0] += 1
            } else {
                metrics.blockMisses[label(validator), default: 0] += 1
            }
        }
        attested = attested.filter { $0.epoch >= epoch }
        proposed = proposed.filter { $0 >= clock.firstSlot(of: epoch + 1) }
        var monitored: [String: UInt64] = [:]
        for validator in validators.values {
            monitored[label(validator), default: 0] +=
                stateBalance(pubkey: validator.pubkey, index: validator.index, epoch: epoch + 1)
        }
        metrics.monitorBalances = monitored
    }

    /// Keeps `balances` as the state at the start of `epoch` holds them.
    private mutating func snapshotBalances(epoch: UInt64) {
        epochBalances.removeAll { $0.epoch >= epoch }
        epochBalances.append((epoch, balances))
        if epochBalances.count > 8 { epochBalances.removeFirst() }
    }

    /// Nimbus's short form of a public key in logs and metric labels: its first four bytes in hex.
    static func shortLog(_ pubkey: String) -> String {
        String(pubkey.dropFirst(2).prefix(8))
    }

    /// Applies a duty's outcome to the validator's balance (rewards for work done, a penalty for a missed
    /// attestation; a missed proposal only forgoes its reward).
    private mutating func settle(_ duty: DutyLedger.Duty, performed: Bool, pubkey: String, index: UInt64) {
        let balance = balances[pubkey] ?? genesisBalance(index: index)
        switch (duty, performed) {
        case (.attestation, true): balances[pubkey] = balance + DutyRewards.attestation
        case (.attestation, false): balances[pubkey] = balance - min(balance, DutyRewards.missedAttestation)
        case (.proposal, true): balances[pubkey] = balance + DutyRewards.proposal
        case (.proposal, false): balances[pubkey] = balance
        }
    }

    // MARK: Duties

    private func isDoppelgangerReady(_ validator: AttachedValidator, slot: UInt64) -> Bool {
        guard configuration.doppelgangerDetection else { return true }
        guard let gossip = gossipStartSlot else { return false }
        let attachedSlot = clock.wallSlot(at: validator.attachedAt)
        let readyEpoch = max(clock.firstFullEpoch(from: gossip) + 1, clock.epoch(of: attachedSlot) + 1)
        return clock.epoch(of: slot) >= readyEpoch
    }

    /// Why the node as a whole cannot do duties now, or nil if it can.
    private var nodeImpediment: (DutyLedger.Reason, String?)? {
        if !isStarted { return (.starting, nil) }
        if scenario.unhealthy { return (.unhealthy, "stuck") }
        if status.isSyncing { return (.unhealthy, scenario.peers == 0 ? "no_peers" : "syncing") }
        if scenario.elOffline || configuration.executionURL == nil { return (.unhealthy, "el_offline") }
        return nil
    }

    private mutating func judge(_ duty: DutyLedger.Duty, slot: UInt64, validator: AttachedValidator) {
        let epoch = clock.epoch(of: slot)
        var reason = nodeImpediment
        if reason == nil, !isDoppelgangerReady(validator, slot: slot) { reason = (.doppelganger, nil) }
        if reason == nil, duty == .attestation, scenario.missedAttestationRate > 0,
            hash.fraction("missed-attestation", "\(slot)", "\(validator.index)") < scenario.missedAttestationRate
        {
            reason = (.injected, nil)
        }
        if reason == nil, duty == .proposal, scenario.missedProposalRate > 0,
            hash.fraction("missed-proposal", "\(slot)", "\(validator.index)") < scenario.missedProposalRate
        {
            // The node tried and failed, as when the execution client cannot build a payload in time.
            reason = (.injected, nil)
            metrics.blockProductionErrors += 1
        }
        let source = epoch >= 1 ? epoch - 1 : 0
        if reason == nil {
            let allowed =
                duty == .proposal
                ? slashingProtection.maySignBlock(pubkey: validator.pubkey, slot: slot)
                : slashingProtection.maySignAttestation(pubkey: validator.pubkey, source: source, target: epoch)
            if !allowed { reason = (.slashingProtection, nil) }
        }
        if let (why, detail) = reason {
            let miss = DutyLedger.Miss(
                duty: duty, slot: slot, epoch: epoch, validatorIndex: validator.index, pubkey: validator.pubkey,
                reason: why, detail: detail)
            ledger.recordMissed(miss)
            events.append(.dutyMissed(miss))
            settle(duty, performed: false, pubkey: validator.pubkey, index: validator.index)
            return
        }
        ledger.recordPerformed(duty)
        settle(duty, performed: true, pubkey: validator.pubkey, index: validator.index)
        switch duty {
        case .attestation:
            slashingProtection.recordAttestation(pubkey: validator.pubkey, source: source, target: epoch)
            metrics.attestationsSent += 1
            attested.insert(AttestationKey(validator: validator.index, epoch: epoch))
        case .proposal:
            slashingProtection.recordBlock(pubkey: validator.pubkey, slot: slot)
            metrics.blocksProposed += 1
            proposed.insert(slot)
        }
        events.append(.dutyPerformed(duty: duty, slot: slot, validatorIndex: validator.index))
    }

    /// Books as `down` every duty of `keys` whose instant lies after the ledger's `accountedThrough` and before
    /// this process started.
    private mutating func bookDowntime(keys: [NodeState.Key]) {
        guard let from = ledger.accountedThrough, from < processStart, !keys.isEmpty,
            let lastSlot = clock.slot(at: processStart)
        else { return }
        let firstSlot = clock.slot(at: from) ?? 0
        let byIndex = Dictionary(keys.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        var last = from
        for epoch in clock.epoch(of: firstSlot)...clock.epoch(of: lastSlot) {
            var attesting: [UInt64: [NodeState.Key]] = [:]
            for key in keys {
                attesting[schedule.attestationSlot(validator: key.index, epoch: epoch), default: []].append(key)
            }
            let slots = max(firstSlot, clock.firstSlot(of: epoch))...min(lastSlot, clock.firstSlot(of: epoch + 1) - 1)
            for slot in slots {
                let start = clock.startTime(of: slot)
                if start > from, start < processStart, let key = byIndex[schedule.proposer(of: slot)] {
                    bookDown(.proposal, slot: slot, key: key)
                    last = max(last, start)
                }
                let attestationTime = clock.attestationTime(of: slot)
                if attestationTime > from, attestationTime < processStart {
                    for key in (attesting[slot] ?? []).sorted(by: { $0.index < $1.index }) {
                        bookDown(.attestation, slot: slot, key: key)
                    }
                    last = max(last, attestationTime)
                }
            }
        }
        ledger.accountedThrough = last
    }

    private mutating func bookDown(_ duty: DutyLedger.Duty, slot: UInt64, key: NodeState.Key) {
        ledger.recordMissed(
            DutyLedger.Miss(
                duty: duty, slot: slot, epoch: clock.epoch(of: slot), validatorIndex: key.index, pubkey: key.pubkey,
                reason: .down, detail: nil))
        settle(duty, performed: false, pubkey: key.pubkey, index: key.index)
    }
}

/// Rewards and penalties per duty in gwei, roughly mainnet's with about a million active validators (base reward
/// near 11,400 gwei: a timely attestation earns its source, target and head shares, a missed one loses the source
/// and target shares). A missed proposal costs nothing but the reward it would have earned.
public enum DutyRewards {
    /// A timely attestation.
    public static let attestation: UInt64 = 9_600
    /// A missed attestation.
    public static let missedAttestation: UInt64 = 7_200
    /// A proposed block (consensus-layer reward only).
    public static let proposal: UInt64 = 30_000_000
}
