/// What stays fixed for one simulated process: the chain, the node's flags that matter to the simulation, and
/// the simulation's own knobs.
public struct SimulationConfiguration: Sendable, Equatable {
    /// Beacon time.
    public var clock: SlotClock
    /// Seed of every derived value (`SimHash`).
    public var seed: String
    /// Active validators on the simulated chain.
    public var validatorCount: UInt64
    /// The network the node claims to follow.
    public var network: NetworkProfile
    /// The version the node claims to be.
    public var version: NodeVersion
    /// Catch-up speed while syncing, in slots per second.
    public var syncRate: Double
    /// How far behind the wall clock a node with a fresh data directory starts (slots).
    public var initialSyncDistance: UInt64
    /// `--doppelganger-detection`.
    public var doppelgangerDetection: Bool
    /// The first `--el`/`--web3-url`, nil when none was given (the node then reports `el_offline`).
    public var executionURL: String?
    /// `--validator-monitor-details`: label validator-monitor series by index instead of "total".
    public var validatorMonitorDetails: Bool

    /// A configuration; the defaults model a mainnet node.
    public init(
        clock: SlotClock, seed: String = "nimbus-beacon-sim", validatorCount: UInt64 = 1_000_000,
        network: NetworkProfile = NetworkProfile.named("mainnet")!, version: NodeVersion = .default,
        syncRate: Double = 16, initialSyncDistance: UInt64 = 64, doppelgangerDetection: Bool = true,
        executionURL: String? = nil, validatorMonitorDetails: Bool = false
    ) {
        self.clock = clock
        self.seed = seed
        self.validatorCount = validatorCount
        self.network = network
        self.version = version
        self.syncRate = syncRate
        self.initialSyncDistance = initialSyncDistance
        self.doppelgangerDetection = doppelgangerDetection
        self.executionURL = executionURL
        self.validatorMonitorDetails = validatorMonitorDetails
    }

    /// The facts a data directory must agree with: a node does not open another chain's database.
    public var chainIdentity: ChainIdentity {
        ChainIdentity(
            network: network.name, genesisTime: clock.genesisTime, secondsPerSlot: clock.secondsPerSlot,
            slotsPerEpoch: clock.slotsPerEpoch, seed: seed, validatorCount: validatorCount)
    }
}

/// The simulated chain a data directory belongs to.
public struct ChainIdentity: Sendable, Equatable, Codable {
    /// `--network` name.
    public var network: String
    /// Genesis (Unix seconds).
    public var genesisTime: Double
    /// Slot length.
    public var secondsPerSlot: Double
    /// Slots per epoch.
    public var slotsPerEpoch: UInt64
    /// The simulation seed.
    public var seed: String
    /// Size of the validator set.
    public var validatorCount: UInt64

    private enum CodingKeys: String, CodingKey {
        case network, seed
        case genesisTime = "genesis_time"
        case secondsPerSlot = "seconds_per_slot"
        case slotsPerEpoch = "slots_per_epoch"
        case validatorCount = "validator_count"
    }
}
