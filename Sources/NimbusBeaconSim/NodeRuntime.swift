import Dispatch
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Runs a `BeaconSimulation` as a process: the wall clock, the data directory, the HTTP servers, signals, exit.
public final class NodeRuntime: SimulationAccess, Sendable {
    private let options: NodeOptions
    private let directory: DataDirectory
    private let unlocker: any KeystoreUnlocking
    private let simulation: Mutex<BeaconSimulation>
    private let persisted = Mutex<PersistMark?>(nil)
    private let hub = EventStreamHub()
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    private let servers = Mutex<[HTTPServer]>([])
    private let token: String?

    private struct PersistMark: Equatable {
        var accountedThrough: Double?
        var headSlot: UInt64
        var validators: Int
    }

    /// The wall clock (Unix seconds).
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Prepares a node: checks the options, reads the data directory, attaches its keys. Returns a failure with
    /// the message and status Nimbus would quit with.
    public static func prepare(
        options: NodeOptions, unlocker: any KeystoreUnlocking
    ) -> Result<NodeRuntime, SimCommand.Failure> {
        if let problem = options.keymanagerProblem { return .failure(problem) }
        var token: String?
        if options.keymanagerEnabled, let path = options.keymanagerTokenFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                NodeLog.write(.fatal, "Failed to read the keymanager token file", [("path", path)])
                return .failure(SimCommand.Failure(message: "", status: 1))
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                NodeLog.write(.fatal, "The keymanager token should not be empty", [("tokenFilePath", path)])
                return .failure(SimCommand.Failure(message: "", status: 1))
            }
            token = text
        }
        let directory = DataDirectory(
            root: options.dataDir, validatorsDir: options.validatorsDir,
            secretsDir: options.secretsDir)
        let configuration = options.simulationConfiguration
        do {
            try directory.prepare()
            let state = try directory.loadNodeState()
            if let state, state.chain != configuration.chainIdentity {
                return .failure(
                    SimCommand.Failure(
                        message:
                            "The data directory \(options.dataDir) belongs to another simulated chain "
                            + "(network, genesis, slot timing, seed or validator count differ)"))
            }
            let ledger = try directory.loadLedger()
            var protection = SlashingProtection(genesisValidatorsRoot: configuration.network.genesisValidatorsRoot)
            if let document = try directory.loadSlashingProtection() { try? protection.importInterchange(document) }
            let start = now()
            var scenario = options.scenario
            if let after = options.crashAfter { scenario.crashAt = start + after }
            var simulation = BeaconSimulation(
                configuration: configuration, scenario: scenario, processStart: start, state: state, ledger: ledger,
                slashingProtection: protection)
            for keystore in try directory.localKeystores() {
                guard let password = keystore.password else {
                    NodeLog.write(.error, "Missing password file for keystore", [("pubkey", keystore.pubkey)])
                    continue
                }
                guard directory.lockKeystore(pubkey: keystore.pubkey) else {
                    NodeLog.write(.error, "Unable to lock keystore file", [("pubkey", keystore.pubkey)])
                    continue
                }
                do {
                    let key = try unlocker.unlock(keystoreJSON: keystore.keystoreJSON, password: password)
                    simulation.attach(pubkey: key.pubkey, source: .dataDirectory, at: start)
                } catch {
                    directory.locks.unlock(pubkey: keystore.pubkey)
                    NodeLog.write(
                        .error, "Failed to load keystore", [("pubkey", keystore.pubkey), ("error", "\(error)")])
                }
            }
            for key in try directory.storedKeys() where key.remoteURL != nil {
                guard directory.lockKeystore(pubkey: key.pubkey) else {
                    NodeLog.write(.error, "Unable to lock keystore file", [("pubkey", key.pubkey)])
                    continue
                }
                simulation.attach(pubkey: key.pubkey, source: .remote, at: start)
            }
            // Decrypting keystores (a KDF each) is part of start-up: the node is not ready before it is done.
            let loading = now() - start
            if loading > scenario.startupDelay {
                var longer = ScenarioUpdate()
                longer.startupDelay = loading
                simulation.update(longer, at: start)
            }
            return .success(
                NodeRuntime(
                    options: options, directory: directory, unlocker: unlocker, simulation: simulation, token: token))
        } catch {
            return .failure(SimCommand.Failure(message: "\(error)"))
        }
    }

    private init(
        options: NodeOptions, directory: DataDirectory, unlocker: any KeystoreUnlocking,
        simulation: BeaconSimulation, token: String?
    ) {
        self.options = options
        self.directory = directory
        self.unlocker = unlocker
        self.simulation = Mutex(simulation)
        self.token = token
    }

    // MARK: SimulationAccess

    public func withSimulation<R>(_ body: (inout BeaconSimulation, Double) -> R) -> R {
        simulation.withLock { simulation in
            let now = Self.now()
            simulation.advance(to: now)
            let result = body(&simulation, now)
            persist(simulation)
            return result
        }
    }

    /// Reads the simulation advanced to now (no persistence).
    private func read<R>(_ body: (BeaconSimulation) -> R) -> R {
        simulation.withLock { simulation in
            simulation.advance(to: Self.now())
            return body(simulation)
        }
    }

    private func persist(_ simulation: BeaconSimulation, force: Bool = false) {
        let mark = PersistMark(
            accountedThrough: simulation.ledger.accountedThrough, headSlot: simulation.headSlot,
            validators: simulation.validators.count)
        let changed = persisted.withLock { last -> Bool in
            guard force || last != mark else { return false }
            last = mark
            return true
        }
        guard changed else { return }
        do {
            try directory.save(
                state: simulation.nodeState, ledger: simulation.ledger,
                protection: simulation.slashingProtection.exportInterchange())
        } catch {
            NodeLog.write(.error, "Could not write the node state", [("error", "\(error)")])
        }
    }

    // MARK: Running

    /// Runs until the node exits; returns the exit status.
    public func run() async -> Int32 {
        let configuration = options.simulationConfiguration
        NodeLog.write(
            .notice, "Starting beacon node",
            [
                ("version", configuration.version.full), ("network", configuration.network.name),
                ("dataDir", options.dataDir), ("validators", "\(read { $0.validators.count })"),
            ])
        let signals = SignalWatch()
        if let port = options.controlPort {
            do {
                let server = try await HTTPServer.start(group: group, host: "127.0.0.1", port: port, hub: nil) {
                    [self] request in .response(ControlAPI().handle(request, access: self))
                }
                servers.withLock { $0.append(server) }
            } catch {
                NodeLog.write(
                    .fatal, "Could not bind the simulator control port", [("port", "\(port)"), ("error", "\(error)")])
                return 1
            }
        }
        guard await startMetricsServer() else { return 1 }
        var status: Int32?
        while status == nil {
            if let signal = signals.received {
                NodeLog.write(.notice, "Shutting down", [("signal", "\(signal)")])
                simulation.withLock { simulation in
                    simulation.advance(to: Self.now())
                    simulation.recordExit(status: 0)
                    persist(simulation, force: true)
                }
                status = 0
                break
            }
            let events = simulation.withLock { simulation -> [SimulationEvent] in
                simulation.advance(to: Self.now())
                let events = simulation.takeEvents()
                persist(simulation, force: simulation.exitStatus != nil)
                return events
            }
            for event in events {
                if let exit = await handle(event) { status = exit }
            }
            if status == nil { try? await Task.sleep(for: .milliseconds(40)) }
        }
        let finalStatus = status ?? 0
        simulation.withLock { simulation in
            simulation.recordExit(status: finalStatus)  // no-op when the simulation chose the status itself
            persist(simulation, force: true)
        }
        hub.closeAll()
        for server in servers.withLock({ $0 }) { await server.close() }
        try? await group.shutdownGracefully()
        return finalStatus
    }

    private func handle(_ event: SimulationEvent) async -> Int32? {
        switch event {
        case .ready:
            NodeLog.write(.info, "Database loaded, serving")
            return await startServers() ? nil : 1
        case .head(let head):
            hub.publish(topic: "head", data: EventEncoding.head(head))
        case .finalizedCheckpoint(let checkpoint):
            hub.publish(topic: "finalized_checkpoint", data: EventEncoding.finalizedCheckpoint(checkpoint))
        case .dutyPerformed(let duty, let slot, let index):
            NodeLog.write(
                .info, duty == .attestation ? "Attestation sent" : "Block proposed",
                [("slot", "\(slot)"), ("validator", "\(index)")])
        case .dutyMissed(let miss):
            var fields = [
                ("duty", miss.duty.rawValue), ("slot", "\(miss.slot)"), ("validator", "\(miss.validatorIndex)"),
                ("reason", miss.reason.rawValue),
            ]
            if let detail = miss.detail { fields.append(("detail", detail)) }
            NodeLog.write(miss.reason == .doppelganger ? .notice : .warning, "Duty missed", fields)
        case .slotEnd(let slot, let headSlot, let wait):
            NodeLog.write(
                .info, "Slot end",
                [
                    ("slot", "\(slot)"), ("head", "\(headSlot)"),
                    ("nextActionWait", wait.map { String(format: "%.3fs", $0) } ?? "n/a"),
                ])
        case .exit(let status, let reason):
            if status == 129 {
                NodeLog.write(
                    .fatal,
                    "Doppelganger detection triggered! It appears a validator loaded into this "
                        + "process is already live on the network - the validator is at serious risk of being "
                        + "slashed!", [("reason", reason)])
            } else {
                NodeLog.write(.fatal, "Simulated crash", [("reason", reason), ("status", "\(status)")])
            }
            return status
        }
        return nil
    }

    /// The metrics server starts with the process, before the database loads, as in Nimbus (its gauges read 0
    /// until the node runs).
    private func startMetricsServer() async -> Bool {
        guard options.metricsEnabled else { return true }
        do {
            let exposition = MetricsExposition(
                version: options.version, createdAt: read { $0.processStart }, processStartTime: ProcessStart.current())
            let server = try await HTTPServer.start(
                group: group, host: options.metrics.address, port: options.metrics.port, hub: nil
            ) { [self] request in
                guard request.method == "GET", request.path == "/metrics" else {
                    return .response(
                        APIResponse(status: 404, contentType: "text/plain", body: Array("Not found\n".utf8)))
                }
                let text = read { exposition.render($0.metrics) }
                return .response(
                    APIResponse(
                        status: 200, contentType: MetricsExposition.contentType,
                        body: Array(text.utf8)))
            }
            servers.withLock { $0.append(server) }
            NodeLog.write(
                .notice, "Starting metrics HTTP server",
                [("url", "http://\(options.metrics.address):\(options.metrics.port)/metrics")])
            return true
        } catch {
            NodeLog.write(.fatal, "Could not start the metrics server", [("error", "\(error)")])
            return false
        }
    }

    private func startServers() async -> Bool {
        let keymanager = token.map { token in
            KeymanagerAPI(
                token: token, storage: directory, unlocker: unlocker,
                defaults: KeymanagerDefaults(
                    feeRecipient: options.suggestedFeeRecipient, gasLimit: options.suggestedGasLimit,
                    graffiti: options.graffiti, version: options.version))
        }
        let beacon = BeaconAPI(tcpPort: options.tcpPort, udpPort: options.udpPort)
        let sharesREST = options.keymanagerSharesREST
        do {
            if options.restEnabled {
                let server = try await HTTPServer.start(
                    group: group, host: options.rest.address, port: options.rest.port, hub: hub
                ) { [self] request in
                    if sharesREST, let keymanager, let response = keymanager.handle(request, access: self) {
                        return .response(response)
                    }
                    if let reply = read({ beacon.handle(request, simulation: $0) }) { return reply }
                    return .response(.beaconError(404, "Not found"))
                }
                servers.withLock { $0.append(server) }
                NodeLog.write(
                    .info, "REST service started", [("address", "\(options.rest.address):\(options.rest.port)")])
            }
            if let keymanager, !sharesREST {
                let server = try await HTTPServer.start(
                    group: group, host: options.keymanager.address, port: options.keymanager.port, hub: nil
                ) { [self] request in
                    .response(keymanager.handle(request, access: self) ?? .keymanagerError(404, "Not found"))
                }
                servers.withLock { $0.append(server) }
            }
            return true
        } catch {
            NodeLog.write(.fatal, "Could not start a server", [("error", "\(error)")])
            return false
        }
    }
}

/// Ignores SIGTERM/SIGINT/SIGHUP and notes them, so that the run loop can persist before exiting.
private final class SignalWatch: @unchecked Sendable {
    // @unchecked: `sources` is set once in init and only kept alive; `last` is behind a mutex.
    private let last = Mutex<Int32?>(nil)
    private let sources: [any DispatchSourceSignal]

    init() {
        let numbers = [SIGTERM, SIGINT, SIGHUP]
        sources = numbers.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for (number, source) in zip(numbers, sources) {
            signal(number, SIG_IGN)
            source.setEventHandler { [unowned self] in self.last.withLock { $0 = number } }
            source.resume()
        }
    }

    var received: Int32? { last.withLock { $0 } }
}
