import NimbusMultiformats
/// The beacon API subset the simulator serves, answered from a `BeaconSimulation` (read only).
public struct BeaconAPI: Sendable {
    /// The simulated node's p2p ports (for its identity's addresses).
    public var tcpPort: Int
    /// UDP (discovery) port.
    public var udpPort: Int

    /// An API.
    public init(tcpPort: Int = 9000, udpPort: Int = 9000) {
        self.tcpPort = tcpPort
        self.udpPort = udpPort
    }

    /// Event topics this simulator emits.
    public static let supportedTopics: Set<String> = ["head", "finalized_checkpoint"]

    /// Answers `request`, or nil when the path is not a beacon API path this simulator serves.
    public func handle(_ request: APIRequest, simulation: BeaconSimulation) -> APIReply? {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 3, parts[0] == "eth", parts[1] == "v1" else { return nil }
        let route = Array(parts.dropFirst(2))
        let status = simulation.status
        switch (request.method, route.first, route.count) {
        case ("GET", "node", 2):
            return node(route[1], request: request, simulation: simulation, status: status).map(APIReply.response)
        case ("GET", "beacon", 2) where route[1] == "genesis":
            return .response(genesis(simulation))
        case ("GET", "beacon", _) where route.count >= 4 && route[1] == "states":
            return states(route, request: request, simulation: simulation, status: status).map(APIReply.response)
        case ("POST", "validator", 4) where route[1] == "duties" && route[2] == "attester":
            return .response(attesterDuties(epochText: route[3], request: request, simulation: simulation))
        case ("GET", "validator", 4) where route[1] == "duties" && route[2] == "proposer":
            return .response(proposerDuties(epochText: route[3], simulation: simulation))
        case ("GET", "config", 2) where route[1] == "spec":
            return .response(spec(simulation))
        case ("GET", "events", 1):
            let topics = request.queryValues("topics")
            guard !topics.isEmpty else { return .response(.beaconError(400, "Missing topics")) }
            if let bad = topics.first(where: { !Self.supportedTopics.contains($0) }) {
                return .response(.beaconError(400, "Unsupported topic: \(bad)"))
            }
            return .eventStream(topics: topics)
        default:
            return nil
        }
    }

    // MARK: node

    private func node(
        _ name: String, request: APIRequest, simulation: BeaconSimulation, status: NodeStatus
    )
        -> APIResponse?
    {
        switch name {
        case "health":
            // Nimbus answers 206 while its sync manager works and 200 otherwise; it never answers 503.
            if let custom = request.query.first(where: { $0.name == "syncing_status" }) {
                guard let code = Int(custom.value), (100...599).contains(code) else {
                    return .beaconError(400, "Invalid syncing status code")
                }
                return .empty(status.isSyncing ? code : 200)
            }
            return .empty(status.isSyncing ? 206 : 200)
        case "syncing":
            return .json(
                200,
                .object([
                    (
                        "data",
                        .object([
                            ("head_slot", .uint(status.headSlot)),
                            ("sync_distance", .uint(status.syncDistance)),
                            ("is_syncing", .bool(status.isSyncing)),
                            ("is_optimistic", .bool(status.isOptimistic)),
                            ("el_offline", .bool(status.elOffline)),
                        ])
                    )
                ]))
        case "version":
            return .json(
                200,
                .object([
                    (
                        "data",
                        .object([
                            ("version", .string(simulation.configuration.version.agent))
                        ])
                    )
                ]))
        case "identity":
            return .json(200, .object([("data", identity(simulation))]))
        case "peer_count":
            return .json(
                200,
                .object([
                    (
                        "data",
                        .object([
                            ("disconnected", .uint(0)), ("connecting", .uint(0)),
                            ("connected", .uint(UInt64(status.peers))), ("disconnecting", .uint(0)),
                        ])
                    )
                ]))
        case "peers":
            let states = request.queryValues("state")
            let directions = request.queryValues("direction")
            let peers = (0..<status.peers).map { peer(number: $0, simulation: simulation) }.filter { peer in
                (states.isEmpty || states.contains("connected"))
                    && (directions.isEmpty || directions.contains(peer.direction))
            }
            return .json(
                200,
                .object([
                    ("data", .array(peers.map(\.json))),
                    ("meta", .object([("count", .number(Double(peers.count)))])),
                ]))
        default:
            return nil
        }
    }

    private struct Peer {
        var json: JSONValue
        var direction: String
    }

