/// What one poll learned about a managed node. Every field is optional: a missing value means "not known this
/// time" (the endpoint failed or the metric is absent), which alert rules treat as no evidence either way.
public struct NodeObservation: Sendable, Equatable {
    public var node: String
    /// Unix milliseconds of the poll.
    public var atMillis: UInt64
    /// Nil when reachable; otherwise why not ("connection refused at 127.0.0.1:5052").
    public var unreachable: String?

    // GET /eth/v1/node/syncing
    public var headSlot: UInt64?
    public var syncDistance: UInt64?
    public var isSyncing: Bool?
    public var isOptimistic: Bool?
    public var elOffline: Bool?

    // GET /eth/v1/node/peer_count (connected), or the nbc_peers metric
    public var peers: Int?
    // GET /eth/v1/node/version: "Nimbus/v24.9.0-f54a03-stateofus"
    public var version: String?

    // /metrics
    /// `beacon_slot`: the wall-clock slot as the node sees it.
    public var wallSlot: UInt64?
    /// The network's SLOTS_PER_EPOCH (`/eth/v1/config/spec`), when known; 32 on every public network.
    public var slotsPerEpoch: UInt64?
    /// `validator_monitor_prev_epoch_on_chain_attester_hit`/`_miss` summed over the node's validators.
    public var attesterHits: Double?
    public var attesterMisses: Double?
    /// Validators attached to the node (from the metrics' per-validator series or the keymanager).
    public var validatorCount: Int?
    /// `beacon_blocks_proposed` and `beacon_block_production_errors` (counters) for proposal checks.
    public var blocksProposed: Double?
    public var blockProductionErrors: Double?
    /// Sum of `validator_monitor_balance_gwei` (or `attached_validator_balance`) over the node's validators.
    public var balanceGwei: Double?
    /// `process_start_time_seconds`: changes when the node restarts.
    public var processStartTime: Double?
    /// Exit status of the node's last process, when the node manager supervises it (129 = doppelganger).
    public var lastExitStatus: Int32?

    public init(node: String, atMillis: UInt64) {
        self.node = node
        self.atMillis = atMillis
    }
}

/// What the host looks like, from /proc and statfs.
public struct HostObservation: Sendable, Equatable {
    public var atMillis: UInt64
    /// The filesystem holding the node's data (bytes).
    public var diskFreeBytes: UInt64?
    public var diskTotalBytes: UInt64?
    /// The kernel's clock state from adjtimex: nil when unknown.
    public var clockSynchronized: Bool?
    /// The kernel's estimate of the clock error, in seconds (adjtimex `esterror`), when known.
    public var clockErrorSeconds: Double?
    public var loadAverage: Double?
    public var memoryAvailableBytes: UInt64?
    public var memoryTotalBytes: UInt64?
    public var uptimeSeconds: Double?
    public var cpuBusyFraction: Double?
    public var networkReceivedBytes: UInt64?
    public var networkSentBytes: UInt64?

    public init(atMillis: UInt64) {
        self.atMillis = atMillis
    }
}
