/// The beacon node's options, resolved with Nimbus's defaults (and the simulator's own `--sim-*` ones).
public struct NodeOptions: Sendable {
    /// A listening endpoint.
    public struct Endpoint: Sendable, Equatable, Hashable {
        /// Listening address.
        public var address: String
        /// Listening port.
        public var port: Int
    }

    /// `--network`.
    public var network: NetworkProfile
    /// `--data-dir`.
    public var dataDir: String
    /// `--validators-dir`.
    public var validatorsDir: String
    /// `--secrets-dir`.
    public var secretsDir: String
    /// `--el`/`--web3-url` values, in order.
    public var executionURLs: [String]
    /// `--rest`.
    public var restEnabled: Bool
    /// `--rest-address`, `--rest-port`.
    public var rest: Endpoint
    /// `--metrics`.
    public var metricsEnabled: Bool
    /// `--metrics-address`, `--metrics-port`.
    public var metrics: Endpoint
    /// `--keymanager`.
    public var keymanagerEnabled: Bool
    /// `--keymanager-address`, `--keymanager-port`.
    public var keymanager: Endpoint
    /// `--keymanager-token-file`.
    public var keymanagerTokenFile: String?
    /// `--doppelganger-detection`.
    public var doppelgangerDetection: Bool
    /// `--non-interactive` (no effect: the simulator never prompts).
    public var nonInteractive: Bool
    /// `--validator-monitor-details`.
    public var validatorMonitorDetails: Bool
    /// `--tcp-port`.
    public var tcpPort: Int
    /// `--udp-port`.
    public var udpPort: Int
    /// `--suggested-fee-recipient`.
    public var suggestedFeeRecipient: String?
    /// `--suggested-gas-limit`.
    public var suggestedGasLimit: UInt64
    /// `--graffiti`.
    public var graffiti: String?

    // Simulator.
    /// `--sim-version`, `--sim-commit`.
    public var version: NodeVersion
    /// `--sim-seed`.
    public var seed: String
    /// `--sim-genesis-time` (default: the network's).
    public var genesisTime: Double
    /// `--sim-seconds-per-slot`.
    public var secondsPerSlot: Double
    /// `--sim-slots-per-epoch`.
    public var slotsPerEpoch: UInt64
    /// `--sim-validator-count`.
    public var validatorCount: UInt64
    /// `--sim-sync-rate`.
    public var syncRate: Double
    /// `--sim-initial-sync-distance`.
    public var initialSyncDistance: UInt64
    /// Loopback port of the control endpoint, nil when off.
    public var controlPort: Int?
    /// Scenario at start.
    public var scenario: Scenario
    /// `--sim-crash-after`: seconds after start (turned into `scenario.crashAt` by the runtime, which knows "now").
    public var crashAfter: Double?