    private func peer(number: Int, simulation: BeaconSimulation) -> Peer {
        let hash = SimHash(seed: simulation.configuration.seed)
        let id = Base58.encode([0x00, 0x25, 0x08, 0x02, 0x12, 0x21] + hash.bytes(count: 33, "peer", "\(number)"))
        let octets = hash.bytes(count: 4, "peer-address", "\(number)")
        let direction = number % 3 == 0 ? "inbound" : "outbound"
        let address = "/ip4/\(octets[0] % 223 + 1).\(octets[1]).\(octets[2]).\(octets[3])/tcp/9000"
        return Peer(
            json: .object([
                ("peer_id", .string(id)),
                ("enr", .null),
                ("last_seen_p2p_address", .string(address)),
                ("state", .string("connected")),
                ("direction", .string(direction)),
            ]), direction: direction)
    }

    private func identity(_ simulation: BeaconSimulation) -> JSONValue {
        let hash = SimHash(seed: simulation.configuration.seed)
        let peerID = Base58.encode([0x00, 0x25, 0x08, 0x02, 0x12, 0x21] + hash.bytes(count: 33, "node-peer-id"))
        let enr = "enr:-" + Base64URL.encode(hash.bytes(count: 120, "node-enr"))
        return .object([
            ("peer_id", .string(peerID)),
            ("enr", .string(enr)),
            ("p2p_addresses", .array([.string("/ip4/127.0.0.1/tcp/\(tcpPort)/p2p/\(peerID)")])),
            ("discovery_addresses", .array([.string("/ip4/127.0.0.1/udp/\(udpPort)/p2p/\(peerID)")])),
            (
                "metadata",
                .object([
                    ("seq_number", .uint(1)),
                    ("attnets", .string("0x0000000000000000")),
                    ("syncnets", .string("0x00")),
                ])
            ),
        ])
    }

    // MARK: beacon

    private func genesis(_ simulation: BeaconSimulation) -> APIResponse {
        let network = simulation.configuration.network
        return .json(
            200,
            .object([
                (
                    "data",
                    .object([
                        ("genesis_time", .uint(UInt64(simulation.configuration.clock.genesisTime))),
                        ("genesis_validators_root", .string(network.genesisValidatorsRoot)),
                        ("genesis_fork_version", .string(network.genesisForkVersion)),
                    ])
                )
            ]))
    }

    /// The slot a state id names, or an error response.
    private func stateSlot(_ id: String, simulation: BeaconSimulation, status: NodeStatus) -> Result<UInt64, ErrorBox> {
        let clock = simulation.configuration.clock
        switch id {
        case "head": return .success(status.headSlot)
        case "genesis": return .success(0)
        case "finalized": return .success(clock.firstSlot(of: status.finalizedEpoch))
        case "justified": return .success(clock.firstSlot(of: status.justifiedEpoch))
        default:
            if let slot = UInt64(id) {
                return slot <= status.headSlot
                    ? .success(slot) : .failure(ErrorBox(.beaconError(404, "State not found")))
            }
            if id.hasPrefix("0x"), Hex.bytes(id)?.count == 32 {
                let known = [
                    status.headSlot, clock.firstSlot(of: status.finalizedEpoch),
                    clock.firstSlot(of: status.justifiedEpoch), 0,
                ]
                if let slot = known.first(where: { simulation.stateRoot(slot: $0) == id.lowercased() }) {
                    return .success(slot)
                }
                return .failure(ErrorBox(.beaconError(404, "State not found")))
            }
            return .failure(ErrorBox(.beaconError(400, "Invalid state ID: \(id)")))
        }
    }

    private struct ErrorBox: Error {
        var response: APIResponse
        init(_ r: APIResponse) { response = r }
    }

