/// The simulator's own control endpoint (loopback only): read the state, change the scenario, read the ledger.
///
/// - `GET /sim/v1/status`: phase, slots, scenario, ledger totals, keys.
/// - `GET /sim/v1/scenario`, `POST /sim/v1/scenario` with a partial `ScenarioUpdate` (JSON).
/// - `GET /sim/v1/ledger`: the duty ledger as it stands.
public struct ControlAPI: Sendable {
    /// An API.
    public init() {}

    /// Answers `request` with `access` to the simulation.
    public func handle(_ request: APIRequest, access: any SimulationAccess) -> APIResponse {
        switch (request.method, request.path) {
        case ("GET", "/sim/v1/status"):
            return access.withSimulation { simulation, _ in .json(200, Self.statusJSON(simulation)) }
        case ("GET", "/sim/v1/scenario"):
            return access.withSimulation { simulation, _ in Self.encoded(simulation.scenario) }
        case ("POST", "/sim/v1/scenario"):
            let update: ScenarioUpdate
            do {
                update = try JSONCoding.decode(ScenarioUpdate.self, from: request.body)
            } catch {
                return .keymanagerError(400, "Invalid scenario update: \(error)")
            }
            if let problem = update.problem { return .keymanagerError(400, problem) }
            return access.withSimulation { simulation, now in
                simulation.update(update, at: now)
                return Self.encoded(simulation.scenario)
            }
        case ("GET", "/sim/v1/ledger"):
            return access.withSimulation { simulation, _ in Self.encoded(simulation.ledger) }
        default:
            return .keymanagerError(404, "Not found")
        }
    }

    private static func encoded<T: Encodable>(_ value: T) -> APIResponse {
        guard let bytes = try? JSONCoding.encode(value) else { return .keymanagerError(500, "encoding failed") }
        return APIResponse(status: 200, contentType: "application/json", body: bytes)
    }

    static func statusJSON(_ simulation: BeaconSimulation) -> JSONValue {
        let status = simulation.status
        let ledger = simulation.ledger
        return .object([
            ("version", .string(simulation.configuration.version.full)),
            ("ready", .bool(status.isReady)),
            ("wall_slot", .uint(status.wallSlot)),
            ("head_slot", .uint(status.headSlot)),
            ("sync_distance", .uint(status.syncDistance)),
            ("is_syncing", .bool(status.isSyncing)),
            ("el_offline", .bool(status.elOffline)),
            ("peers", .number(Double(status.peers))),
            ("finalized_epoch", .uint(status.finalizedEpoch)),
            (
                "validators",
                .array(
                    simulation.validators.values.sorted { $0.index < $1.index }.map {
                        .object([
                            ("pubkey", .string($0.pubkey)), ("index", .uint($0.index)),
                            ("source", .string($0.source.rawValue)),
                        ])
                    })
            ),
            ("duties_missed", .uint(ledger.missedCount())),
            ("duties_performed", .uint(ledger.totals.values.reduce(0) { $0 + $1.performed })),
        ])
    }
}