    init(_ tokens: CommandLineTokens) throws(SimCommand.Failure) {
        let values = OptionValues(tokens: tokens)
        network = try values.network()
        let home = Environment.value("HOME") ?? "/root"
        dataDir = values.string("data-dir") ?? "\(home)/.cache/nimbus/BeaconNode"
        validatorsDir = values.string("validators-dir") ?? "\(dataDir)/validators"
        secretsDir = values.string("secrets-dir") ?? "\(dataDir)/secrets"
        executionURLs = tokens.all("el") + tokens.all("web3-url")
        restEnabled = values.flag("rest", default: false)
        rest = Endpoint(
            address: values.string("rest-address") ?? "127.0.0.1", port: try values.port("rest-port", default: 5052))
        metricsEnabled = values.flag("metrics", default: false)
        metrics = Endpoint(
            address: values.string("metrics-address") ?? "127.0.0.1",
            port: try values.port("metrics-port", default: 8008))
        keymanagerEnabled = values.flag("keymanager", default: false)
        keymanager = Endpoint(
            address: values.string("keymanager-address") ?? "127.0.0.1",
            port: try values.port("keymanager-port", default: 5052))
        keymanagerTokenFile = values.string("keymanager-token-file")
        doppelgangerDetection = values.flag("doppelganger-detection", default: true)
        nonInteractive = values.flag("non-interactive", default: false)
        validatorMonitorDetails = values.flag("validator-monitor-details", default: false)
        tcpPort = try values.port("tcp-port", default: 9000)
        udpPort = try values.port("udp-port", default: 9000)
        suggestedFeeRecipient = values.string("suggested-fee-recipient")
        if let recipient = suggestedFeeRecipient, Hex.bytes(recipient)?.count != 20 || !recipient.hasPrefix("0x") {
            throw SimCommand.Failure(message: "Invalid value for --suggested-fee-recipient: '\(recipient)'")
        }
        suggestedGasLimit = try values.unsigned("suggested-gas-limit") ?? 30_000_000
        graffiti = values.string("graffiti")

        let versionNumber = values.string("sim-version") ?? NodeVersion.default.number
        let commit = values.string("sim-commit") ?? NodeVersion.default.commit
        guard NodeVersion.isValidNumber(versionNumber) else {
            throw SimCommand.Failure(message: "Invalid value for --sim-version: '\(versionNumber)' (want e.g. 24.9.0)")
        }
        guard NodeVersion.isValidCommit(commit) else {
            throw SimCommand.Failure(message: "Invalid value for --sim-commit: '\(commit)' (want 6+ hex digits)")
        }
        version = NodeVersion(number: versionNumber, commit: commit)
        seed = values.string("sim-seed") ?? "nimbus-beacon-sim"
        genesisTime = try values.real("sim-genesis-time") ?? Double(network.genesisTime)
        secondsPerSlot = try values.real("sim-seconds-per-slot", minimum: 0.05) ?? 12
        slotsPerEpoch = try values.unsigned("sim-slots-per-epoch") ?? 32
        validatorCount = try values.unsigned("sim-validator-count") ?? 1_000_000
        guard slotsPerEpoch >= 1, validatorCount >= 1 else {
            throw SimCommand.Failure(message: "--sim-slots-per-epoch and --sim-validator-count must be at least 1")
        }
        syncRate = try values.real("sim-sync-rate") ?? 16
        initialSyncDistance = try values.unsigned("sim-initial-sync-distance") ?? 64
        controlPort = try values.string("sim-control-port").map { _ throws(SimCommand.Failure) in
            try values.port("sim-control-port", default: 0)
        }
        var scenario = Scenario()
        scenario.startupDelay = try values.real("sim-startup-delay") ?? 0
        scenario.elOffline = values.flag("sim-el-offline", default: false)
        scenario.peers = Int(try values.unsigned("sim-peers") ?? 80)
        scenario.syncLag = try values.unsigned("sim-sync-lag") ?? 0
        scenario.crashAt = try values.real("sim-crash-at")
        crashAfter = try values.real("sim-crash-after")
        if let code = try values.unsigned("sim-crash-exit-code") {
            guard (1...255).contains(code) else {
                throw SimCommand.Failure(message: "--sim-crash-exit-code must be in 1...255")
            }
            scenario.crashExitCode = Int32(code)
        }
        scenario.unhealthy = values.flag("sim-unhealthy", default: false)
        scenario.missedAttestationRate = try values.real("sim-missed-attestation-rate") ?? 0
        guard scenario.missedAttestationRate <= 1 else {
            throw SimCommand.Failure(message: "--sim-missed-attestation-rate must be in 0...1")
        }
        scenario.missedProposalRate = try values.real("sim-missed-proposal-rate") ?? 0
        guard scenario.missedProposalRate <= 1 else {
            throw SimCommand.Failure(message: "--sim-missed-proposal-rate must be in 0...1")
        }
        scenario.doppelganger = values.flag("sim-doppelganger", default: false)
        self.scenario = scenario
    }

    /// Nimbus's start-up check of the keymanager options: the message and exit status it quits with, or nil.
    public var keymanagerProblem: SimCommand.Failure? {
        guard keymanagerEnabled, keymanagerTokenFile == nil else { return nil }
        return SimCommand.Failure(
            message: "To enable the Keymanager API, you must also specify the --keymanager-token-file option.")
    }

    /// Whether the keymanager API shares the REST server (same address and port, REST enabled), as in Nimbus.
    public var keymanagerSharesREST: Bool { restEnabled && keymanager == rest }

    /// The simulation configuration these options describe.
    public var simulationConfiguration: SimulationConfiguration {
        SimulationConfiguration(
            clock: SlotClock(genesisTime: genesisTime, secondsPerSlot: secondsPerSlot, slotsPerEpoch: slotsPerEpoch),
            seed: seed, validatorCount: validatorCount, network: network, version: version, syncRate: syncRate,
            initialSyncDistance: initialSyncDistance, doppelgangerDetection: doppelgangerDetection,
            executionURL: executionURLs.first, validatorMonitorDetails: validatorMonitorDetails)
    }
}