    private func states(
        _ route: [String], request: APIRequest, simulation: BeaconSimulation, status: NodeStatus
    )
        -> APIResponse?
    {
        let slot: UInt64
        switch stateSlot(route[2], simulation: simulation, status: status) {
        case .success(let found): slot = found
        case .failure(let error): return error.response
        }
        let clock = simulation.configuration.clock
        let finalized = slot <= clock.firstSlot(of: status.finalizedEpoch)
        let envelope: (JSONValue) -> APIResponse = { data in
            .json(
                200,
                .object([
                    ("execution_optimistic", .bool(status.isOptimistic)), ("finalized", .bool(finalized)),
                    ("data", data),
                ]))
        }
        switch (route[3], route.count) {
        case ("finality_checkpoints", 4):
            let epoch = clock.epoch(of: slot)
            let finalizedEpoch = epoch >= 2 ? epoch - 2 : 0
            let current = epoch >= 1 ? epoch - 1 : 0
            let previous = current >= 1 ? current - 1 : 0
            let checkpoint: (UInt64) -> JSONValue = { epoch in
                .object([
                    ("epoch", .uint(epoch)),
                    (
                        "root",
                        .string(
                            epoch == 0
                                ? "0x" + String(repeating: "0", count: 64)
                                : simulation.blockRoot(slot: clock.firstSlot(of: epoch)))
                    ),
                ])
            }
            return envelope(
                .object([
                    ("previous_justified", checkpoint(previous)), ("current_justified", checkpoint(current)),
                    ("finalized", checkpoint(finalizedEpoch)),
                ]))
        case ("validators", 4):
            let ids = request.queryValues("id")
            if ids.count > 64 { return .beaconError(414, "Too many validator IDs in request") }
            let statuses = request.queryValues("status")
            let allowed: Set<String> = [
                "active", "active_ongoing", "pending", "exited", "withdrawal",
                "pending_initialized", "pending_queued", "active_exiting", "active_slashed",
                "exited_unslashed", "exited_slashed", "withdrawal_possible", "withdrawal_done",
            ]
            if let bad = statuses.first(where: { !allowed.contains($0) }) {
                return .beaconError(400, "Invalid validator status: \(bad)")
            }
            var indices: [UInt64]
            if ids.isEmpty {
                // The real node lists the whole registry; the simulator lists its own keys (see the docs).
                indices = simulation.validators.values.map(\.index).sorted()
            } else {
                indices = []
                for id in ids {
                    if !id.hasPrefix("0x"), UInt64(id) == nil {
                        return .beaconError(400, "Invalid validator ID: \(id)")
                    }
                    if id.hasPrefix("0x"), Hex.canonicalPubkey(id) == nil {
                        return .beaconError(400, "Invalid validator ID: \(id)")
                    }
                    if let index = simulation.registry.resolve(id: id) { indices.append(index) }
                }
            }
            let wanted = statuses.isEmpty || statuses.contains("active") || statuses.contains("active_ongoing")
            return envelope(.array(wanted ? indices.map { validatorJSON($0, slot: slot, simulation: simulation) } : []))
        case ("validators", 5):
            let id = route[4]
            if id.hasPrefix("0x") ? Hex.canonicalPubkey(id) == nil : UInt64(id) == nil {
                return .beaconError(400, "Invalid validator ID: \(id)")
            }
            guard let index = simulation.registry.resolve(id: id) else {
                return .beaconError(404, "Validator not found")
            }
            return envelope(validatorJSON(index, slot: slot, simulation: simulation))
        default:
            return nil
        }
    }

    private func validatorJSON(_ index: UInt64, slot: UInt64, simulation: BeaconSimulation) -> JSONValue {
        let hash = SimHash(seed: simulation.configuration.seed)
        // The node's keys carry the balance their duties earned or lost; the rest of the set, whose duties are not
        // simulated, drifts a little upwards around 32 ETH with the epoch, so that a monitor sees it move.
        let epoch = simulation.configuration.clock.epoch(of: slot)
        let balance =
            simulation.nodeKeyBalance(index: index, slot: slot)
            ?? 32_000_000_000 + hash.number(below: 50_000_000, "balance", "\(index)") + epoch % 1000 * 10_000
        let farFuture = UInt64.max
        return .object([
            ("index", .uint(index)),
            ("balance", .uint(balance)),
            ("status", .string("active_ongoing")),
            (
                "validator",
                .object([
                    ("pubkey", .string(simulation.registry.pubkey(of: index) ?? "")),
                    (
                        "withdrawal_credentials",
                        .string(
                            "0x010000000000000000000000"
                                + Hex.plain(
                                    hash.bytes(count: 20, "withdrawal", "\(index)")))
                    ),
                    ("effective_balance", .uint(32_000_000_000)),
                    ("slashed", .bool(false)),
                    ("activation_eligibility_epoch", .uint(0)),
                    ("activation_epoch", .uint(0)),
                    ("exit_epoch", .uint(farFuture)),
                    ("withdrawable_epoch", .uint(farFuture)),
                ])
            ),
        ])
    }

    // MARK: validator

    private func dutyEpoch(_ text: String, simulation: BeaconSimulation) -> Result<UInt64, ErrorBox> {
        guard let epoch = UInt64(text) else { return .failure(ErrorBox(.beaconError(400, "Invalid epoch: \(text)"))) }
        let clock = simulation.configuration.clock
        let current = clock.epoch(of: clock.wallSlot(at: simulation.now))
        guard epoch <= current + 1 else {
            return .failure(ErrorBox(.beaconError(400, "Cannot request duties past next epoch")))
        }
        guard !simulation.status.isSyncing else {
            return .failure(
                ErrorBox(.beaconError(503, "Beacon node is currently syncing and not serving request on that endpoint"))
            )
        }
        return .success(epoch)
    }

    private func attesterDuties(epochText: String, request: APIRequest, simulation: BeaconSimulation) -> APIResponse {
        let epoch: UInt64
        switch dutyEpoch(epochText, simulation: simulation) {
        case .success(let value): epoch = value
        case .failure(let error): return error.response
        }
        guard let ids = try? JSONCoding.decode([String].self, from: request.body), !ids.isEmpty else {
            return .beaconError(400, "Invalid validator indices: expected a non-empty JSON array of index strings")
        }
        var duties: [JSONValue] = []
        for id in ids {
            guard let index = UInt64(id) else { return .beaconError(400, "Invalid validator index: \(id)") }
            guard index < simulation.configuration.validatorCount else { continue }
            let duty = simulation.schedule.attesterDuty(validator: index, epoch: epoch)
            duties.append(
                .object([
                    ("pubkey", .string(simulation.registry.pubkey(of: index) ?? "")),
                    ("validator_index", .uint(index)),
                    ("committee_index", .uint(duty.committeeIndex)),
                    ("committee_length", .uint(duty.committeeLength)),
                    ("committees_at_slot", .uint(duty.committeesAtSlot)),
                    ("validator_committee_index", .uint(duty.validatorCommitteeIndex)),
                    ("slot", .uint(duty.slot)),
                ]))
        }
        return .json(
            200,
            .object([
                ("dependent_root", .string(simulation.dependentRoot(beforeEpoch: epoch >= 1 ? epoch - 1 : 0))),
                ("execution_optimistic", .bool(simulation.status.isOptimistic)),
                ("data", .array(duties)),
            ]))
    }

    private func proposerDuties(epochText: String, simulation: BeaconSimulation) -> APIResponse {
        let epoch: UInt64
        switch dutyEpoch(epochText, simulation: simulation) {
        case .success(let value): epoch = value
        case .failure(let error): return error.response
        }
        let clock = simulation.configuration.clock
        let duties: [JSONValue] = (clock.firstSlot(of: epoch)..<clock.firstSlot(of: epoch + 1)).map { slot in
            let index = simulation.schedule.proposer(of: slot)
            return .object([
                ("pubkey", .string(simulation.registry.pubkey(of: index) ?? "")),
                ("validator_index", .uint(index)),
                ("slot", .uint(slot)),
            ])
        }
        return .json(
            200,
            .object([
                ("dependent_root", .string(simulation.dependentRoot(beforeEpoch: epoch))),
                ("execution_optimistic", .bool(simulation.status.isOptimistic)),
                ("data", .array(duties)),
            ]))
    }

    // MARK: config

    private func spec(_ simulation: BeaconSimulation) -> APIResponse {
        let configuration = simulation.configuration
        let network = configuration.network
        let values: [(String, String)] = [
            ("CONFIG_NAME", network.name),
            ("PRESET_BASE", "mainnet"),
            ("SECONDS_PER_SLOT", "\(Int(configuration.clock.secondsPerSlot.rounded(.up)))"),
            ("SLOTS_PER_EPOCH", "\(configuration.clock.slotsPerEpoch)"),
            ("MIN_GENESIS_TIME", "\(UInt64(configuration.clock.genesisTime))"),
            ("GENESIS_FORK_VERSION", network.genesisForkVersion),
            ("DEPOSIT_CHAIN_ID", "\(network.depositChainID)"),
            ("DEPOSIT_NETWORK_ID", "\(network.depositChainID)"),
            ("DEPOSIT_CONTRACT_ADDRESS", network.depositContractAddress),
            ("MAX_COMMITTEES_PER_SLOT", "64"),
            ("TARGET_COMMITTEE_SIZE", "128"),
            ("SYNC_COMMITTEE_SIZE", "\(DutySchedule.syncCommitteeSize)"),
            ("EPOCHS_PER_SYNC_COMMITTEE_PERIOD", "\(DutySchedule.epochsPerSyncCommitteePeriod)"),
            ("FAR_FUTURE_EPOCH", "\(UInt64.max)"),
        ]
        return .json(200, .object([("data", .object(values.map { ($0.0, .string($0.1)) }))]))
    }
}
